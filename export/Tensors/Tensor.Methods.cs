using Graphport.Operators;

namespace Graphport;

/// <summary>torch.Tensor's methods, each a call of the ATen op that torch records for it.</summary>
public partial class Tensor
{
    // Views. Sizes written inline (x.View(4, -1), x.View(x.Shape[0], -1)) bind to the params SymInt[] overloads;
    // the long[] overloads take existing arrays only, because int converts equally well to long and to SymInt
    // and two params overloads would make x.View(4, 3) ambiguous.
    public Tensor View(params SymInt[] shape) => Aten.Call(Aten.View, this, shape);
    public Tensor View(long[] shape) => Aten.Call(Aten.View, this, shape);
    public Tensor Reshape(params SymInt[] shape) => Aten.Call(Aten.Reshape, this, shape);
    public Tensor Reshape(long[] shape) => Aten.Call(Aten.Reshape, this, shape);
    public Tensor Permute(params long[] dims) => Aten.Call(Aten.Permute, this, dims);
    public Tensor Transpose(long dim0, long dim1) => Aten.Call(Aten.Transpose, this, dim0, dim1);
    /// <summary>Transpose of a matrix (torch's x.t()).</summary>
    public Tensor T() => Aten.Call(Aten.T, this);
    /// <summary>Matrix transpose for 2-D tensors (torch's x.T).</summary>
    public Tensor MT => Transpose(-2, -1);
    public Tensor Unsqueeze(long dim) => Aten.Call(Aten.Unsqueeze, this, dim);
    public Tensor Squeeze() => Aten.Call(Aten.Squeeze, this);
    public Tensor Squeeze(long dim) => Aten.Call(Aten.SqueezeDim, this, dim);
    public Tensor Expand(params SymInt[] shape) => Aten.Call(Aten.Expand, this, shape);
    public Tensor Expand(long[] shape) => Aten.Call(Aten.Expand, this, shape);
    public Tensor ExpandAs(Tensor other) => Aten.Call(Aten.ExpandAs, this, other);
    public Tensor ViewAs(Tensor other) => Aten.Call(Aten.ViewAs, this, other);
    public Tensor Flatten(long startDim = 0, long endDim = -1) => Aten.Call(Aten.FlattenUsingInts, this, startDim, endDim);
    public Tensor Unflatten(long dim, params long[] sizes) => Aten.Call(Aten.UnflattenInt, this, dim, sizes);
    public Tensor Select(long dim, SymInt index) => Aten.Call(Aten.Select, this, dim, index);
    public Tensor Slice(long dim, SymInt? start = null, SymInt? end = null, long step = 1) => Aten.Call(Aten.Slice, this, dim, start, end, step);
    public Tensor Narrow(long dim, SymInt start, SymInt length) => Aten.Call(Aten.Narrow, this, dim, start, length);
    /// <summary>Pieces of the given sizes along dim (they must add up to its size).</summary>
    public Tensor[] Split(long[] splitSizes, long dim = 0) => (Tensor[])Dispatcher.Invoke(Aten.SplitWithSizes, Aten.SplitWithSizes.BindArgs([this, splitSizes.Select(s => (SymInt)s).ToArray(), dim]))!;
    public Tensor[] Split(long splitSize, long dim = 0) => (Tensor[])Dispatcher.Invoke(Aten.SplitTensor, Aten.SplitTensor.BindArgs([this, splitSize, dim]))!;
    public Tensor[] Chunk(long chunks, long dim = 0) => (Tensor[])Dispatcher.Invoke(Aten.Chunk, Aten.Chunk.BindArgs([this, chunks, dim]))!;
    public Tensor[] Unbind(long dim = 0) => (Tensor[])Dispatcher.Invoke(Aten.UnbindInt, Aten.UnbindInt.BindArgs([this, dim]))!;
    public Tensor Diagonal(long offset = 0, long dim1 = 0, long dim2 = 1) => Aten.Call(Aten.Diagonal, this, offset, dim1, dim2);
    public Tensor Alias() => Aten.Call(Aten.Alias, this);
    public Tensor Contiguous() => Aten.Call(Aten.Contiguous, this);

    /// <summary>
    /// The tensor's data as an alias that bypasses tracing's view of it (torch's x.data). Strict export
    /// rejects it; non-strict export turns writes through it into an input mutation.
    /// </summary>
    public Tensor Data => Alias();

    // Copies and conversions.
    /// <summary>
    /// A copy (torch's clone, preserve_format): a non-overlapping, dense tensor keeps its strides (x.T().Clone() is
    /// still transposed), any other gets dense strides in its dimension order. Use Contiguous() or
    /// Clone(MemoryFormat.Contiguous) for row-major memory.
    /// </summary>
    public Tensor Clone() => Aten.Call(Aten.Clone, this);

    /// <summary>A copy laid out in <paramref name="memoryFormat"/> (torch's clone(memory_format=...)).</summary>
    public Tensor Clone(MemoryFormat memoryFormat) => Aten.CallKw(Aten.Clone, [this], ("memory_format", memoryFormat));
    public Tensor Detach() => Aten.Call(Aten.Detach, this);
    public Tensor To(DType dtype, bool copy = false) => Aten.Call(Aten.ToDType, this, dtype, false, copy);
    public Tensor Float() => To(DType.Float32);
    public Tensor Double() => To(DType.Float64);
    public Tensor Half() => To(DType.Float16);
    public Tensor Long() => To(DType.Int64);
    public Tensor Int() => To(DType.Int32);
    public Tensor Bool() => To(DType.Bool);
    public Tensor TypeAs(Tensor other) => To(other.DType);

    // In-place ops: recorded functionally while tracing.
    public Tensor Copy_(Tensor src) => Aten.Call(Aten.Copy_, this, src);
    public Tensor Fill_(double value) => Aten.Call(Aten.FillScalar_, this, value);
    public Tensor Fill_(long value) => Aten.Call(Aten.FillScalar_, this, value);
    public Tensor Zero_() => Fill_(0L);
    public Tensor Add_(Tensor other, double alpha = 1) => Aten.CallKw(Aten.Add_, [this, other], ("alpha", Alpha(alpha)));
    public Tensor Add_(double other) => Aten.Call(Aten.Add_, this, Num(other));
    // An integer stays an integer (torch's x.add_(1)), so integer tensors such as num_batches_tracked keep their dtype.
    public Tensor Add_(long other) => Aten.Call(Aten.Add_, this, other);
    public Tensor Sub_(Tensor other) => Aten.Call(Aten.Sub_, this, other);
    public Tensor Mul_(Tensor other) => Aten.Call(Aten.Mul_, this, other);
    public Tensor Mul_(double other) => Aten.Call(Aten.Mul_, this, Num(other));
    public Tensor Mul_(long other) => Aten.Call(Aten.Mul_, this, other);
    public Tensor Div_(Tensor other) => Aten.Call(Aten.Div_, this, other);
    public Tensor Div_(double other) => Aten.Call(Aten.Div_, this, Num(other));
    public Tensor Relu_() => Aten.Call(Aten.Relu_, this);

    // Elementwise math.
    public Tensor Abs() => Aten.Call(Aten.Abs, this);
    public Tensor Neg() => Aten.Call(Aten.Neg, this);
    public Tensor Exp() => Aten.Call(Aten.Exp, this);
    public Tensor Log() => Aten.Call(Aten.Log, this);
    public Tensor Log1p() => Aten.Call(Aten.Log1p, this);
    public Tensor Sqrt() => Aten.Call(Aten.Sqrt, this);
    public Tensor Rsqrt() => Aten.Call(Aten.Rsqrt, this);
    public Tensor Sin() => Aten.Call(Aten.Sin, this);
    public Tensor Cos() => Aten.Call(Aten.Cos, this);
    public Tensor Tan() => Aten.Call(Aten.Tan, this);
    public Tensor Tanh() => Aten.Call(Aten.Tanh, this);
    public Tensor Sigmoid() => Aten.Call(Aten.Sigmoid, this);
    public Tensor Relu() => Aten.Call(Aten.Relu, this);
    public Tensor Erf() => Aten.Call(Aten.Erf, this);
    public Tensor Reciprocal() => Aten.Call(Aten.Reciprocal, this);
    public Tensor Floor() => Aten.Call(Aten.Floor, this);
    public Tensor Ceil() => Aten.Call(Aten.Ceil, this);
    public Tensor Round() => Aten.Call(Aten.Round, this);
    public Tensor Sign() => Aten.Call(Aten.Sign, this);
    public Tensor Square() => Aten.Call(Aten.Square, this);
    public Tensor Pow(long exponent) => Aten.Call(Aten.PowTensorScalar, this, exponent);
    public Tensor Pow(double exponent) => Aten.Call(Aten.PowTensorScalar, this, Num(exponent));
    public Tensor Pow(Tensor exponent) => Aten.Call(Aten.PowTensorTensor, this, exponent);

    /// <summary>Python's <c>self // other</c>: the quotient rounded toward negative infinity (-7 // 2 is -4).</summary>
    public Tensor FloorDivide(Tensor other) => Aten.Call(Aten.FloorDivide, this, other);
    public Tensor FloorDivide(long other) => Aten.Call(Aten.FloorDivideScalar, this, other);
    public Tensor FloorDivide(double other) => Aten.Call(Aten.FloorDivideScalar, this, Num(other));
    public Tensor Clamp(double? min = null, double? max = null) => Aten.Call(Aten.Clamp, this, min is double a ? Num(a) : null, max is double b ? Num(b) : null);
    /// <summary>Integer bounds keep an integer tensor integer (x.Clamp(0, 5)); float bounds promote it to float32, as in torch.</summary>
    public Tensor Clamp(long? min, long? max) => Aten.Call(Aten.Clamp, this, min, max);
    public Tensor Maximum(Tensor other) => Aten.Call(Aten.Maximum, this, other);
    public Tensor Minimum(Tensor other) => Aten.Call(Aten.Minimum, this, other);
    public Tensor MaskedFill(Tensor mask, double value) => Aten.Call(Aten.MaskedFill, this, mask, Num(value));
    public Tensor LogicalNot() => Aten.Call(Aten.LogicalNot, this);
    public Tensor Eq(Tensor other) => this == other;
    public Tensor Ne(Tensor other) => this != other;

    // Reductions.
    public Tensor Sum() => Aten.Call(Aten.Sum, this);
    public Tensor Sum(long dim, bool keepdim = false) => Aten.Call(Aten.SumDim, this, new[] { dim }, keepdim);
    public Tensor Sum(long[] dims, bool keepdim = false) => Aten.Call(Aten.SumDim, this, dims, keepdim);
    public Tensor Mean() => Aten.Call(Aten.Mean, this);
    public Tensor Mean(long dim, bool keepdim = false) => Aten.Call(Aten.MeanDim, this, new[] { dim }, keepdim);
    public Tensor Mean(long[] dims, bool keepdim = false) => Aten.Call(Aten.MeanDim, this, dims, keepdim);
    /// <summary>The indices of the non-zero elements, one row per element ([count, ndim], int64); the count is data-dependent.</summary>
    public Tensor Nonzero() => Aten.Call(Aten.Nonzero, this);

    public Tensor Amax(long dim, bool keepdim = false) => Aten.Call(Aten.Amax, this, new[] { dim }, keepdim);
    public Tensor Amin(long dim, bool keepdim = false) => Aten.Call(Aten.Amin, this, new[] { dim }, keepdim);
    /// <summary>Maximum over all elements.</summary>
    public Tensor Max() => Aten.Call(Aten.Amax, this, Array.Empty<long>(), false);
    public Tensor Min() => Aten.Call(Aten.Amin, this, Array.Empty<long>(), false);
    /// <summary>(values, indices) of the maximum along a dim.</summary>
    public (Tensor Values, Tensor Indices) Max(long dim, bool keepdim = false) => Pair(Aten.CallMulti(Aten.MaxDim, this, dim, keepdim));
    public (Tensor Values, Tensor Indices) Min(long dim, bool keepdim = false) => Pair(Aten.CallMulti(Aten.MinDim, this, dim, keepdim));
    public Tensor Argmax(long? dim = null, bool keepdim = false) => Aten.Call(Aten.Argmax, this, dim, keepdim);
    public Tensor Argmin(long? dim = null, bool keepdim = false) => Aten.Call(Aten.Argmin, this, dim, keepdim);
    public Tensor Var(long[]? dims = null, long correction = 1, bool keepdim = false) => Aten.CallKw(Aten.VarCorrection, [this, dims], ("correction", correction), ("keepdim", keepdim));
    public Tensor Std(long[]? dims = null, long correction = 1, bool keepdim = false) => Aten.CallKw(Aten.StdCorrection, [this, dims], ("correction", correction), ("keepdim", keepdim));
    public Tensor Any() => Aten.Call(Aten.Any, this);
    public Tensor All() => Aten.Call(Aten.All, this);
    public Tensor Cumsum(long dim) => Aten.Call(Aten.Cumsum, this, dim);
    public Tensor Logsumexp(long dim, bool keepdim = false) => Aten.Call(Aten.Logsumexp, this, new[] { dim }, keepdim);
    public Tensor Softmax(long dim) => Aten.Call(Aten.SoftmaxInt, this, dim);
    public Tensor LogSoftmax(long dim) => Aten.Call(Aten.LogSoftmaxInt, this, dim);

    // Linear algebra.
    public Tensor Mm(Tensor other) => Aten.Call(Aten.Mm, this, other);
    public Tensor Bmm(Tensor other) => Aten.Call(Aten.Bmm, this, other);
    public Tensor Matmul(Tensor other) => Aten.Call(Aten.Matmul, this, other);
    public Tensor Dot(Tensor other) => Aten.Call(Aten.Dot, this, other);
    public Tensor Tril(long diagonal = 0) => Aten.Call(Aten.Tril, this, diagonal);
    public Tensor Triu(long diagonal = 0) => Aten.Call(Aten.Triu, this, diagonal);
    public Tensor IndexSelect(long dim, Tensor index) => Aten.Call(Aten.IndexSelect, this, dim, index);
    public Tensor Gather(long dim, Tensor index) => Aten.Call(Aten.Gather, this, dim, index);

    /// <summary>The two results of a two-output op (values and indices, var and mean) as a tuple.</summary>
    internal static (Tensor, Tensor) Pair(object? results)
    {
        var both = (Tensor[])results!;
        return (both[0], both[1]);
    }

    /// <summary>A C# double is a Python float: it takes part in type promotion as a floating-point scalar.</summary>
    private static object Num(double value) => value;

    /// <summary>
    /// A whole alpha as an int, so integer tensors take the default alpha of 1 (torch refuses a float alpha for an
    /// integer result: x_int.add_(y, alpha=1.0) fails where x_int.add_(y) works); alpha does not promote, so a float
    /// tensor computes the same either way.
    /// </summary>
    private static object Alpha(double value) => value == Math.Round(value) && Math.Abs(value) < 9.2e18 ? (object)(long)value : value;
}

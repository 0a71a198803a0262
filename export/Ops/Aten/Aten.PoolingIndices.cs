using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The ops that make or take max-pooling indices beyond the 2-D ones: max_pool1d_with_indices (the 2-D op over a
/// height of one, as ATen writes it), adaptive_max_pool3d, and max_unpool2d/3d, which scatter pooled values back to
/// the positions their indices name (flat within each output plane or volume) and zero the rest. Kernels are in
/// export/Ops/Eager/PoolingIndexKernels.cs, decompositions in BuiltinDecompositions.PoolingIndices.cs.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload MaxPool1dWithIndices = Composite("max_pool1d_with_indices(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, int[1] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)", MaxPool1dWithIndicesBody);

    public static readonly OpOverload AdaptiveMaxPool3d = Def("adaptive_max_pool3d(Tensor self, int[3] output_size) -> (Tensor, Tensor)",
        meta: a => AdaptiveMaxMeta("adaptive_max_pool3d", T0(a), Ss(a[1])),
        kernel: a => PoolingIndexKernels.AdaptiveMaxPool3d(T0(a), Ls(a[1])));

    public static readonly OpOverload MaxUnpool2d = Def("max_unpool2d(Tensor self, Tensor indices, SymInt[2] output_size) -> Tensor",
        meta: a => MaxUnpoolMeta("max_unpooling2d", T0(a), Tn(a, 1), Ss(a[2]), null, null),
        kernel: a => PoolingIndexKernels.MaxUnpool(T0(a), Tn(a, 1), Ls(a[2])));

    public static readonly OpOverload MaxUnpool3d = Def("max_unpool3d(Tensor self, Tensor indices, SymInt[3] output_size, int[3] stride, int[3] padding) -> Tensor",
        meta: a => MaxUnpoolMeta("max_unpooling3d", T0(a), Tn(a, 1), Ss(a[2]), Ls(a[3]), Ls(a[4])),
        kernel: a => PoolingIndexKernels.MaxUnpool(T0(a), Tn(a, 1), Ls(a[2])));

    private static object? MaxPool1dWithIndicesBody(object?[] a)
    {
        var pooled = MaxPool1dOverUnitHeight(a);
        return new[] { Call(SqueezeDim, pooled[0], -2L), Call(SqueezeDim, pooled[1], -2L) };
    }

    /// <summary>
    /// max_unpool's checks as ATen words them (int64 indices of the input's shape, 3 or 4 dims for 2-D, 4 or 5 for
    /// 3-D, no empty non-batch dim, positive strides); the result is the input's leading dims and the output size.
    /// </summary>
    private static TensorMeta MaxUnpoolMeta(string op, Tensor self, Tensor indices, SymInt[] outputSize, long[]? stride, long[]? padding)
    {
        int rank = op == "max_unpooling2d" ? 2 : 3;
        if (indices.DType != DType.Int64)
            throw new ArgumentException($"elements in indices should be type int64 but got: {DTypeNames.Capitalized(indices.DType)}");
        if (outputSize.Length != rank)
            throw new ArgumentException(rank == 2
                ? $"There should be exactly two elements (height, width) in output_size, but got {outputSize.Length} elements."
                : $"There should be exactly three elements (depth, height, width) in output_size, but got {outputSize.Length} elements.");
        if (stride is not null && stride.Length != 3) throw new ArgumentException($"There should be exactly three elements (depth, height, width) in stride, but got: {stride.Length} elements.");
        if (padding is not null && padding.Length != 3) throw new ArgumentException($"There should be exactly three elements (depth, height, width) in padding, but got: {padding.Length} elements.");
        if (self.Ndim != rank + 1 && self.Ndim != rank + 2)
            throw new ArgumentException($"Input to {op} should be a {rank + 1}d or {rank + 2}d Tensor, but got a tensor with {self.Ndim} dimensions.");
        if (!self.Shape.SequenceEqual(indices.Shape))
            throw new ArgumentException($"Expected shape of indices to be same as that of the input tensor ([{string.Join(", ", self.Shape)}]) but got indices tensor with shape: [{string.Join(", ", indices.Shape)}]");
        for (int i = 1; i < self.Ndim; i++)
            if (self.Shape[i].AsConstant == 0)
                throw new ArgumentException($"{op}(): Expected input to have non-zero size for non-batch dimensions, but got [{string.Join(", ", self.Shape)}] with dimension {i} being empty.");
        if (stride is not null && stride.Any(s => s <= 0))
            throw new ArgumentException($"strides should be greater than zero, but got stride: [{string.Join(", ", stride)}]");
        foreach (var size in outputSize)
            if (size.AsConstant is long n && n <= 0)
                throw new ArgumentException($"{op}: output_size must be positive, got [{string.Join(", ", outputSize)}]");
        return new TensorMeta(self.DType, [.. self.Shape.Take(self.Ndim - rank), .. outputSize]);
    }
}

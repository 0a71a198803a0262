using Graphport.Operators;

namespace Graphport;

/// <summary>Matrix products: mm, addmm, bmm, dot (matmul and linear are composites over these).</summary>
internal static partial class Aten
{
    private static void SameDType(string op, Tensor a, Tensor b)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: expected m1 and m2 to have the same dtype, but got: {DTypeNames.Capitalized(a.DType).ToLowerInvariant()} != {DTypeNames.Capitalized(b.DType).ToLowerInvariant()}");
    }

    private static void CanMultiply(Tensor a, Tensor b, int ka, int kb)
    {
        if (!(a.Shape[ka] == b.Shape[kb]))
            throw new ArgumentException($"mat1 and mat2 shapes cannot be multiplied ({a.Shape[0].Hint}x{a.Shape[ka].Hint} and {b.Shape[kb].Hint}x{b.Shape[^1].Hint})");
    }

    public static readonly OpOverload Mm = Def("mm(Tensor self, Tensor mat2) -> Tensor", meta: a =>
    {
        Tensor x = T0(a), y = Tn(a, 1);
        if (x.Ndim != 2) throw new ArgumentException($"self must be a matrix (mm expects 2-D tensors), but got a {x.Ndim}-D tensor");
        if (y.Ndim != 2) throw new ArgumentException($"mat2 must be a matrix (mm expects 2-D tensors), but got a {y.Ndim}-D tensor");
        SameDType("mm", x, y);
        CanMultiply(x, y, 1, 0);
        return new TensorMeta(x.DType, [x.Shape[0], y.Shape[1]]);
    }, tags: "core");

    public static readonly OpOverload Addmm = Def("addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", meta: a =>
    {
        Tensor bias = T0(a), x = Tn(a, 1), y = Tn(a, 2);
        if (x.Ndim != 2 || y.Ndim != 2) throw new ArgumentException($"addmm: mat1 and mat2 must be matrices, got {x.Ndim}-D and {y.Ndim}-D tensors");
        SameDType("addmm", x, y);
        CanMultiply(x, y, 1, 0);
        SymInt[] outShape = [x.Shape[0], y.Shape[1]];
        var broadcast = ShapeRules.Broadcast(bias.Shape.AsArray(), outShape);
        if (broadcast.Length != 2 || !(broadcast[0] == outShape[0]) || !(broadcast[1] == outShape[1]))
            throw new ArgumentException($"addmm: self of shape [{string.Join(", ", bias.Shape)}] cannot be broadcast to the product's shape [{string.Join(", ", outShape)}]");
        return new TensorMeta(x.DType, outShape);
    }, tags: "core");

    /// <summary>int8 × int8 matrix product with int32 sums (a quantized model's integer product; torch's aten._int_mm).</summary>
    public static readonly OpOverload IntMm = Def("_int_mm(Tensor self, Tensor mat2) -> Tensor", meta: a =>
    {
        Tensor x = T0(a), y = Tn(a, 1);
        if (x.Ndim != 2 || y.Ndim != 2) throw new ArgumentException($"_int_mm expects two matrices, but got {x.Ndim}-D and {y.Ndim}-D tensors");
        if (x.DType != DType.Int8 || y.DType != DType.Int8)
            throw new ArgumentException($"_int_mm multiplies int8 matrices, but got {DTypeNames.Capitalized(x.DType)} and {DTypeNames.Capitalized(y.DType)}; convert them with .To(DType.Int8)");
        CanMultiply(x, y, 1, 0);
        return new TensorMeta(DType.Int32, [x.Shape[0], y.Shape[1]]);
    }, kernel: a => LinalgKernels.IntMm(T0(a), Tn(a, 1)));

    public static readonly OpOverload Bmm = Def("bmm(Tensor self, Tensor mat2) -> Tensor", meta: a =>
    {
        Tensor x = T0(a), y = Tn(a, 1);
        if (x.Ndim != 3) throw new ArgumentException($"batch1 must be a 3D tensor, got {x.Ndim}-D");
        if (y.Ndim != 3) throw new ArgumentException($"batch2 must be a 3D tensor, got {y.Ndim}-D");
        SameDType("bmm", x, y);
        if (!(x.Shape[0] == y.Shape[0])) throw new ArgumentException($"batch1 and batch2 must have same number of batches, got {x.Shape[0].Hint} and {y.Shape[0].Hint}");
        if (!(x.Shape[2] == y.Shape[1]))
            throw new ArgumentException($"Expected size for first two dimensions of batch2 tensor to be: [{x.Shape[0].Hint}, {x.Shape[2].Hint}] but got: [{y.Shape[0].Hint}, {y.Shape[1].Hint}].");
        return new TensorMeta(x.DType, [x.Shape[0], x.Shape[1], y.Shape[2]]);
    }, tags: "core");

    public static readonly OpOverload Dot = Def("dot(Tensor self, Tensor tensor) -> Tensor", meta: a =>
    {
        Tensor x = T0(a), y = Tn(a, 1);
        if (x.Ndim != 1 || y.Ndim != 1) throw new ArgumentException($"1D tensors expected, but got {x.Ndim}D and {y.Ndim}D tensors");
        SameDType("dot", x, y);
        if (!(x.Shape[0] == y.Shape[0]))
            throw new ArgumentException($"inconsistent tensor size, expected tensor [{x.Shape[0].Hint}] and src [{y.Shape[0].Hint}] to have the same number of elements, but got {x.Shape[0].Hint} and {y.Shape[0].Hint} elements respectively");
        return new TensorMeta(x.DType, []);
    });
}

using Graphport.Operators;

namespace Graphport;

/// <summary>The Core ATen reduction overloads not in Aten.Reductions.cs: any over one dim, prod over all, var with `unbiased`.</summary>
internal static partial class Aten
{
    public static readonly OpOverload AnyDim = Def("any.dim(Tensor self, int dim, bool keepdim=False) -> Tensor",
        meta: a => new TensorMeta(AnyAllType(T0(a).DType), ReducedShape(T0(a), ReducedDims(T0(a), new[] { S(a[1]) }), B(a[2]))),
        kernel: a => ReductionKernels.AnyAll(any: true, withDims: true)([a[0], new[] { S(a[1]) }, a[2]]),
        tags: "core");

    public static readonly OpOverload Prod = Def("prod(Tensor self, *, ScalarType? dtype=None) -> Tensor",
        meta: a => new TensorMeta(SumType(T0(a).DType, (DType?)a[1]), []),
        kernel: ReductionKernels.ProdAll,
        tags: "core");

    public static readonly OpOverload VarDim = Def("var.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor",
        meta: VarDimMeta,
        kernel: a => ReductionKernels.Var([a[0], a[1], B(a[2]) ? 1L : 0L, a[3]]),
        tags: "core");

    private static object VarDimMeta(object?[] a) => VarCorrection.Meta!([a[0], a[1], B(a[2]) ? 1L : 0L, a[3]]);
}

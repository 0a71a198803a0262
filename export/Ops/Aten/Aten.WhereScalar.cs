using Graphport.Operators;

namespace Graphport;

/// <summary>
/// where with a number for either branch, as torch records torch.where(c, x, 0.5): where.self declares both
/// branches Tensor, so torch rejects a number there; these overloads take a Scalar (CompositeImplicitAutograd in
/// torch, not core; they decompose to scalar_tensor + where.self). They share where.self's meta and kernel, which
/// treat a number as a wrapped scalar.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload WhereScalarOther = Def("where.ScalarOther(Tensor condition, Tensor self, Scalar other) -> Tensor",
        meta: a => Where.Meta!(a), kernel: PointwiseKernels.Where);

    public static readonly OpOverload WhereScalarSelf = Def("where.ScalarSelf(Tensor condition, Scalar self, Tensor other) -> Tensor",
        meta: a => Where.Meta!(a), kernel: PointwiseKernels.Where);

    public static readonly OpOverload WhereScalar = Def("where.Scalar(Tensor condition, Scalar self, Scalar other) -> Tensor",
        meta: a => Where.Meta!(a), kernel: PointwiseKernels.Where);

    /// <summary>The where overload for branches that are tensors or numbers (torch's overload resolution).</summary>
    public static OpOverload WhereFor(bool selfIsTensor, bool otherIsTensor) => (selfIsTensor, otherIsTensor) switch
    {
        (true, true) => Where,
        (true, false) => WhereScalarOther,
        (false, true) => WhereScalarSelf,
        _ => WhereScalar,
    };
}

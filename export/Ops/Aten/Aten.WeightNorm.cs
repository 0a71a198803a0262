using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Weight normalization as torch's export records a <c>weight_norm</c>-parametrized layer (wav2vec2's and HuBERT's
/// positional convolution): the weight is g · v / ‖v‖, the norm taken over every dim but <c>dim</c> (over all of
/// them when dim is -1), kept as size-1 dims so it broadcasts against v.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload NormExceptDim = Composite("norm_except_dim(Tensor v, int pow=2, int dim=0) -> Tensor", NormExceptDimBody);
    public static readonly OpOverload WeightNorm = Composite("_weight_norm(Tensor v, Tensor g, int dim=0) -> Tensor", WeightNormBody);

    private static object? NormExceptDimBody(object?[] a) => NormExceptDimOf(T0(a), L(a[1]), L(a[2]), "norm_except_dim");

    private static object? WeightNormBody(object?[] a)
    {
        var v = T0(a);
        return Call(Mul, v, Call(Div, Tn(a, 1), NormExceptDimOf(v, 2, L(a[2]), "_weight_norm")));
    }

    private static Tensor NormExceptDimOf(Tensor v, long pow, long dim, string op)
    {
        if (dim == -1) return Call(LinalgVectorNorm, v, pow);
        if (dim < -v.Ndim || dim >= v.Ndim)
            throw new ArgumentException($"{op}: dim {dim} is out of range for a {v.Ndim}-D tensor (expected -1 for the whole tensor, or 0 to {v.Ndim - 1})");
        long kept = dim < 0 ? dim + v.Ndim : dim;
        var others = Enumerable.Range(0, v.Ndim).Where(d => d != kept).Select(d => (long)d).ToArray();
        // A 1-D v normalized along its only dim: each element is its own norm (an empty dim list would mean all dims).
        if (others.Length == 0) return Call(Abs, v);
        return Call(LinalgVectorNorm, v, pow, others, true);
    }
}

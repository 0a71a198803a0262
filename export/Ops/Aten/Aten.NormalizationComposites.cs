using Graphport.Operators;

namespace Graphport;

/// <summary>
/// instance_norm, cosine_similarity and pairwise_distance, which torch's export keeps as single nodes, in core
/// reductions and pointwise ops as ATen computes them.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload InstanceNorm = Composite("instance_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool use_input_stats, float momentum, float eps, bool cudnn_enabled) -> Tensor", InstanceNormBody);
    public static readonly OpOverload CosineSimilarity = Composite("cosine_similarity(Tensor x1, Tensor x2, int dim=1, float eps=1e-08) -> Tensor", CosineSimilarityBody);
    public static readonly OpOverload PairwiseDistance = Composite("pairwise_distance(Tensor x1, Tensor x2, float p=2, float eps=1e-06, bool keepdim=False) -> Tensor", PairwiseDistanceBody);

    // Each (sample, channel) normalized over its spatial dims by its own statistics (use_input_stats, as in training
    // and in eval without running statistics), or by the running ones; then the per-channel affine.
    private static object? InstanceNormBody(object?[] a)
    {
        var x = T0(a);
        if (x.Ndim < 3) throw new ArgumentException($"instance_norm: expected an input of 3 or more dims (N, C, ...), got {x.Ndim}-D");
        double eps = D(a[7]);
        var channel = Enumerable.Repeat((SymInt)1, x.Ndim - 1).ToArray();
        channel[0] = x.Shape[1];
        Tensor PerChannel(Tensor t) => Call(Reshape, t, channel);
        Tensor mean, variance;
        if (B(a[5]) || a[3] is null || a[4] is null)
        {
            var spatial = Enumerable.Range(2, x.Ndim - 2).Select(d => (long)d).ToArray();
            mean = Call(MeanDim, x, spatial, true);
            variance = CallKw(VarCorrection, [x, spatial], ("correction", 0L), ("keepdim", true));
        }
        else
        {
            mean = PerChannel(Tn(a, 3));
            variance = PerChannel(Tn(a, 4));
        }
        var normalized = Call(Mul, Call(Sub, x, mean), Call(Rsqrt, Call(Add, variance, eps)));
        if (a[1] is Tensor weight) normalized = Call(Mul, normalized, PerChannel(weight));
        if (a[2] is Tensor bias) normalized = Call(Add, normalized, PerChannel(bias));
        return normalized;
    }

    // Σ (x1 / max(‖x1‖, eps)) · (x2 / max(‖x2‖, eps)) along dim, each vector normalized first (ATen's order).
    private static object? CosineSimilarityBody(object?[] a)
    {
        var x1 = T0(a);
        var x2 = Tn(a, 1);
        int rank = Math.Max(x1.Ndim, x2.Ndim);
        long dim = ShapeRules.WrapDim(L(a[2]), rank);
        double eps = D(a[3]);
        Tensor Unit(Tensor x) => Call(Div, x, Call(ClampMin, CallKw(LinalgVectorNorm, [x, 2L, new[] { dim - (rank - x.Ndim) }, true]), eps));
        return Call(SumDim, Call(Mul, Unit(x1), Unit(x2)), new[] { dim }, false);
    }

    // ‖x1 - x2 + eps‖_p over the last dim.
    private static object? PairwiseDistanceBody(object?[] a) =>
        Call(LinalgVectorNorm, Call(Add, Call(Sub, a[0], a[1]), a[3]), a[2], new[] { -1L }, B(a[4]));
}

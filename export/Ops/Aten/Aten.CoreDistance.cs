using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Core ATen ops over sets of vectors: pairwise distances (_cdist_forward, _pdist_forward) and _embedding_bag;
/// and the FFT ops, declared for completeness: Graphport has no complex dtype, so their metas refuse every call.
/// </summary>
internal static partial class Aten
{
    private static void RequireFloatingInput(string op, Tensor t)
    {
        if (!t.DType.IsFloatingPoint()) throw new ArgumentException($"{op} only supports floating-point dtypes, X1 got: {DTypeNames.Capitalized(t.DType)}");
    }

    public static readonly OpOverload CdistForward = Def("_cdist_forward(Tensor x1, Tensor x2, float p, int? compute_mode) -> Tensor", meta: a =>
    {
        Tensor x1 = T0(a), x2 = Tn(a, 1);
        if (x1.Ndim < 2 || x2.Ndim < 2) throw new ArgumentException($"cdist only supports at least 2D tensors, X1 got: {x1.Ndim}D, X2 got: {x2.Ndim}D");
        RequireFloatingInput("cdist", x1);
        if (x1.DType != x2.DType) throw new ArgumentException($"cdist: X1 and X2 must have the same dtype, got {DTypeNames.Capitalized(x1.DType)} and {DTypeNames.Capitalized(x2.DType)}");
        if (!(x1.Shape[^1] == x2.Shape[^1]))
            throw new ArgumentException($"X1 and X2 must have the same number of columns. X1: {x1.Shape[^1].Hint} X2: {x2.Shape[^1].Hint}");
        if (D(a[2]) < 0) throw new ArgumentException($"cdist only supports non-negative p values, got {D(a[2])}");
        var batch = ShapeRules.Broadcast(x1.Shape.Take(x1.Ndim - 2).ToArray(), x2.Shape.Take(x2.Ndim - 2).ToArray());
        return new TensorMeta(x1.DType, [.. batch, x1.Shape[^2], x2.Shape[^2]]);
    }, kernel: a => DistanceKernels.Cdist(T0(a), Tn(a, 1), D(a[2]), ((TensorMeta)CdistMeta(a)).Shape), tags: "core");

    private static object CdistMeta(object?[] a) => CdistForward.Meta!(a);

    public static readonly OpOverload PdistForward = Def("_pdist_forward(Tensor self, float p=2) -> Tensor", meta: a =>
    {
        var self = T0(a);
        if (self.Ndim != 2) throw new ArgumentException($"pdist only supports 2D tensors, got: {self.Ndim}D");
        RequireFloatingInput("pdist", self);
        if (D(a[1]) < 0) throw new ArgumentException("pdist only supports non-negative p values");
        var n = self.Shape[0];
        return new TensorMeta(self.DType, [n * (n - 1) / 2]);
    }, kernel: a => DistanceKernels.Pdist(T0(a), D(a[1])), tags: "core");

    /// <summary>
    /// _embedding_bag with 1-D indices and bag offsets. Outputs: [bags, D]; offset2bag [len(indices)]; bag_size
    /// [bags]; max_indices [bags, D] in max mode, else [bags] (torch may return a size-0 offset2bag on its fast
    /// sum path; here it is always filled).
    /// </summary>
    public static readonly OpOverload EmbeddingBag = Def("_embedding_bag(Tensor weight, Tensor indices, Tensor offsets, bool scale_grad_by_freq=False, int mode=0, bool sparse=False, Tensor? per_sample_weights=None, bool include_last_offset=False, int padding_idx=-1) -> (Tensor, Tensor, Tensor, Tensor)", meta: a =>
    {
        Tensor weight = T0(a), indices = Tn(a, 1), offsets = Tn(a, 2);
        long mode = L(a[4]);
        if (weight.Ndim != 2) throw new ArgumentException($"embedding_bag: weight must be 2-D, got {weight.Ndim}-D");
        if (indices.Ndim != 1) throw new ArgumentException($"embedding_bag: input has to be a 1D Tensor (with offsets), but got Tensor of dimension {indices.Ndim}");
        if (offsets.Ndim != 1) throw new ArgumentException($"embedding_bag: offsets has to be a 1D Tensor, but got Tensor of dimension {offsets.Ndim}");
        if (indices.DType is not (DType.Int64 or DType.Int32) || offsets.DType is not (DType.Int64 or DType.Int32))
            throw new ArgumentException("embedding_bag: expected indices and offsets of dtype Long or Int");
        if (mode is < 0 or > 2) throw new ArgumentException($"embedding_bag: mode must be 0 (sum), 1 (mean) or 2 (max), got {mode}");
        if (a[6] is Tensor psw)
        {
            if (mode != 0) throw new ArgumentException("embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum'");
            if (psw.Ndim != 1 || !(psw.Shape[0] == indices.Shape[0]))
                throw new ArgumentException($"embedding_bag: expected per_sample_weights to be 1D with the same number of elements as indices, got [{string.Join(", ", psw.Shape)}]");
        }
        var bags = B(a[7]) ? offsets.Shape[0] - 1 : offsets.Shape[0];
        return new[]
        {
            new TensorMeta(weight.DType, [bags, weight.Shape[1]]),
            new TensorMeta(DType.Int64, [indices.Shape[0]]),
            new TensorMeta(DType.Int64, [bags]),
            new TensorMeta(DType.Int64, mode == 2 ? [bags, weight.Shape[1]] : [bags]),
        };
    }, kernel: a => DistanceKernels.EmbeddingBag(T0(a), Tn(a, 1), Tn(a, 2), L(a[4]), a[6] as Tensor, B(a[7]), L(a[8])), tags: "core");
}

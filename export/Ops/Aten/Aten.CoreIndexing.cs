using Graphport.Operators;
using Graphport.Shapes;

namespace Graphport;

/// <summary>
/// Core ATen indexing ops: advanced indexing (index.Tensor, index_put, with index tensors broadcast together,
/// None entries and boolean masks), masked_scatter, the scatter family, sort and topk.
/// </summary>
internal static partial class Aten
{
    /// <summary>
    /// The result shape of self[indices]: index tensors broadcast together; adjacent indexed dims are replaced in
    /// place by the broadcast shape, separated ones move to the front. A boolean mask stands for its nonzero
    /// coordinates, whose count is data: an unbacked symbol while tracing. A caller that only wants the indices
    /// checked (index_put with a mask) passes countMasks false: no symbol is made that no value would carry.
    /// </summary>
    internal static SymInt[] IndexResultShape(Tensor self, Tensor?[] indices, string op, bool countMasks = true)
    {
        var perDim = new List<SymInt[]?>();
        foreach (var index in indices)
        {
            if (index is null)
            {
                perDim.Add(null);
                continue;
            }
            if (index.DType is not (DType.Int64 or DType.Int32 or DType.Bool or DType.UInt8))
                throw new IndexOutOfRangeException("tensors used as indices must be long, int, byte or bool tensors");
            if (index.DType is DType.Bool or DType.UInt8)
            {
                if (index.Ndim == 0) throw new NotSupportedException("Indexing with a 0-dimensional boolean mask (x[True]) is not supported; use Unsqueeze.");
                int start = perDim.Count;
                for (int k = 0; k < index.Ndim; k++)
                    if (start + k >= self.Ndim || !(index.Shape[k] == self.Shape[start + k]))
                        throw new IndexOutOfRangeException($"The shape of the mask [{string.Join(", ", index.Shape)}] at index {k} does not match the shape of the indexed tensor [{string.Join(", ", self.Shape)}] at index {start + k}");
                SymInt count = !countMasks ? 0
                    : index.IsFake
                    ? TracingShapeEnv(op).CreateUnbackedSymbol("nonzero()", new ValueRange(0, index.Numel().AsConstant ?? ValueRange.Infinity))
                    : CountNonzero(index);
                for (int k = 0; k < index.Ndim; k++) perDim.Add([count]);
                continue;
            }
            perDim.Add(index.Shape.AsArray());
        }
        if (perDim.Count > self.Ndim)
            throw new IndexOutOfRangeException($"too many indices for tensor of dimension {self.Ndim} (got {perDim.Count})");
        var indexed = Enumerable.Range(0, perDim.Count).Where(d => perDim[d] is not null).ToArray();
        if (indexed.Length == 0) return self.Shape.AsArray();
        var broadcast = ShapeRules.Broadcast(indexed.Select(d => (IReadOnlyList<SymInt>)perDim[d]!));
        bool adjacent = indexed[^1] - indexed[0] == indexed.Length - 1;
        var plain = Enumerable.Range(0, self.Ndim).Where(d => d >= perDim.Count || perDim[d] is null).ToArray();
        var pre = adjacent ? plain.Where(d => d < indexed[0]) : [];
        var post = adjacent ? plain.Where(d => d > indexed[^1]) : plain;
        return pre.Select(d => self.Shape[d]).Concat(broadcast).Concat(post.Select(d => self.Shape[d])).ToArray();
    }

    public static readonly OpOverload IndexTensor = Def("index.Tensor(Tensor self, Tensor?[] indices) -> Tensor",
        meta: a => new TensorMeta(T0(a).DType, IndexResultShape(T0(a), (Tensor?[])a[1]!, "index")),
        kernel: IndexingKernels.Index, tags: "core");

    public static readonly OpOverload IndexPut = Def("index_put(Tensor self, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor", meta: a =>
    {
        Tensor self = T0(a), values = Tn(a, 2);
        var indices = (Tensor?[])a[1]!;
        if (values.DType != self.DType)
            throw new ArgumentException($"Index put requires the source and destination dtypes match, got {DTypeNames.Capitalized(self.DType)} for the destination and {DTypeNames.Capitalized(values.DType)} for the source.");
        // Masks make the indexed shape data-dependent; only a statically known shape can be checked here.
        bool masked = indices.Any(i => i is { DType: DType.Bool or DType.UInt8 });
        var indexedShape = IndexResultShape(self, indices, "index_put", countMasks: !masked);
        if (!masked)
        {
            // torch's message names both shapes; the broadcast's own (sizes a and b) would not say which is which.
            SymInt[]? broadcast;
            try { broadcast = ShapeRules.Broadcast(indexedShape, values.Shape.AsArray()); }
            catch (ArgumentException) { broadcast = null; }
            if (broadcast is null || broadcast.Length != indexedShape.Length)
                throw new ArgumentException($"shape mismatch: value tensor of shape [{string.Join(", ", values.Shape)}] cannot be broadcast to indexing result of shape [{string.Join(", ", indexedShape)}]");
        }
        return new TensorMeta(self.DType, self.Shape.AsArray());
    }, kernel: IndexingKernels.IndexPut, tags: "core");

    public static readonly OpOverload MaskedScatter = Def("masked_scatter(Tensor self, Tensor mask, Tensor source) -> Tensor", meta: a =>
    {
        Tensor self = T0(a), mask = Tn(a, 1), source = Tn(a, 2);
        if (mask.DType != DType.Bool) throw new ArgumentException($"masked_scatter_ only supports boolean masks, but got mask with dtype {mask.DType.TorchName()}");
        if (source.DType != self.DType)
            throw new ArgumentException($"masked_scatter: expected self and source to have same dtypes but got {DTypeNames.Capitalized(self.DType)} and {DTypeNames.Capitalized(source.DType)}");
        return new TensorMeta(self.DType, ShapeRules.Broadcast(self.Shape.AsArray(), mask.Shape.AsArray()));
    }, kernel: IndexingKernels.MaskedScatter, tags: "core");

    /// <summary>The checks torch's scatter family makes: an int64 index of self's rank, src of self's dtype.</summary>
    private static TensorMeta ScatterMeta(object?[] a, string op, bool hasSrc)
    {
        var self = T0(a);
        var index = Tn(a, 2);
        ShapeRules.WrapDim(L(a[1]), self.Ndim);
        if (index.DType != DType.Int64) throw new ArgumentException($"{op}(): Expected dtype int64 for index");
        if (index.Ndim != self.Ndim && !(index.Ndim <= 1 && self.Ndim <= 1))
            throw new ArgumentException("Index tensor must have the same number of dimensions as self tensor");
        if (hasSrc)
        {
            var src = Tn(a, 3);
            if (src.DType != self.DType) throw new ArgumentException($"{op}(): Expected self.dtype to be equal to src.dtype");
            if (src.Ndim != index.Ndim && !(index.Ndim <= 1 && src.Ndim <= 1))
                throw new ArgumentException("Index tensor must have the same number of dimensions as src tensor");
        }
        return new TensorMeta(self.DType, self.Shape.AsArray());
    }

    public static readonly OpOverload ScatterSrc = Def("scatter.src(Tensor self, int dim, Tensor index, Tensor src) -> Tensor",
        meta: a => ScatterMeta(a, "scatter", hasSrc: true), kernel: IndexingKernels.Scatter(add: false, fromValue: false), tags: "core");

    public static readonly OpOverload ScatterValue = Def("scatter.value(Tensor self, int dim, Tensor index, Scalar value) -> Tensor",
        meta: a => FilledMeta("scatter", ScatterMeta(a, "scatter", hasSrc: false), a[3]), kernel: IndexingKernels.Scatter(add: false, fromValue: true), tags: "core");

    public static readonly OpOverload ScatterAdd = Def("scatter_add(Tensor self, int dim, Tensor index, Tensor src) -> Tensor",
        meta: a => ScatterMeta(a, "scatter_add", hasSrc: true), kernel: IndexingKernels.Scatter(add: true, fromValue: false), tags: "core");

    public static readonly OpOverload ScatterReduceTwo = Def("scatter_reduce.two(Tensor self, int dim, Tensor index, Tensor src, str reduce, *, bool include_self=True) -> Tensor", meta: a =>
    {
        if (a[4] is not ("sum" or "prod" or "mean" or "amax" or "amin"))
            throw new ArgumentException($"reduce argument must be either sum, prod, mean, amax or amin, got {a[4]}");
        return ScatterMeta(a, "scatter_reduce", hasSrc: true);
    }, kernel: IndexingKernels.ScatterReduce, tags: "core");

    private static TensorMeta[] SortMeta(Tensor self, SymInt[] shape) => [new TensorMeta(self.DType, shape), new TensorMeta(DType.Int64, shape)];

    public static readonly OpOverload Sort = Def("sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)", meta: a =>
    {
        ShapeRules.WrapDim(L(a[1]), T0(a).Ndim);
        return SortMeta(T0(a), T0(a).Shape.AsArray());
    }, kernel: IndexingKernels.Sort, tags: "core");

    public static readonly OpOverload Topk = Def("topk(Tensor self, SymInt k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, Tensor indices)", meta: a =>
    {
        var self = T0(a);
        int dim = ShapeRules.WrapDim(L(a[2]), self.Ndim);
        var k = S(a[1]);
        var size = self.Ndim == 0 ? new SymInt(1) : self.Shape[dim];
        if (k < 0 || k > size) throw new ArgumentException($"selected index k out of range (k = {k.Hint}, dim {dim} has size {size.Hint})");
        var shape = self.Shape.AsArray().ToArray();
        if (shape.Length > 0) shape[dim] = k;
        return SortMeta(self, shape);
    }, kernel: IndexingKernels.Topk, tags: "core");
}

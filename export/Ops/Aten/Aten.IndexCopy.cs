using Graphport.Operators;

namespace Graphport;

/// <summary>
/// <c>index_copy</c>: self with the slices along <c>dim</c> at <c>index</c> replaced by source's, in order. A static
/// key/value cache writes each step's keys and values into its buffers this way (transformers' StaticCache, as its
/// executorch export records it, in place: <c>index_copy_</c>, derived from this). It is index_put with the index at
/// that dim, the other dims taken whole.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload IndexCopy = Composite("index_copy(Tensor self, int dim, Tensor index, Tensor source) -> Tensor", IndexCopyBody);

    private static object? IndexCopyBody(object?[] a)
    {
        var (self, indices, source) = IndexCopyAsIndexPut(a);
        return Call(IndexPut, self, indices, source);
    }

    /// <summary>index_copy's arguments checked (torch's messages) and written as index_put's: self, the index at dim
    /// (the other dims taken whole), source. Shared with the in-place path that writes into self (InPlaceScatter).</summary>
    internal static (Tensor Self, Tensor?[] Indices, Tensor Source) IndexCopyAsIndexPut(object?[] a)
    {
        var self = T0(a);
        var index = Tn(a, 2);
        var source = Tn(a, 3);
        int rank = Math.Max(self.Ndim, 1);
        long dim = L(a[1]);
        if (dim < -rank || dim >= rank)
            throw new ArgumentException($"index_copy(): dim {dim} is out of range for a {self.Ndim}-D tensor (expected {-rank} to {rank - 1})");
        if (dim < 0) dim += rank;
        if (index.Ndim > 1) throw new ArgumentException($"index_copy(): index should have dimension at most 1, got {index.Ndim}");
        if (index.DType != DType.Int64) throw new ArgumentException($"index_copy(): Expected a long tensor for index, but got {index.DType}");
        if (source.Ndim != self.Ndim && self.Ndim > 0)
            throw new ArgumentException($"index_copy(): source has {source.Ndim} dims and self {self.Ndim}; they must have the same number");
        if (self.Ndim == 0) return (self, [index], source);
        var indices = new Tensor?[dim + 1];
        indices[dim] = index.Ndim == 0 ? Call(Unsqueeze, index, 0L) : index;
        return (self, indices, source);
    }
}

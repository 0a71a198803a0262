namespace Graphport;

/// <summary>torch.Tensor's ordering methods: sort, argsort, topk, running extremes, medians and bucketing.</summary>
public partial class Tensor
{
    /// <summary>(values, indices) sorted along dim, ascending unless descending; NaN sorts as the largest value.</summary>
    public (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false) => Pair(Aten.CallMulti(Aten.Sort, this, dim, descending));

    /// <summary>The indices that sort the tensor along dim (the second half of Sort).</summary>
    public Tensor Argsort(long dim = -1, bool descending = false) => Aten.Call(Aten.Argsort, this, dim, descending);

    /// <summary>(values, indices) of the k largest (or smallest, largest false) along dim, in order when sorted.</summary>
    public (Tensor Values, Tensor Indices) Topk(SymInt k, long dim = -1, bool largest = true, bool sorted = true) =>
        Pair(Aten.CallMulti(Aten.Topk, this, k, dim, largest, sorted));

    /// <summary>(values, indices) of the running maximum along dim: each the largest so far and where it was.</summary>
    public (Tensor Values, Tensor Indices) Cummax(long dim) => Pair(Aten.CallMulti(Aten.Cummax, this, dim));

    /// <summary>(values, indices) of the running minimum along dim.</summary>
    public (Tensor Values, Tensor Indices) Cummin(long dim) => Pair(Aten.CallMulti(Aten.Cummin, this, dim));

    /// <summary>The lower median of all elements (of an even count, the smaller of the middle two, as torch).</summary>
    public Tensor Median() => Aten.Call(Aten.Median, this);

    /// <summary>(values, indices) of the lower median along dim.</summary>
    public (Tensor Values, Tensor Indices) Median(long dim, bool keepdim = false) => Pair(Aten.CallMulti(Aten.MedianDim, this, dim, keepdim));

    /// <summary>
    /// For each element, the index of the bucket of the sorted 1-D boundaries it falls in: the first boundary at or
    /// above it (above it when right is true); int64, or int32 with outInt32.
    /// </summary>
    public Tensor Bucketize(Tensor boundaries, bool outInt32 = false, bool right = false) =>
        Aten.CallKw(Aten.BucketizeTensor, [this, boundaries], ("out_int32", outInt32), ("right", right));
}

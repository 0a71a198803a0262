namespace Graphport;

/// <summary>
/// torch.Tensor's out-of-place writes at positions: scatter and its reductions, index_copy, index_put, masked
/// writes. Each returns a new tensor (the _ variants of torch are x[...] = v and Ops["aten::scatter_"] and the like).
/// </summary>
public partial class Tensor
{
    /// <summary>self with src's elements written along dim where index says (index has src's shape or a part of it).</summary>
    public Tensor Scatter(long dim, Tensor index, Tensor src) => Aten.Call(Aten.ScatterSrc, this, dim, index, src);

    /// <summary>self with value written along dim where index says.</summary>
    public Tensor Scatter(long dim, Tensor index, double value) => Aten.Call(Aten.ScatterValue, this, dim, index, value);

    /// <summary>self with src's elements added along dim where index says (repeated positions add up).</summary>
    public Tensor ScatterAdd(long dim, Tensor index, Tensor src) => Aten.Call(Aten.ScatterAdd, this, dim, index, src);

    /// <summary>
    /// self with src's elements reduced into the positions index says along dim: reduce is "sum", "prod", "mean",
    /// "amax" or "amin", with self's own values taking part unless includeSelf is false.
    /// </summary>
    public Tensor ScatterReduce(long dim, Tensor index, Tensor src, string reduce, bool includeSelf = true) =>
        Aten.CallKw(Aten.ScatterReduceTwo, [this, dim, index, src, reduce], ("include_self", includeSelf));

    /// <summary>self with the slices along dim at index replaced by source's, in order.</summary>
    public Tensor IndexCopy(long dim, Tensor index, Tensor source) => Aten.Call(Aten.IndexCopy, this, dim, index, source);

    /// <summary>
    /// self with values written (or added, accumulate) at the positions the index tensors pick, one per dim from the
    /// first, null for a dim taken whole: torch's index_put, what x[i, j] = v records.
    /// </summary>
    public Tensor IndexPut(Tensor?[] indices, Tensor values, bool accumulate = false) => Aten.Call(Aten.IndexPut, this, indices, values, accumulate);

    /// <summary>self with source's leading elements written, in order, where mask is true.</summary>
    public Tensor MaskedScatter(Tensor mask, Tensor source) => Aten.Call(Aten.MaskedScatter, this, mask, source);

    /// <summary>self with a 0-d value written where mask is true.</summary>
    public Tensor MaskedFill(Tensor mask, Tensor value) => Aten.Call(Aten.MaskedFillTensor, this, mask, value);
}

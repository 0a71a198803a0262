namespace Graphport;

/// <summary>
/// Picking, order statistics and rearranging beyond the core methods: take_along_dim, take, index_fill,
/// masked_select, argwhere, kthvalue, mode, nanmedian, quantile, and the aliases and scatters torch offers as
/// methods (ravel, moveaxis, swapdims, msort, diag_embed, slice_scatter, ...).
/// </summary>
public partial class Tensor
{
    /// <summary>Elements at indices along dim (indices broadcast against self elsewhere; negative ones count from the end); over the flattened tensor without a dim.</summary>
    public Tensor TakeAlongDim(Tensor indices, long? dim = null) => Aten.Call(Aten.TakeAlongDim, this, indices, dim);

    /// <summary>Elements of the flattened tensor at index (an int64 tensor of any shape, which the result has).</summary>
    public Tensor Take(Tensor index) => Aten.Call(Aten.Take, this, index);

    /// <summary>A copy with the slices at index along dim set to value.</summary>
    public Tensor IndexFill(long dim, Tensor index, double value) => Aten.Call(Aten.IndexFillScalar, this, dim, index, Num(value));

    public Tensor IndexFill(long dim, Tensor index, Tensor value) => Aten.Call(Aten.IndexFillTensor, this, dim, index, value);

    /// <summary>The elements where mask (broadcast with self) is true, as a 1-D tensor whose length depends on the data.</summary>
    public Tensor MaskedSelect(Tensor mask) => Aten.Call(Aten.MaskedSelect, this, mask);

    /// <summary>The indices of the non-zero elements, one row each (torch.argwhere).</summary>
    public Tensor Argwhere() => Aten.Call(Aten.Argwhere, this);

    /// <summary>The k-th smallest value along dim (k from 1) and its index.</summary>
    public (Tensor Values, Tensor Indices) Kthvalue(long k, long dim = -1, bool keepdim = false) => Pair(Aten.CallMulti(Aten.Kthvalue, this, k, dim, keepdim));

    /// <summary>The most frequent value along dim (the smallest of equally frequent ones) and the index of its last occurrence.</summary>
    public (Tensor Values, Tensor Indices) Mode(long dim = -1, bool keepdim = false) => Pair(Aten.CallMulti(Aten.Mode, this, dim, keepdim));

    /// <summary>The lower median of the numbers that are not NaN.</summary>
    public Tensor Nanmedian() => Aten.Call(Aten.Nanmedian, this);

    public (Tensor Values, Tensor Indices) Nanmedian(long dim, bool keepdim = false) => Pair(Aten.CallMulti(Aten.NanmedianDim, this, dim, keepdim));

    /// <summary>
    /// The q-th quantile along dim (of all elements without one), interpolated "linear", "lower", "higher",
    /// "midpoint" or "nearest"; NaN where a slice holds a NaN.
    /// </summary>
    public Tensor Quantile(double q, long? dim = null, bool keepdim = false, string interpolation = "linear") =>
        Aten.CallKw(Aten.QuantileScalar, [this, q, dim, keepdim], ("interpolation", interpolation));

    /// <summary>One quantile per element of q (a 1-D tensor of self's dtype), stacked in front.</summary>
    public Tensor Quantile(Tensor q, long? dim = null, bool keepdim = false, string interpolation = "linear") =>
        Aten.CallKw(Aten.Quantile, [this, q, dim, keepdim], ("interpolation", interpolation));

    /// <summary>Quantile with NaNs left out (NaN only for a slice of nothing but NaNs).</summary>
    public Tensor Nanquantile(double q, long? dim = null, bool keepdim = false, string interpolation = "linear") =>
        Aten.CallKw(Aten.NanquantileScalar, [this, q, dim, keepdim], ("interpolation", interpolation));

    public Tensor Nanquantile(Tensor q, long? dim = null, bool keepdim = false, string interpolation = "linear") =>
        Aten.CallKw(Aten.Nanquantile, [this, q, dim, keepdim], ("interpolation", interpolation));

    /// <summary>Sorted along the first dim (torch.msort).</summary>
    public Tensor Msort() => Aten.Call(Aten.Msort, this);

    /// <summary>The elements as one dimension (a view where possible).</summary>
    public Tensor Ravel() => Aten.Call(Aten.Ravel, this);

    /// <summary>torch.moveaxis, movedim's alias.</summary>
    public Tensor Moveaxis(long source, long destination) => Movedim(source, destination);

    /// <summary>torch.swapdims, transpose's alias.</summary>
    public Tensor Swapdims(long dim0, long dim1) => Swapaxes(dim0, dim1);

    /// <summary>A tensor whose (dim1, dim2) diagonals at offset are self's last dim, zero elsewhere.</summary>
    public Tensor DiagEmbed(long offset = 0, long dim1 = -2, long dim2 = -1) => Aten.Call(Aten.DiagEmbed, this, offset, dim1, dim2);

    /// <summary>A square matrix with the flattened tensor on its offset diagonal.</summary>
    public Tensor Diagflat(long offset = 0) => Aten.Call(Aten.Diagflat, this, offset);

    /// <summary>A copy with src written into the slice start:end:step along dim.</summary>
    public Tensor SliceScatter(Tensor src, long dim = 0, long? start = null, long? end = null, long step = 1) =>
        Aten.Call(Aten.SliceScatter, this, src, dim, start is long s ? (SymInt)s : null, end is long e ? (SymInt)e : null, (SymInt)step);

    /// <summary>A copy with src written at index along dim.</summary>
    public Tensor SelectScatter(Tensor src, long dim, long index) => Aten.Call(Aten.SelectScatter, this, src, dim, (SymInt)index);

    /// <summary>A copy with src written onto the (dim1, dim2) diagonal at offset.</summary>
    public Tensor DiagonalScatter(Tensor src, long offset = 0, long dim1 = 0, long dim2 = 1) => Aten.Call(Aten.DiagonalScatter, this, src, offset, dim1, dim2);

    /// <summary>Sums of products over the last dims of both (a product for a 0-D operand).</summary>
    public Tensor Inner(Tensor other) => Aten.Call(Aten.Inner, this, other);

    /// <summary>The dot product of two vectors, the first conjugated when complex.</summary>
    public Tensor Vdot(Tensor other) => Aten.Call(Aten.Vdot, this, other);

    /// <summary>beta · self + alpha · (mat1 @ mat2).</summary>
    public Tensor Addmm(Tensor mat1, Tensor mat2, double beta = 1, double alpha = 1) => Aten.CallKw(Aten.Addmm, [this, mat1, mat2], ("beta", Alpha(beta)), ("alpha", Alpha(alpha)));

    /// <summary>beta · self + alpha · (mat @ vec).</summary>
    public Tensor Addmv(Tensor mat, Tensor vec, double beta = 1, double alpha = 1) => Aten.CallKw(Aten.Addmv, [this, mat, vec], ("beta", Alpha(beta)), ("alpha", Alpha(alpha)));

    /// <summary>beta · self + alpha · outer(vec1, vec2).</summary>
    public Tensor Addr(Tensor vec1, Tensor vec2, double beta = 1, double alpha = 1) => Aten.CallKw(Aten.Addr, [this, vec1, vec2], ("beta", Alpha(beta)), ("alpha", Alpha(alpha)));

    /// <summary>The distinct elements, ascending (the distinct slices along dim, in lexicographic order, with a dim); their number depends on the data.</summary>
    public Tensor Unique(long? dim = null) => Unique(true, false, false, dim).Values;

    /// <summary>The distinct elements with, when asked for, each element's index among them and each one's count.</summary>
    public (Tensor Values, Tensor Inverse, Tensor Counts) Unique(bool sorted, bool returnInverse, bool returnCounts, long? dim = null)
    {
        var parts = dim is null ? Aten.CallMulti(Aten.Unique2, this, sorted, returnInverse, returnCounts) : Aten.CallMulti(Aten.UniqueDim, this, dim.Value, sorted, returnInverse, returnCounts);
        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>Runs of equal elements (slices along dim) collapsed to one.</summary>
    public Tensor UniqueConsecutive(long? dim = null) => UniqueConsecutive(false, false, dim).Values;

    public (Tensor Values, Tensor Inverse, Tensor Counts) UniqueConsecutive(bool returnInverse, bool returnCounts, long? dim = null)
    {
        var parts = Aten.CallMulti(Aten.UniqueConsecutive, this, returnInverse, returnCounts, dim);
        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>How often each value 0, 1, … occurs in this 1-D integer tensor (the sum of weights there, with weights); at least minlength long.</summary>
    public Tensor Bincount(Tensor? weights = null, long minlength = 0) => Aten.Call(Aten.Bincount, this, weights, (SymInt)minlength);

    /// <summary>1 with each element's probability (this tensor holds probabilities), else 0.</summary>
    public Tensor Bernoulli() => Aten.Call(Aten.BernoulliTensor, this);

    /// <summary>1 with probability p, else 0, in this tensor's shape and dtype.</summary>
    public Tensor Bernoulli(double p) => Aten.Call(Aten.BernoulliP, this, p);

    /// <summary>numSamples category indices per row of these weights.</summary>
    public Tensor Multinomial(long numSamples, bool replacement = false) => Aten.Call(Aten.Multinomial, this, numSamples, replacement);
}

namespace Graphport;

/// <summary>Rearrangements, small products and factories on a tensor beyond the core ops: repeat_interleave, tensor_split, movedim, rot90, outer, kron, new_zeros, ...</summary>
public partial class Tensor
{
    /// <summary>Each element repeated in place along dim (of the flattened tensor when dim is null): [a, b] → [a, a, b, b].</summary>
    public Tensor RepeatInterleave(long repeats, long? dim = null) => Aten.Call(Aten.RepeatInterleaveSelfInt, this, repeats, dim);

    /// <summary>sections pieces along dim, the first size % sections of them one longer.</summary>
    public Tensor[] TensorSplit(long sections, long dim = 0) => (Tensor[])Aten.Dispatch(Aten.TensorSplitSections, [this, sections, dim])!;

    /// <summary>The pieces between consecutive indices along dim.</summary>
    public Tensor[] TensorSplit(long[] indices, long dim = 0) => (Tensor[])Aten.Dispatch(Aten.TensorSplitIndices, [this, indices.Select(i => (SymInt)i).ToArray(), dim])!;

    /// <summary>dim source moved to position destination, the others in order around it.</summary>
    public Tensor Movedim(long source, long destination) => Aten.Call(Aten.MovedimInt, this, source, destination);

    public Tensor Swapaxes(long axis0, long axis1) => Aten.Call(Aten.Swapaxes, this, axis0, axis1);

    /// <summary>k counter-clockwise quarter turns in the plane of dims (from the first towards the second).</summary>
    public Tensor Rot90(long k = 1, long[]? dims = null) => Aten.Call(Aten.Rot90, this, k, dims ?? [0, 1]);

    public Tensor Fliplr() => Aten.Call(Aten.Fliplr, this);

    /// <summary>The order of elements reversed along each of dims.</summary>
    public Tensor Flip(params long[] dims) => Aten.Call(Aten.Flip, this, dims);

    /// <summary>Elements shifted along dim, those that fall off the end coming back at the start; of the flattened
    /// tensor (its shape kept) when dim is null.</summary>
    public Tensor Roll(SymInt shifts, long? dim = null) => Aten.Call(Aten.Roll, this, new[] { shifts }, dim is long d ? new[] { d } : Array.Empty<long>());

    /// <summary>Shifted along several dims at once, shifts[i] along dims[i].</summary>
    public Tensor Roll(SymInt[] shifts, long[] dims) => Aten.Call(Aten.Roll, this, shifts, dims);

    /// <summary>The tensor tiled repeats[i] times along dim i (more repeats than dims add leading dims).</summary>
    public Tensor Repeat(params SymInt[] repeats) => Aten.Call(Aten.Repeat, this, repeats);

    /// <summary>Repeat, with fewer repeats than dims meaning 1 for the leading ones (numpy's tile).</summary>
    public Tensor Tile(params SymInt[] dims) => Aten.Call(Aten.Tile, this, dims);

    /// <summary>Every window of size elements along dimension, step apart, as a new last dim (a view).</summary>
    public Tensor Unfold(long dimension, long size, long step) => Aten.Call(Aten.Unfold, this, dimension, size, step);

    /// <summary>The n-th forward difference along dim, prepend and append joined to the ends first.</summary>
    public Tensor Diff(long n = 1, long dim = -1, Tensor? prepend = null, Tensor? append = null) => Aten.Call(Aten.Diff, this, n, dim, prepend, append);

    public Tensor Flipud() => Aten.Call(Aten.Flipud, this);

    /// <summary>self with alpha · source added at index along dim (repeated indices add up).</summary>
    public Tensor IndexAdd(long dim, Tensor index, Tensor source, double alpha = 1) => Aten.CallKw(Aten.IndexAdd, [this, dim, index, source], ("alpha", alpha));

    /// <summary>The outer product of two vectors.</summary>
    public Tensor Outer(Tensor vec2) => Aten.Call(Aten.Outer, this, vec2);

    /// <summary>Matrix times vector.</summary>
    public Tensor Mv(Tensor vec) => Aten.Call(Aten.Mv, this, vec);

    /// <summary>The Kronecker product.</summary>
    public Tensor Kron(Tensor other) => Aten.Call(Aten.Kron, this, other);

    /// <summary>A vector's values as the k-th diagonal of a square matrix, or a matrix's k-th diagonal as a vector.</summary>
    public Tensor Diag(long diagonal = 0) => Aten.Call(Aten.Diag, this, diagonal);

    /// <summary>The sum of a matrix's diagonal.</summary>
    public Tensor Trace() => Aten.Call(Aten.Trace, this);

    public Tensor NewZeros(long[] size, DType? dtype = null) => Aten.CallKw(Aten.NewZeros, [this, SizeArgument(size)], ("dtype", dtype));

    public Tensor NewOnes(long[] size, DType? dtype = null) => Aten.CallKw(Aten.NewOnes, [this, SizeArgument(size)], ("dtype", dtype));

    public Tensor NewFull(long[] size, double fillValue, DType? dtype = null) => Aten.CallKw(Aten.NewFull, [this, SizeArgument(size), fillValue], ("dtype", dtype));

    public Tensor NewEmpty(long[] size, DType? dtype = null) => Aten.CallKw(Aten.NewEmpty, [this, SizeArgument(size)], ("dtype", dtype));

    private static SymInt[] SizeArgument(long[] size) => size.Select(s => (SymInt)s).ToArray();
}

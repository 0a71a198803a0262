namespace Graphport;

/// <summary>
/// One entry of a tensor index: an integer (selects), a range (slices, C#'s a..b and ^n), a stepped slice,
/// an ellipsis, a new axis, or a tensor (advanced indexing: integer positions, or a boolean mask over as many dims
/// as it has). x[.., 2..] is Python's x[:, 2:]; x[TensorIndex.Slice(1, null, 3)] is x[1::3]; x[.., idx] is x[:, idx].
/// </summary>
public readonly struct TensorIndex
{
    internal enum IndexKind { Integer, Slice, Ellipsis, NewAxis, Tensor }

    internal IndexKind Kind { get; }

    internal SymInt Integer { get; }

    internal SymInt? Start { get; }

    internal SymInt? Stop { get; }

    internal long Step { get; }

    /// <summary>The index tensor of an advanced index (Kind Tensor), else null.</summary>
    internal Tensor? Positions { get; }

    private TensorIndex(IndexKind kind, SymInt integer = default, SymInt? start = null, SymInt? stop = null, long step = 1)
    {
        Kind = kind;
        Integer = integer;
        Start = start;
        Stop = stop;
        Step = step;
    }

    private TensorIndex(Tensor positions)
    {
        Kind = IndexKind.Tensor;
        Positions = positions;
        Step = 1;
    }

    public static implicit operator TensorIndex(long index) => new(IndexKind.Integer, index);

    /// <summary>Advanced indexing by a tensor: long or int positions (negative ones count from the end), or a
    /// boolean mask, as torch's x[idx] and x[mask].</summary>
    public static implicit operator TensorIndex(Tensor positions) =>
        new(positions ?? throw new ArgumentNullException(nameof(positions), "An index tensor cannot be null; use .. (or TensorIndex.Slice()) to take a dim whole."));

    public static implicit operator TensorIndex(int index) => new(IndexKind.Integer, index);

    public static implicit operator TensorIndex(SymInt index) => new(IndexKind.Integer, index);

    public static implicit operator TensorIndex(Index index) => new(IndexKind.Integer, index.IsFromEnd ? -index.Value : index.Value);

    public static implicit operator TensorIndex(Range range) => new(IndexKind.Slice, default,
        range.Start.Equals(Index.Start) ? null : (range.Start.IsFromEnd ? -range.Start.Value : range.Start.Value),
        range.End.Equals(Index.End) ? null : (range.End.IsFromEnd ? -range.End.Value : range.End.Value));

    /// <summary>Python's start:stop:step; null bounds mean "from the beginning" / "to the end".</summary>
    public static TensorIndex Slice(SymInt? start = null, SymInt? stop = null, long step = 1)
    {
        if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step), $"Slice step must be positive, got {step}.");
        return new(IndexKind.Slice, default, start, stop, step);
    }

    /// <summary>Python's ... : stands for as many full slices as needed.</summary>
    public static TensorIndex Ellipsis { get; } = new(IndexKind.Ellipsis);

    /// <summary>Python's None in an index: inserts a dimension of size 1.</summary>
    public static TensorIndex NewAxis { get; } = new(IndexKind.NewAxis);
}

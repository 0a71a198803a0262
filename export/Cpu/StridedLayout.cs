namespace Graphport.Cpu;

/// <summary>
/// Describes where the elements of an n-dimensional array live in a flat buffer:
/// element (i0..i{n-1}) lives at data[Offset + Σ ik*Strides[k]]; a stride of 0 means broadcast, a negative stride walks backwards.
/// </summary>
public readonly record struct StridedLayout(long[] Shape, long[] Strides, long Offset)
{
    public int Rank => Shape.Length;

    public long Numel => ShapeMath.Numel(Shape);

    /// <summary>True when the elements are laid out row-major with no gaps starting at Offset (size-1 dims may have any stride).</summary>
    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (int d = Shape.Length - 1; d >= 0; d--)
            {
                if (Shape[d] == 1) continue;
                if (Shape[d] == 0) return true;
                if (Strides[d] != expected) return false;
                expected *= Shape[d];
            }
            return true;
        }
    }

    public static StridedLayout Contiguous(params long[] shape) => new((long[])shape.Clone(), ShapeMath.ContiguousStrides(shape), 0);

    public static StridedLayout Contiguous(ReadOnlySpan<int> shape)
    {
        var s = new long[shape.Length];
        for (int i = 0; i < s.Length; i++) s[i] = shape[i];
        return Contiguous(s);
    }

    /// <summary>A view of the same buffer with dims reordered: result dim k is this layout's dim perm[k].</summary>
    public StridedLayout Permute(params int[] perm)
    {
        ShapeMath.CheckPermutation(perm, Rank, nameof(Permute));
        var shape = new long[Rank];
        var strides = new long[Rank];
        for (int k = 0; k < Rank; k++)
        {
            shape[k] = Shape[perm[k]];
            strides[k] = Strides[perm[k]];
        }
        return new StridedLayout(shape, strides, Offset);
    }

    public StridedLayout Transpose(int dim0, int dim1)
    {
        dim0 = ShapeMath.NormalizeDim(dim0, Rank, nameof(dim0));
        dim1 = ShapeMath.NormalizeDim(dim1, Rank, nameof(dim1));
        var perm = new int[Rank];
        for (int i = 0; i < Rank; i++) perm[i] = i;
        (perm[dim0], perm[dim1]) = (perm[dim1], perm[dim0]);
        return Permute(perm);
    }

    /// <summary>Broadcasts to <paramref name="shape"/> (numpy rules, leading dims added) by giving expanded dims stride 0.</summary>
    public StridedLayout BroadcastTo(params long[] shape)
    {
        if (shape.Length < Rank)
            throw new ArgumentException($"BroadcastTo: target shape [{string.Join(", ", shape)}] has rank {shape.Length} but the layout has rank {Rank}; expected a rank >= {Rank}", nameof(shape));
        var strides = new long[shape.Length];
        int lead = shape.Length - Rank;
        for (int d = 0; d < shape.Length; d++)
        {
            if (d < lead) { strides[d] = 0; continue; }
            long size = Shape[d - lead];
            if (size == shape[d]) strides[d] = Strides[d - lead];
            else if (size == 1) strides[d] = 0;
            else
                throw new ArgumentException($"BroadcastTo: dim {d - lead} has size {size}, which cannot broadcast to size {shape[d]} of target shape [{string.Join(", ", shape)}]; expected size 1 or {shape[d]}", nameof(shape));
        }
        return new StridedLayout((long[])shape.Clone(), strides, Offset);
    }

    /// <summary>The sub-range [start, start+length) of dim <paramref name="dim"/>, as a view.</summary>
    public StridedLayout Narrow(int dim, long start, long length)
    {
        dim = ShapeMath.NormalizeDim(dim, Rank, nameof(dim));
        if (start < 0 || length < 0 || start + length > Shape[dim])
            throw new ArgumentException($"Narrow: range [{start}, {start + length}) is outside dim {dim} of size {Shape[dim]}; expected 0 <= start <= start+length <= {Shape[dim]}", nameof(start));
        var shape = (long[])Shape.Clone();
        shape[dim] = length;
        return new StridedLayout(shape, (long[])Strides.Clone(), Offset + start * Strides[dim]);
    }

    /// <summary>Removes dim <paramref name="dim"/> by fixing its index, as a view.</summary>
    public StridedLayout Select(int dim, long index)
    {
        dim = ShapeMath.NormalizeDim(dim, Rank, nameof(dim));
        if (index < 0 || index >= Shape[dim])
            throw new ArgumentException($"Select: index {index} is out of range for dim {dim} of size {Shape[dim]}; expected 0 <= index < {Shape[dim]}", nameof(index));
        var shape = new long[Rank - 1];
        var strides = new long[Rank - 1];
        for (int d = 0, j = 0; d < Rank; d++)
        {
            if (d == dim) continue;
            shape[j] = Shape[d];
            strides[j++] = Strides[d];
        }
        return new StridedLayout(shape, strides, Offset + index * Strides[dim]);
    }

    /// <summary>Inserts a size-1 dim at <paramref name="dim"/>, as a view.</summary>
    public StridedLayout Unsqueeze(int dim)
    {
        if (dim < 0) dim += Rank + 1;
        if (dim < 0 || dim > Rank)
            throw new ArgumentException($"Unsqueeze: dim {dim} is out of range for rank {Rank}; expected -{Rank + 1} <= dim <= {Rank}", nameof(dim));
        var shape = new long[Rank + 1];
        var strides = new long[Rank + 1];
        for (int d = 0, j = 0; d <= Rank; d++)
        {
            if (d == dim) { shape[d] = 1; strides[d] = 0; continue; }
            shape[d] = Shape[j];
            strides[d] = Strides[j++];
        }
        return new StridedLayout(shape, strides, Offset);
    }

    /// <summary>Reverses dim <paramref name="dim"/> by negating its stride, as a view.</summary>
    public StridedLayout Flip(int dim)
    {
        dim = ShapeMath.NormalizeDim(dim, Rank, nameof(dim));
        var strides = (long[])Strides.Clone();
        long offset = Offset;
        if (Shape[dim] > 0) offset += (Shape[dim] - 1) * Strides[dim];
        strides[dim] = -Strides[dim];
        return new StridedLayout((long[])Shape.Clone(), strides, offset);
    }

    /// <summary>Smallest and largest flat index any element touches (Offset, Offset-1 when empty).</summary>
    public (long Min, long Max) Extent()
    {
        long lo = Offset, hi = Offset;
        for (int d = 0; d < Rank; d++)
        {
            if (Shape[d] == 0) return (Offset, Offset - 1);
            long span = (Shape[d] - 1) * Strides[d];
            if (span < 0) lo += span; else hi += span;
        }
        return (lo, hi);
    }

    /// <summary>Throws unless the layout is well formed and every element it addresses lies inside a buffer of <paramref name="bufferLength"/>.</summary>
    public void Validate(long bufferLength, string kernel, string argument)
    {
        if (Shape is null || Strides is null)
            throw new ArgumentException($"{kernel}: {argument} layout has a null shape or strides; expected both arrays", argument);
        if (Shape.Length != Strides.Length)
            throw new ArgumentException($"{kernel}: {argument} layout has {Shape.Length} dims but {Strides.Length} strides; expected equal counts", argument);
        for (int d = 0; d < Shape.Length; d++)
            if (Shape[d] < 0)
                throw new ArgumentException($"{kernel}: {argument} shape [{string.Join(", ", Shape)}] has negative size {Shape[d]} at dim {d}; expected sizes >= 0", argument);
        var (lo, hi) = Extent();
        if (hi < lo) return;
        if (lo < 0 || hi >= bufferLength)
            throw new ArgumentException($"{kernel}: {argument} layout (shape [{string.Join(", ", Shape)}], strides [{string.Join(", ", Strides)}], offset {Offset}) addresses flat indices {lo}..{hi} but the buffer has {bufferLength} elements; expected all indices in [0, {bufferLength})", argument);
    }

    public override string ToString() => $"StridedLayout(shape [{string.Join(", ", Shape)}], strides [{string.Join(", ", Strides)}], offset {Offset})";

    public bool Equals(StridedLayout other) => Offset == other.Offset && Shape.AsSpan().SequenceEqual(other.Shape) && Strides.AsSpan().SequenceEqual(other.Strides);

    public override int GetHashCode() => HashCode.Combine(Offset, Shape.Length, Numel);
}

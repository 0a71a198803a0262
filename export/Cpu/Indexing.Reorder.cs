namespace Graphport.Cpu;

public static partial class Indexing
{
    /// <summary>flip: reverses each dim in <paramref name="dims"/> (negative strides, then one contiguous copy).</summary>
    public static Dense<T> Flip<T>(T[] x, StridedLayout layout, ReadOnlySpan<int> dims) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(x);
        layout.Validate(x.Length, "Indexing.Flip", "input");
        var mask = ShapeMath.DimMask(dims.Length == 0 ? [] : dims, layout.Rank, "Indexing.Flip");
        var view = layout;
        if (dims.Length > 0)
            for (int d = 0; d < layout.Rank; d++)
                if (mask[d]) view = view.Flip(d);
        return new Dense<T>(StridedCopy.ToContiguous(x, view), (long[])layout.Shape.Clone());
    }

    /// <summary>roll: out[i] = x[(i − shift) mod n] along each dim; with no dims the flattened tensor is rolled.</summary>
    public static Dense<T> Roll<T>(T[] x, StridedLayout layout, ReadOnlySpan<long> shifts, ReadOnlySpan<int> dims) where T : unmanaged
    {
        const string k = "Indexing.Roll";
        ArgumentNullException.ThrowIfNull(x);
        layout.Validate(x.Length, k, "input");
        if (dims.Length == 0)
        {
            if (shifts.Length != 1)
                throw new ArgumentException($"{k}: {shifts.Length} shifts given without dims; expected exactly one shift to roll the flattened tensor", nameof(shifts));
            var flat = StridedCopy.ToContiguous(x, layout);
            var rolled = Roll(flat, StridedLayout.Contiguous(flat.LongLength), shifts, [0]);
            return new Dense<T>(rolled.Data, (long[])layout.Shape.Clone());
        }
        if (shifts.Length != dims.Length)
            throw new ArgumentException($"{k}: {shifts.Length} shifts for {dims.Length} dims; expected one shift per dim", nameof(shifts));
        var data = StridedCopy.ToContiguous(x, layout);
        var shape = (long[])layout.Shape.Clone();
        for (int i = 0; i < dims.Length; i++)
        {
            int d = ShapeMath.NormalizeDim(dims[i], shape.Length, nameof(dims));
            long n = shape[d];
            if (n == 0) continue;
            long s = ((shifts[i] % n) + n) % n;
            if (s == 0) continue;
            var src = StridedLayout.Contiguous(shape);
            var next = new T[data.Length];
            StridedCopy.CopyUnchecked(data, src.Narrow(d, 0, n - s), next, src.Narrow(d, s, n - s));
            StridedCopy.CopyUnchecked(data, src.Narrow(d, n - s, s), next, src.Narrow(d, 0, s));
            data = next;
        }
        return new Dense<T>(data, shape);
    }

    /// <summary>tril: keeps elements with column − row &lt;= diagonal in the last two dims, zeroing the rest.</summary>
    public static Dense<T> Tril<T>(T[] x, StridedLayout layout, long diagonal) where T : unmanaged => Triangle(x, layout, diagonal, lower: true);

    /// <summary>triu: keeps elements with column − row >= diagonal in the last two dims, zeroing the rest.</summary>
    public static Dense<T> Triu<T>(T[] x, StridedLayout layout, long diagonal) where T : unmanaged => Triangle(x, layout, diagonal, lower: false);

    private static Dense<T> Triangle<T>(T[] x, StridedLayout layout, long diagonal, bool lower) where T : unmanaged
    {
        string k = lower ? "Indexing.Tril" : "Indexing.Triu";
        ArgumentNullException.ThrowIfNull(x);
        layout.Validate(x.Length, k, "input");
        if (layout.Rank < 2)
            throw new ArgumentException($"{k}: input has shape {ShapeMath.Format(layout.Shape)}; expected at least 2 dims", nameof(layout));
        var output = StridedCopy.ToContiguous(x, layout);
        long rows = layout.Shape[^2], cols = layout.Shape[^1];
        long mats = rows * cols == 0 ? 0 : output.Length / (rows * cols);
        for (long m = 0; m < mats; m++)
            for (long i = 0; i < rows; i++)
            {
                var row = output.AsSpan((int)((m * rows + i) * cols), (int)cols);
                long edge = i + diagonal;
                if (lower)
                {
                    long from = Math.Clamp(edge + 1, 0, cols);
                    row[(int)from..].Clear();
                }
                else
                {
                    long to = Math.Clamp(edge, 0, cols);
                    row[..(int)to].Clear();
                }
            }
        return new Dense<T>(output, (long[])layout.Shape.Clone());
    }
}

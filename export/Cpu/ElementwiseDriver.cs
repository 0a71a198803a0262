using System.Buffers;

namespace Graphport.Cpu;

/// <summary>Row kernel over contiguous spans; an input of length 1 with a longer output is a broadcast scalar.</summary>
internal delegate void UnaryRow<TIn, TOut>(ReadOnlySpan<TIn> x, Span<TOut> y);

/// <summary>Row kernel over contiguous spans; an input of length 1 with a longer output is a broadcast scalar.</summary>
internal delegate void BinaryRow<TIn, TOut>(ReadOnlySpan<TIn> a, ReadOnlySpan<TIn> b, Span<TOut> y);

/// <summary>Row kernel for where(cond, a, b); any input of length 1 with a longer output is a broadcast scalar.</summary>
internal delegate void TernaryRow<T>(ReadOnlySpan<bool> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y);

/// <summary>
/// Feeds strided inputs to contiguous row kernels: rows are cut into cache-sized chunks, strided rows are gathered
/// into scratch, stride-0 rows are passed as one-element scalars, and chunks run in parallel when large.
/// </summary>
internal static class ElementwiseDriver
{
    public const int ChunkElements = 8192;

    public static void Unary<TIn, TOut>(string kernel, TIn[] x, StridedLayout layout, TOut[] output, UnaryRow<TIn, TOut> row, double costPerElement = 1)
        where TIn : unmanaged where TOut : unmanaged
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(output);
        layout.Validate(x.Length, kernel, "input");
        long n = layout.Numel;
        ShapeMath.CheckLength(output.Length, n, kernel, nameof(output));
        if (n == 0) return;
        if (n <= ChunkElements && layout.IsContiguous)
        {
            // One chunk of one row (a contiguous input's dims merge into one): the span the plan below would give,
            // without building it. Small models' ops are mostly this size, and the plan cost more than the row.
            row(x.AsSpan((int)layout.Offset, (int)n), output.AsSpan(0, (int)n));
            return;
        }
        var plan = new RowPlan(layout.Shape, StridedLayout.Contiguous(layout.Shape), layout);
        if (typeof(TIn) == typeof(TOut) && plan.InnerStrides[1] is not (0 or 1))
        {
            // Transposed-like input: one cache-blocked copy into the output, then the op runs in place on contiguous rows.
            var staged = (TIn[])(object)output;
            StridedCopy.CopyUnchecked(x, layout, staged, StridedLayout.Contiguous(layout.Shape));
            Unary(kernel, staged, StridedLayout.Contiguous(layout.Shape), output, row, costPerElement);
            return;
        }
        long chunksPerRow = (plan.InnerSize + ChunkElements - 1) / ChunkElements;
        long units = plan.RowCount * chunksPerRow;
        CpuParallel.For(units, Math.Min(plan.InnerSize, ChunkElements) * costPerElement, (u0, u1) =>
        {
            TIn[]? scratch = null;
            try
            {
                long rowIndex = u0 / chunksPerRow;
                var cur = plan.At(rowIndex);
                for (long u = u0; u < u1; u++)
                {
                    long r = u / chunksPerRow;
                    while (rowIndex < r) { cur.Next(); rowIndex++; }
                    long c0 = (u % chunksPerRow) * ChunkElements;
                    int len = (int)Math.Min(ChunkElements, plan.InnerSize - c0);
                    var dst = output.AsSpan((int)(cur.Offsets[0] + c0), len);
                    var src = Operand(x, cur.Offsets[1], plan.InnerStrides[1], c0, len, ref scratch, allowScalar: false);
                    row(src, dst);
                }
            }
            finally
            {
                if (scratch != null) ArrayPool<TIn>.Shared.Return(scratch);
            }
        });
    }

    public static void Binary<TIn, TOut>(string kernel, TIn[] a, StridedLayout la, TIn[] b, StridedLayout lb, TOut[] output, BinaryRow<TIn, TOut> row, double costPerElement = 1)
        where TIn : unmanaged where TOut : unmanaged
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(output);
        la.Validate(a.Length, kernel, "a");
        lb.Validate(b.Length, kernel, "b");
        ShapeMath.CheckSameShape(la.Shape, lb.Shape, kernel, "b");
        long n = la.Numel;
        ShapeMath.CheckLength(output.Length, n, kernel, nameof(output));
        if (n == 0) return;
        var plan = new RowPlan(la.Shape, StridedLayout.Contiguous(la.Shape), la, lb);
        long chunksPerRow = (plan.InnerSize + ChunkElements - 1) / ChunkElements;
        long units = plan.RowCount * chunksPerRow;
        CpuParallel.For(units, Math.Min(plan.InnerSize, ChunkElements) * costPerElement, (u0, u1) =>
        {
            TIn[]? sa = null, sb = null;
            try
            {
                long rowIndex = u0 / chunksPerRow;
                var cur = plan.At(rowIndex);
                for (long u = u0; u < u1; u++)
                {
                    long r = u / chunksPerRow;
                    while (rowIndex < r) { cur.Next(); rowIndex++; }
                    long c0 = (u % chunksPerRow) * ChunkElements;
                    int len = (int)Math.Min(ChunkElements, plan.InnerSize - c0);
                    var dst = output.AsSpan((int)(cur.Offsets[0] + c0), len);
                    var x = Operand(a, cur.Offsets[1], plan.InnerStrides[1], c0, len, ref sa);
                    var y = Operand(b, cur.Offsets[2], plan.InnerStrides[2], c0, len, ref sb);
                    row(x, y, dst);
                }
            }
            finally
            {
                if (sa != null) ArrayPool<TIn>.Shared.Return(sa);
                if (sb != null) ArrayPool<TIn>.Shared.Return(sb);
            }
        });
    }

    public static void Ternary<T>(string kernel, bool[] c, StridedLayout lc, T[] a, StridedLayout la, T[] b, StridedLayout lb, T[] output, TernaryRow<T> row)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(output);
        lc.Validate(c.Length, kernel, "condition");
        la.Validate(a.Length, kernel, "a");
        lb.Validate(b.Length, kernel, "b");
        ShapeMath.CheckSameShape(lc.Shape, la.Shape, kernel, "a");
        ShapeMath.CheckSameShape(lc.Shape, lb.Shape, kernel, "b");
        long n = lc.Numel;
        ShapeMath.CheckLength(output.Length, n, kernel, nameof(output));
        if (n == 0) return;
        var plan = new RowPlan(lc.Shape, StridedLayout.Contiguous(lc.Shape), lc, la, lb);
        long chunksPerRow = (plan.InnerSize + ChunkElements - 1) / ChunkElements;
        long units = plan.RowCount * chunksPerRow;
        CpuParallel.For(units, Math.Min(plan.InnerSize, ChunkElements), (u0, u1) =>
        {
            bool[]? sc = null;
            T[]? sa = null, sb = null;
            try
            {
                long rowIndex = u0 / chunksPerRow;
                var cur = plan.At(rowIndex);
                for (long u = u0; u < u1; u++)
                {
                    long r = u / chunksPerRow;
                    while (rowIndex < r) { cur.Next(); rowIndex++; }
                    long c0 = (u % chunksPerRow) * ChunkElements;
                    int len = (int)Math.Min(ChunkElements, plan.InnerSize - c0);
                    var dst = output.AsSpan((int)(cur.Offsets[0] + c0), len);
                    var cs = Operand(c, cur.Offsets[1], plan.InnerStrides[1], c0, len, ref sc);
                    var xs = Operand(a, cur.Offsets[2], plan.InnerStrides[2], c0, len, ref sa);
                    var ys = Operand(b, cur.Offsets[3], plan.InnerStrides[3], c0, len, ref sb);
                    row(cs, xs, ys, dst);
                }
            }
            finally
            {
                if (sc != null) ArrayPool<bool>.Shared.Return(sc);
                if (sa != null) ArrayPool<T>.Shared.Return(sa);
                if (sb != null) ArrayPool<T>.Shared.Return(sb);
            }
        });
    }

    private static ReadOnlySpan<T> Operand<T>(T[] data, long rowOffset, long stride, long c0, int len, ref T[]? scratch, bool allowScalar = true) where T : unmanaged
    {
        if (stride == 1) return data.AsSpan((int)(rowOffset + c0), len);
        if (stride == 0 && allowScalar) return data.AsSpan((int)rowOffset, 1);
        scratch ??= ArrayPool<T>.Shared.Rent(ChunkElements);
        StridedCopy.CopyRow(data, rowOffset + c0 * stride, stride, scratch, 0, 1, len);
        return scratch.AsSpan(0, len);
    }

    /// <summary>Expands a broadcast (length-1) operand to <paramref name="length"/> in scratch so span-only primitives apply.</summary>
    public static ReadOnlySpan<T> Expand<T>(ReadOnlySpan<T> x, int length, Span<T> scratch)
    {
        if (x.Length == length) return x;
        var s = scratch[..length];
        s.Fill(x[0]);
        return s;
    }
}

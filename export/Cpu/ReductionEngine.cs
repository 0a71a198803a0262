namespace Graphport.Cpu;

/// <summary>Reduces one contiguous row (all reduced elements of one output) to a value.</summary>
internal delegate TOut RowReduce<T, TOut>(ReadOnlySpan<T> row);

/// <summary>Reduces columns i0..i1 of a contiguous R×I block over R into out (length i1 − i0).</summary>
internal delegate void ColumnReduce<T, TOut>(ReadOnlySpan<T> block, int rows, int cols, int i0, int i1, Span<TOut> output);

/// <summary>
/// Shapes any reduction into either rows (the reduced elements of each output contiguous, after a permuted copy if needed)
/// or, for contiguous inputs reduced over a middle run of dims, vectorizable column sweeps over [outer, R, inner].
/// </summary>
internal static class ReductionEngine
{
    public static Dense<TOut> Run<T, TOut>(string kernel, T[] x, StridedLayout layout, ReadOnlySpan<int> dims, bool keepdim,
        RowReduce<T, TOut> row, ColumnReduce<T, TOut>? column, bool allowEmpty) where T : unmanaged where TOut : unmanaged
    {
        ArgumentNullException.ThrowIfNull(x);
        layout.Validate(x.Length, kernel, "input");
        int rank = layout.Rank;
        var mask = ShapeMath.DimMask(dims, rank, kernel);
        var outShape = Reduction.OutputShape(layout.Shape, dims, keepdim);
        long rcount = 1, outCount = 1;
        for (int d = 0; d < rank; d++)
        {
            if (mask[d]) rcount *= layout.Shape[d];
            else outCount *= layout.Shape[d];
        }
        var output = new TOut[outCount];
        if (outCount == 0) return new Dense<TOut>(output, outShape);
        if (rcount == 0 && !allowEmpty)
            throw new ArgumentException($"{kernel}: cannot reduce over dims [{string.Join(", ", dims.ToArray())}] of shape {ShapeMath.Format(layout.Shape)} because they hold no elements; expected a non-empty reduction (this op has no identity)", "dims");
        if (rcount > int.MaxValue)
            throw new ArgumentException($"{kernel}: reduction over {rcount} elements per output is too large; expected at most {int.MaxValue}", "dims");
        int r = (int)rcount;
        if (r == 0)
        {
            Array.Fill(output, row([]));
            return new Dense<TOut>(output, outShape);
        }

        if (column != null && r > 1 && layout.IsContiguous && TryMiddleRun(mask, layout.Shape, out long outer, out long inner) && inner > 1)
        {
            int I = (int)inner;
            const int colChunk = 1024;
            int chunks = (I + colChunk - 1) / colChunk;
            CpuParallel.For(outer * chunks, (double)r * Math.Min(I, colChunk), (u0, u1) =>
            {
                for (long u = u0; u < u1; u++)
                {
                    long o = u / chunks;
                    int i0 = (int)(u % chunks) * colChunk, i1 = Math.Min(I, i0 + colChunk);
                    var block = x.AsSpan((int)(layout.Offset + o * r * I), r * I);
                    column(block, r, I, i0, i1, output.AsSpan((int)(o * I + i0), i1 - i0));
                }
            });
            return new Dense<TOut>(output, outShape);
        }

        var perm = new int[rank];
        int k = 0;
        for (int d = 0; d < rank; d++) if (!mask[d]) perm[k++] = d;
        for (int d = 0; d < rank; d++) if (mask[d]) perm[k++] = d;
        var p = layout.Permute(perm);
        int kept = rank - CountTrue(mask);
        var keptLayout = new StridedLayout(p.Shape[..kept], p.Strides[..kept], p.Offset);
        var redLayout = new StridedLayout(p.Shape[kept..], p.Strides[kept..], 0);
        var redPlan = new RowPlan(redLayout.Shape, redLayout);
        T[] src;
        RowPlan outerPlan;
        if (r <= 1 || (redPlan.RowCount == 1 && redPlan.InnerStrides[0] == 1))
        {
            src = x;
            outerPlan = new RowPlan(keptLayout.Shape, keptLayout);
        }
        else
        {
            src = StridedCopy.ToContiguous(x, p);
            outerPlan = new RowPlan(keptLayout.Shape, new StridedLayout(keptLayout.Shape, ShapeMath.ContiguousStrides(keptLayout.Shape).Select(s => s * r).ToArray(), 0));
        }
        long rowsPerOuter = outerPlan.InnerSize;
        long innerStride = outerPlan.InnerStrides[0];
        CpuParallel.For(outCount, Math.Max(r, 1), (o0, o1) =>
        {
            var cur = outerPlan.At(o0 / rowsPerOuter);
            long planRow = o0 / rowsPerOuter;
            for (long o = o0; o < o1; o++)
            {
                long pr = o / rowsPerOuter;
                while (planRow < pr) { cur.Next(); planRow++; }
                long off = cur.Offsets[0] + (o % rowsPerOuter) * innerStride;
                output[o] = row(src.AsSpan((int)off, r));
            }
        });
        return new Dense<TOut>(output, outShape);
    }

    private static int CountTrue(bool[] mask)
    {
        int c = 0;
        foreach (bool b in mask) if (b) c++;
        return c;
    }

    /// <summary>True when the reduced dims (ignoring size-1 dims) form one run that is followed by at least one kept dim.</summary>
    private static bool TryMiddleRun(bool[] mask, long[] shape, out long outer, out long inner)
    {
        outer = 1;
        inner = 1;
        int first = -1, last = -1;
        for (int d = 0; d < mask.Length; d++)
        {
            if (!mask[d] || shape[d] == 1) continue;
            if (first < 0) first = d;
            else if (last != d - 1)
            {
                for (int e = last + 1; e < d; e++) if (shape[e] != 1) return false;
            }
            last = d;
        }
        if (first < 0) return false;
        for (int d = 0; d < first; d++) outer *= shape[d];
        for (int d = last + 1; d < shape.Length; d++) inner *= shape[d];
        return true;
    }
}

namespace Graphport.Cpu;

/// <summary>Indexing kernels: gathers, scatters, joins, reorders, scans, sorts and ranges. Results are contiguous.</summary>
public static partial class Indexing
{
    /// <summary>index_select: picks slices <paramref name="indices"/> (negative wrap) along <paramref name="dim"/>.</summary>
    public static Dense<T> IndexSelect<T>(T[] x, StridedLayout layout, int dim, long[] indices) where T : unmanaged
    {
        const string k = "Indexing.IndexSelect";
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(indices);
        layout.Validate(x.Length, k, "input");
        if (layout.Rank == 0) layout = layout.Unsqueeze(0);
        int d = ShapeMath.NormalizeDim(dim, layout.Rank, nameof(dim));
        long size = layout.Shape[d];
        var outShape = (long[])layout.Shape.Clone();
        outShape[d] = indices.Length;
        var output = RunBuffers.Allocate<T>(ShapeMath.Numel(outShape), clear: false);
        var outLayout = StridedLayout.Contiguous(outShape);
        var resolved = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++) resolved[i] = Wrap(indices[i], size, k, i, d);
        CpuParallel.For(indices.Length, ShapeMath.Numel(outShape) / Math.Max(indices.Length, 1), (i0, i1) =>
        {
            for (long i = i0; i < i1; i++)
                StridedCopy.CopyUnchecked(x, layout.Select(d, resolved[i]).Unsqueeze(d), output, outLayout.Narrow(d, i, 1));
        });
        return new Dense<T>(output, outShape);
    }

    /// <summary>gather: out[p] = x[p with dim replaced by index[p]]; index has x's rank and sizes no larger than x off dim.</summary>
    public static Dense<T> Gather<T>(T[] x, StridedLayout layout, int dim, long[] index, StridedLayout indexLayout) where T : unmanaged
    {
        const string k = "Indexing.Gather";
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(index);
        layout.Validate(x.Length, k, "input");
        indexLayout.Validate(index.Length, k, nameof(index));
        int d = CheckIndexShape(k, layout, indexLayout, dim, "input");
        var shape = indexLayout.Shape;
        var output = RunBuffers.Allocate<T>(ShapeMath.Numel(shape), clear: false);
        if (output.Length == 0) return new Dense<T>(output, (long[])shape.Clone());
        var xs = (long[])layout.Strides.Clone();
        long dimStride = xs[d], size = layout.Shape[d];
        xs[d] = 0;
        var plan = new RowPlan(shape, StridedLayout.Contiguous(shape), indexLayout, new StridedLayout(shape, xs, layout.Offset));
        CpuParallel.For(plan.RowCount, plan.InnerSize, (r0, r1) =>
        {
            var cur = plan.At(r0);
            long n = plan.InnerSize, si = plan.InnerStrides[1], sx = plan.InnerStrides[2];
            for (long r = r0; r < r1; r++, cur.Next())
            {
                long o = cur.Offsets[0], io = cur.Offsets[1], xo = cur.Offsets[2];
                for (long i = 0; i < n; i++)
                {
                    long idx = index[io + i * si];
                    if (idx < 0 || idx >= size) throw OutOfRange(k, idx, size, d);
                    output[o + i] = x[xo + i * sx + idx * dimStride];
                }
            }
        });
        return new Dense<T>(output, (long[])shape.Clone());
    }

    /// <summary>embedding: rows of weight [V, D] picked by indices of any shape, giving [..., D].</summary>
    public static Dense<T> Embedding<T>(T[] weight, StridedLayout weightLayout, long[] indices, long[] indicesShape) where T : unmanaged
    {
        const string k = "Indexing.Embedding";
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(indices);
        weightLayout.Validate(weight.Length, k, nameof(weight));
        if (weightLayout.Rank != 2)
            throw new ArgumentException($"{k}: weight has shape {ShapeMath.Format(weightLayout.Shape)}; expected 2 dims [V, D]", nameof(weight));
        ShapeMath.CheckLength(indices.Length, ShapeMath.Numel(indicesShape), k, nameof(indices));
        long v = weightLayout.Shape[0], dsize = weightLayout.Shape[1];
        long count = ShapeMath.Numel(indicesShape);
        for (long i = 0; i < count; i++)
            if (indices[i] < 0 || indices[i] >= v)
                throw new IndexValueException($"{k}: index {indices[i]} at position {i} is out of range for an embedding table of V={v} rows; expected 0 <= index < {v}", nameof(indices));
        var output = RunBuffers.Allocate<T>(count * dsize, clear: false);
        CpuParallel.For(count, dsize, (i0, i1) =>
        {
            for (long i = i0; i < i1; i++)
                StridedCopy.CopyRow(weight, weightLayout.Offset + indices[i] * weightLayout.Strides[0], weightLayout.Strides[1], output, i * dsize, 1, dsize);
        });
        return new Dense<T>(output, indicesShape.Append(dsize).ToArray());
    }

    internal static long Wrap(long index, long size, string kernel, long position, int dim)
    {
        long r = index < 0 ? index + size : index;
        if (r < 0 || r >= size)
            throw new IndexValueException($"{kernel}: index {index} at position {position} is out of range for dim {dim} of size {size}; expected -{size} <= index < {size}", "indices");
        return r;
    }

    internal static IndexValueException OutOfRange(string kernel, long idx, long size, int dim)
        => new($"{kernel}: index {idx} is out of bounds for dim {dim} with size {size}; expected 0 <= index < {size}", "index");

    /// <summary>Checks gather/scatter shape rules and returns the normalized dim.</summary>
    private static int CheckIndexShape(string k, StridedLayout target, StridedLayout index, int dim, string targetName)
    {
        if (index.Rank != target.Rank)
            throw new ArgumentException($"{k}: index has rank {index.Rank} but {targetName} has rank {target.Rank}; expected equal ranks", nameof(index));
        int d = ShapeMath.NormalizeDim(dim, Math.Max(target.Rank, 1), nameof(dim));
        for (int i = 0; i < target.Rank; i++)
            if (i != d && index.Shape[i] > target.Shape[i])
                throw new ArgumentException($"{k}: index size {index.Shape[i]} at dim {i} exceeds {targetName} size {target.Shape[i]}; expected index.shape[{i}] <= {target.Shape[i]} for every dim but {d}", nameof(index));
        return d;
    }
}

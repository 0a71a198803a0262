using System.Numerics;

namespace Graphport.Cpu;

public static partial class Indexing
{
    /// <summary>scatter(src): a copy of self with out[p with dim replaced by index[p]] = src[p]; later positions win on collisions.</summary>
    public static Dense<T> Scatter<T>(T[] self, StridedLayout selfLayout, int dim, long[] index, StridedLayout indexLayout, T[] src, StridedLayout srcLayout) where T : unmanaged
        => ScatterCore(self, selfLayout, dim, index, indexLayout, src, srcLayout, "Indexing.Scatter", static (_, s) => s);

    /// <summary>scatter(value): a copy of self with out[p with dim replaced by index[p]] = value.</summary>
    public static Dense<T> Scatter<T>(T[] self, StridedLayout selfLayout, int dim, long[] index, StridedLayout indexLayout, T value) where T : unmanaged
        => ScatterCore(self, selfLayout, dim, index, indexLayout, [value], new StridedLayout(indexLayout.Shape, new long[indexLayout.Rank], 0), "Indexing.Scatter", static (_, s) => s);

    /// <summary>scatter_add: a copy of self with out[p with dim replaced by index[p]] += src[p].</summary>
    public static Dense<T> ScatterAdd<T>(T[] self, StridedLayout selfLayout, int dim, long[] index, StridedLayout indexLayout, T[] src, StridedLayout srcLayout) where T : unmanaged, INumber<T>
        => ScatterCore(self, selfLayout, dim, index, indexLayout, src, srcLayout, "Indexing.ScatterAdd", static (o, s) => o + s);

    private static Dense<T> ScatterCore<T>(T[] self, StridedLayout selfLayout, int dim, long[] index, StridedLayout indexLayout, T[] src, StridedLayout srcLayout, string k, Func<T, T, T> combine) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(src);
        selfLayout.Validate(self.Length, k, nameof(self));
        indexLayout.Validate(index.Length, k, nameof(index));
        srcLayout.Validate(src.Length, k, nameof(src));
        int d = CheckIndexShape(k, selfLayout, indexLayout, dim, "self");
        if (srcLayout.Rank != indexLayout.Rank)
            throw new ArgumentException($"{k}: src has rank {srcLayout.Rank} but index has rank {indexLayout.Rank}; expected equal ranks", nameof(src));
        for (int i = 0; i < indexLayout.Rank; i++)
            if (indexLayout.Shape[i] > srcLayout.Shape[i])
                throw new ArgumentException($"{k}: index size {indexLayout.Shape[i]} at dim {i} exceeds src size {srcLayout.Shape[i]}; expected index.shape[{i}] <= src.shape[{i}]", nameof(index));
        var output = StridedCopy.ToContiguous(self, selfLayout);
        var shape = indexLayout.Shape;
        if (ShapeMath.Numel(shape) == 0) return new Dense<T>(output, (long[])selfLayout.Shape.Clone());
        var outStrides = ShapeMath.ContiguousStrides(selfLayout.Shape);
        long dimStride = outStrides[d], size = selfLayout.Shape[d];
        outStrides[d] = 0;
        var plan = new RowPlan(shape, indexLayout, new StridedLayout(shape, srcLayout.Strides, srcLayout.Offset), new StridedLayout(shape, outStrides, 0));
        // Sequential on purpose: collisions must resolve in row-major order to be reproducible.
        var cur = plan.At(0);
        long n = plan.InnerSize, si = plan.InnerStrides[0], ss = plan.InnerStrides[1], so = plan.InnerStrides[2];
        for (long r = 0; r < plan.RowCount; r++, cur.Next())
            for (long i = 0; i < n; i++)
            {
                long idx = index[cur.Offsets[0] + i * si];
                if (idx < 0 || idx >= size) throw OutOfRange(k, idx, size, d);
                long o = cur.Offsets[2] + i * so + idx * dimStride;
                output[o] = combine(output[o], src[cur.Offsets[1] + i * ss]);
            }
        return new Dense<T>(output, (long[])selfLayout.Shape.Clone());
    }

    /// <summary>
    /// index_put: a copy of self where, for each l, the slice self[indices[0][l], ..., indices[k-1][l], ...] is set to (or, with
    /// accumulate, increased by) values[l, ...]. The k index arrays (negative wrap) share one length L; values is laid out as [L, rest...].
    /// </summary>
    public static Dense<T> IndexPut<T>(T[] self, StridedLayout selfLayout, long[][] indices, T[] values, StridedLayout valuesLayout, bool accumulate) where T : unmanaged, INumber<T>
    {
        const string k = "Indexing.IndexPut";
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(values);
        selfLayout.Validate(self.Length, k, nameof(self));
        valuesLayout.Validate(values.Length, k, nameof(values));
        int kdims = indices.Length;
        if (kdims == 0 || kdims > selfLayout.Rank)
            throw new ArgumentException($"{k}: {kdims} index arrays given for self of rank {selfLayout.Rank}; expected between 1 and {selfLayout.Rank}", nameof(indices));
        long len = indices[0].Length;
        for (int j = 1; j < kdims; j++)
            if (indices[j].Length != len)
                throw new ArgumentException($"{k}: index array {j} has {indices[j].Length} entries but index array 0 has {len}; expected equal lengths (broadcast them first)", nameof(indices));
        var rest = selfLayout.Shape[kdims..];
        var expected = new[] { len }.Concat(rest).ToArray();
        if (!valuesLayout.Shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{k}: values has shape {ShapeMath.Format(valuesLayout.Shape)}; expected {ShapeMath.Format(expected)} (broadcast values first)", nameof(values));
        var output = StridedCopy.ToContiguous(self, selfLayout);
        var outStrides = ShapeMath.ContiguousStrides(selfLayout.Shape);
        var restStrides = outStrides[kdims..];
        for (long l = 0; l < len; l++)
        {
            long offset = 0;
            for (int j = 0; j < kdims; j++) offset += Wrap(indices[j][l], selfLayout.Shape[j], k, l, j) * outStrides[j];
            var dstLayout = new StridedLayout(rest, restStrides, offset);
            var srcLayout = valuesLayout.Select(0, l);
            if (!accumulate)
            {
                StridedCopy.CopyUnchecked(values, srcLayout, output, dstLayout);
                continue;
            }
            var plan = new RowPlan(rest, dstLayout, srcLayout);
            var cur = plan.At(0);
            for (long r = 0; r < plan.RowCount; r++, cur.Next())
                for (long i = 0; i < plan.InnerSize; i++)
                    output[cur.Offsets[0] + i * plan.InnerStrides[0]] += values[cur.Offsets[1] + i * plan.InnerStrides[1]];
        }
        return new Dense<T>(output, (long[])selfLayout.Shape.Clone());
    }
}

using System.Numerics.Tensors;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>Eager kernels of _cdist_forward, _pdist_forward and _embedding_bag; accumulation in double.</summary>
internal static class DistanceKernels
{
    /// <summary>The p-norm of a difference vector: p = 0 counts nonzeros, p = ∞ takes the largest magnitude.</summary>
    private static double Norm(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double p)
    {
        // The common norms run vectorized; others (and p = 0) take the scalar loop.
        if (p == 2) return TensorPrimitives.Distance(a, b);
        if (p == 1 || double.IsPositiveInfinity(p))
        {
            using var diff = new Scratch<double>(a.Length);
            TensorPrimitives.Subtract(a, b, diff.Span);
            if (p == 1) return TensorPrimitives.SumOfMagnitudes<double>(diff.Span);
            return a.Length == 0 ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude<double>(diff.Span));
        }
        double acc = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs(a[i] - b[i]);
            if (p == 0) acc += d != 0 ? 1 : 0;
            else if (double.IsPositiveInfinity(p)) acc = Math.Max(acc, d);
            else if (p == 1) acc += d;
            else if (p == 2) acc += d * d;
            else acc += Math.Pow(d, p);
        }
        if (p == 0 || p == 1 || double.IsPositiveInfinity(p)) return acc;
        return p == 2 ? Math.Sqrt(acc) : Math.Pow(acc, 1 / p);
    }

    /// <summary>_cdist_forward: out[b, i, j] = ‖x1[b, i] − x2[b, j]‖_p, batch dims broadcast.</summary>
    public static Tensor Cdist(Tensor x1, Tensor x2, double p, SymInt[] outShape)
    {
        var shape = outShape.Select(s => (long)s).ToArray();
        long rows = x1.Sizes[^2], cols = x2.Sizes[^2], m = x1.Sizes[^1];
        var batch = shape[..^2];
        var a = Eager.Dense<double>(Aten.Call(Aten.Expand, x1, batch.Append(rows).Append(m).ToArray()));
        var b = Eager.Dense<double>(Aten.Call(Aten.Expand, x2, batch.Append(cols).Append(m).ToArray()));
        long batches = batch.Aggregate(1L, (x, y) => x * y);
        var o = new double[batches * rows * cols];
        int width = (int)m;
        Cpu.CpuParallel.For(batches * rows, cols * m, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                long bi = r / rows, i = r % rows;
                var left = a.AsSpan((int)((bi * rows + i) * m), width);
                for (long j = 0; j < cols; j++)
                    o[r * cols + j] = Norm(left, b.AsSpan((int)((bi * cols + j) * m), width), p);
            }
        });
        return Eager.Wrap(o, shape, x1.DType);
    }

    /// <summary>_pdist_forward: the distances of all row pairs i &lt; j of an [N, M] tensor, in row-major pair order.</summary>
    public static Tensor Pdist(Tensor x, double p)
    {
        long n = x.Sizes[0], m = x.Sizes[1];
        var d = Eager.Dense<double>(x);
        var o = new double[n <= 1 ? 0 : n * (n - 1) / 2];
        long k = 0;
        for (long i = 0; i < n; i++)
            for (long j = i + 1; j < n; j++)
                o[k++] = Norm(d.AsSpan((int)(i * m), (int)m), d.AsSpan((int)(j * m), (int)m), p);
        return Eager.Wrap(o, [o.LongLength], x.DType);
    }

    /// <summary>
    /// _embedding_bag over 1-D indices split into bags by offsets: sum (0, optionally weighted per sample), mean (1)
    /// or max (2) of each bag's rows, skipping padding_idx. Returns (output, offset2bag, bag_size, max_indices);
    /// an empty bag yields zeros and, in max mode, index -1.
    /// </summary>
    public static Tensor[] EmbeddingBag(Tensor weight, Tensor indicesTensor, Tensor offsetsTensor, long mode, Tensor? perSampleWeights, bool includeLastOffset, long paddingIdx)
    {
        long width = weight.Sizes[1], rows = weight.Sizes[0];
        var w = Eager.Dense<double>(weight);
        var indices = Eager.Dense<long>(indicesTensor);
        var offsets = Eager.Dense<long>(offsetsTensor);
        var psw = perSampleWeights is null ? null : Eager.Dense<double>(perSampleWeights);
        long bags = includeLastOffset ? offsets.Length - 1 : offsets.Length;
        long total = indices.LongLength;
        var output = new double[bags * width];
        var offset2bag = new long[total];
        var bagSize = new long[bags];
        var maxIndices = new long[mode == 2 ? bags * width : bags];
        for (long bag = 0; bag < bags; bag++)
        {
            long start = offsets[bag];
            long end = bag + 1 < offsets.Length ? offsets[bag + 1] : total;
            if (start < 0 || start > end || end > total)
                throw new ArgumentException($"embedding_bag: offsets[{bag}] = {start} to {end} is not a valid range of the {total} indices (offsets must be non-decreasing and start at 0)");
            long count = 0;
            var row = output.AsSpan((int)(bag * width), (int)width);
            if (mode == 2)
            {
                row.Fill(double.NegativeInfinity);
                maxIndices.AsSpan((int)(bag * width), (int)width).Fill(-1);
            }
            for (long t = start; t < end; t++)
            {
                offset2bag[t] = bag;
                long idx = indices[t];
                if (idx < 0 || idx >= rows) throw new IndexValueException($"embedding_bag: index {idx} is out of range for {rows} embeddings");
                if (idx == paddingIdx) continue;
                count++;
                double scale = psw is null ? 1 : psw[t];
                for (long j = 0; j < width; j++)
                {
                    double v = w[idx * width + j];
                    if (mode == 2)
                    {
                        if (v > row[(int)j] || double.IsNaN(v))
                        {
                            row[(int)j] = v;
                            maxIndices[bag * width + j] = idx;
                        }
                    }
                    else
                    {
                        row[(int)j] += v * scale;
                    }
                }
            }
            bagSize[bag] = count;
            if (mode == 1 && count > 0)
                for (int j = 0; j < width; j++) row[j] /= count;
            if (mode == 2 && count == 0) row.Fill(0);
        }
        return
        [
            Eager.Wrap(output, [bags, width], weight.DType),
            Eager.Wrap(offset2bag, [total], DType.Int64),
            Eager.Wrap(bagSize, [bags], DType.Int64),
            Eager.Wrap(maxIndices, mode == 2 ? [bags, width] : [bags], DType.Int64),
        ];
    }
}

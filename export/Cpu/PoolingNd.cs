using System.Numerics;

namespace Graphport.Cpu;

/// <summary>
/// Pooling over 1, 2 or 3 spatial dims (and the backward passes torch's Core ATen opset includes) on contiguous
/// inputs seen as <c>planes × spatial...</c>: every leading (batch, channel) dim is folded into planes. Window and
/// output-size rules are torch's; max-pool indices are flat within a plane.
/// </summary>
public static class PoolingNd
{
    /// <summary>A pooling window per spatial dim (all arrays have one entry per spatial dim).</summary>
    public readonly record struct Window(long[] Kernel, long[] Stride, long[] Padding, long[] Dilation, bool CeilMode)
    {
        public int Rank => Kernel.Length;

        /// <summary>torch's pooling output size per spatial dim.</summary>
        public long[] OutputSizes(long[] input)
        {
            var sizes = new long[Rank];
            for (int i = 0; i < Rank; i++) sizes[i] = Pooling.OutputSize(input[i], Kernel[i], Stride[i], Padding[i], Dilation[i], CeilMode);
            return sizes;
        }
    }

    private static long Numel(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    private static bool Next(long[] index, long[] shape)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (++index[d] < shape[d]) return true;
            index[d] = 0;
        }
        return false;
    }

    private static long Flat(long[] index, long[] shape)
    {
        long f = 0;
        for (int d = 0; d < shape.Length; d++) f = f * shape[d] + index[d];
        return f;
    }

    /// <summary>
    /// Max pooling with dilation: the largest element of each window (NaN wins, as in torch) and its flat index in
    /// the plane; a window with only -inf reports its first in-bounds position.
    /// </summary>
    public static (T[] Output, long[] Indices) MaxPool<T>(T[] x, long planes, long[] inSpatial, Window w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var outSpatial = w.OutputSizes(inSpatial);
        long inPlane = Numel(inSpatial), outPlane = Numel(outSpatial);
        var output = new T[planes * outPlane];
        var indices = new long[output.Length];
        int rank = w.Rank;
        CpuParallel.For(planes, outPlane * Numel(w.Kernel), (p0, p1) =>
        {
            var o = new long[rank];
            var k = new long[rank];
            var pos = new long[rank];
            for (long p = p0; p < p1; p++)
            {
                Array.Clear(o);
                for (long n = 0; n < outPlane; n++, Next(o, outSpatial))
                {
                    T best = T.NegativeInfinity;
                    long bestIndex = -1;
                    Array.Clear(k);
                    do
                    {
                        bool inside = true;
                        for (int d = 0; d < rank && inside; d++)
                        {
                            pos[d] = o[d] * w.Stride[d] - w.Padding[d] + k[d] * w.Dilation[d];
                            inside = pos[d] >= 0 && pos[d] < inSpatial[d];
                        }
                        if (!inside) continue;
                        long flat = Flat(pos, inSpatial);
                        T v = x[p * inPlane + flat];
                        if (bestIndex < 0) bestIndex = flat;
                        if (v > best || T.IsNaN(v))
                        {
                            best = v;
                            bestIndex = flat;
                            if (T.IsNaN(v)) break;
                        }
                    }
                    while (Next(k, w.Kernel));
                    output[p * outPlane + n] = best;
                    indices[p * outPlane + n] = bestIndex;
                }
            }
        });
        return (output, indices);
    }

    /// <summary>The window of output position o along one dim: [start, end) clipped to the input, and torch's divisor extent.</summary>
    private static (long Start, long End, long PaddedExtent) AvgRange(long o, long input, long kernel, long stride, long padding)
    {
        long start = o * stride - padding;
        long end = Math.Min(start + kernel, input + padding);
        long padded = end - start;
        return (Math.Max(start, 0), Math.Min(end, input), padded);
    }

    /// <summary>
    /// Average pooling: window sums divided by divisor_override, else by the window's extent including padding
    /// (count_include_pad, clipped at input + padding) or by the number of input elements it covers.
    /// </summary>
    public static T[] AvgPool<T>(T[] x, long planes, long[] inSpatial, Window w, bool countIncludePad, long? divisor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var outSpatial = w.OutputSizes(inSpatial);
        long inPlane = Numel(inSpatial), outPlane = Numel(outSpatial);
        var output = new T[planes * outPlane];
        CpuParallel.For(planes, outPlane * Numel(w.Kernel), (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
                ForEachAvgWindow(inSpatial, outSpatial, w, countIncludePad, divisor, (n, positions, scale) =>
                {
                    T sum = T.Zero;
                    foreach (var flat in positions) sum += x[p * inPlane + flat];
                    output[p * outPlane + n] = sum * T.CreateTruncating(scale);
                });
        });
        return output;
    }

    /// <summary>avg_pool backward: each output gradient spread evenly (by the forward divisor) over its window.</summary>
    public static T[] AvgPoolBackward<T>(T[] grad, long planes, long[] inSpatial, Window w, bool countIncludePad, long? divisor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var outSpatial = w.OutputSizes(inSpatial);
        long inPlane = Numel(inSpatial), outPlane = Numel(outSpatial);
        var gradInput = new T[planes * inPlane];
        CpuParallel.For(planes, outPlane * Numel(w.Kernel), (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
                ForEachAvgWindow(inSpatial, outSpatial, w, countIncludePad, divisor, (n, positions, scale) =>
                {
                    T g = grad[p * outPlane + n] * T.CreateTruncating(scale);
                    foreach (var flat in positions) gradInput[p * inPlane + flat] += g;
                });
        });
        return gradInput;
    }

    private static void ForEachAvgWindow(long[] inSpatial, long[] outSpatial, Window w, bool countIncludePad, long? divisor, Action<long, List<long>, double> body)
    {
        int rank = w.Rank;
        long outPlane = Numel(outSpatial);
        var o = new long[rank];
        var starts = new long[rank];
        var extents = new long[rank];
        var positions = new List<long>();
        var pos = new long[rank];
        for (long n = 0; n < outPlane; n++, Next(o, outSpatial))
        {
            long padded = 1, covered = 1;
            for (int d = 0; d < rank; d++)
            {
                var (start, end, paddedExtent) = AvgRange(o[d], inSpatial[d], w.Kernel[d], w.Stride[d], w.Padding[d]);
                starts[d] = start;
                extents[d] = Math.Max(end - start, 0);
                padded *= paddedExtent;
                covered *= extents[d];
            }
            positions.Clear();
            if (covered > 0)
            {
                var k = new long[rank];
                do
                {
                    for (int d = 0; d < rank; d++) pos[d] = starts[d] + k[d];
                    positions.Add(Flat(pos, inSpatial));
                }
                while (Next(k, extents));
            }
            long div = divisor ?? (countIncludePad ? padded : covered);
            body(n, positions, div == 0 ? 0 : 1.0 / div);
        }
    }

    /// <summary>max_pool backward: each output gradient added at the input position its index recorded.</summary>
    public static T[] MaxPoolBackward<T>(T[] grad, long[] indices, long planes, long inPlane, long outPlane) where T : unmanaged, INumber<T>
    {
        var gradInput = new T[planes * inPlane];
        for (long p = 0; p < planes; p++)
            for (long n = 0; n < outPlane; n++)
            {
                long i = indices[p * outPlane + n];
                if (i < 0 || i >= inPlane) throw new ArgumentException($"max_pool backward: index {i} is outside the input plane of {inPlane} elements", nameof(indices));
                gradInput[p * inPlane + i] += grad[p * outPlane + n];
            }
        return gradInput;
    }

    /// <summary>Adaptive average pooling: output o averages input [⌊o·I/O⌋, ⌈(o+1)·I/O⌉) along each dim.</summary>
    public static T[] AdaptiveAvgPool<T>(T[] x, long planes, long[] inSpatial, long[] outSpatial) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long inPlane = Numel(inSpatial), outPlane = Numel(outSpatial);
        var output = new T[planes * outPlane];
        CpuParallel.For(planes, inPlane + outPlane, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
                ForEachAdaptiveWindow(inSpatial, outSpatial, (n, positions) =>
                {
                    T sum = T.Zero;
                    foreach (var flat in positions) sum += x[p * inPlane + flat];
                    output[p * outPlane + n] = positions.Count == 0 ? T.NaN : sum / T.CreateTruncating(positions.Count);
                });
        });
        return output;
    }

    /// <summary>Adaptive average pooling backward: each output gradient divided evenly over its window.</summary>
    public static T[] AdaptiveAvgPoolBackward<T>(T[] grad, long planes, long[] inSpatial, long[] outSpatial) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long inPlane = Numel(inSpatial), outPlane = Numel(outSpatial);
        var gradInput = new T[planes * inPlane];
        CpuParallel.For(planes, inPlane + outPlane, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
                ForEachAdaptiveWindow(inSpatial, outSpatial, (n, positions) =>
                {
                    if (positions.Count == 0) return;
                    T g = grad[p * outPlane + n] / T.CreateTruncating(positions.Count);
                    foreach (var flat in positions) gradInput[p * inPlane + flat] += g;
                });
        });
        return gradInput;
    }

    private static void ForEachAdaptiveWindow(long[] inSpatial, long[] outSpatial, Action<long, List<long>> body)
    {
        int rank = inSpatial.Length;
        long outPlane = Numel(outSpatial);
        var o = new long[rank];
        var starts = new long[rank];
        var extents = new long[rank];
        var pos = new long[rank];
        var positions = new List<long>();
        for (long n = 0; n < outPlane; n++, Next(o, outSpatial))
        {
            bool empty = false;
            for (int d = 0; d < rank; d++)
            {
                var (start, end) = Pooling.AdaptiveWindow(o[d], inSpatial[d], outSpatial[d]);
                starts[d] = start;
                extents[d] = end - start;
                empty |= extents[d] <= 0;
            }
            positions.Clear();
            if (!empty)
            {
                var k = new long[rank];
                do
                {
                    for (int d = 0; d < rank; d++) pos[d] = starts[d] + k[d];
                    positions.Add(Flat(pos, inSpatial));
                }
                while (Next(k, extents));
            }
            body(n, positions);
        }
    }
}

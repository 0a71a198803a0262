using System.Numerics;

namespace Graphport.Cpu;

/// <summary>
/// Gradients of an N-d (1-3 spatial dims) grouped, strided, dilated convolution or transposed convolution, written
/// from the forward sum: every (position, kernel tap) pair that touched an input and an output in the forward pass
/// sends gradient back along the same pair. Contiguous NC... layouts.
/// </summary>
public static class ConvolutionBackward
{
    /// <summary>Forward geometry: spatial sizes of input and output, kernel sizes, and per-dim stride/padding/dilation.</summary>
    public readonly record struct Geometry(long[] InputSpatial, long[] OutputSpatial, long[] Kernel, long[] Stride, long[] Padding, long[] Dilation);

    private static long Numel(long[] s) => s.Aggregate(1L, (a, b) => a * b);

    private static bool Next(long[] index, long[] shape)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (++index[d] < shape[d]) return true;
            index[d] = 0;
        }
        return false;
    }

    /// <summary>
    /// Pairs (p, k, q) of a flat position p in the "from" space, a flat kernel tap k and the flat position q in the "to"
    /// space with q = p·stride − padding + k·dilation per dim, for all in-bounds q. For a convolution "from" is the
    /// output; for a transposed convolution it is the input.
    /// </summary>
    private static (long P, long K, long Q)[] Taps(long[] from, long[] to, Geometry g)
    {
        int rank = from.Length;
        var taps = new List<(long, long, long)>();
        if (Numel(from) == 0 || Numel(g.Kernel) == 0) return [];
        var p = new long[rank];
        long pf = 0;
        do
        {
            var k = new long[rank];
            long kf = 0;
            do
            {
                long q = 0;
                bool inside = true;
                for (int d = 0; d < rank; d++)
                {
                    long c = p[d] * g.Stride[d] - g.Padding[d] + k[d] * g.Dilation[d];
                    if (c < 0 || c >= to[d])
                    {
                        inside = false;
                        break;
                    }
                    q = q * to[d] + c;
                }
                if (inside) taps.Add((pf, kf, q));
                kf++;
            }
            while (Next(k, g.Kernel));
            pf++;
        }
        while (Next(p, from));
        return [.. taps];
    }

    /// <summary>
    /// Returns (grad_input, grad_weight) for a convolution whose weight is [C1, C2/groups, k...]: C1 = out channels
    /// for a convolution, in channels for a transposed one. Either result may be skipped (null).
    /// </summary>
    public static (T[]? GradInput, T[]? GradWeight) Compute<T>(T[] gradOutput, T[] input, T[] weight, long batch, long inChannels, long outChannels,
        long groups, Geometry g, bool transposed, bool wantInput, bool wantWeight) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long inPlane = Numel(g.InputSpatial), outPlane = Numel(g.OutputSpatial), kernelSize = Numel(g.Kernel);
        // A is the tensor indexed by the weight's first channel dim, B the one indexed by its second.
        long c1 = transposed ? inChannels : outChannels;
        long c2 = transposed ? outChannels : inChannels;
        long c1g = c1 / groups, c2g = c2 / groups;
        T[] a = transposed ? input : gradOutput, b = transposed ? gradOutput : input;
        long aPlane = transposed ? inPlane : outPlane, bPlane = transposed ? outPlane : inPlane;
        var taps = transposed ? Taps(g.InputSpatial, g.OutputSpatial, g) : Taps(g.OutputSpatial, g.InputSpatial, g);

        T[]? gradWeight = null;
        if (wantWeight)
        {
            var gw = new T[c1 * c2g * kernelSize];
            CpuParallel.For(c1, batch * c2g * taps.Length, (x0, x1) =>
            {
                for (long ch1 = x0; ch1 < x1; ch1++)
                {
                    long grp = ch1 / c1g;
                    for (long n = 0; n < batch; n++)
                    {
                        long aBase = (n * c1 + ch1) * aPlane;
                        for (long cl = 0; cl < c2g; cl++)
                        {
                            long bBase = (n * c2 + grp * c2g + cl) * bPlane;
                            long wBase = (ch1 * c2g + cl) * kernelSize;
                            foreach (var (p, k, q) in taps) gw[wBase + k] += a[aBase + p] * b[bBase + q];
                        }
                    }
                }
            });
            gradWeight = gw;
        }

        T[]? gradInput = null;
        if (wantInput)
        {
            var gi = new T[batch * inChannels * inPlane];
            CpuParallel.For(batch, c1 * c2g * taps.Length, (n0, n1) =>
            {
                for (long n = n0; n < n1; n++)
                    for (long ch1 = 0; ch1 < c1; ch1++)
                    {
                        long grp = ch1 / c1g;
                        long aBase = (n * c1 + ch1) * aPlane;
                        for (long cl = 0; cl < c2g; cl++)
                        {
                            long bBase = (n * c2 + grp * c2g + cl) * bPlane;
                            long wBase = (ch1 * c2g + cl) * kernelSize;
                            // Convolution: the input is B (grad flows A·w → B); transposed: the input is A (B·w → A).
                            if (transposed)
                                foreach (var (p, k, q) in taps) gi[aBase + p] += b[bBase + q] * weight[wBase + k];
                            else
                                foreach (var (p, k, q) in taps) gi[bBase + q] += a[aBase + p] * weight[wBase + k];
                        }
                    }
            });
            gradInput = gi;
        }
        return (gradInput, gradWeight);
    }
}

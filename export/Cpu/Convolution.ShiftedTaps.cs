using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graphport.Cpu;

public static partial class Convolution
{
    /// <summary>
    /// Output channels per group up to which <see cref="ShiftedTaps{T}"/> replaces vol2col: the products' B is then
    /// read in place by the GEMM (<c>Gemm.InPlaceBMaxRows</c>), so no element of the input is copied per tap.
    /// </summary>
    private const int ShiftedTapsMaxChannels = 96;

    /// <summary>Output positions (of the padded grid) per task: a multiple of the GEMM's widest panel.</summary>
    private const int ShiftedTapsBlock = 512;

    /// <summary>The padded copy of the input is at most this many elements (1 GiB of float); larger inputs use vol2col, which works in blocks.</summary>
    private const long ShiftedTapsMaxCopy = 1L << 28;

    // 2-D (or 1-D) stride-1 convolutions with a kernel larger than 1×1, a few output channels and more than a few
    // input channels: PP-OCR's 96→24 3×3 heads, ResNet's and U-Net's 64-channel 3×3 layers. Not on small planes
    // (PP-OCR recognition's 1×40 necks): there the per-call reordering of the weights and three products of 40
    // columns cost more than vol2col's single product (0.16 ms, 0.34 ms this way).
    private static bool ShiftedTapsApply(in Geometry g, long n, long c, int outPerGroup, int inPerGroup) =>
        g.In.D == 1 && g.Kernel.D == 1 && g.Stride == new Dims3(1, 1, 1) && g.Kernel.Volume > 1 &&
        outPerGroup <= ShiftedTapsMaxChannels && inPerGroup >= 8 && (long)g.Out.H * (g.In.W + 2 * g.Pad.W) >= 256 &&
        n * c * (g.In.H + 2L * g.Pad.H) * (g.In.W + 2L * g.Pad.W) <= ShiftedTapsMaxCopy;

    /// <summary>
    /// A stride-1 convolution as one GEMM per kernel tap, with no vol2col: on a copy of the input zero-padded on every
    /// side, tap (ki, kj) of the output at padded position p = y·Wp + x reads input element p + ki·dilH·Wp + kj·dilW,
    /// so its B matrix is the padded input itself, shifted, with the channel planes as rows. Outputs are computed on
    /// the padded grid's rows (Wp wide, the last Wp − OW columns read across the row's end and are dropped), a block of
    /// positions at a time into a scratch tile that accumulates all taps, then copied out row by row. vol2col wrote
    /// kH·kW copies of every input element for GEMMs that use each only a few dozen times (PP-OCR's 96→24 3×3 at
    /// 160×160 spent more time unfolding than multiplying); here the input is copied once.
    /// </summary>
    private static void ShiftedTaps<T>(T[] input, T[] weight, T[]? bias, T[] output, int n, int c, int o, int groups, Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cg = c / groups, og = o / groups, kh = g.Kernel.H, kw = g.Kernel.W, taps = kh * kw;
        int h = g.In.H, w = g.In.W, ph = g.Pad.H, pw = g.Pad.W, oh = g.Out.H, ow = g.Out.W;
        int hp = h + 2 * ph, wp = w + 2 * pw;
        long plane = (long)hp * wp, units = (long)n * groups;
        int positions = checked(oh * wp);
        // The last channel's dropped columns, and the GEMM's full panels, read up to a row's worth past its plane.
        long slack = (long)(kw - 1) * g.Dil.W + 64;
        var padded = ArrayPool<T>.Shared.Rent(checked((int)(n * c * plane + slack)));
        // The weights as [group][tap][out][in], so each tap's A is a plain matrix the GEMM reads in place.
        var tapWeights = ArrayPool<T>.Shared.Rent(o * cg * taps);
        try
        {
            PadPlanes(input, padded, n * c, g, hp, wp, slack);
            for (int oc = 0; oc < o; oc++)
                for (int ic = 0; ic < cg; ic++)
                    for (int t = 0; t < taps; t++)
                        tapWeights[((long)(oc / og) * taps + t) * og * cg + (long)(oc % og) * cg + ic] = weight[((long)oc * cg + ic) * taps + t];
            int block = Math.Min(ShiftedTapsBlock, (positions + MinColumns - 1) / MinColumns * MinColumns);
            long blocks = CeilDiv(positions, block), tasks = units * blocks;
            double flopsPerTask = 2.0 * og * cg * taps * block;
            CpuParallel.For(tasks, flopsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t0, t1) =>
            {
                using var tile = new Scratch<T>(og * block);
                for (long t = t0; t < t1; t++)
                {
                    long u = t / blocks, b = u / groups, grp = u % groups;
                    int p0 = (int)(t % blocks) * block, pn = Math.Min(block, positions - p0);
                    long inBase = (b * c + grp * cg) * plane + p0;
                    if (bias != null)
                        for (int r = 0; r < og; r++) tile.Span.Slice(r * pn, pn).Fill(bias[grp * og + r]);
                    unsafe
                    {
                        fixed (T* pp = padded)
                        fixed (T* pwt = tapWeights)
                        fixed (T* pt = tile.Span)
                        {
                            for (int ki = 0, tap = 0; ki < kh; ki++)
                                for (int kj = 0; kj < kw; kj++, tap++)
                                {
                                    long shift = (long)ki * g.Dil.H * wp + (long)kj * g.Dil.W;
                                    T beta = bias != null || tap > 0 ? T.One : T.Zero;
                                    Gemm.Core(false, false, og, pn, cg, T.One, pwt + (grp * taps + tap) * og * cg, cg, pp + inBase + shift, (int)plane, beta, pt, pn, allowParallel: false);
                                }
                        }
                    }
                    // Keep the columns that are outputs: padded row y holds output row y in its first OW columns.
                    long outBase = (b * o + grp * og) * (long)oh * ow;
                    for (int p = p0; p < p0 + pn;)
                    {
                        int y = p / wp, x = p % wp, run = Math.Min(wp - x, p0 + pn - p);
                        int keep = Math.Min(run, ow - x);
                        if (keep > 0)
                            for (int r = 0; r < og; r++)
                                tile.Span.Slice(r * pn + (p - p0), keep).CopyTo(output.AsSpan((int)(outBase + (long)r * oh * ow + (long)y * ow + x), keep));
                        p += run;
                    }
                }
            });
        }
        finally
        {
            ArrayPool<T>.Shared.Return(padded);
            ArrayPool<T>.Shared.Return(tapWeights);
        }
    }

    /// <summary>Copies each of <paramref name="planes"/> H×W planes into the middle of a zeroed hp×wp plane, and zeroes the slack after the last.</summary>
    private static void PadPlanes<T>(T[] input, T[] padded, long planes, Geometry g, int hp, int wp, long slack) where T : unmanaged
    {
        int h = g.In.H, w = g.In.W, ph = g.Pad.H, pw = g.Pad.W;
        long plane = (long)hp * wp;
        CpuParallel.For(planes, plane, (c0, c1) =>
        {
            for (long ch = c0; ch < c1; ch++)
            {
                var dst = padded.AsSpan((int)(ch * plane), (int)plane);
                dst[..(ph * wp + pw)].Clear();
                for (int y = 0; y < h; y++)
                {
                    int rowStart = (y + ph) * wp + pw;
                    input.AsSpan((int)(ch * h * w + (long)y * w), w).CopyTo(dst.Slice(rowStart, w));
                    // The right padding of this row and the left padding of the next are adjacent.
                    int gap = y + 1 < h ? 2 * pw : (int)(plane - rowStart - w);
                    dst.Slice(rowStart + w, gap).Clear();
                }
            }
        });
        padded.AsSpan((int)(planes * plane), (int)slack).Clear();
    }
}

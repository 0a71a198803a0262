using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

public static partial class Convolution
{
    /// <summary>The padded, phase-split copy of the input is at most this many elements (1 GiB of float); larger inputs use vol2col, which works in blocks.</summary>
    private const long TapRowsMaxCopy = 1L << 28;

    /// <summary>Elements of one task's output tile (256 KiB of float): it stays in L2 while every row of the product adds into it.</summary>
    private const int TapRowsTileBudget = 1 << 16;

    // 1-D and 2-D convolutions (any stride, padding and dilation) whose padded input can be copied once, unless the
    // grid's dropped columns are more than a sixth of it (ResNet's last 3×3 layers: 9-wide rows for 7 outputs, where
    // vol2col's product wastes less).
    private static bool TapRowsApply(in Geometry g, long n, long c)
    {
        if (g.In.D != 1 || g.Kernel.D != 1) return false;
        long hq = CeilDiv(g.In.H + 2L * g.Pad.H, g.Stride.H), wq = CeilDiv(g.In.W + 2L * g.Pad.W, g.Stride.W);
        return 6 * (wq - g.Out.W) <= wq && n * c * g.Stride.H * g.Stride.W * hq * wq <= TapRowsMaxCopy;
    }

    /// <summary>
    /// A convolution as one GEMM per block of output positions whose B rows are never gathered (no vol2col): the input
    /// is copied once, zero-padded and split into its stride phases (element (y, x) of the padded plane goes to phase
    /// (y mod sH, x mod sW) at (y div sH, x div sW)), so kernel tap (ki, kj) of output (y, x) reads phase
    /// ((ki·dH) mod sH, (kj·dW) mod sW) at (y + ki·dH div sH, x + kj·dW div sW): on a grid of phase-wide rows, output
    /// position p = y·Wq + x and tap t read element p + shift(t) of one phase plane. The product's B row for
    /// (channel, tap) is that plane from that shift, given to the GEMM as an address (<see cref="Gemm.CoreRows{T}"/>),
    /// which reads it in place (1×1 layers with many outputs: packs it straight from there); A is the weight as it is stored ([O][C/g][kH][kW],
    /// whose rows run over (channel, tap) in the same order). The grid's last Wq − OW columns of each row read across
    /// the row's end; they are computed into the task's tile and dropped when the tile is copied out. vol2col wrote
    /// kH·kW copies of every input element for a product that then packed them again.
    /// </summary>
    private static void TapRows<T>(T[] input, T[] weight, T[]? bias, T[] output, int n, int c, int o, int groups, Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cg = c / groups, og = o / groups, kh = g.Kernel.H, kw = g.Kernel.W, taps = kh * kw, sh = g.Stride.H, sw = g.Stride.W;
        int hq = (int)CeilDiv(g.In.H + 2L * g.Pad.H, sh), wq = (int)CeilDiv(g.In.W + 2L * g.Pad.W, sw);
        int oh = g.Out.H, ow = g.Out.W, k = cg * taps;
        long phasePlane = (long)hq * wq, channelBlock = phasePlane * sh * sw, units = (long)n * groups;
        int positions = checked(oh * wq);
        // The dropped columns of the last rows, and the GEMM's full panels, read up to a row's worth past a plane.
        long slack = (long)(kw - 1) * g.Dil.W / sw + 64;
        // A 1×1 stride-1 convolution without padding reads its input planes as they are: nothing to copy.
        bool copied = !g.IsPointwise;
        var phased = copied ? ArrayPool<T>.Shared.Rent(checked((int)(n * c * channelBlock + slack))) : input;
        // Each (channel, tap)'s offset from its unit's base: the phase plane it reads, plus the tap's shift there.
        var rowOffsets = new long[k];
        for (int ci = 0; ci < cg; ci++)
            for (int ki = 0, t = 0; ki < kh; ki++)
                for (int kj = 0; kj < kw; kj++, t++)
                {
                    int dy = ki * g.Dil.H, dx = kj * g.Dil.W;
                    rowOffsets[ci * taps + t] = ci * channelBlock + ((dy % sh) * sw + dx % sw) * phasePlane + (long)(dy / sh) * wq + dx / sw;
                }
        try
        {
            if (copied)
            {
                SplitPaddedPhases(input, phased, (long)n * c, g, hq, wq);
                phased.AsSpan((int)(n * c * channelBlock), (int)slack).Clear();
            }
            int align = MinColumns;
            // The output tile stays in L2 while every row of the product adds into it.
            long widest = TapRowsTileBudget / Math.Max(og, 1);
            // Kernels with several taps read B where it lies however many output channels there are (ResNet-18's
            // 128-channel 3×3 at 28×28: 194 GF/s packed, 216 in place); 1×1 layers with many outputs pack it, as
            // plain GEMMs do (PP-OCR recognition's 480→480 1×1 at 6×80: 0.92 ms packed, 1.03 in place).
            bool readInPlace = taps > 1;
            int block = ItemsPerTask(positions, Math.Max(align, widest / align * align), align, units, 2.0 * og * k * positions * units, align);
            long blocks = CeilDiv(positions, block), tasks = units * blocks;
            double flopsPerTask = 2.0 * og * k * block;
            // A few large products (late layers: many channels, few positions) parallelize inside the GEMM instead.
            bool inner = tasks < Environment.ProcessorCount && flopsPerTask >= 4e6;
            // Grid rows as wide as output rows (no column dropped: 1-wide kernels without padding) are the output's
            // rows: the product then writes its block of the output directly.
            bool direct = wq == ow;
            CpuParallel.ForFlops(inner ? 1 : tasks, inner ? 1 : flopsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t0, t1) =>
            {
                using var tile = new Scratch<T>(direct ? 0 : og * block);
                var rows = ArrayPool<nint>.Shared.Rent(k);
                try
                {
                    long unitBuilt = -1;
                    for (long t = inner ? 0 : t0; t < (inner ? tasks : t1); t++)
                    {
                        long u = t / blocks, b = u / groups, grp = u % groups;
                        int p0 = (int)(t % blocks) * block, pn = Math.Min(block, positions - p0);
                        long outBase = (b * o + grp * og) * (long)oh * ow;
                        // C: the task's tile (pn wide), or the output block itself (rows of all positions).
                        var target = direct ? output.AsSpan((int)(outBase + p0)) : tile.Span;
                        int ldc = direct ? positions : pn;
                        unsafe
                        {
                            fixed (T* pp = phased)
                            fixed (T* pw = weight)
                            fixed (T* pc = target)
                            fixed (T* pb = bias)
                            fixed (nint* pr = rows)
                            {
                                if (unitBuilt != u)
                                {
                                    T* unitBase = pp + (b * c + grp * cg) * channelBlock;
                                    for (int r = 0; r < k; r++) pr[r] = (nint)(unitBase + rowOffsets[r]);
                                    unitBuilt = u;
                                }
                                // The bias is added as the product writes its tile, not filled in first.
                                Gemm.CoreRows(og, pn, k, pw + grp * og * k, k, (T**)pr, p0, T.Zero, pc, ldc, allowParallel: inner, rowBias: pb == null ? null : pb + grp * og,
                                    inPlace: readInPlace);
                            }
                        }
                        if (direct) continue;
                        // Keep the columns that are outputs: grid row y holds output row y in its first OW columns.
                        for (int p = p0; p < p0 + pn;)
                        {
                            int y = p / wq, x = p % wq, run = Math.Min(wq - x, p0 + pn - p);
                            int keep = Math.Min(run, ow - x);
                            if (keep > 0)
                                for (int r = 0; r < og; r++)
                                    tile.Span.Slice(r * pn + (p - p0), keep).CopyTo(output.AsSpan((int)(outBase + (long)r * oh * ow + (long)y * ow + x), keep));
                            p += run;
                        }
                    }
                }
                finally
                {
                    ArrayPool<nint>.Shared.Return(rows);
                }
            });
        }
        finally
        {
            if (copied) ArrayPool<T>.Shared.Return(phased);
        }
    }

    /// <summary>
    /// Copies each of <paramref name="planes"/> H×W planes, zero-padded, into sH·sW phase planes of hq×wq: phase
    /// (a, b) holds the padded plane's elements (i·sH + a, j·sW + b), zeros where that is padding or past its end.
    /// Phases no kernel tap reads are left as they are.
    /// </summary>
    private static void SplitPaddedPhases<T>(T[] input, T[] phased, long planes, Geometry g, int hq, int wq) where T : unmanaged
    {
        int h = g.In.H, w = g.In.W, ph = g.Pad.H, pw = g.Pad.W, sh = g.Stride.H, sw = g.Stride.W;
        long phasePlane = (long)hq * wq, channelBlock = phasePlane * sh * sw;
        // Only the phases some tap reads (a 1×1 stride-2 convolution reads one of four).
        var rowPhases = Enumerable.Range(0, g.Kernel.H).Select(ki => ki * g.Dil.H % sh).ToHashSet();
        var columnPhases = Enumerable.Range(0, g.Kernel.W).Select(kj => kj * g.Dil.W % sw).ToHashSet();
        CpuParallel.For(planes, channelBlock, (c0, c1) =>
        {
            for (long ch = c0; ch < c1; ch++)
            {
                var source = input.AsSpan((int)(ch * h * w), h * w);
                foreach (int a in rowPhases)
                    foreach (int bPhase in columnPhases)
                    {
                        var plane = phased.AsSpan((int)(ch * channelBlock + (a * sw + bPhase) * phasePlane), (int)phasePlane);
                        // Columns j of this phase read input column j·sW + b − padW: the valid ones are [j0, j1).
                        int j0 = Math.Max(0, (int)CeilDiv(pw - bPhase, sw)), j1 = Math.Min(wq, (int)CeilDiv(w + pw - bPhase, sw));
                        for (int i = 0; i < hq; i++)
                        {
                            var row = plane.Slice(i * wq, wq);
                            int y = i * sh + a - ph;
                            if (y < 0 || y >= h || j1 <= j0)
                            {
                                row.Clear();
                                continue;
                            }
                            row[..j0].Clear();
                            row[j1..].Clear();
                            var inRow = source.Slice(y * w, w);
                            int x0 = j0 * sw + bPhase - pw;
                            if (sw == 1) inRow.Slice(x0, j1 - j0).CopyTo(row[j0..j1]);
                            else if (sw == 2 && typeof(T) == typeof(float))
                                PairInterleave.TakeEven(MemoryMarshal.Cast<T, float>(inRow[x0..]), MemoryMarshal.Cast<T, float>(row[j0..j1]));
                            else
                                for (int j = j0, x = x0; j < j1; j++, x += sw) row[j] = inRow[x];
                        }
                    }
            }
        });
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graphport.Cpu;

public static partial class Convolution
{
    // A transposed convolution whose kernel taps land on distinct output positions: no padding or dilation and a
    // stride at least the kernel in every dim (the k2 s2 upsampling of DB text detectors and U-Nets).
    private static bool TapsNeverOverlap(in Geometry g) =>
        g.Pad == new Dims3(0, 0, 0) && g.Dil == new Dims3(1, 1, 1) && g.Kernel.D <= g.Stride.D && g.Kernel.H <= g.Stride.H && g.Kernel.W <= g.Stride.W;

    /// <summary>
    /// The transposed convolution of <see cref="TapsNeverOverlap"/>: each output position gets at most one product,
    /// so tasks split the input's rows (every output channel at once, one GEMM of all channels and taps) and write
    /// their output rows without adding into them. The general path splits output channels instead, which with
    /// few channels and large planes made GEMMs of four rows that each read the whole input (24→24 channels k2 s2
    /// at 160×160: 8.5 ms, against 1.5 ms for the same GEMM as a 1×1 convolution).
    /// </summary>
    private static void TransposedNonOverlapping<T>(T[] input, T[] weight, T[]? bias, T[] output, int n, int cin, int coutG, int groups, Geometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // g.In is the transposed conv's output and g.Out its input (the geometry of the convolution it transposes).
        int cinG = cin / groups, taps = g.Kernel.Volume, M = coutG * taps, P = g.Out.Volume, oplane = g.In.Volume, cout = coutG * groups;
        int rows = g.Out.D * g.Out.H, width = g.Out.W;
        bool gaps = g.Kernel != g.Stride || g.In != new Dims3(g.Out.D * g.Stride.D, g.Out.H * g.Stride.H, g.Out.W * g.Stride.W);
        if (gaps)
        {
            // Positions no tap reaches (a stride wider than the kernel, output padding) hold the bias alone.
            if (bias != null)
                for (long plane = 0; plane < (long)n * cout; plane++)
                    output.AsSpan((int)(plane * oplane), oplane).Fill(bias[(int)(plane % cout)]);
        }
        long units = (long)n * groups;
        int rowsPerTask = ItemsPerTask(rows, Math.Max(1, ColumnBudget / Math.Max(1, M * width)), 1, units, 2.0 * M * cinG * P * units);
        long blocks = CeilDiv(rows, rowsPerTask);
        CpuParallel.ForFlops(units * blocks, 2.0 * M * cinG * rowsPerTask * width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t0, t1) =>
        {
            using var col = new Scratch<T>(M * rowsPerTask * width);
            for (long t = t0; t < t1; t++)
            {
                long u = t / blocks, b = u / groups, grp = u % groups;
                int r0 = (int)(t % blocks) * rowsPerTask, rn = Math.Min(rowsPerTask, rows - r0), cols = rn * width;
                long inOffset = (b * cin + grp * cinG) * P + (long)r0 * width;
                unsafe
                {
                    fixed (T* pw = weight)
                    fixed (T* pi = input)
                    fixed (T* pcol = col.Span)
                    {
                        // col[channel·taps + tap, position] for this block's positions: op(A) = the group's weights [cinG, M] transposed.
                        Gemm.Core(true, false, M, cols, cinG, T.One, pw + (long)grp * cinG * M, M, pi + inOffset, P, T.Zero, pcol, cols, allowParallel: false);
                    }
                }
                var block = col.Span[..(M * cols)];
                for (int ch = 0; ch < coutG; ch++)
                {
                    int channel = (int)grp * coutG + ch;
                    T add = bias != null ? bias[channel] : T.Zero;
                    var plane = output.AsSpan((int)((b * cout + channel) * oplane), oplane);
                    for (int kd = 0; kd < g.Kernel.D; kd++)
                        for (int ki = 0; ki < g.Kernel.H; ki++)
                        {
                            if (typeof(T) == typeof(float) && g.Kernel.W == 2 && g.Stride.W == 2 && Avx.IsSupported)
                            {
                                // The k2 s2 upsampling: a row's two taps interleave into one contiguous output row.
                                int first = (ch * taps + (kd * g.Kernel.H + ki) * 2) * cols;
                                var left = MemoryMarshal.Cast<T, float>(block.Slice(first, cols));
                                var right = MemoryMarshal.Cast<T, float>(block.Slice(first + cols, cols));
                                for (int r = 0; r < rn; r++)
                                {
                                    int z = (r0 + r) / g.Out.H, y = (r0 + r) % g.Out.H;
                                    var dst = MemoryMarshal.Cast<T, float>(plane.Slice(((z * g.Stride.D + kd) * g.In.H + y * g.Stride.H + ki) * g.In.W, 2 * width));
                                    PairInterleave.Float(left.Slice(r * width, width), right.Slice(r * width, width), float.CreateTruncating(add), dst);
                                }
                                continue;
                            }
                            for (int kj = 0; kj < g.Kernel.W; kj++)
                            {
                                var src = block.Slice((ch * taps + (kd * g.Kernel.H + ki) * g.Kernel.W + kj) * cols, cols);
                                for (int r = 0; r < rn; r++)
                                {
                                    int z = (r0 + r) / g.Out.H, y = (r0 + r) % g.Out.H;
                                    var dst = plane.Slice(((z * g.Stride.D + kd) * g.In.H + y * g.Stride.H + ki) * g.In.W + kj);
                                    var srow = src.Slice(r * width, width);
                                    int step = g.Stride.W;
                                    for (int x = 0; x < width; x++) dst[x * step] = srow[x] + add;
                                }
                            }
                        }
                }
            }
        });
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graphport.Cpu;

public static partial class Convolution
{
    // 2-D depthwise convolutions with a horizontal stride of 1 or 2 and no horizontal dilation: MobileNet's and
    // PP-LCNet's 3×3 and 5×5 layers.
    private static bool DepthwiseRowsApply(in Geometry g) =>
        g.Kernel.D == 1 && g.In.D == 1 && g.Stride.D == 1 && g.Dil.W == 1 && g.Stride.W is 1 or 2 && g.Kernel.W <= 16;

    /// <summary>
    /// Depthwise convolution one output row at a time with every tap of the row's vectors accumulated in registers:
    /// each task copies its channel's input rows once into zero-padded rows (for a horizontal stride of 2, split into
    /// even and odd columns, so every tap reads consecutive elements), and each vector of outputs then takes
    /// kH·kW multiply-adds of unaligned loads and one store. The row-by-row path it replaces made one library call
    /// per tap and output row (25 of 40 elements each for a 5×5 layer at 40×40) and fell back to scalar code at
    /// stride 2, 4-8 GFLOP/s where this runs several times that.
    /// </summary>
    private static void DepthwiseRows<T>(T[] input, T[] weight, T[]? bias, T[] output, int n, int c, Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inPlane = g.In.H * g.In.W, outPlane = g.Out.H * g.Out.W, kh = g.Kernel.H, kw = g.Kernel.W, sw = g.Stride.W;
        int lanes = Vector<T>.Count;
        int outWide = (g.Out.W + lanes - 1) / lanes * lanes;
        // A padded row holds padW zeros, the row, and zeros up to what the last vector's last tap reads.
        int phaseWidth = outWide + (kw - 1) / sw + 1;
        int rowWidth = phaseWidth * sw;
        CpuParallel.ForFlops((long)n * c, 2.0 * outPlane * kh * kw, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (u0, u1) =>
        {
            using var rows = new Scratch<T>(g.In.H * rowWidth);
            using var line = new Scratch<T>(outWide);
            var taps = new Vector<T>[kh * kw];
            // Where tap column kj of output column 0 is in a padded row: column kj, or for stride 2 (padded column
            // 2x + kj) phase kj % 2 at element kj / 2; output column x adds x.
            var columnOf = new int[kw];
            for (int kj = 0; kj < kw; kj++) columnOf[kj] = sw == 1 ? kj : (kj & 1) * phaseWidth + (kj >> 1);
            for (long u = u0; u < u1; u++)
            {
                int ch = (int)(u % c);
                var src = input.AsSpan((int)(u * inPlane), inPlane);
                var dst = output.AsSpan((int)(u * outPlane), outPlane);
                var padded = rows.Span;
                padded.Clear();
                for (int y = 0; y < g.In.H; y++)
                {
                    var from = src.Slice(y * g.In.W, g.In.W);
                    var to = padded.Slice(y * rowWidth, rowWidth);
                    if (sw == 1) from.CopyTo(to[g.Pad.W..]);
                    else SplitEvenOdd(from, to, g.Pad.W, phaseWidth);
                }
                for (int t = 0; t < taps.Length; t++) taps[t] = new Vector<T>(weight[ch * kh * kw + t]);
                T start = bias != null ? bias[ch] : T.Zero;
                var acc = line.Span;
                for (int y = 0; y < g.Out.H; y++)
                {
                    int x = 0;
                    // Four vectors at a time, each tap's weight and row read once for all four.
                    for (; x + 4 * lanes <= outWide; x += 4 * lanes)
                    {
                        Vector<T> s0 = new(start), s1 = s0, s2 = s0, s3 = s0;
                        for (int ki = 0; ki < kh; ki++)
                        {
                            int iy = y * g.Stride.H - g.Pad.H + ki * g.Dil.H;
                            if ((uint)iy >= (uint)g.In.H) continue;
                            ref T row = ref padded[iy * rowWidth + x];
                            for (int kj = 0; kj < kw; kj++)
                            {
                                var t = taps[ki * kw + kj];
                                nuint at = (nuint)columnOf[kj];
                                s0 += Vector.LoadUnsafe(ref row, at) * t;
                                s1 += Vector.LoadUnsafe(ref row, at + (nuint)lanes) * t;
                                s2 += Vector.LoadUnsafe(ref row, at + (nuint)(2 * lanes)) * t;
                                s3 += Vector.LoadUnsafe(ref row, at + (nuint)(3 * lanes)) * t;
                            }
                        }
                        s0.StoreUnsafe(ref acc[x]);
                        s1.StoreUnsafe(ref acc[x + lanes]);
                        s2.StoreUnsafe(ref acc[x + 2 * lanes]);
                        s3.StoreUnsafe(ref acc[x + 3 * lanes]);
                    }
                    for (; x + 2 * lanes <= outWide; x += 2 * lanes)
                    {
                        Vector<T> s0 = new(start), s1 = s0;
                        for (int ki = 0; ki < kh; ki++)
                        {
                            int iy = y * g.Stride.H - g.Pad.H + ki * g.Dil.H;
                            if ((uint)iy >= (uint)g.In.H) continue;
                            ref T row = ref padded[iy * rowWidth + x];
                            for (int kj = 0; kj < kw; kj++)
                            {
                                var t = taps[ki * kw + kj];
                                nuint at = (nuint)columnOf[kj];
                                s0 += Vector.LoadUnsafe(ref row, at) * t;
                                s1 += Vector.LoadUnsafe(ref row, at + (nuint)lanes) * t;
                            }
                        }
                        s0.StoreUnsafe(ref acc[x]);
                        s1.StoreUnsafe(ref acc[x + lanes]);
                    }
                    for (; x < outWide; x += lanes)
                    {
                        var sum = new Vector<T>(start);
                        for (int ki = 0; ki < kh; ki++)
                        {
                            int iy = y * g.Stride.H - g.Pad.H + ki * g.Dil.H;
                            if ((uint)iy >= (uint)g.In.H) continue;
                            ref T row = ref padded[iy * rowWidth + x];
                            for (int kj = 0; kj < kw; kj++)
                                sum += Vector.LoadUnsafe(ref row, (nuint)columnOf[kj]) * taps[ki * kw + kj];
                        }
                        sum.StoreUnsafe(ref acc[x]);
                    }
                    acc[..g.Out.W].CopyTo(dst.Slice(y * g.Out.W, g.Out.W));
                }
            }
        });
    }

    /// <summary>Column x of a row, placed at pad + x of a padded row, goes to phase (pad + x) % 2 at (pad + x) / 2.</summary>
    private static void SplitEvenOdd<T>(ReadOnlySpan<T> from, Span<T> to, int pad, int phaseWidth) where T : unmanaged
    {
        int x = 0;
        if (typeof(T) == typeof(float) && Avx2.IsSupported)
        {
            // Sixteen columns at a time: two shuffles pick the even and the odd ones, a permute puts them in order.
            var source = MemoryMarshal.Cast<T, float>(from);
            var target = MemoryMarshal.Cast<T, float>(to);
            int even = pad & 1, at = pad >> 1;  // where column 0 lands: phase `even`, element `at` (+1 for the other phase when pad is odd)
            for (; x + 16 <= source.Length; x += 16)
            {
                var a = Vector256.Create<float>(source.Slice(x, 8));
                var b = Vector256.Create<float>(source.Slice(x + 8, 8));
                var evens = Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
                var odds = Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
                // Columns x, x+2, ... are at padded x+pad, ...: phase `even`; x+1, ...: the other phase, one further when pad is odd.
                evens.CopyTo(target.Slice(even * phaseWidth + at + x / 2, 8));
                odds.CopyTo(target.Slice((1 - even) * phaseWidth + at + even + x / 2, 8));
            }
        }
        for (; x < from.Length; x++)
        {
            int px = x + pad;
            to[(px & 1) * phaseWidth + (px >> 1)] = from[x];
        }
    }
}

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
    /// Depthwise convolution one output row at a time with every tap of the row's vectors accumulated in registers.
    /// Each input row is copied once, as the output rows reach it, into a ring of zero-padded rows (for a horizontal
    /// stride of 2, split into even and odd columns, so every tap reads consecutive elements); each vector of outputs
    /// then takes kH·kW fused multiply-adds of unaligned loads and is stored straight into the output. The ring holds
    /// only the rows one output row reads, so it stays in L1 and the layer reads its input once and writes its output
    /// once: copying a channel's whole padded plane first (and clearing it for every channel) made PP-OCR's 320×320
    /// layers run at a third of memory speed (32 channels at stride 2: 1.25 ms, the copies a third of it).
    /// </summary>
    private static void DepthwiseRows<T>(T[] input, T[] weight, T[]? bias, T[] output, int n, int c, Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inPlane = g.In.H * g.In.W, outPlane = g.Out.H * g.Out.W, kh = g.Kernel.H, kw = g.Kernel.W, sw = g.Stride.W;
        if (outPlane == 0) return;
        int lanes = Vector<T>.Count;
        int outWide = (g.Out.W + lanes - 1) / lanes * lanes;
        // A padded row holds padW zeros, the row, and zeros up to what the last vector's last tap reads.
        int phaseWidth = outWide + (kw - 1) / sw + 1;
        int rowWidth = phaseWidth * sw;
        // The input rows one output row reads: kH of them, dilation apart. Input row iy lives in slot iy % ringRows.
        int ringRows = (kh - 1) * g.Dil.H + 1;
        CpuParallel.ForFlops((long)n * c, 2.0 * outPlane * kh * kw, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (u0, u1) =>
        {
            // Cleared once: loading a row writes only its own columns, so the padding stays zero for every channel.
            using var ringScratch = new Scratch<T>(ringRows * rowWidth);
            var ring = ringScratch.Span[..(ringRows * rowWidth)];
            ring.Clear();
            var taps = new Vector<T>[kh * kw];
            // Where tap column kj of output column 0 is in a padded row: column kj, or for stride 2 (padded column
            // 2x + kj) phase kj % 2 at element kj / 2; output column x adds x.
            var columnOf = new nint[kw];
            for (int kj = 0; kj < kw; kj++) columnOf[kj] = sw == 1 ? kj : (kj & 1) * phaseWidth + (kj >> 1);
            // The kernel rows inside the image for the current output row: their padded rows' offsets in the ring and
            // their first taps.
            var rowOffsets = new int[kh];
            var tapRows = new int[kh];
            for (long u = u0; u < u1; u++)
            {
                int ch = (int)(u % c);
                var src = input.AsSpan((int)(u * inPlane), inPlane);
                var dst = output.AsSpan((int)(u * outPlane), outPlane);
                for (int t = 0; t < taps.Length; t++) taps[t] = new Vector<T>(weight[ch * kh * kw + t]);
                var start = new Vector<T>(bias != null ? bias[ch] : T.Zero);
                int loaded = 0;
                for (int y = 0; y < g.Out.H; y++)
                {
                    int top = y * g.Stride.H - g.Pad.H;
                    int through = Math.Min(top + (kh - 1) * g.Dil.H, g.In.H - 1);
                    for (; loaded <= through; loaded++)
                    {
                        var from = src.Slice(loaded * g.In.W, g.In.W);
                        var to = ring.Slice(loaded % ringRows * rowWidth, rowWidth);
                        if (sw == 1) from.CopyTo(to[g.Pad.W..]);
                        else SplitEvenOdd(from, to, g.Pad.W, phaseWidth);
                    }
                    int inside = 0;
                    for (int ki = 0; ki < kh; ki++)
                    {
                        int iy = top + ki * g.Dil.H;
                        if ((uint)iy >= (uint)g.In.H) continue;
                        rowOffsets[inside] = iy % ringRows * rowWidth;
                        tapRows[inside++] = ki * kw;
                    }
                    unsafe
                    {
                        fixed (T* pring = ring)
                        fixed (Vector<T>* ptaps = taps)
                        fixed (nint* pcolumns = columnOf)
                        fixed (int* poffsets = rowOffsets, ptapRows = tapRows)
                        fixed (T* prow = dst.Slice(y * g.Out.W, g.Out.W))
                            DepthwiseRow(pring, poffsets, ptapRows, inside, ptaps, pcolumns, kw, start, prow, g.Out.W);
                    }
                }
            }
        });
    }

    /// <summary>
    /// One output row of a depthwise convolution: for each vector of outputs, the taps of the kernel rows inside the
    /// image (their padded rows at ring + rowOffsets[r], their taps from taps + tapRows[r]) multiplied and added in
    /// registers, four vectors at a time while they fit, then one at a time; of the row's last, partial vector only
    /// its columns are stored. Pointers and a loop of its own keep the JIT's registers on the arithmetic: written
    /// in the task's lambda over spans, each tap took a bounds check and reloaded the lambda's captured sizes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DepthwiseRow<T>(T* ring, int* rowOffsets, int* tapRows, int rows, Vector<T>* taps, nint* columnOf, int kw, Vector<T> start, T* output, int width)
        where T : unmanaged
    {
        int lanes = Vector<T>.Count;
        int x = 0;
        for (; x + 4 * lanes <= width; x += 4 * lanes)
        {
            Vector<T> s0 = start, s1 = start, s2 = start, s3 = start;
            for (int r = 0; r < rows; r++)
            {
                T* padded = ring + rowOffsets[r] + x;
                Vector<T>* tap = taps + tapRows[r];
                for (int kj = 0; kj < kw; kj++)
                {
                    var t = tap[kj];
                    T* at = padded + columnOf[kj];
                    s0 = MultiplyAdd(Vector.Load(at), t, s0);
                    s1 = MultiplyAdd(Vector.Load(at + lanes), t, s1);
                    s2 = MultiplyAdd(Vector.Load(at + 2 * lanes), t, s2);
                    s3 = MultiplyAdd(Vector.Load(at + 3 * lanes), t, s3);
                }
            }
            Vector.Store(s0, output + x);
            Vector.Store(s1, output + x + lanes);
            Vector.Store(s2, output + x + 2 * lanes);
            Vector.Store(s3, output + x + 3 * lanes);
        }
        for (; x < width; x += lanes)
        {
            var sum = start;
            for (int r = 0; r < rows; r++)
            {
                T* padded = ring + rowOffsets[r] + x;
                Vector<T>* tap = taps + tapRows[r];
                for (int kj = 0; kj < kw; kj++)
                    sum = MultiplyAdd(Vector.Load(padded + columnOf[kj]), tap[kj], sum);
            }
            if (x + lanes <= width) Vector.Store(sum, output + x);
            else
                for (int i = 0; i < width - x; i++) output[x + i] = sum[i];
        }
    }

    /// <summary>a·b + c, fused where the machine has FMA (one rounding, and one instruction instead of two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> MultiplyAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged
    {
        if (Fma.IsSupported && typeof(T) == typeof(float))
            return Vector.FusedMultiplyAdd(Vector.As<T, float>(a), Vector.As<T, float>(b), Vector.As<T, float>(c)).As<float, T>();
        if (Fma.IsSupported && typeof(T) == typeof(double))
            return Vector.FusedMultiplyAdd(Vector.As<T, double>(a), Vector.As<T, double>(b), Vector.As<T, double>(c)).As<double, T>();
        return Vector.Add(Vector.Multiply(a, b), c);
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

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graphport.Cpu;

/// <summary>
/// Float matrix transposes in 8×8 blocks held in AVX registers (unpack, shuffle, lane permute: 24 instructions per 64
/// elements), where an element-by-element copy strides through memory at a few nanoseconds an element; the edges that
/// do not fill a block go element by element.
/// </summary>
internal static class BlockTranspose
{
    /// <summary>
    /// dst[c·dstStride + r] = src[r·srcStride + c] for r &lt; <paramref name="rows"/>, c &lt; <paramref name="cols"/>:
    /// a rows×cols matrix (row stride srcStride) written as a cols×rows one (row stride dstStride).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Float(float* src, long srcStride, float* dst, long dstStride, int rows, int cols)
    {
        int r = 0;
        if (Avx.IsSupported)
            for (; r + 8 <= rows; r += 8)
            {
                int c = 0;
                for (; c + 8 <= cols; c += 8) Block8x8(src + r * srcStride + c, srcStride, dst + c * dstStride + r, dstStride);
                for (; c < cols; c++)
                    for (int i = 0; i < 8; i++) dst[c * dstStride + r + i] = src[(r + i) * srcStride + c];
            }
        for (; r < rows; r++)
            for (int c = 0; c < cols; c++) dst[c * dstStride + r] = src[r * srcStride + c];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Block8x8(float* src, long srcStride, float* dst, long dstStride)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + 2 * srcStride);
        var r3 = Avx.LoadVector256(src + 3 * srcStride);
        var r4 = Avx.LoadVector256(src + 4 * srcStride);
        var r5 = Avx.LoadVector256(src + 5 * srcStride);
        var r6 = Avx.LoadVector256(src + 6 * srcStride);
        var r7 = Avx.LoadVector256(src + 7 * srcStride);
        // Pairs of rows interleaved, then quads, then the 128-bit halves swapped into place: column i ends in c_i.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }
}

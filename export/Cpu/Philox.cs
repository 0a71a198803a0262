using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graphport.Cpu;

/// <summary>Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"): a counter-based bijection, so block i is computable in isolation.</summary>
public static class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>The four 32-bit words of block <paramref name="counter"/> under <paramref name="key"/> (the seed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint, uint, uint, uint) Block(ulong key, ulong counter, ulong subsequence = 0)
    {
        uint c0 = (uint)counter, c1 = (uint)(counter >> 32), c2 = (uint)subsequence, c3 = (uint)(subsequence >> 32);
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int round = 0; round < 10; round++)
        {
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n1 = (uint)p1;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            uint n3 = (uint)p0;
            (c0, c1, c2, c3) = (n0, n1, n2, n3);
            k0 += W0;
            k1 += W1;
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>Writes blocks startBlock, startBlock+1, ... word by word into <paramref name="output"/> (a partial last block is truncated).</summary>
    public static void Fill(ulong key, ulong startBlock, Span<uint> output)
    {
        int blocks = output.Length / 4, b = 0;
        if (Avx2.IsSupported)
        {
            // Four blocks per step, one per 64-bit lane; vpmuludq gives the 32×32→64 products the rounds need.
            Span<ulong> lanes = stackalloc ulong[16];
            var mask = Vector256.Create(0xFFFFFFFFUL);
            var m0 = Vector256.Create((ulong)M0).AsUInt32();
            var m1 = Vector256.Create((ulong)M1).AsUInt32();
            var laneOffsets = Vector256.Create(0UL, 1, 2, 3);
            for (; b + 4 <= blocks; b += 4)
            {
                var ctr = Vector256.Create(startBlock + (ulong)b) + laneOffsets;
                Vector256<ulong> c0 = ctr & mask, c1 = ctr >> 32, c2 = Vector256<ulong>.Zero, c3 = Vector256<ulong>.Zero;
                uint k0 = (uint)key, k1 = (uint)(key >> 32);
                for (int round = 0; round < 10; round++)
                {
                    var p0 = Avx2.Multiply(c0.AsUInt32(), m0);
                    var p1 = Avx2.Multiply(c2.AsUInt32(), m1);
                    var n0 = (p1 >> 32) ^ c1 ^ Vector256.Create((ulong)k0);
                    var n2 = (p0 >> 32) ^ c3 ^ Vector256.Create((ulong)k1);
                    c1 = p1 & mask;
                    c3 = p0 & mask;
                    c0 = n0;
                    c2 = n2;
                    k0 += W0;
                    k1 += W1;
                }
                c0.CopyTo(lanes);
                c1.CopyTo(lanes[4..]);
                c2.CopyTo(lanes[8..]);
                c3.CopyTo(lanes[12..]);
                var dst = output.Slice(b * 4, 16);
                for (int lane = 0; lane < 4; lane++)
                    for (int w = 0; w < 4; w++) dst[lane * 4 + w] = (uint)lanes[w * 4 + lane];
            }
        }
        for (; b * 4 < output.Length; b++)
        {
            var (x0, x1, x2, x3) = Block(key, startBlock + (ulong)b);
            var dst = output[(b * 4)..];
            dst[0] = x0;
            if (dst.Length > 1) dst[1] = x1;
            if (dst.Length > 2) dst[2] = x2;
            if (dst.Length > 3) dst[3] = x3;
        }
    }
}

using System.Runtime.CompilerServices;

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
}

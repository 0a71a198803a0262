using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graphport.Cpu;

/// <summary>
/// Two float rows interleaved into one, eight pairs at a time through AVX unpacks (a transposed k2 s2 convolution's
/// two taps of a row, or a row repeated for a 2× nearest upsample), and a row split into its even and odd elements with
/// AVX shuffles (a stride-2 max pool's or convolution's phases). Where an element-by-element loop writes or reads every
/// other element, these move whole vectors.
/// </summary>
internal static class PairInterleave
{
    /// <summary>dst[2x] = a[x] (+ add), dst[2x + 1] = b[x] (+ add), for x below a's length; without
    /// <paramref name="add"/> the values are copied as they are (−0 stays −0).</summary>
    public static unsafe void Float(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float? add, Span<float> dst)
    {
        int n = a.Length, x = 0;
        if (b.Length < n || dst.Length < 2 * n)
            throw new ArgumentException($"PairInterleave: rows of {n} and {b.Length} into {dst.Length} elements; expected the second row at least as long as the first and room for twice its length");
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pd = dst)
        {
            if (Avx.IsSupported)
            {
                var shift = Vector256.Create(add ?? 0f);
                for (; x + 8 <= n; x += 8)
                {
                    var va = Avx.LoadVector256(pa + x);
                    var vb = Avx.LoadVector256(pb + x);
                    if (add.HasValue) (va, vb) = (Avx.Add(va, shift), Avx.Add(vb, shift));
                    // Unpacks pair a and b within each 128-bit half; the lane permutes put the halves in order.
                    var low = Avx.UnpackLow(va, vb);
                    var high = Avx.UnpackHigh(va, vb);
                    Avx.Store(pd + 2 * x, Avx.Permute2x128(low, high, 0x20));
                    Avx.Store(pd + 2 * x + 8, Avx.Permute2x128(low, high, 0x31));
                }
            }
            for (; x < n; x++)
            {
                pd[2 * x] = add is float s ? pa[x] + s : pa[x];
                pd[2 * x + 1] = add is float t ? pb[x] + t : pb[x];
            }
        }
    }

    /// <summary>even[x] = src[2x], odd[x] = src[2x + 1] for x below even's length: a row split into its two stride
    /// phases (a stride-2 max pool's columns), the inverse of <see cref="Float"/>, sixteen elements at a time.</summary>
    public static unsafe void Split(ReadOnlySpan<float> src, Span<float> even, Span<float> odd)
    {
        int n = even.Length, x = 0;
        if (odd.Length < n || src.Length < 2 * n)
            throw new ArgumentException($"PairInterleave.Split: {src.Length} elements into rows of {n} and {odd.Length}; expected the second row at least as long as the first and twice its length to read");
        fixed (float* ps = src)
        fixed (float* pe = even)
        fixed (float* po = odd)
        {
            if (Avx2.IsSupported)
                for (; x + 8 <= n; x += 8)
                {
                    var a = Avx.LoadVector256(ps + 2 * x);
                    var b = Avx.LoadVector256(ps + 2 * x + 8);
                    // Within each 128-bit half: a's and b's even (odd) elements; the 64-bit permute puts a's pair before b's.
                    var evens = Avx.Shuffle(a, b, 0b10_00_10_00);
                    var odds = Avx.Shuffle(a, b, 0b11_01_11_01);
                    Avx.Store(pe + x, Avx2.Permute4x64(evens.AsDouble(), 0b11_01_10_00).AsSingle());
                    Avx.Store(po + x, Avx2.Permute4x64(odds.AsDouble(), 0b11_01_10_00).AsSingle());
                }
            for (; x < n; x++)
            {
                pe[x] = ps[2 * x];
                po[x] = ps[2 * x + 1];
            }
        }
    }

    /// <summary>dst[x] = src[2x] for x below dst's length (src at least 2·length − 1 long): every other element, as a
    /// stride-2 convolution's phase of an input row reads it, eight elements at a time.</summary>
    public static unsafe void TakeEven(ReadOnlySpan<float> src, Span<float> dst)
    {
        int n = dst.Length, x = 0;
        if (n > 0 && src.Length < 2 * n - 1)
            throw new ArgumentException($"PairInterleave.TakeEven: {src.Length} elements for {n} even ones; expected at least {2 * n - 1}");
        fixed (float* ps = src)
        fixed (float* pd = dst)
        {
            // A vector step reads 16 elements: it stops where the row's last pair would run past src.
            if (Avx2.IsSupported)
                for (; x + 8 <= n && 2 * x + 16 <= src.Length; x += 8)
                {
                    var evens = Avx.Shuffle(Avx.LoadVector256(ps + 2 * x), Avx.LoadVector256(ps + 2 * x + 8), 0b10_00_10_00);
                    Avx.Store(pd + x, Avx2.Permute4x64(evens.AsDouble(), 0b11_01_10_00).AsSingle());
                }
            for (; x < n; x++) pd[x] = ps[2 * x];
        }
    }

    /// <summary>dst[2x] = plus[2x] + a[x], dst[2x + 1] = plus[2x + 1] + b[x]: the interleaved rows added to a row of
    /// twice their length (a 2× nearest upsample added to the tensor beside it, as feature pyramids do).</summary>
    public static unsafe void FloatPlus(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> plus, Span<float> dst)
    {
        int n = a.Length, x = 0;
        if (b.Length < n || dst.Length < 2 * n || plus.Length < 2 * n)
            throw new ArgumentException($"PairInterleave: rows of {n} and {b.Length} added to {plus.Length} into {dst.Length} elements; expected the second row at least as long as the first and twice its length to add and to write");
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pp = plus)
        fixed (float* pd = dst)
        {
            if (Avx.IsSupported)
                for (; x + 8 <= n; x += 8)
                {
                    var low = Avx.UnpackLow(Avx.LoadVector256(pa + x), Avx.LoadVector256(pb + x));
                    var high = Avx.UnpackHigh(Avx.LoadVector256(pa + x), Avx.LoadVector256(pb + x));
                    Avx.Store(pd + 2 * x, Avx.Add(Avx.LoadVector256(pp + 2 * x), Avx.Permute2x128(low, high, 0x20)));
                    Avx.Store(pd + 2 * x + 8, Avx.Add(Avx.LoadVector256(pp + 2 * x + 8), Avx.Permute2x128(low, high, 0x31)));
                }
            for (; x < n; x++)
            {
                pd[2 * x] = pp[2 * x] + pa[x];
                pd[2 * x + 1] = pp[2 * x + 1] + pb[x];
            }
        }
    }
}

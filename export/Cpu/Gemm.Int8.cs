using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graphport.Cpu;

public static partial class Gemm
{
    /// <summary>Whether <see cref="Int8"/> can use AVX-VNNI's byte dot products.</summary>
    private static readonly bool UseVnni = AvxVnni.IsSupported;

    /// <summary>
    /// C[m, n] = A[m, k] · B[k, n] in int8 with exact int32 sums (torch's aten._int_mm; a quantized model's integer
    /// matrix product). With AVX-VNNI, vpdpbusd multiplies four unsigned bytes by four signed bytes into each int32
    /// lane: A's signed bytes are offset by 128 to make them unsigned, B is packed so each lane reads four consecutive
    /// k of one column, and 128 · Σₖ B[k, j] is taken back off each column. Each offset product is at most 255 · 128,
    /// so the int32 sums are exact for k up to 65 536 (a transformer's is at most a few thousand); past that the
    /// scalar path, exact to 131 072.
    /// </summary>
    public static void Int8(int m, int n, int k, ReadOnlySpan<sbyte> a, sbyte[] b, Span<int> c) => Int8(m, n, k, a, b, c, UseVnni);

    /// <summary><see cref="Int8"/> with the VNNI path allowed or not (the tests run both).</summary>
    internal static void Int8(int m, int n, int k, ReadOnlySpan<sbyte> a, sbyte[] b, Span<int> c, bool vnni)
    {
        ArgumentNullException.ThrowIfNull(b);
        vnni &= UseVnni;
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException($"Gemm.Int8: buffers of {a.Length}, {b.Length} and {c.Length} elements are too short for [{m}, {k}] x [{k}, {n}]");
        if (m == 0 || n == 0) return;
        if (!vnni || k == 0 || k > 65536)
        {
            Int8Scalar(m, n, k, a, b, c);
            return;
        }
        Int8Vnni(m, n, k, a, PackedInt8B.Of(b, k, n), c);
    }

    private static void Int8Scalar(int m, int n, int k, ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, Span<int> c)
    {
        c[..(m * n)].Clear();
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                int av = a[i * k + p];
                if (av == 0) continue;
                var bRow = b.Slice(p * n, n);
                for (int j = 0; j < n; j++) row[j] += av * bRow[j];
            }
        }
    }

    /// <summary>
    /// B packed for vpdpbusd ([quad of k][column][4 bytes], zero past k) with its column sums. Packing writes every byte
    /// four apart, which took as long as the product itself; a weight (the same array every call, as a frozen program
    /// holds it) is packed once and found again here, after its bytes are compared with the copy kept beside it.
    /// </summary>
    private sealed class PackedInt8B
    {
        private static readonly ConditionalWeakTable<sbyte[], PackedInt8B> Cache = new();

        public required sbyte[] Source { get; init; }
        public required sbyte[] Packed { get; init; }
        public required int[] ColumnSums { get; init; }
        public required int K { get; init; }
        public required int N { get; init; }

        public static PackedInt8B Of(sbyte[] b, int k, int n)
        {
            if (Cache.TryGetValue(b, out var cached) && cached.K == k && cached.N == n && cached.Source.AsSpan().SequenceEqual(b.AsSpan(0, k * n)))
                return cached;
            int quads = (k + 3) / 4;
            var packed = new sbyte[quads * n * 4];
            var sums = new int[n];
            for (int p = 0; p < k; p++)
            {
                var row = b.AsSpan(p * n, n);
                int at = (p >> 2) * n * 4 + (p & 3);
                for (int j = 0; j < n; j++)
                {
                    packed[at + 4 * j] = row[j];
                    sums[j] += row[j];
                }
            }
            var made = new PackedInt8B { Source = b.AsSpan(0, k * n).ToArray(), Packed = packed, ColumnSums = sums, K = k, N = n };
            Cache.AddOrUpdate(b, made);
            return made;
        }
    }

    private static unsafe void Int8Vnni(int m, int n, int k, ReadOnlySpan<sbyte> a, PackedInt8B b, Span<int> c)
    {
        int quads = (k + 3) / 4;
        // A's rows as unsigned bytes (+128), padded to whole quads (the padding meets B's zeros); from the pool, since
        // a fresh pinned array a call cost a quarter of a 128 × 768 × 768 product.
        var rows = ArrayPool<byte>.Shared.Rent(m * quads * 4);
        try
        {
            for (int i = 0; i < m; i++)
            {
                var row = rows.AsSpan(i * quads * 4, quads * 4);
                // x + 128 for a signed byte is its top bit flipped.
                TensorPrimitives.Xor(MemoryMarshal.Cast<sbyte, byte>(a.Slice(i * k, k)), (byte)0x80, row[..k]);
                row[k..].Fill(128);
            }
            fixed (byte* ap = rows)
            fixed (sbyte* bp = b.Packed)
            fixed (int* sp = b.ColumnSums)
            fixed (int* cp = c)
            {
                nint aAddr = (nint)ap, bAddr = (nint)bp, cAddr = (nint)cp, sAddr = (nint)sp;
                long rowBlocks = (m + 3) / 4;
                if (!CpuParallel.SplitsFlops(rowBlocks, 8.0 * k * n))
                    for (long r = 0; r < rowBlocks; r++) Int8Block(r);
                else
                    CpuParallel.ForFlops(rowBlocks, 8.0 * k * n, (r0, r1) =>
                    {
                        for (long r = r0; r < r1; r++) Int8Block(r);
                    });

                void Int8Block(long r)
                {
                    int i0 = (int)r * 4, count = Math.Min(4, m - i0);
                    Int8Rows((byte*)aAddr + (long)i0 * quads * 4, count, quads, (sbyte*)bAddr, n, (int*)sAddr, (int*)cAddr + (long)i0 * n);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rows);
        }
    }

    // Up to four rows of C: 16 columns at a time in two vectors per row (eight sums, two columns of B and a broadcast
    // row of A fit the 16 registers AVX-VNNI's encoding reaches; three vectors a row spilled and ran no faster), then
    // 8, then single columns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Int8Rows(byte* a, int count, int quads, sbyte* b, int n, int* columnSums, int* c)
    {
        int stride = quads * 4, j = 0;
        for (; j + 16 <= n; j += 16)
        {
            Vector256<int> s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
            sbyte* bq = b + (long)j * 4;
            long step = (long)n * 4;
            for (int q = 0; q < quads; q++, bq += step)
            {
                var b0 = Vector256.Load(bq);
                var b1 = Vector256.Load(bq + 32);
                var a0 = Vector256.Create(*(int*)(a + q * 4)).AsByte();
                s00 = AvxVnni.MultiplyWideningAndAdd(s00, a0, b0);
                s01 = AvxVnni.MultiplyWideningAndAdd(s01, a0, b1);
                if (count > 1)
                {
                    var a1 = Vector256.Create(*(int*)(a + stride + q * 4)).AsByte();
                    s10 = AvxVnni.MultiplyWideningAndAdd(s10, a1, b0);
                    s11 = AvxVnni.MultiplyWideningAndAdd(s11, a1, b1);
                }
                if (count > 2)
                {
                    var a2 = Vector256.Create(*(int*)(a + 2 * stride + q * 4)).AsByte();
                    s20 = AvxVnni.MultiplyWideningAndAdd(s20, a2, b0);
                    s21 = AvxVnni.MultiplyWideningAndAdd(s21, a2, b1);
                }
                if (count > 3)
                {
                    var a3 = Vector256.Create(*(int*)(a + 3 * stride + q * 4)).AsByte();
                    s30 = AvxVnni.MultiplyWideningAndAdd(s30, a3, b0);
                    s31 = AvxVnni.MultiplyWideningAndAdd(s31, a3, b1);
                }
            }
            var o0 = Vector256.Load(columnSums + j) * 128;
            var o1 = Vector256.Load(columnSums + j + 8) * 128;
            StoreRow(c + j, s00 - o0, s01 - o1);
            if (count > 1) StoreRow(c + n + j, s10 - o0, s11 - o1);
            if (count > 2) StoreRow(c + 2L * n + j, s20 - o0, s21 - o1);
            if (count > 3) StoreRow(c + 3L * n + j, s30 - o0, s31 - o1);
        }
        for (; j + 8 <= n; j += 8)
            for (int r = 0; r < count; r++)
            {
                var sum = Vector256<int>.Zero;
                for (int q = 0; q < quads; q++)
                    sum = AvxVnni.MultiplyWideningAndAdd(sum, Vector256.Create(*(int*)(a + r * stride + q * 4)).AsByte(), Vector256.Load(b + ((long)q * n + j) * 4));
                (sum - Vector256.Load(columnSums + j) * 128).Store(c + (long)r * n + j);
            }
        for (; j < n; j++)
            for (int r = 0; r < count; r++)
            {
                int sum = 0;
                for (int q = 0; q < quads; q++)
                    for (int t = 0; t < 4; t++) sum += a[r * stride + q * 4 + t] * b[((long)q * n + j) * 4 + t];
                c[(long)r * n + j] = sum - 128 * columnSums[j];
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(int* c, Vector256<int> v0, Vector256<int> v1)
    {
        v0.Store(c);
        v1.Store(c + 8);
    }
}

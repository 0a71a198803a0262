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
    /// B packed for vpdpbusd in panels of 16 columns ([panel][quad of k][16 columns][4 bytes], zero past k and past n),
    /// with its column sums (zero past n). A panel's bytes are contiguous, so the micro-kernel streams it from L1 for
    /// every block of A's rows; packed by quads of k down whole columns, B read a 64-byte strip from a new row of the
    /// matrix every step, and every block of four rows of A streamed all of B again from L2. Packing writes every byte
    /// four apart, which took as long as the product itself; a weight (the same array every call, as a frozen program
    /// holds it) is packed once and found again here, after its bytes are compared with the copy kept beside it.
    /// </summary>
    private sealed class PackedInt8B
    {
        public const int PanelWidth = 16;

        private static readonly ConditionalWeakTable<sbyte[], PackedInt8B> Cache = new();

        public required sbyte[] Source { get; init; }
        public required sbyte[] Packed { get; init; }
        public required int[] ColumnSums { get; init; }
        public required int K { get; init; }
        public required int N { get; init; }

        public int Quads => (K + 3) / 4;

        public int Panels => (N + PanelWidth - 1) / PanelWidth;

        public static PackedInt8B Of(sbyte[] b, int k, int n)
        {
            if (Cache.TryGetValue(b, out var cached) && cached.K == k && cached.N == n && cached.Source.AsSpan().SequenceEqual(b.AsSpan(0, k * n)))
                return cached;
            int quads = (k + 3) / 4, panels = (n + PanelWidth - 1) / PanelWidth;
            long panelBytes = (long)quads * PanelWidth * 4;
            var packed = new sbyte[panels * panelBytes];
            var sums = new int[panels * PanelWidth];
            for (int p = 0; p < k; p++)
            {
                var row = b.AsSpan(p * n, n);
                long quadAt = (p >> 2) * PanelWidth * 4 + (p & 3);
                for (int j = 0; j < n; j++)
                {
                    packed[(j / PanelWidth) * panelBytes + quadAt + 4 * (j % PanelWidth)] = row[j];
                    sums[j] += row[j];
                }
            }
            var made = new PackedInt8B { Source = b.AsSpan(0, k * n).ToArray(), Packed = packed, ColumnSums = sums, K = k, N = n };
            Cache.AddOrUpdate(b, made);
            return made;
        }
    }

    /// <summary>Rows of A a micro-kernel call takes: 6 rows × 16 columns is 12 accumulators, which with B's two
    /// vectors and A's broadcast fill the 16 registers AVX-VNNI's encoding reaches.</summary>
    private const int Int8BlockRows = 6;

    /// <summary>Row blocks a task takes of one panel: the panel (k · 16 bytes, 24 KB for k = 1536) stays in L1 while
    /// they stream past it.</summary>
    private const int Int8BlocksPerTask = 8;

    private static unsafe void Int8Vnni(int m, int n, int k, ReadOnlySpan<sbyte> a, PackedInt8B b, Span<int> c)
    {
        int quads = b.Quads;
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
                int blocks = (m + Int8BlockRows - 1) / Int8BlockRows;
                int groups = (blocks + Int8BlocksPerTask - 1) / Int8BlocksPerTask;
                // Tasks run panel by panel, a group of row blocks at a time, so consecutive tasks (what one core takes)
                // share their panel.
                long tasks = (long)b.Panels * groups;
                double flopsPerTask = 2.0 * k * PackedInt8B.PanelWidth * Math.Min(m, Int8BlockRows * Int8BlocksPerTask);
                if (!CpuParallel.SplitsFlops(tasks, flopsPerTask))
                    for (long t = 0; t < tasks; t++) Task(t);
                else
                    CpuParallel.ForFlops(tasks, flopsPerTask, (t0, t1) =>
                    {
                        for (long t = t0; t < t1; t++) Task(t);
                    });

                void Task(long t)
                {
                    int panel = (int)(t / groups), group = (int)(t % groups);
                    int j0 = panel * PackedInt8B.PanelWidth, width = Math.Min(PackedInt8B.PanelWidth, n - j0);
                    sbyte* panelBytes = (sbyte*)bAddr + (long)panel * quads * PackedInt8B.PanelWidth * 4;
                    int* sums = (int*)sAddr + j0;
                    int lastBlock = Math.Min(blocks, (group + 1) * Int8BlocksPerTask);
                    for (int block = group * Int8BlocksPerTask; block < lastBlock; block++)
                    {
                        int i0 = block * Int8BlockRows, count = Math.Min(Int8BlockRows, m - i0);
                        Int8Panel((byte*)aAddr + (long)i0 * quads * 4, count, quads, panelBytes, sums, (int*)cAddr + (long)i0 * n + j0, n, width);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rows);
        }
    }

    /// <summary>
    /// Up to six rows of C by one panel of 16 columns (two vectors a row). A full block runs without the row checks;
    /// a panel cut short by n is stored under a mask. Nothing here calls out: a call would make the JIT keep the
    /// accumulators on the stack (vector registers do not survive calls), storing and reloading them every step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Int8Panel(byte* a, int count, int quads, sbyte* panel, int* columnSums, int* c, int ldc, int width)
    {
        long stride = (long)quads * 4;
        byte* a0 = a, a1 = a + stride, a2 = a + 2 * stride, a3 = a + 3 * stride, a4 = a + 4 * stride, a5 = a + 5 * stride;
        Vector256<int> s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default;
        Vector256<int> s30 = default, s31 = default, s40 = default, s41 = default, s50 = default, s51 = default;
        sbyte* bq = panel;
        if (count == Int8BlockRows)
        {
            for (long at = 0; at < stride; at += 4, bq += 64)
            {
                var b0 = Vector256.Load(bq);
                var b1 = Vector256.Load(bq + 32);
                var r0 = Vector256.Create(*(int*)(a0 + at)).AsByte();
                s00 = AvxVnni.MultiplyWideningAndAdd(s00, r0, b0);
                s01 = AvxVnni.MultiplyWideningAndAdd(s01, r0, b1);
                var r1 = Vector256.Create(*(int*)(a1 + at)).AsByte();
                s10 = AvxVnni.MultiplyWideningAndAdd(s10, r1, b0);
                s11 = AvxVnni.MultiplyWideningAndAdd(s11, r1, b1);
                var r2 = Vector256.Create(*(int*)(a2 + at)).AsByte();
                s20 = AvxVnni.MultiplyWideningAndAdd(s20, r2, b0);
                s21 = AvxVnni.MultiplyWideningAndAdd(s21, r2, b1);
                var r3 = Vector256.Create(*(int*)(a3 + at)).AsByte();
                s30 = AvxVnni.MultiplyWideningAndAdd(s30, r3, b0);
                s31 = AvxVnni.MultiplyWideningAndAdd(s31, r3, b1);
                var r4 = Vector256.Create(*(int*)(a4 + at)).AsByte();
                s40 = AvxVnni.MultiplyWideningAndAdd(s40, r4, b0);
                s41 = AvxVnni.MultiplyWideningAndAdd(s41, r4, b1);
                var r5 = Vector256.Create(*(int*)(a5 + at)).AsByte();
                s50 = AvxVnni.MultiplyWideningAndAdd(s50, r5, b0);
                s51 = AvxVnni.MultiplyWideningAndAdd(s51, r5, b1);
            }
        }
        else
        {
            for (long at = 0; at < stride; at += 4, bq += 64)
            {
                var b0 = Vector256.Load(bq);
                var b1 = Vector256.Load(bq + 32);
                var r0 = Vector256.Create(*(int*)(a0 + at)).AsByte();
                s00 = AvxVnni.MultiplyWideningAndAdd(s00, r0, b0);
                s01 = AvxVnni.MultiplyWideningAndAdd(s01, r0, b1);
                if (count > 1)
                {
                    var r1 = Vector256.Create(*(int*)(a1 + at)).AsByte();
                    s10 = AvxVnni.MultiplyWideningAndAdd(s10, r1, b0);
                    s11 = AvxVnni.MultiplyWideningAndAdd(s11, r1, b1);
                }
                if (count > 2)
                {
                    var r2 = Vector256.Create(*(int*)(a2 + at)).AsByte();
                    s20 = AvxVnni.MultiplyWideningAndAdd(s20, r2, b0);
                    s21 = AvxVnni.MultiplyWideningAndAdd(s21, r2, b1);
                }
                if (count > 3)
                {
                    var r3 = Vector256.Create(*(int*)(a3 + at)).AsByte();
                    s30 = AvxVnni.MultiplyWideningAndAdd(s30, r3, b0);
                    s31 = AvxVnni.MultiplyWideningAndAdd(s31, r3, b1);
                }
                if (count > 4)
                {
                    var r4 = Vector256.Create(*(int*)(a4 + at)).AsByte();
                    s40 = AvxVnni.MultiplyWideningAndAdd(s40, r4, b0);
                    s41 = AvxVnni.MultiplyWideningAndAdd(s41, r4, b1);
                }
            }
        }
        // 128 · Σₖ B[k, j] comes back off each column (A was offset by 128 to make its bytes unsigned). Columns past
        // width are masked off (a panel cut short by n).
        var o0 = Vector256.Load(columnSums) * 128;
        var o1 = Vector256.Load(columnSums + 8) * 128;
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var m0 = Vector256.LessThan(lanes, Vector256.Create(width));
        var m1 = Vector256.LessThan(lanes, Vector256.Create(width - 8));
        StorePanelRow(c, s00 - o0, s01 - o1, m0, m1);
        if (count > 1) StorePanelRow(c + ldc, s10 - o0, s11 - o1, m0, m1);
        if (count > 2) StorePanelRow(c + 2L * ldc, s20 - o0, s21 - o1, m0, m1);
        if (count > 3) StorePanelRow(c + 3L * ldc, s30 - o0, s31 - o1, m0, m1);
        if (count > 4) StorePanelRow(c + 4L * ldc, s40 - o0, s41 - o1, m0, m1);
        if (count > 5) StorePanelRow(c + 5L * ldc, s50 - o0, s51 - o1, m0, m1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StorePanelRow(int* c, Vector256<int> v0, Vector256<int> v1, Vector256<int> m0, Vector256<int> m1)
    {
        Avx2.MaskStore(c, m0, v0);
        Avx2.MaskStore(c + 8, m1, v1);
    }
}

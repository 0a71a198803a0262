using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graphport.Cpu;

public static partial class Gemm
{
    /// <summary>At most this many rows (or columns) counts as matrix-vector shaped, where packing would cost as much as the math.</summary>
    private const int SkinnyLimit = 4;

    /// <summary>
    /// GEMV-shaped products (few rows of C, or few columns with contiguous A rows: <see cref="RouteOf{T}"/>) as
    /// contiguous dot products or row axpys, which read each operand once instead of packing it.
    /// </summary>
    private static unsafe void Skinny<T>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T* c, int ldc, bool allowParallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool fewRows = m <= SkinnyLimit;
        if (m == 1 && !transB && (Use512 || Use256) && (long)n * Unsafe.SizeOf<T>() * 4 >= OneRowMinStripeBytes)
        {
            OneRowStreaming(transA, n, k, alpha, a, lda, b, ldb, c, allowParallel);
            return;
        }
        if (fewRows && !transB && (Use512 || Use256))
        {
            FewRowsInRegisters(transA, m, n, k, alpha, a, lda, b, ldb, c, ldc, allowParallel);
            return;
        }
        if (fewRows && !transB)
        {
            // C[i,:] += (alpha·A[i,p])·B[p,:]: each B row is streamed once per C row.
            for (int i = 0; i < m; i++)
            {
                var crow = new Span<T>(c + (long)i * ldc, n);
                for (int p = 0; p < k; p++)
                {
                    T av = alpha * (transA ? a[(long)p * lda + i] : a[(long)i * lda + p]);
                    OptimizedSpans.Axpy(av, new ReadOnlySpan<T>(b + (long)p * ldb, n), crow);
                }
            }
            return;
        }
        // Dot-product form: rows of op(A) against columns of op(B), both made contiguous.
        T[]? aRows = null;
        if (transA)
        {
            aRows = new T[(long)m * k];
            for (int i = 0; i < m; i++)
                for (int p = 0; p < k; p++) aRows[(long)i * k + p] = a[(long)p * lda + i];
        }
        T[]? bCols = null;
        if (!transB)
        {
            bCols = new T[(long)n * k];
            for (int p = 0; p < k; p++)
                for (int j = 0; j < n; j++) bCols[(long)j * k + p] = b[(long)p * ldb + j];
        }
        nint aAddr = (nint)a, bAddr = (nint)b, cAddr = (nint)c;
        CpuParallel.ForFlops(fewRows ? n : m, allowParallel ? 2.0 * k * (fewRows ? m : n) : double.Epsilon, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t0, t1) =>
        {
            if (fewRows)
            {
                // Columns of C four at a time, each row of A read once for the four (the same sums as one at a time).
                Span<T> sums = stackalloc T[4];
                ReadOnlySpan<T> Column(long j) => bCols != null ? bCols.AsSpan((int)(j * k), k) : new ReadOnlySpan<T>((T*)bAddr + j * ldb, k);
                for (; t0 + 4 <= t1; t0 += 4)
                {
                    for (int i = 0; i < m; i++)
                    {
                        ReadOnlySpan<T> arow = aRows != null ? aRows.AsSpan((int)((long)i * k), k) : new ReadOnlySpan<T>((T*)aAddr + (long)i * lda, k);
                        OptimizedSpans.Dot4(arow, Column(t0), Column(t0 + 1), Column(t0 + 2), Column(t0 + 3), sums);
                        T* crow = (T*)cAddr + (long)i * ldc + t0;
                        for (int q = 0; q < 4; q++) crow[q] += alpha * sums[q];
                    }
                }
            }
            for (long t = t0; t < t1; t++)
            {
                // fewRows: t is a column j of C, looping over the few rows; else t is a row i, looping over the few columns.
                int iLo = fewRows ? 0 : (int)t, iHi = fewRows ? m : (int)t + 1;
                int jLo = fewRows ? (int)t : 0, jHi = fewRows ? (int)t + 1 : n;
                for (int i = iLo; i < iHi; i++)
                {
                    ReadOnlySpan<T> arow = aRows != null ? aRows.AsSpan((int)((long)i * k), k) : new ReadOnlySpan<T>((T*)aAddr + (long)i * lda, k);
                    for (int j = jLo; j < jHi; j++)
                    {
                        ReadOnlySpan<T> bcol = bCols != null ? bCols.AsSpan((int)((long)j * k), k) : new ReadOnlySpan<T>((T*)bAddr + (long)j * ldb, k);
                        ((T*)cAddr)[(long)i * ldc + j] += alpha * OptimizedSpans.Dot(arow, bcol);
                    }
                }
            }
        });
    }

    /// <summary>
    /// C[i, :] += Σₚ (alpha·op(A)[i, p])·B[p, :] for up to four rows of C: two vectors of C's columns at a time keep
    /// their sums for every row in registers through a block of k, so B is read once and C read and written once a
    /// block. The row axpys read and wrote each C row k times and read B once per row (a transposed convolution to
    /// one channel, 24 inputs, 2×2 taps: 96 passes over every output block).
    /// </summary>
    [SkipLocalsInit]
    private static unsafe void FewRowsInRegisters<T>(bool transA, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T* c, int ldc, bool allowParallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* stack = stackalloc T[StackFactors];
        T* f = Factors(transA, m, k, alpha, a, lda, stack, out var heap, out int fs);
        int w = Vector256<T>.Count;
        long pairs = (n + 2 * w - 1) / (2 * w);
        double flops = 4.0 * m * k * w;
        nint fAddr = (nint)f, bAddr = (nint)b, cAddr = (nint)c;
        if (allowParallel && CpuParallel.SplitsFlops(pairs, flops))
            CpuParallel.ForFlops(pairs, flops, (q0, q1) => FewRowsPairs(m, n, k, (T*)fAddr, fs, (T*)bAddr, ldb, (T*)cAddr, ldc, q0, q1));
        // A small convolution's or a decoding step's product (a few rows, a few microseconds) splits only while the
        // workers still spin; each column's sum is the same wherever the pairs are cut.
        else if (allowParallel && CpuParallel.SplitsWhileAwake(pairs, flops))
            CpuParallel.ForFlopsWhileAwake(pairs, flops, (q0, q1) => FewRowsPairs(m, n, k, (T*)fAddr, fs, (T*)bAddr, ldb, (T*)cAddr, ldc, q0, q1));
        else
            FewRowsPairs(m, n, k, f, fs, b, ldb, c, ldc, 0, pairs);
        // The pinned array is only reached through f: kept alive until the sums are done.
        GC.KeepAlive(heap);
    }

    /// <summary>
    /// alpha·op(A)'s m rows as the multipliers the few-rows and one-row products broadcast, row i at f + i·stride: A
    /// itself when alpha is one and its rows are contiguous (an LSTM step, every step); else scaled into
    /// <paramref name="stack"/> (<see cref="StackFactors"/> long) when they fit, else into a pinned array, returned in
    /// <paramref name="heap"/> for the caller to keep alive while it reads f. A new array a call showed in an LSTM's
    /// profiles, and building the scaled rows cost 0.5 µs a step, so neither is done when A can be read as it is.
    /// </summary>
    private static unsafe T* Factors<T>(bool transA, int m, int k, T alpha, T* a, int lda, T* stack, out T[]? heap, out int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        heap = null;
        if (alpha == T.One && !transA)
        {
            stride = lda;
            return a;
        }
        stride = k;
        long count = (long)m * k;
        T* f = stack;
        if (count > StackFactors)
        {
            heap = GC.AllocateUninitializedArray<T>(checked((int)count), pinned: true);
            f = (T*)Unsafe.AsPointer(ref heap[0]);
        }
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) f[(long)i * k + p] = alpha * (transA ? a[(long)p * lda + i] : a[(long)i * lda + p]);
        return f;
    }

    /// <summary>Rows × k of alpha·op(A) up to this many are scaled on the stack (uninitialized, so the buffer costs nothing).</summary>
    private const int StackFactors = 2048;

    /// <summary>
    /// Column pairs [q0, q1) of <see cref="FewRowsInRegisters"/>. With AVX-512, whole blocks of four 512-bit vectors
    /// first (each row of B read 256 bytes at a time rather than one cache line, and four sums per load and row of C):
    /// a batch of 2-4 LSTM steps ran at half ONNX Runtime's speed on the pairs alone. The pairs then take the columns
    /// left, with the same sums in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FewRowsPairs<T>(int m, int n, int k, T* f, int fs, T* bp, int ldb, T* cp, int ldc, long q0, long q1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count;
        long q = q0;
        if (Use512)
        {
            long perBlock = 4 * Vector512<T>.Count / (2 * w), wholeBlocks = n / (4 * Vector512<T>.Count) * perBlock;
            // A range that starts inside a block leaves that block to the pairs (same numbers, a little slower).
            if (q % perBlock == 0)
                for (; q + perBlock <= Math.Min(q1, wholeBlocks); q += perBlock)
                {
                    T* bq = bp + q * 2 * w, cq = cp + q * 2 * w;
                    switch (m)
                    {
                        case 1: FewRowsWide<T, Rows1>(k, f, fs, bq, ldb, cq, ldc); break;
                        case 2: FewRowsWide<T, Rows2>(k, f, fs, bq, ldb, cq, ldc); break;
                        case 3: FewRowsWide<T, Rows3>(k, f, fs, bq, ldb, cq, ldc); break;
                        default: FewRowsWide<T, Rows4>(k, f, fs, bq, ldb, cq, ldc); break;
                    }
                }
        }
        // The pairs' columns: whole vector pairs, then the last columns through a zero-padded tile.
        T* tile = stackalloc T[2 * w];
        for (; q < q1; q++)
        {
            int j = (int)(q * 2 * w), width = Math.Min(2 * w, n - j);
            for (int p0 = 0; p0 < k; p0 += FewRowsDepth)
            {
                int p1 = Math.Min(k, p0 + FewRowsDepth);
                Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default, t0 = default, t1 = default, t2 = default, t3 = default;
                T* row = bp + (long)p0 * ldb + j;
                for (int p = p0; p < p1; p++, row += ldb)
                {
                    Vector256<T> left, right;
                    if (width == 2 * w) (left, right) = (Vector256.Load(row), Vector256.Load(row + w));
                    else
                    {
                        for (int x = 0; x < 2 * w; x++) tile[x] = x < width ? row[x] : T.Zero;
                        (left, right) = (Vector256.Load(tile), Vector256.Load(tile + w));
                    }
                    var f0 = Vector256.Create(f[p]);
                    s0 = Fma256(f0, left, s0);
                    t0 = Fma256(f0, right, t0);
                    if (m > 1)
                    {
                        var f1 = Vector256.Create(f[fs + p]);
                        s1 = Fma256(f1, left, s1);
                        t1 = Fma256(f1, right, t1);
                    }
                    if (m > 2)
                    {
                        var f2 = Vector256.Create(f[2L * fs + p]);
                        s2 = Fma256(f2, left, s2);
                        t2 = Fma256(f2, right, t2);
                    }
                    if (m > 3)
                    {
                        var f3 = Vector256.Create(f[3L * fs + p]);
                        s3 = Fma256(f3, left, s3);
                        t3 = Fma256(f3, right, t3);
                    }
                }
                AddRow(cp + j, s0, t0, width, tile);
                if (m > 1) AddRow(cp + ldc + j, s1, t1, width, tile);
                if (m > 2) AddRow(cp + 2L * ldc + j, s2, t2, width, tile);
                if (m > 3) AddRow(cp + 3L * ldc + j, s3, t3, width, tile);
            }
        }
    }

    // Up to four rows of C (TRows, a constant to the JIT: the rows past it cost nothing), four 512-bit vectors of
    // columns each, their sums in registers down every row of B in blocks of FewRowsDepth (the order of the pairs'
    // sums, so the numbers are theirs).
    private static unsafe void FewRowsWide<T, TRows>(int k, T* f, int fs, T* b, int ldb, T* c, int ldc) where T : unmanaged where TRows : IRowCount
    {
        int w = Vector512<T>.Count, m = TRows.Rows;
        for (int p0 = 0; p0 < k; p0 += FewRowsDepth)
        {
            int p1 = Math.Min(k, p0 + FewRowsDepth);
            Vector512<T> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default,
                c0 = default, c1 = default, c2 = default, c3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
            T* row = b + (long)p0 * ldb;
            for (int p = p0; p < p1; p++, row += ldb)
            {
                var v0 = Vector512.Load(row);
                var v1 = Vector512.Load(row + w);
                var v2 = Vector512.Load(row + 2 * w);
                var v3 = Vector512.Load(row + 3 * w);
                var f0 = Vector512.Create(f[p]);
                a0 = Fma512(f0, v0, a0); a1 = Fma512(f0, v1, a1); a2 = Fma512(f0, v2, a2); a3 = Fma512(f0, v3, a3);
                if (m > 1)
                {
                    var f1 = Vector512.Create(f[fs + p]);
                    b0 = Fma512(f1, v0, b0); b1 = Fma512(f1, v1, b1); b2 = Fma512(f1, v2, b2); b3 = Fma512(f1, v3, b3);
                }
                if (m > 2)
                {
                    var f2 = Vector512.Create(f[2L * fs + p]);
                    c0 = Fma512(f2, v0, c0); c1 = Fma512(f2, v1, c1); c2 = Fma512(f2, v2, c2); c3 = Fma512(f2, v3, c3);
                }
                if (m > 3)
                {
                    var f3 = Vector512.Create(f[3L * fs + p]);
                    d0 = Fma512(f3, v0, d0); d1 = Fma512(f3, v1, d1); d2 = Fma512(f3, v2, d2); d3 = Fma512(f3, v3, d3);
                }
            }
            AddInto(c, a0); AddInto(c + w, a1); AddInto(c + 2 * w, a2); AddInto(c + 3 * w, a3);
            if (m > 1) { T* r = c + ldc; AddInto(r, b0); AddInto(r + w, b1); AddInto(r + 2 * w, b2); AddInto(r + 3 * w, b3); }
            if (m > 2) { T* r = c + 2L * ldc; AddInto(r, c0); AddInto(r + w, c1); AddInto(r + 2 * w, c2); AddInto(r + 3 * w, c3); }
            if (m > 3) { T* r = c + 3L * ldc; AddInto(r, d0); AddInto(r + w, d1); AddInto(r + 2 * w, d2); AddInto(r + 3 * w, d3); }
        }
    }

    /// <summary>
    /// One row of C (a matrix-vector product: an LSTM step of a batch of one, 128 hidden units against a 128 × 512
    /// weight) as C[0, :] += Σₚ (alpha·A[0, p])·B[p, :], reading B row after row as it lies in memory: a block of C's
    /// columns (16 vectors with AVX-512, 8 with AVX2) sums in registers down a block of k rows, each row's segment of B
    /// loaded once, and goes into C at the block's end. Column pairs walked down B's rows (<see cref="FewRowsInRegisters"/>)
    /// kept only two chains of fused multiply-adds busy and crossed a page on every row of a wide B (1024 columns: 55 µs
    /// a step where this takes a few); an L1 buffer of sums (the version before this) loaded and stored the sums once
    /// per four rows, 10-15 % slower than sums in registers at L2's bandwidth. Each column's sum runs over p in the
    /// same order, from zero in each block of <see cref="FewRowsDepth"/> rows, so the numbers are those of the
    /// column-pair path.
    /// </summary>
    [SkipLocalsInit]
    private static unsafe void OneRowStreaming<T>(bool transA, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T* c, bool allowParallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* stack = stackalloc T[StackFactors];
        T* f = Factors(transA, 1, k, alpha, a, lda, stack, out var heap, out _);
        int block = OneRowBlock<T>();
        int stripe = Math.Max(block, OneRowStripeBytes / Unsafe.SizeOf<T>() / block * block);
        long stripes = (n + stripe - 1) / stripe, blocks = (n + block - 1) / block;
        nint fAddr = (nint)f, bAddr = (nint)b, cAddr = (nint)c;
        if (allowParallel && CpuParallel.SplitsFlops(stripes, 2.0 * k * stripe))
            CpuParallel.ForFlops(stripes, 2.0 * k * stripe, (s0, s1) =>
                OneRowColumns((T*)fAddr, k, (T*)bAddr, ldb, (T*)cAddr, (int)(s0 * stripe), (int)Math.Min(n, s1 * stripe)));
        // An LSTM step's 512 columns are two register blocks, worth splitting only when the workers still spin from the
        // last split (no wake-up). Cut between whole blocks, each column's sum is the one OneRowColumns makes of all n.
        else if (allowParallel && CpuParallel.SplitsWhileAwake(blocks, 2.0 * k * block))
            CpuParallel.ForFlopsWhileAwake(blocks, 2.0 * k * block, (b0, b1) =>
                OneRowColumns((T*)fAddr, k, (T*)bAddr, ldb, (T*)cAddr, (int)(b0 * block), (int)Math.Min(n, b1 * block)));
        else
            OneRowColumns(f, k, b, ldb, c, 0, n);
        // The pinned array is only reached through f: kept alive until the sums are done.
        GC.KeepAlive(heap);
    }

    /// <summary>C's columns one register block of <see cref="OneRowStreaming"/> holds (a stripe is a whole number of them).</summary>
    private static int OneRowBlock<T>() where T : unmanaged => Use512 ? 16 * Vector512<T>.Count : 8 * Vector256<T>.Count;

    /// <summary>Columns [j0, j1) of <see cref="OneRowStreaming"/>: whole register blocks, then blocks of at most 8 vectors, then scalars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void OneRowColumns<T>(T* f, int k, T* b, int ldb, T* c, int j0, int j1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = j0, block = OneRowBlock<T>(), w = Vector256<T>.Count;
        if (Use512)
            for (; j + block <= j1; j += block) OneRowBlock512(f, k, b + j, ldb, c + j);
        // Then up to 8 vectors at a time: single vectors would each wait on their own chain of fused multiply-adds.
        for (int vectors; (vectors = Math.Min(8, (j1 - j) / w)) > 0; j += vectors * w) OneRowBlock256(f, k, b + j, ldb, c + j, vectors);
        for (; j < j1; j++)
            for (int p0 = 0; p0 < k; p0 += FewRowsDepth)
            {
                int p1 = Math.Min(k, p0 + FewRowsDepth);
                T sum = T.Zero;
                for (int p = p0; p < p1; p++) sum = T.FusedMultiplyAdd(f[p], b[(long)p * ldb + j], sum);
                c[j] += sum;
            }
    }

    // 16 vectors of C's columns in registers (AVX-512 has 32), down every row of B in blocks of FewRowsDepth.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void OneRowBlock512<T>(T* f, int k, T* b, int ldb, T* c) where T : unmanaged
    {
        int w = Vector512<T>.Count;
        for (int p0 = 0; p0 < k; p0 += FewRowsDepth)
        {
            int p1 = Math.Min(k, p0 + FewRowsDepth);
            Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default,
                s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
            T* row = b + (long)p0 * ldb;
            for (int p = p0; p < p1; p++, row += ldb)
            {
                var fp = Vector512.Create(f[p]);
                s0 = Fma512(fp, Vector512.Load(row), s0);
                s1 = Fma512(fp, Vector512.Load(row + w), s1);
                s2 = Fma512(fp, Vector512.Load(row + 2 * w), s2);
                s3 = Fma512(fp, Vector512.Load(row + 3 * w), s3);
                s4 = Fma512(fp, Vector512.Load(row + 4 * w), s4);
                s5 = Fma512(fp, Vector512.Load(row + 5 * w), s5);
                s6 = Fma512(fp, Vector512.Load(row + 6 * w), s6);
                s7 = Fma512(fp, Vector512.Load(row + 7 * w), s7);
                s8 = Fma512(fp, Vector512.Load(row + 8 * w), s8);
                s9 = Fma512(fp, Vector512.Load(row + 9 * w), s9);
                s10 = Fma512(fp, Vector512.Load(row + 10 * w), s10);
                s11 = Fma512(fp, Vector512.Load(row + 11 * w), s11);
                s12 = Fma512(fp, Vector512.Load(row + 12 * w), s12);
                s13 = Fma512(fp, Vector512.Load(row + 13 * w), s13);
                s14 = Fma512(fp, Vector512.Load(row + 14 * w), s14);
                s15 = Fma512(fp, Vector512.Load(row + 15 * w), s15);
            }
            AddInto(c, s0); AddInto(c + w, s1); AddInto(c + 2 * w, s2); AddInto(c + 3 * w, s3);
            AddInto(c + 4 * w, s4); AddInto(c + 5 * w, s5); AddInto(c + 6 * w, s6); AddInto(c + 7 * w, s7);
            AddInto(c + 8 * w, s8); AddInto(c + 9 * w, s9); AddInto(c + 10 * w, s10); AddInto(c + 11 * w, s11);
            AddInto(c + 12 * w, s12); AddInto(c + 13 * w, s13); AddInto(c + 14 * w, s14); AddInto(c + 15 * w, s15);
        }
    }

    // Up to 8 vectors of C's columns in registers (AVX2 has 16), down every row of B in blocks of FewRowsDepth; the
    // vectors past `vectors` are neither loaded nor stored (the tests on them are the same every row, so predicted).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void OneRowBlock256<T>(T* f, int k, T* b, int ldb, T* c, int vectors) where T : unmanaged
    {
        int w = Vector256<T>.Count;
        for (int p0 = 0; p0 < k; p0 += FewRowsDepth)
        {
            int p1 = Math.Min(k, p0 + FewRowsDepth);
            Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            T* row = b + (long)p0 * ldb;
            for (int p = p0; p < p1; p++, row += ldb)
            {
                var fp = Vector256.Create(f[p]);
                s0 = Fma256(fp, Vector256.Load(row), s0);
                if (vectors > 1) s1 = Fma256(fp, Vector256.Load(row + w), s1);
                if (vectors > 2) s2 = Fma256(fp, Vector256.Load(row + 2 * w), s2);
                if (vectors > 3) s3 = Fma256(fp, Vector256.Load(row + 3 * w), s3);
                if (vectors > 4) s4 = Fma256(fp, Vector256.Load(row + 4 * w), s4);
                if (vectors > 5) s5 = Fma256(fp, Vector256.Load(row + 5 * w), s5);
                if (vectors > 6) s6 = Fma256(fp, Vector256.Load(row + 6 * w), s6);
                if (vectors > 7) s7 = Fma256(fp, Vector256.Load(row + 7 * w), s7);
            }
            AddInto(c, s0);
            if (vectors > 1) AddInto(c + w, s1);
            if (vectors > 2) AddInto(c + 2 * w, s2);
            if (vectors > 3) AddInto(c + 3 * w, s3);
            if (vectors > 4) AddInto(c + 4 * w, s4);
            if (vectors > 5) AddInto(c + 5 * w, s5);
            if (vectors > 6) AddInto(c + 6 * w, s6);
            if (vectors > 7) AddInto(c + 7 * w, s7);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddInto<T>(T* c, Vector512<T> sum) where T : unmanaged => (Vector512.Load(c) + sum).Store(c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddInto<T>(T* c, Vector256<T> sum) where T : unmanaged => (Vector256.Load(c) + sum).Store(c);

    /// <summary>C's columns one task of <see cref="OneRowStreaming"/> takes when the cores share a wide row (4 KiB: 1024 floats).</summary>
    private const int OneRowStripeBytes = 4096;

    /// <summary>Rows of B that <see cref="OneRowStreaming"/> needs to be worth it: below a quarter stripe, the column
    /// pairs read B's short rows well enough.</summary>
    private const int OneRowMinStripeBytes = 4096;

    /// <summary>Rows of B one block of <see cref="FewRowsInRegisters"/> sums before adding into C: B's rows stream
    /// from as many places as the block is deep.</summary>
    private const int FewRowsDepth = 256;

    // C's row segment [0, width) += the pair of sum vectors (width below two vectors: through the scratch tile).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddRow<T>(T* row, Vector256<T> left, Vector256<T> right, int width, T* tile) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count;
        if (width == 2 * w)
        {
            (Vector256.Load(row) + left).Store(row);
            (Vector256.Load(row + w) + right).Store(row + w);
            return;
        }
        left.Store(tile);
        right.Store(tile + w);
        for (int x = 0; x < width; x++) row[x] += tile[x];
    }
}

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
    private static unsafe void FewRowsInRegisters<T>(bool transA, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T* c, int ldc, bool allowParallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // alpha·op(A), row i at i·k: the sums' multipliers, broadcast one at a time.
        var factors = new T[4 * (long)k];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) factors[(long)i * k + p] = alpha * (transA ? a[(long)p * lda + i] : a[(long)i * lda + p]);
        int w = Vector256<T>.Count;
        long pairs = (n + 2 * w - 1) / (2 * w);
        nint bAddr = (nint)b, cAddr = (nint)c;
        CpuParallel.ForFlops(pairs, allowParallel ? 4.0 * m * k * w : double.Epsilon, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (q0, q1) =>
        {
            fixed (T* f = factors)
            {
                T* bp = (T*)bAddr, cp = (T*)cAddr;
                // The pairs' columns: whole vector pairs, then the last columns through a zero-padded tile.
                T* tile = stackalloc T[2 * w];
                for (long q = q0; q < q1; q++)
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
                                var f1 = Vector256.Create(f[k + p]);
                                s1 = Fma256(f1, left, s1);
                                t1 = Fma256(f1, right, t1);
                            }
                            if (m > 2)
                            {
                                var f2 = Vector256.Create(f[2L * k + p]);
                                s2 = Fma256(f2, left, s2);
                                t2 = Fma256(f2, right, t2);
                            }
                            if (m > 3)
                            {
                                var f3 = Vector256.Create(f[3L * k + p]);
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
        });
    }

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

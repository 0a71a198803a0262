using System.Numerics;
using System.Runtime.CompilerServices;

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
}

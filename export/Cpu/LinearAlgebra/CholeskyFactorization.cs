namespace Graphport.Cpu;

/// <summary>
/// Cholesky factorization of one row-major symmetric positive-definite matrix (torch.linalg.cholesky_ex) and the
/// solve built on it (torch.cholesky_solve). Only the triangle being factored is read, as LAPACK potrf; a matrix that
/// is not positive definite is reported through the return code, never thrown on.
/// </summary>
public static class CholeskyFactorization
{
    /// <summary>
    /// Factors <paramref name="a"/> (n×n) in place: A = L·Lᵀ with L lower, or with <paramref name="upper"/> A = Uᵀ·U.
    /// The other strict triangle is set to zero. Returns 0, or the 1-based order k of the first leading minor that is
    /// not positive definite (or holds a NaN); the first k−1 rows/columns are then factored and the rest left partial.
    /// </summary>
    public static int Factor(Span<double> a, int n, bool upper)
    {
        LinearAlgebraChecks.RequireCapacity(a.Length, n, n, nameof(a));
        int info = upper ? FactorUpper(a, n) : FactorLower(a, n);
        for (int i = 0; i < n; i++)
        {
            if (upper) a.Slice(i * n, i).Clear();
            else a.Slice(i * n + i + 1, n - i - 1).Clear();
        }
        return info;
    }

    /// <summary>
    /// Solves A·X = B in place for A = L·Lᵀ (or Uᵀ·U with <paramref name="upper"/>) given its factor; B is n×nrhs.
    /// </summary>
    public static void Solve(ReadOnlySpan<double> factor, int n, bool upper, Span<double> b, int nrhs)
    {
        LinearAlgebraChecks.RequireCapacity(factor.Length, n, n, nameof(factor));
        LinearAlgebraChecks.RequireCapacity(b.Length, n, nrhs, nameof(b));
        // Lower: L·Y = B, then Lᵀ·X = Y. Upper: Uᵀ·Y = B, then U·X = Y.
        TriangularSolve.SolveLeft(factor, n, b, nrhs, upper, transposeA: upper, unitDiagonal: false);
        TriangularSolve.SolveLeft(factor, n, b, nrhs, upper, transposeA: !upper, unitDiagonal: false);
    }

    // Row by row (Cholesky–Banachiewicz): each entry of L is a dot product of two finished rows, both contiguous.
    private static int FactorLower(Span<double> a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            var rowI = a.Slice(i * n, i);
            for (int j = 0; j < i; j++)
            {
                double dot = VectorKernels.Dot(rowI[..j], a.Slice(j * n, j));
                a[i * n + j] = (a[i * n + j] - dot) / a[j * n + j];
            }
            double pivot = a[i * n + i] - VectorKernels.Dot(rowI, rowI);
            if (!(pivot > 0))
            {
                a[i * n + i] = pivot;
                return i + 1;
            }
            a[i * n + i] = Math.Sqrt(pivot);
        }
        return 0;
    }

    // Right-looking on rows: once row k of U is final, it is taken out of every later row's upper part, contiguously.
    private static int FactorUpper(Span<double> a, int n)
    {
        for (int k = 0; k < n; k++)
        {
            double pivot = a[k * n + k];
            if (!(pivot > 0)) return k + 1;
            double diagonal = Math.Sqrt(pivot);
            a[k * n + k] = diagonal;
            var tail = a.Slice(k * n + k + 1, n - k - 1);
            for (int j = 0; j < tail.Length; j++) tail[j] /= diagonal;
            for (int i = k + 1; i < n; i++)
                VectorKernels.Axpy(-a[k * n + i], a.Slice(k * n + i, n - i), a.Slice(i * n + i, n - i));
        }
        return 0;
    }
}

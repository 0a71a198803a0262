namespace Graphport.Cpu;

/// <summary>
/// Substitution with one row-major triangular matrix, as torch.linalg.solve_triangular: A·X = B or X·A = B, reading
/// only the named triangle of A. A zero on the diagonal is divided by as IEEE arithmetic says (±∞ or NaN), not reported.
/// </summary>
public static class TriangularSolve
{
    /// <summary>
    /// Overwrites the row-major <paramref name="rows"/>×<paramref name="cols"/> matrix <paramref name="b"/> with X.
    /// With <paramref name="left"/> solves A·X = B (rows must equal n), otherwise X·A = B (cols must equal n).
    /// <paramref name="unitDiagonal"/> takes A's diagonal as ones without reading it.
    /// </summary>
    public static void Solve(ReadOnlySpan<double> a, int n, Span<double> b, int rows, int cols, bool upper, bool left, bool unitDiagonal)
    {
        LinearAlgebraChecks.RequireCapacity(a.Length, n, n, nameof(a));
        LinearAlgebraChecks.RequireCapacity(b.Length, rows, cols, nameof(b));
        if (left && rows != n) throw new ArgumentException($"A is {n}×{n} but B has {rows} rows.", nameof(rows));
        if (!left && cols != n) throw new ArgumentException($"A is {n}×{n} but B has {cols} columns.", nameof(cols));
        if (left) SolveLeft(a, n, b, cols, upper, transposeA: false, unitDiagonal);
        else
        {
            for (int r = 0; r < rows; r++) SolveRowTimesA(a, n, b.Slice(r * n, n), upper, unitDiagonal);
        }
    }

    /// <summary>
    /// op(A)·X = B in place, where op(A) is A or Aᵀ and A's stored triangle is the <paramref name="upper"/> one;
    /// B is n×cols. Works row by row of B so every inner loop is a contiguous axpy.
    /// </summary>
    internal static void SolveLeft(ReadOnlySpan<double> a, int n, Span<double> b, int cols, bool upper, bool transposeA, bool unitDiagonal)
    {
        bool effectiveLower = upper == transposeA;
        if (effectiveLower)
        {
            for (int i = 0; i < n; i++)
            {
                var row = b.Slice(i * cols, cols);
                for (int k = 0; k < i; k++)
                {
                    double coefficient = transposeA ? a[k * n + i] : a[i * n + k];
                    if (coefficient != 0) VectorKernels.Axpy(-coefficient, b.Slice(k * cols, cols), row);
                }
                if (!unitDiagonal) DivideBy(row, a[i * n + i]);
            }
        }
        else
        {
            for (int i = n - 1; i >= 0; i--)
            {
                var row = b.Slice(i * cols, cols);
                for (int k = i + 1; k < n; k++)
                {
                    double coefficient = transposeA ? a[k * n + i] : a[i * n + k];
                    if (coefficient != 0) VectorKernels.Axpy(-coefficient, b.Slice(k * cols, cols), row);
                }
                if (!unitDiagonal) DivideBy(row, a[i * n + i]);
            }
        }
    }

    // x·A = b for one row: each solved x[j] is then taken out of the entries it feeds, which lie along row j of A.
    private static void SolveRowTimesA(ReadOnlySpan<double> a, int n, Span<double> x, bool upper, bool unitDiagonal)
    {
        if (upper)
        {
            for (int j = 0; j < n; j++)
            {
                if (!unitDiagonal) x[j] /= a[j * n + j];
                VectorKernels.Axpy(-x[j], a.Slice(j * n + j + 1, n - j - 1), x.Slice(j + 1));
            }
        }
        else
        {
            for (int j = n - 1; j >= 0; j--)
            {
                if (!unitDiagonal) x[j] /= a[j * n + j];
                VectorKernels.Axpy(-x[j], a.Slice(j * n, j), x[..j]);
            }
        }
    }

    // Divides rather than multiplying by the reciprocal: one rounding, and a subnormal diagonal stays finite.
    private static void DivideBy(Span<double> row, double divisor)
    {
        for (int j = 0; j < row.Length; j++) row[j] /= divisor;
    }
}

namespace Graphport.Cpu;

/// <summary>
/// LU factorization with partial pivoting of one row-major matrix, in LAPACK getrf's layout (L below the diagonal with
/// its unit diagonal implied, U on and above it, 1-based pivot rows), and what torch builds on it: lu_factor, lu_solve,
/// det, slogdet and lu_unpack. Singular matrices are factored all the same and reported through the return code.
/// </summary>
public static class LuFactorization
{
    /// <summary>
    /// Factors the m×n matrix <paramref name="a"/> in place as P·L·U. <paramref name="pivots"/> (length min(m, n))
    /// receives 1-based rows: row i was interchanged with row pivots[i]. The pivot is the first entry of largest
    /// magnitude in its column. Returns 0, or k &gt; 0 when U[k−1, k−1] is exactly zero (the first such k).
    /// </summary>
    public static int Factor(Span<double> a, int m, int n, Span<int> pivots)
    {
        LinearAlgebraChecks.RequireCapacity(a.Length, m, n, nameof(a));
        int k = Math.Min(m, n);
        LinearAlgebraChecks.RequireCapacity(pivots.Length, k, 1, nameof(pivots));
        int info = 0;
        for (int j = 0; j < k; j++)
        {
            int pivotRow = j;
            double largest = Math.Abs(a[j * n + j]);
            for (int i = j + 1; i < m; i++)
            {
                double candidate = Math.Abs(a[i * n + j]);
                if (candidate > largest)
                {
                    largest = candidate;
                    pivotRow = i;
                }
            }
            pivots[j] = pivotRow + 1;
            double pivot = a[pivotRow * n + j];
            if (pivot != 0)
            {
                if (pivotRow != j) VectorKernels.Swap(a.Slice(pivotRow * n, n), a.Slice(j * n, n));
                // Multiplying by the reciprocal, as LAPACK does unless it would overflow, keeps L's rounding the same as torch's.
                bool reciprocalSafe = Math.Abs(pivot) >= Math.ScaleB(1, -1022);
                double reciprocal = 1 / pivot;
                for (int i = j + 1; i < m; i++)
                {
                    if (reciprocalSafe) a[i * n + j] *= reciprocal;
                    else a[i * n + j] /= pivot;
                }
            }
            else if (info == 0)
            {
                // The whole column below is zero too, so there is nothing to eliminate; carry on as LAPACK does.
                info = j + 1;
            }
            var pivotTail = a.Slice(j * n + j + 1, n - j - 1);
            for (int i = j + 1; i < m; i++)
            {
                double multiplier = a[i * n + j];
                if (multiplier != 0) VectorKernels.Axpy(-multiplier, pivotTail, a.Slice(i * n + j + 1, n - j - 1));
            }
        }
        return info;
    }

    /// <summary>Solves A·X = B in place for n×n A given by its factors; B is row-major n×nrhs.</summary>
    public static void Solve(ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> pivots, Span<double> b, int nrhs)
    {
        LinearAlgebraChecks.RequireCapacity(lu.Length, n, n, nameof(lu));
        LinearAlgebraChecks.RequireCapacity(pivots.Length, n, 1, nameof(pivots));
        LinearAlgebraChecks.RequireCapacity(b.Length, n, nrhs, nameof(b));
        for (int i = 0; i < n; i++)
        {
            int target = pivots[i] - 1;
            if (target != i) VectorKernels.Swap(b.Slice(i * nrhs, nrhs), b.Slice(target * nrhs, nrhs));
        }
        TriangularSolve.SolveLeft(lu, n, b, nrhs, upper: false, transposeA: false, unitDiagonal: true);
        TriangularSolve.SolveLeft(lu, n, b, nrhs, upper: true, transposeA: false, unitDiagonal: false);
    }

    /// <summary>Solves Aᵀ·X = B in place (Uᵀ, then Lᵀ, then the interchanges undone in reverse) for n×n A given by its factors.</summary>
    public static void SolveTransposed(ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> pivots, Span<double> b, int nrhs)
    {
        LinearAlgebraChecks.RequireCapacity(lu.Length, n, n, nameof(lu));
        LinearAlgebraChecks.RequireCapacity(pivots.Length, n, 1, nameof(pivots));
        LinearAlgebraChecks.RequireCapacity(b.Length, n, nrhs, nameof(b));
        TriangularSolve.SolveLeft(lu, n, b, nrhs, upper: true, transposeA: true, unitDiagonal: false);
        TriangularSolve.SolveLeft(lu, n, b, nrhs, upper: false, transposeA: true, unitDiagonal: true);
        for (int i = n - 1; i >= 0; i--)
        {
            int target = pivots[i] - 1;
            if (target != i) VectorKernels.Swap(b.Slice(i * nrhs, nrhs), b.Slice(target * nrhs, nrhs));
        }
    }

    /// <summary>det(A) from A's factors: the product of U's diagonal, negated once per actual row interchange.</summary>
    public static double Determinant(ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> pivots)
    {
        LinearAlgebraChecks.RequireCapacity(lu.Length, n, n, nameof(lu));
        LinearAlgebraChecks.RequireCapacity(pivots.Length, n, 1, nameof(pivots));
        double determinant = 1;
        for (int i = 0; i < n; i++)
        {
            determinant *= lu[i * n + i];
            if (pivots[i] != i + 1) determinant = -determinant;
        }
        return determinant;
    }

    /// <summary>
    /// (sign, log|det|) from A's factors, as torch.linalg.slogdet: a singular matrix gives (0, −∞). Summing
    /// logarithms avoids the overflow and underflow the plain product meets for large matrices.
    /// </summary>
    public static (double Sign, double LogAbs) SignAndLogAbsDeterminant(ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> pivots)
    {
        LinearAlgebraChecks.RequireCapacity(lu.Length, n, n, nameof(lu));
        LinearAlgebraChecks.RequireCapacity(pivots.Length, n, 1, nameof(pivots));
        double sign = 1, logAbs = 0;
        for (int i = 0; i < n; i++)
        {
            double diagonal = lu[i * n + i];
            if (pivots[i] != i + 1) sign = -sign;
            sign *= diagonal > 0 ? 1 : diagonal < 0 ? -1 : diagonal == 0 ? 0 : double.NaN;
            logAbs += Math.Log(Math.Abs(diagonal));
        }
        // A zero factor may have met an odd number of interchanges; torch reports +0, not −0.
        return (sign == 0 ? 0 : sign, logAbs);
    }

    /// <summary>
    /// torch.lu_unpack: writes the m×m permutation P, unit-lower m×k L and upper k×n U (k = min(m, n)) with
    /// A = P·L·U, from the factors <see cref="Factor"/> left in <paramref name="lu"/>.
    /// </summary>
    public static void Unpack(ReadOnlySpan<double> lu, int m, int n, ReadOnlySpan<int> pivots, Span<double> p, Span<double> l, Span<double> u)
    {
        LinearAlgebraChecks.RequireCapacity(lu.Length, m, n, nameof(lu));
        int k = Math.Min(m, n);
        LinearAlgebraChecks.RequireCapacity(pivots.Length, k, 1, nameof(pivots));
        LinearAlgebraChecks.RequireCapacity(p.Length, m, m, nameof(p));
        LinearAlgebraChecks.RequireCapacity(l.Length, m, k, nameof(l));
        LinearAlgebraChecks.RequireCapacity(u.Length, k, n, nameof(u));

        // Replaying the interchanges on 0..m−1 gives, for each row i of L·U, the row of A it came from.
        Span<int> source = m <= 256 ? stackalloc int[m] : new int[m];
        for (int i = 0; i < m; i++) source[i] = i;
        for (int i = 0; i < k; i++)
        {
            int target = pivots[i] - 1;
            if (target < 0 || target >= m) throw new ArgumentException($"Pivot {pivots[i]} at {i} is outside 1..{m}.", nameof(pivots));
            (source[i], source[target]) = (source[target], source[i]);
        }
        p[..(m * m)].Clear();
        for (int i = 0; i < m; i++) p[source[i] * m + i] = 1;

        for (int i = 0; i < m; i++)
            for (int j = 0; j < k; j++)
                l[i * k + j] = j < i ? lu[i * n + j] : j == i ? 1 : 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < n; j++)
                u[i * n + j] = j >= i ? lu[i * n + j] : 0;
    }
}

namespace Graphport.Cpu;

/// <summary>
/// Singular value decomposition of one row-major matrix, as torch.linalg.svd / svdvals: Householder reduction to
/// upper bidiagonal form (of Aᵀ when A is wide), then implicitly shifted Golub–Kahan QR sweeps on the bidiagonal, with
/// zero diagonal entries chased out by rotations. Singular values come out descending and non-negative. Each pair of
/// singular vectors is signed so that the left vector's leading component is positive (<see cref="EigenvectorSign"/>),
/// and the extra columns of a full U or rows of a full Vh by their own leading component; torch's signs are LAPACK's,
/// so only sign-invariant results compare equal. A matrix holding ±∞ or NaN gives NaN everywhere.
/// </summary>
public static class SingularValueDecomposition
{
    private const double MachineEpsilon = 2.220446049250313e-16;
    // The matrix is scaled to magnitude ~1 first, so an entry this small is noise however small the values.
    private const double NegligibleCoupling = 1e-300;

    /// <summary>
    /// A = U·diag(S)·Vh for the m×n <paramref name="a"/>, k = min(m, n), S (length k) descending. Reduced: U m×k,
    /// Vh k×n; with <paramref name="fullMatrices"/>: U m×m, Vh n×n, the bases completed orthonormally. Either of
    /// <paramref name="u"/>, <paramref name="vh"/> may be empty to skip it; both empty computes the values only.
    /// </summary>
    public static void Decompose(ReadOnlySpan<double> a, int m, int n, bool fullMatrices, Span<double> u, Span<double> s, Span<double> vh)
    {
        LinearAlgebraChecks.RequireCapacity(a.Length, m, n, nameof(a));
        int k = Math.Min(m, n);
        int uCols = fullMatrices ? m : k;
        int vhRows = fullMatrices ? n : k;
        LinearAlgebraChecks.RequireCapacity(s.Length, k, 1, nameof(s));
        bool wantU = !u.IsEmpty, wantVh = !vh.IsEmpty;
        if (wantU) LinearAlgebraChecks.RequireCapacity(u.Length, m, uCols, nameof(u));
        if (wantVh) LinearAlgebraChecks.RequireCapacity(vh.Length, vhRows, n, nameof(vh));
        bool wantVectors = wantU || wantVh;

        // Work on a tall p×q matrix: A itself, or Aᵀ when A is wide (then A's U and Vh swap roles below).
        bool transposed = m < n;
        int p = transposed ? n : m, q = transposed ? m : n;
        var work = new double[p * q];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (transposed) work[j * q + i] = a[i * n + j];
                else work[i * q + j] = a[i * n + j];
            }
        }
        double largest = VectorKernels.MaxAbs(work);
        if (!double.IsFinite(largest))
        {
            FillNaN(s[..k], wantU ? u[..(m * uCols)] : Span<double>.Empty, wantVh ? vh[..(vhRows * n)] : Span<double>.Empty);
            return;
        }
        // Scaling by a power of two is exact and keeps the squares in the shift far from overflow/underflow.
        int exponent = largest == 0 ? 0 : Math.ILogB(largest);
        if (exponent != 0) VectorKernels.Scale(Math.ScaleB(1, -exponent), work);

        // left: rows are the left singular vectors of the tall matrix (p long), right: its right ones (q long).
        int leftRows = fullMatrices ? p : q;
        var values = new double[q];
        double[]? left = wantVectors ? new double[leftRows * p] : null;
        double[]? right = wantVectors ? new double[q * q] : null;
        if (!DecomposeTall(work, p, q, values, left, leftRows, right))
        {
            FillNaN(s[..k], wantU ? u[..(m * uCols)] : Span<double>.Empty, wantVh ? vh[..(vhRows * n)] : Span<double>.Empty);
            return;
        }
        for (int i = 0; i < k; i++) s[i] = Math.ScaleB(values[i], exponent);
        if (left is null || right is null) return;

        for (int i = 0; i < leftRows; i++)
        {
            var vector = left.AsSpan(i * p, p);
            if (i >= q)
            {
                if (EigenvectorSign.ShouldFlip(vector)) VectorKernels.Scale(-1, vector);
                continue;
            }
            var partner = right.AsSpan(i * q, q);
            if (EigenvectorSign.ShouldFlip(transposed ? partner : vector))
            {
                VectorKernels.Scale(-1, vector);
                VectorKernels.Scale(-1, partner);
            }
        }

        // Tall: U's columns are `left`'s rows and Vh is `right`. Wide (A = Aᵀᵀ): U's columns are `right`'s rows and
        // Vh is `left`.
        if (wantU)
        {
            var columns = transposed ? right : left;
            int length = transposed ? q : p;
            for (int r = 0; r < m; r++)
                for (int c = 0; c < uCols; c++)
                    u[r * uCols + c] = columns[c * length + r];
        }
        if (wantVh) (transposed ? left : right).AsSpan(0, vhRows * n).CopyTo(vh);
    }

    /// <summary>
    /// SVD of the tall p×q <paramref name="work"/> (p ≥ q, destroyed): values descending into
    /// <paramref name="values"/>; when <paramref name="left"/> is given, its <paramref name="leftRows"/> rows (q, or p
    /// for a full basis) get the left singular vectors and <paramref name="right"/>'s q rows the right ones.
    /// </summary>
    private static bool DecomposeTall(double[] work, int p, int q, double[] values, double[]? left, int leftRows, double[]? right)
    {
        if (q == 0)
        {
            if (left is not null) for (int i = 0; i < leftRows; i++) left[i * p + i] = 1;
            return true;
        }
        var superDiagonal = new double[q];
        var tauLeft = new double[q];
        var tauRight = new double[q];
        Bidiagonalize(work, p, q, values, superDiagonal, tauLeft, tauRight);
        if (left is not null && right is not null) FormBases(work, p, q, tauLeft, tauRight, left, leftRows, right);
        if (!DiagonalizeBidiagonal(values, superDiagonal, q, left, p, right)) return false;

        for (int i = 0; i < q; i++)
        {
            if (values[i] >= 0) continue;
            values[i] = -values[i];
            if (right is not null) VectorKernels.Scale(-1, right.AsSpan(i * q, q));
        }
        for (int i = 0; i < q; i++)
        {
            int largest = i;
            for (int j = i + 1; j < q; j++)
            {
                if (values[j] > values[largest]) largest = j;
            }
            if (largest == i) continue;
            (values[i], values[largest]) = (values[largest], values[i]);
            if (left is not null) VectorKernels.Swap(left.AsSpan(i * p, p), left.AsSpan(largest * p, p));
            if (right is not null) VectorKernels.Swap(right.AsSpan(i * q, q), right.AsSpan(largest * q, q));
        }
        return true;
    }

    /// <summary>
    /// Householder bidiagonalization B = (H_{q−1}⋯H₀)·A·(G₀⋯G_{q−2}): H_k zeroes column k below the diagonal and G_k
    /// row k right of the superdiagonal. Each v[1..] stays where it zeroed (H_k's down column k, G_k's along row k).
    /// </summary>
    private static void Bidiagonalize(double[] work, int p, int q, double[] diagonal, double[] superDiagonal, double[] tauLeft, double[] tauRight)
    {
        var v = new double[Math.Max(p, q)];
        var scratch = new double[q];
        for (int k = 0; k < q; k++)
        {
            int below = p - k - 1;
            var column = below > 0 ? work.AsSpan((k + 1) * q + k) : Span<double>.Empty;
            tauLeft[k] = HouseholderReflector.Generate(ref work[k * q + k], column, q, below);
            diagonal[k] = work[k * q + k];
            if (tauLeft[k] != 0 && k + 1 < q)
            {
                HouseholderReflector.Gather(column, q, below, v);
                HouseholderReflector.ApplyFromLeft(work.AsSpan(k * q + k + 1), q, p - k, q - k - 1, v, tauLeft[k], scratch);
            }
            if (k + 1 >= q)
            {
                superDiagonal[k] = 0;
                continue;
            }
            int length = q - k - 1;
            var tail = work.AsSpan(k * q + k + 2, length - 1);
            tauRight[k] = HouseholderReflector.Generate(ref work[k * q + k + 1], tail, 1, length - 1);
            superDiagonal[k] = work[k * q + k + 1];
            if (tauRight[k] == 0) continue;
            v[0] = 1;
            tail.CopyTo(v.AsSpan(1));
            HouseholderReflector.ApplyFromRight(work.AsSpan((k + 1) * q + k + 1), q, p - k - 1, length, v.AsSpan(0, length), tauRight[k]);
        }
    }

    /// <summary>
    /// left = first leftRows rows of (H₀⋯H_{q−1})ᵀ and right = (G₀⋯G_{q−2})ᵀ, i.e. the bases as rows. Built by
    /// multiplying identity rows on the right by the reflectors, last first: a reflector acting from index j leaves
    /// the rows before j alone, and the rows from j on are still zero before column j.
    /// </summary>
    private static void FormBases(double[] work, int p, int q, double[] tauLeft, double[] tauRight, double[] left, int leftRows, double[] right)
    {
        var v = new double[p];
        for (int i = 0; i < leftRows; i++) left[i * p + i] = 1;
        for (int j = q - 1; j >= 0; j--)
        {
            if (tauLeft[j] == 0) continue;
            int below = p - j - 1;
            HouseholderReflector.Gather(below > 0 ? work.AsSpan((j + 1) * q + j) : Span<double>.Empty, q, below, v);
            HouseholderReflector.ApplyFromRight(left.AsSpan(j * p + j), p, leftRows - j, p - j, v.AsSpan(0, p - j), tauLeft[j]);
        }
        for (int i = 0; i < q; i++) right[i * q + i] = 1;
        for (int j = q - 2; j >= 0; j--)
        {
            if (tauRight[j] == 0) continue;
            int length = q - j - 1;
            v[0] = 1;
            work.AsSpan(j * q + j + 2, length - 1).CopyTo(v.AsSpan(1));
            HouseholderReflector.ApplyFromRight(right.AsSpan((j + 1) * q + j + 1), q, length, length, v.AsSpan(0, length), tauRight[j]);
        }
    }

    /// <summary>
    /// Drives the superdiagonal of the upper bidiagonal (d, e) to zero, applying every row rotation to the rows of
    /// <paramref name="left"/> (<paramref name="leftLength"/> long) and every column rotation to the rows of
    /// <paramref name="right"/>. Leaves signed singular values in d. False if it fails to converge.
    /// </summary>
    private static bool DiagonalizeBidiagonal(double[] d, double[] e, int q, double[]? left, int leftLength, double[]? right)
    {
        double norm = 0;
        for (int i = 0; i < q; i++) norm = Math.Max(norm, Math.Abs(d[i]) + Math.Abs(e[i]));
        // A diagonal entry this small relative to ‖B‖ is set to zero: a perturbation within rounding of B itself.
        double zeroDiagonal = MachineEpsilon * norm;
        long iterationLimit = Math.Max(100L, 6L * q * q);
        long iterations = 0;
        int hi = q - 1;
        while (hi > 0)
        {
            if (IsNegligible(e[hi - 1], d[hi - 1], d[hi]))
            {
                e[hi - 1] = 0;
                hi--;
                continue;
            }
            int lo = hi - 1;
            while (lo > 0 && !IsNegligible(e[lo - 1], d[lo - 1], d[lo])) lo--;
            if (lo > 0) e[lo - 1] = 0;
            if (++iterations > iterationLimit) return false;

            int zero = -1;
            for (int i = lo; i <= hi; i++)
            {
                if (Math.Abs(d[i]) <= zeroDiagonal)
                {
                    d[i] = 0;
                    zero = i;
                    break;
                }
            }
            if (zero >= 0 && zero < hi) ChaseRowRight(d, e, zero, hi, left, leftLength);
            else if (zero == hi) ChaseColumnUp(d, e, lo, hi, right, q);
            else GolubKahanStep(d, e, lo, hi, left, leftLength, right, q);
        }
        return true;
    }

    private static bool IsNegligible(double coupling, double before, double after) =>
        Math.Abs(coupling) <= MachineEpsilon * (Math.Abs(before) + Math.Abs(after)) || Math.Abs(coupling) < NegligibleCoupling;

    /// <summary>
    /// With d[k] = 0 (k &lt; hi), row k holds only e[k]; rotations of row k against rows k+1..hi push that entry right
    /// and off the end of the block, leaving e[k] = 0.
    /// </summary>
    private static void ChaseRowRight(double[] d, double[] e, int k, int hi, double[]? left, int leftLength)
    {
        double entry = e[k];
        e[k] = 0;
        for (int j = k + 1; j <= hi && entry != 0; j++)
        {
            var (c, s, r) = Givens(d[j], entry);
            d[j] = r;
            if (j < hi)
            {
                entry = -s * e[j];
                e[j] = c * e[j];
            }
            if (left is not null) VectorKernels.Rotate(left.AsSpan(j * leftLength, leftLength), left.AsSpan(k * leftLength, leftLength), c, s);
        }
    }

    /// <summary>
    /// With d[hi] = 0, column hi holds only e[hi−1]; rotations of column hi against columns hi−1..lo push that entry
    /// up and out of the block, leaving e[hi−1] = 0.
    /// </summary>
    private static void ChaseColumnUp(double[] d, double[] e, int lo, int hi, double[]? right, int rightLength)
    {
        double entry = e[hi - 1];
        e[hi - 1] = 0;
        for (int j = hi - 1; j >= lo && entry != 0; j--)
        {
            var (c, s, r) = Givens(d[j], entry);
            d[j] = r;
            if (j > lo)
            {
                entry = -s * e[j - 1];
                e[j - 1] = c * e[j - 1];
            }
            if (right is not null) VectorKernels.Rotate(right.AsSpan(j * rightLength, rightLength), right.AsSpan(hi * rightLength, rightLength), c, s);
        }
    }

    /// <summary>
    /// One implicit QR sweep on the unreduced block lo..hi, shifted by the eigenvalue of the trailing 2×2 of BᵀB
    /// nearer its last entry (Wilkinson), chasing the bulge down the block with alternating column and row rotations.
    /// </summary>
    private static void GolubKahanStep(double[] d, double[] e, int lo, int hi, double[]? left, int leftLength, double[]? right, int rightLength)
    {
        double couplingAbove = hi - 1 > lo ? e[hi - 2] : 0;
        double t11 = d[hi - 1] * d[hi - 1] + couplingAbove * couplingAbove;
        double t12 = d[hi - 1] * e[hi - 1];
        double t22 = d[hi] * d[hi] + e[hi - 1] * e[hi - 1];
        double half = (t11 - t22) / 2;
        double shift = t22 - t12 * t12 / (half + Math.CopySign(double.Hypot(half, t12), half));

        double y = d[lo] * d[lo] - shift, z = d[lo] * e[lo];
        for (int k = lo; k < hi; k++)
        {
            var (c, s, r) = Givens(y, z);
            if (k > lo) e[k - 1] = r;
            double dk = d[k], ek = e[k], dNext = d[k + 1];
            d[k] = c * dk + s * ek;
            e[k] = c * ek - s * dk;
            double bulge = s * dNext;
            d[k + 1] = c * dNext;
            if (right is not null) VectorKernels.Rotate(right.AsSpan(k * rightLength, rightLength), right.AsSpan((k + 1) * rightLength, rightLength), c, s);

            (c, s, r) = Givens(d[k], bulge);
            d[k] = r;
            ek = e[k];
            dNext = d[k + 1];
            e[k] = c * ek + s * dNext;
            d[k + 1] = c * dNext - s * ek;
            if (k + 1 < hi)
            {
                y = e[k];
                z = s * e[k + 1];
                e[k + 1] = c * e[k + 1];
            }
            if (left is not null) VectorKernels.Rotate(left.AsSpan(k * leftLength, leftLength), left.AsSpan((k + 1) * leftLength, leftLength), c, s);
        }
    }

    /// <summary>(c, s, r) with c·y + s·z = r and c·z − s·y = 0; the identity when z is already zero.</summary>
    private static (double C, double S, double R) Givens(double y, double z)
    {
        if (z == 0) return (1, 0, y);
        double r = double.Hypot(y, z);
        return (y / r, z / r, r);
    }

    private static void FillNaN(Span<double> values, Span<double> u, Span<double> vh)
    {
        values.Fill(double.NaN);
        u.Fill(double.NaN);
        vh.Fill(double.NaN);
    }
}

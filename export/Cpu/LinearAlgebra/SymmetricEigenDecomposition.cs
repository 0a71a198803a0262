namespace Graphport.Cpu;

/// <summary>
/// Eigenvalues and eigenvectors of one real symmetric row-major matrix, as torch.linalg.eigh / eigvalsh: Householder
/// reduction to tridiagonal form, then implicitly shifted QL iterations. Eigenvalues come out ascending and eigenvectors
/// as the columns of an orthonormal matrix. Their signs follow <see cref="EigenvectorSign"/> (the leading component of
/// each column is made positive), not LAPACK's, so only sign-invariant results compare equal to torch's. A matrix
/// holding ±∞ or NaN gives NaN everywhere (where torch reports a convergence failure).
/// </summary>
public static class SymmetricEigenDecomposition
{
    private const int IterationsPerEigenvalue = 60;
    private const double MachineEpsilon = 2.220446049250313e-16;
    // The matrix is scaled to magnitude ~1 first, so a coupling this small is noise however small the eigenvalues.
    private const double NegligibleCoupling = 1e-300;

    /// <summary>
    /// Decomposes A = V·diag(w)·Vᵀ reading only the lower triangle of <paramref name="a"/> (n×n), or the upper with
    /// <paramref name="upper"/>. <paramref name="eigenvectors"/> (n×n, V's columns are the eigenvectors) may be empty
    /// to compute the eigenvalues only.
    /// </summary>
    public static void Decompose(ReadOnlySpan<double> a, int n, bool upper, Span<double> eigenvalues, Span<double> eigenvectors)
    {
        LinearAlgebraChecks.RequireCapacity(a.Length, n, n, nameof(a));
        LinearAlgebraChecks.RequireCapacity(eigenvalues.Length, n, 1, nameof(eigenvalues));
        bool wantVectors = !eigenvectors.IsEmpty;
        if (wantVectors) LinearAlgebraChecks.RequireCapacity(eigenvectors.Length, n, n, nameof(eigenvectors));
        if (n == 0) return;

        var work = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double value = upper ? a[j * n + i] : a[i * n + j];
                work[i * n + j] = value;
                work[j * n + i] = value;
            }
        }
        double largest = VectorKernels.MaxAbs(work);
        if (!double.IsFinite(largest))
        {
            FillNaN(eigenvalues[..n], wantVectors ? eigenvectors[..(n * n)] : Span<double>.Empty);
            return;
        }
        // Scaling by a power of two is exact and keeps the squares inside the rotations far from overflow/underflow.
        int exponent = largest == 0 ? 0 : Math.ILogB(largest);
        if (exponent != 0) VectorKernels.Scale(Math.ScaleB(1, -exponent), work);

        var diagonal = new double[n];
        var offDiagonal = new double[n];
        var tau = new double[n];
        Tridiagonalize(work, n, diagonal, offDiagonal, tau);
        // Rows of `basis` are the eigenvectors being accumulated (Vᵀ), so every rotation runs along contiguous rows.
        double[]? basis = wantVectors ? TransposedReflectorProduct(work, n, tau) : null;
        if (!DiagonalizeTridiagonal(diagonal, offDiagonal, n, basis))
        {
            FillNaN(eigenvalues[..n], wantVectors ? eigenvectors[..(n * n)] : Span<double>.Empty);
            return;
        }

        for (int i = 0; i < n; i++)
        {
            int smallest = i;
            for (int j = i + 1; j < n; j++)
            {
                if (diagonal[j] < diagonal[smallest]) smallest = j;
            }
            if (smallest == i) continue;
            (diagonal[i], diagonal[smallest]) = (diagonal[smallest], diagonal[i]);
            if (basis is not null) VectorKernels.Swap(basis.AsSpan(i * n, n), basis.AsSpan(smallest * n, n));
        }
        for (int i = 0; i < n; i++) eigenvalues[i] = Math.ScaleB(diagonal[i], exponent);
        if (basis is null) return;
        for (int c = 0; c < n; c++)
        {
            var vector = basis.AsSpan(c * n, n);
            double sign = EigenvectorSign.ShouldFlip(vector) ? -1 : 1;
            for (int r = 0; r < n; r++) eigenvectors[r * n + c] = sign * vector[r];
        }
    }

    /// <summary>
    /// Reduces the full symmetric <paramref name="work"/> to tridiagonal T = Qᵀ·A·Q with Q = H₀·…·H_{n−3}, where H_k
    /// acts on indices k+1.. and zeroes row/column k past the off-diagonal. Reflector k's v[1..] is left in row k from
    /// column k+2 on (that row is no longer needed), τ_k in <paramref name="tau"/>.
    /// </summary>
    private static void Tridiagonalize(double[] work, int n, double[] diagonal, double[] offDiagonal, double[] tau)
    {
        var v = new double[n];
        var p = new double[n];
        for (int k = 0; k + 2 < n; k++)
        {
            int length = n - k - 1;
            diagonal[k] = work[k * n + k];
            ref double alpha = ref work[k * n + k + 1];
            var tail = work.AsSpan(k * n + k + 2, length - 1);
            tau[k] = HouseholderReflector.Generate(ref alpha, tail, 1, length - 1);
            offDiagonal[k] = alpha;
            if (tau[k] == 0) continue;
            v[0] = 1;
            tail.CopyTo(v.AsSpan(1));
            var reflector = v.AsSpan(0, length);

            // H·S·H = S − v·wᵀ − w·vᵀ with p = τ·S·v and w = p − (τ/2)(pᵀv)·v; S is the trailing block from k+1.
            int origin = (k + 1) * n + k + 1;
            for (int i = 0; i < length; i++) p[i] = tau[k] * VectorKernels.Dot(work.AsSpan(origin + i * n, length), reflector);
            var w = p.AsSpan(0, length);
            VectorKernels.Axpy(-0.5 * tau[k] * VectorKernels.Dot(w, reflector), reflector, w);
            for (int i = 0; i < length; i++)
            {
                var row = work.AsSpan(origin + i * n, length);
                VectorKernels.Axpy(-reflector[i], w, row);
                VectorKernels.Axpy(-w[i], reflector, row);
            }
        }
        if (n >= 2)
        {
            diagonal[n - 2] = work[(n - 2) * n + n - 2];
            offDiagonal[n - 2] = work[(n - 2) * n + n - 1];
        }
        diagonal[n - 1] = work[(n - 1) * n + n - 1];
        offDiagonal[n - 1] = 0;
    }

    /// <summary>
    /// Qᵀ = H_{n−3}·…·H₀ (each H is symmetric), built by multiplying the identity on the right by the reflectors, the
    /// last first: H_j leaves rows up to j alone, and rows past j are still zero before column j+1.
    /// </summary>
    private static double[] TransposedReflectorProduct(double[] work, int n, double[] tau)
    {
        var product = new double[n * n];
        for (int i = 0; i < n; i++) product[i * n + i] = 1;
        var v = new double[n];
        for (int j = n - 3; j >= 0; j--)
        {
            if (tau[j] == 0) continue;
            int length = n - j - 1;
            v[0] = 1;
            work.AsSpan(j * n + j + 2, length - 1).CopyTo(v.AsSpan(1));
            HouseholderReflector.ApplyFromRight(product.AsSpan((j + 1) * n + j + 1), n, length, length, v.AsSpan(0, length), tau[j]);
        }
        return product;
    }

    /// <summary>
    /// Implicit QL with Wilkinson's shift on the tridiagonal (diagonal, offDiagonal[i] coupling i and i+1), each
    /// rotation also applied to rows i, i+1 of <paramref name="basis"/>. Leaves the eigenvalues, unordered, in
    /// <paramref name="diagonal"/>. False when some eigenvalue fails to converge.
    /// </summary>
    private static bool DiagonalizeTridiagonal(double[] diagonal, double[] offDiagonal, int n, double[]? basis)
    {
        for (int l = 0; l < n; l++)
        {
            int iterations = 0;
            while (true)
            {
                // The first negligible coupling at or after l ends the unreduced block l..m.
                int m = l;
                for (; m < n - 1; m++)
                {
                    double scale = Math.Abs(diagonal[m]) + Math.Abs(diagonal[m + 1]);
                    double coupling = Math.Abs(offDiagonal[m]);
                    if (coupling <= MachineEpsilon * scale || coupling < NegligibleCoupling) break;
                }
                if (m == l) break;
                if (++iterations > IterationsPerEigenvalue) return false;

                double g = (diagonal[l + 1] - diagonal[l]) / (2 * offDiagonal[l]);
                double r = double.Hypot(g, 1);
                g = diagonal[m] - diagonal[l] + offDiagonal[l] / (g + Math.CopySign(r, g));
                double s = 1, c = 1, p = 0;
                bool restarted = false;
                for (int i = m - 1; i >= l; i--)
                {
                    double f = s * offDiagonal[i];
                    double b = c * offDiagonal[i];
                    r = double.Hypot(f, g);
                    offDiagonal[i + 1] = r;
                    if (r == 0)
                    {
                        // Underflow split the block; drop the accumulated shift and look for the new ends.
                        diagonal[i + 1] -= p;
                        offDiagonal[m] = 0;
                        restarted = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = diagonal[i + 1] - p;
                    r = (diagonal[i] - g) * s + 2 * c * b;
                    p = s * r;
                    diagonal[i + 1] = g + p;
                    g = c * r - b;
                    if (basis is not null) VectorKernels.Rotate(basis.AsSpan(i * n, n), basis.AsSpan((i + 1) * n, n), c, -s);
                }
                if (restarted) continue;
                diagonal[l] -= p;
                offDiagonal[l] = g;
                offDiagonal[m] = 0;
            }
        }
        return true;
    }

    private static void FillNaN(Span<double> values, Span<double> vectors)
    {
        values.Fill(double.NaN);
        vectors.Fill(double.NaN);
    }
}

namespace Graphport.Cpu;

/// <summary>
/// Householder QR of one row-major matrix, as torch.linalg.qr (LAPACK geqrf then orgqr): each reflector takes
/// β = −sign(α)·‖x‖, so R's diagonal may be negative and Q, R equal torch's up to rounding. A column already zero
/// below the diagonal gets the identity as its reflector (τ = 0), leaving its diagonal entry's sign as it is.
/// </summary>
public static class QrDecomposition
{
    /// <summary>
    /// A = Q·R for the m×n <paramref name="a"/>, k = min(m, n). <paramref name="mode"/> "reduced": Q m×k, R k×n;
    /// "complete": Q m×m, R m×n; "r": R k×n only (<paramref name="q"/> is not touched and may be empty).
    /// </summary>
    public static void Decompose(ReadOnlySpan<double> a, int m, int n, string mode, Span<double> q, Span<double> r)
    {
        LinearAlgebraChecks.RequireCapacity(a.Length, m, n, nameof(a));
        bool complete = mode switch
        {
            "reduced" or "r" => false,
            "complete" => true,
            _ => throw new ArgumentException($"qr mode must be 'reduced', 'complete' or 'r', got '{mode}'.", nameof(mode)),
        };
        bool wantQ = mode != "r";
        int k = Math.Min(m, n);
        int rRows = complete ? m : k;
        int qCols = complete ? m : k;
        LinearAlgebraChecks.RequireCapacity(r.Length, rRows, n, nameof(r));
        if (wantQ) LinearAlgebraChecks.RequireCapacity(q.Length, m, qCols, nameof(q));

        // Factored form as geqrf leaves it: R on and above the diagonal, each reflector's v[1..] below it.
        var factored = a[..(m * n)].ToArray();
        var tau = new double[k];
        var v = new double[m];
        var work = new double[Math.Max(n, qCols)];
        for (int j = 0; j < k; j++)
        {
            int below = m - j - 1;
            ref double diagonal = ref factored[j * n + j];
            var column = below > 0 ? factored.AsSpan((j + 1) * n + j) : Span<double>.Empty;
            tau[j] = HouseholderReflector.Generate(ref diagonal, column, n, below);
            if (tau[j] == 0 || j + 1 == n) continue;
            HouseholderReflector.Gather(column, n, below, v);
            HouseholderReflector.ApplyFromLeft(factored.AsSpan(j * n + j + 1), n, m - j, n - j - 1, v, tau[j], work);
        }

        for (int i = 0; i < rRows; i++)
            for (int c = 0; c < n; c++)
                r[i * n + c] = i < k && c >= i ? factored[i * n + c] : 0;
        if (!wantQ) return;

        // Q = H₀·H₁·…·H_{k−1} applied to the first qCols columns of I, last reflector first: H_j only touches rows
        // and columns from j on, and those columns of the partial product are still zero above row j.
        var qSpan = q[..(m * qCols)];
        qSpan.Clear();
        for (int i = 0; i < Math.Min(m, qCols); i++) qSpan[i * qCols + i] = 1;
        for (int j = k - 1; j >= 0; j--)
        {
            if (tau[j] == 0) continue;
            int below = m - j - 1;
            HouseholderReflector.Gather(below > 0 ? factored.AsSpan((j + 1) * n + j) : Span<double>.Empty, n, below, v);
            HouseholderReflector.ApplyFromLeft(qSpan[(j * qCols + j)..], qCols, m - j, qCols - j, v, tau[j], work);
        }
    }
}

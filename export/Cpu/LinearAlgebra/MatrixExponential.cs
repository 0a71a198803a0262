namespace Graphport.Cpu;

/// <summary>
/// exp(A) of one square row-major matrix (torch.linalg.matrix_exp) by scaling and squaring with a diagonal Padé
/// approximant, following Higham (2005): the degree is the lowest of 3, 5, 7, 9 whose accuracy bound covers ‖A‖₁,
/// otherwise 13 after halving A until ‖A‖₁ is within degree 13's bound. A matrix holding ±∞ or NaN gives all NaN.
/// </summary>
public static class MatrixExponential
{
    // θ_m: the largest ‖A‖₁ at which the degree-m approximant's backward error stays below double's unit roundoff
    // (Higham 2005, Table 2.3).
    private static readonly (int Degree, double Theta)[] LowDegrees =
    [
        (3, 1.495585217958292e-2),
        (5, 2.539398330063230e-1),
        (7, 9.504178996162932e-1),
        (9, 2.097847961257068e0),
    ];
    private const double Theta13 = 5.371920351148152;

    /// <summary>Writes exp(<paramref name="a"/>) for n×n a into <paramref name="result"/> (n×n).</summary>
    public static void Compute(ReadOnlySpan<double> a, int n, Span<double> result)
    {
        LinearAlgebraChecks.RequireCapacity(a.Length, n, n, nameof(a));
        LinearAlgebraChecks.RequireCapacity(result.Length, n, n, nameof(result));
        if (n == 0) return;
        var x = a[..(n * n)].ToArray();
        double norm = OneNorm(x, n);
        if (!double.IsFinite(norm))
        {
            result[..(n * n)].Fill(double.NaN);
            return;
        }
        foreach (var (degree, theta) in LowDegrees)
        {
            if (norm <= theta)
            {
                PadeLowDegree(x, n, degree, result);
                return;
            }
        }
        int squarings = Math.Max(0, (int)Math.Ceiling(Math.Log2(norm / Theta13)));
        if (squarings > 0) VectorKernels.Scale(Math.ScaleB(1, -squarings), x);
        Pade13(x, n, result);
        var square = new double[n * n];
        for (int i = 0; i < squarings; i++)
        {
            MatrixProduct.Multiply(result, result, square, n, n, n);
            square.CopyTo(result);
        }
    }

    private static double OneNorm(double[] x, int n)
    {
        double largest = 0;
        for (int c = 0; c < n; c++)
        {
            double sum = 0;
            for (int r = 0; r < n; r++) sum += Math.Abs(x[r * n + c]);
            if (double.IsNaN(sum)) return sum;
            largest = Math.Max(largest, sum);
        }
        return largest;
    }

    /// <summary>
    /// Coefficients of the numerator p(x) = Σ c_j·x^j of the degree-m diagonal Padé approximant to eˣ, normalised so
    /// c₀ = 1; the denominator is p(−x). c_j = (2m−j)!·m! / ((2m)!·j!·(m−j)!), built by its ratio to c_{j−1}.
    /// </summary>
    private static double[] PadeCoefficients(int degree)
    {
        var c = new double[degree + 1];
        c[0] = 1;
        for (int j = 0; j < degree; j++) c[j + 1] = c[j] * (degree - j) / ((2.0 * degree - j) * (j + 1));
        return c;
    }

    // Degrees 3..9: U = A·(c₁I + c₃A² + …), V = c₀I + c₂A² + …, from the even powers only.
    private static void PadeLowDegree(double[] x, int n, int degree, Span<double> result)
    {
        var c = PadeCoefficients(degree);
        int evenPowerCount = (degree - 1) / 2;
        var powers = new double[evenPowerCount][];
        powers[0] = new double[n * n];
        MatrixProduct.Multiply(x, x, powers[0], n, n, n);
        for (int i = 1; i < evenPowerCount; i++)
        {
            powers[i] = new double[n * n];
            MatrixProduct.Multiply(powers[i - 1], powers[0], powers[i], n, n, n);
        }
        var inner = new double[n * n];
        var v = new double[n * n];
        AddIdentity(inner, n, c[1]);
        AddIdentity(v, n, c[0]);
        for (int i = 0; i < evenPowerCount; i++)
        {
            VectorKernels.Axpy(c[2 * i + 3], powers[i], inner);
            VectorKernels.Axpy(c[2 * i + 2], powers[i], v);
        }
        var u = new double[n * n];
        MatrixProduct.Multiply(x, inner, u, n, n, n);
        SolveQuotient(u, v, n, result);
    }

    // Degree 13 with Higham's grouping: six products instead of twelve.
    //   U = A·[A⁶(c₁₃A⁶ + c₁₁A⁴ + c₉A²) + c₇A⁶ + c₅A⁴ + c₃A² + c₁I]
    //   V =    A⁶(c₁₂A⁶ + c₁₀A⁴ + c₈A²) + c₆A⁶ + c₄A⁴ + c₂A² + c₀I
    private static void Pade13(double[] x, int n, Span<double> result)
    {
        var c = PadeCoefficients(13);
        int size = n * n;
        var a2 = new double[size];
        var a4 = new double[size];
        var a6 = new double[size];
        MatrixProduct.Multiply(x, x, a2, n, n, n);
        MatrixProduct.Multiply(a2, a2, a4, n, n, n);
        MatrixProduct.Multiply(a4, a2, a6, n, n, n);

        var high = new double[size];
        var low = new double[size];
        var product = new double[size];
        var u = new double[size];
        var v = new double[size];

        Combine(high, c[13], a6, c[11], a4, c[9], a2);
        Combine(low, c[7], a6, c[5], a4, c[3], a2);
        AddIdentity(low, n, c[1]);
        MatrixProduct.Multiply(a6, high, product, n, n, n);
        VectorKernels.Axpy(1, low, product);
        MatrixProduct.Multiply(x, product, u, n, n, n);

        Combine(high, c[12], a6, c[10], a4, c[8], a2);
        Combine(low, c[6], a6, c[4], a4, c[2], a2);
        AddIdentity(low, n, c[0]);
        MatrixProduct.Multiply(a6, high, v, n, n, n);
        VectorKernels.Axpy(1, low, v);
        SolveQuotient(u, v, n, result);
    }

    private static void Combine(double[] target, double c6, double[] a6, double c4, double[] a4, double c2, double[] a2)
    {
        for (int i = 0; i < target.Length; i++) target[i] = c6 * a6[i] + c4 * a4[i] + c2 * a2[i];
    }

    private static void AddIdentity(double[] target, int n, double coefficient)
    {
        for (int i = 0; i < n; i++) target[i * n + i] += coefficient;
    }

    /// <summary>r = q(A)⁻¹·p(A) with p = V + U and q = V − U, by LU with partial pivoting; consumes u and v.</summary>
    private static void SolveQuotient(double[] u, double[] v, int n, Span<double> result)
    {
        for (int i = 0; i < u.Length; i++)
        {
            double numerator = v[i] + u[i];
            v[i] -= u[i];
            u[i] = numerator;
        }
        var pivots = new int[n];
        // At the norms each degree is used for q(A) is well conditioned (Higham 2005 bounds it), so no zero pivot arises.
        LuFactorization.Factor(v, n, n, pivots);
        LuFactorization.Solve(v, n, pivots, u, n);
        u.CopyTo(result);
    }
}

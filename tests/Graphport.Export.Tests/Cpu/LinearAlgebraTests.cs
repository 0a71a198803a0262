using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

/// <summary>
/// The dense factorizations on random matrices of many sizes, by what defines them (no reference library needed):
/// P·L·U and L·Lᵀ give A back, Q is orthonormal and R upper triangular, V·diag(w)·Vᵀ and U·diag(S)·Vh give A back
/// with orthonormal vectors and ordered values, solves leave no residual, exp(A)·exp(-A) is the identity; singular
/// and indefinite matrices report LAPACK's info codes instead of throwing.
/// </summary>
public class LinearAlgebraTests
{
    private static readonly int Seed = Environment.TickCount;

    private static double[] Random(Random rng, int rows, int cols) => Enumerable.Range(0, rows * cols).Select(_ => rng.NextDouble() * 2 - 1).ToArray();

    private static double[] Multiply(double[] a, double[] b, int m, int k, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++)
                for (int j = 0; j < n; j++) c[i * n + j] += a[i * k + p] * b[p * n + j];
        return c;
    }

    private static double[] Transpose(double[] a, int m, int n)
    {
        var t = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
        return t;
    }

    private static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).DefaultIfEmpty(0).Max();
        Assert.True(worst <= tolerance, $"seed {Seed}: {what} is off by {worst}");
    }

    private static double[] Identity(int n) => Enumerable.Range(0, n * n).Select(i => i / n == i % n ? 1.0 : 0.0).ToArray();

    public static TheoryData<int> Sizes => new(1, 2, 3, 5, 8, 17, 40);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Lu_cholesky_and_triangular_solves_give_the_matrix_back(int n)
    {
        var rng = new Random(Seed + n);
        var a = Random(rng, n, n);
        var lu = (double[])a.Clone();
        var pivots = new int[n];
        Assert.Equal(0, LuFactorization.Factor(lu, n, n, pivots));
        double[] p = new double[n * n], l = new double[n * n], u = new double[n * n];
        LuFactorization.Unpack(lu, n, n, pivots, p, l, u);
        Close(a, Multiply(p, Multiply(l, u, n, n, n), n, n, n), 1e-12 * n, "P·L·U - A");
        var b = Random(rng, n, 3);
        var x = (double[])b.Clone();
        LuFactorization.Solve(lu, n, pivots, x, 3);
        Close(b, Multiply(a, x, n, n, 3), 1e-9 * n, "A·X - B after an LU solve");
        var xt = (double[])b.Clone();
        LuFactorization.SolveTransposed(lu, n, pivots, xt, 3);
        Close(b, Multiply(Transpose(a, n, n), xt, n, n, 3), 1e-9 * n, "Aᵀ·X - B after a transposed LU solve");

        var spd = Multiply(a, Transpose(a, n, n), n, n, n);
        for (int i = 0; i < n; i++) spd[i * n + i] += n;
        foreach (bool upper in new[] { false, true })
        {
            var factor = (double[])spd.Clone();
            Assert.Equal(0, CholeskyFactorization.Factor(factor, n, upper));
            var product = upper ? Multiply(Transpose(factor, n, n), factor, n, n, n) : Multiply(factor, Transpose(factor, n, n), n, n, n);
            Close(spd, product, 1e-11 * n * n, upper ? "Uᵀ·U - A" : "L·Lᵀ - A");
            var solved = (double[])b.Clone();
            CholeskyFactorization.Solve(factor, n, upper, solved, 3);
            Close(b, Multiply(spd, solved, n, n, 3), 1e-9 * n * n, "A·X - B after a Cholesky solve");
            var triangular = (double[])b.Clone();
            TriangularSolve.Solve(factor, n, triangular, n, 3, upper, left: true, unitDiagonal: false);
            Close(b, Multiply(factor, triangular, n, n, 3), 1e-9 * n * n, "T·X - B after a triangular solve");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Qr_eigh_and_svd_are_orthonormal_ordered_and_exact(int n)
    {
        var rng = new Random(Seed + 100 + n);
        foreach (var (m, k) in new[] { (n, n), (n + 3, n), (n, n + 2) })
        {
            var a = Random(rng, m, k);
            int r = Math.Min(m, k);
            double[] q = new double[m * r], rr = new double[r * k];
            QrDecomposition.Decompose(a, m, k, "reduced", q, rr);
            Close(a, Multiply(q, rr, m, r, k), 1e-12 * (m + k), $"Q·R - A ({m}x{k})");
            Close(Identity(r), Multiply(Transpose(q, m, r), q, r, m, r), 1e-12 * (m + k), "QᵀQ - I");
            for (int i = 0; i < r; i++)
                for (int j = 0; j < i; j++) Assert.Equal(0, rr[i * k + j]);

            double[] u = new double[m * r], s = new double[r], vh = new double[r * k];
            SingularValueDecomposition.Decompose(a, m, k, fullMatrices: false, u, s, vh);
            var scaled = new double[m * r];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < r; j++) scaled[i * r + j] = u[i * r + j] * s[j];
            Close(a, Multiply(scaled, vh, m, r, k), 1e-11 * (m + k), $"U·S·Vh - A ({m}x{k})");
            Close(Identity(r), Multiply(Transpose(u, m, r), u, r, m, r), 1e-11 * (m + k), "UᵀU - I");
            Assert.True(s.Zip(s.Skip(1)).All(pair => pair.First >= pair.Second) && s.All(v => v >= 0), $"seed {Seed}: singular values not descending and non-negative");
        }
        var b = Random(rng, n, n);
        var symmetric = Multiply(b, Transpose(b, n, n), n, n, n);
        double[] w = new double[n], v = new double[n * n];
        SymmetricEigenDecomposition.Decompose(symmetric, n, upper: false, w, v);
        var vw = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) vw[i * n + j] = v[i * n + j] * w[j];
        Close(symmetric, Multiply(vw, Transpose(v, n, n), n, n, n), 1e-11 * n * n, "V·diag(w)·Vᵀ - A");
        Close(Identity(n), Multiply(Transpose(v, n, n), v, n, n, n), 1e-11 * n, "VᵀV - I");
        Assert.True(w.Zip(w.Skip(1)).All(pair => pair.First <= pair.Second), $"seed {Seed}: eigenvalues not ascending");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void The_exponential_of_a_matrix_times_that_of_its_negation_is_the_identity(int n)
    {
        var rng = new Random(Seed + 200 + n);
        var a = Random(rng, n, n).Select(v => v * 2).ToArray();
        double[] expA = new double[n * n], expMinusA = new double[n * n];
        MatrixExponential.Compute(a, n, expA);
        MatrixExponential.Compute(a.Select(v => -v).ToArray(), n, expMinusA);
        Close(Identity(n), Multiply(expA, expMinusA, n, n, n), 1e-10 * n, "exp(A)·exp(-A) - I");
        var diagonal = new double[n * n];
        for (int i = 0; i < n; i++) diagonal[i * n + i] = a[i];
        var expDiagonal = new double[n * n];
        MatrixExponential.Compute(diagonal, n, expDiagonal);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(expDiagonal[i * n + i] - Math.Exp(a[i])) <= 1e-12 * Math.Exp(Math.Abs(a[i])), $"seed {Seed}: exp of a diagonal");
    }

    [Fact]
    public void Singular_and_indefinite_matrices_report_info_codes()
    {
        var singular = new double[] { 1, 2, 3, 2, 4, 6, 1, 0, 1 };
        Assert.Equal(3, LuFactorization.Factor((double[])singular.Clone(), 3, 3, new int[3]));
        var lu = (double[])singular.Clone();
        var pivots = new int[3];
        LuFactorization.Factor(lu, 3, 3, pivots);
        Assert.Equal(0, LuFactorization.Determinant(lu, 3, pivots));
        var (sign, logAbs) = LuFactorization.SignAndLogAbsDeterminant(lu, 3, pivots);
        Assert.Equal(0, sign);
        Assert.Equal(double.NegativeInfinity, logAbs);
        Assert.Equal(2, CholeskyFactorization.Factor(new double[] { 1, 2, 2, 1 }, 2, upper: false));
    }
}

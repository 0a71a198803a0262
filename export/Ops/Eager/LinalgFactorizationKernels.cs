using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Eager kernels of torch.linalg's factorizations and solves over batches of matrices: each matrix read as double,
/// factored by Graphport.Cpu's LAPACK-style routines, results returned in the input's dtype (float32 inputs are
/// computed in double and rounded). Integer results (pivots, info) are int32 as torch's are.
/// </summary>
internal static class LinalgFactorizationKernels
{
    /// <summary>The matrices of a (*, rows, cols) tensor as one row-major double array.</summary>
    private sealed record MatrixBatch(double[] Data, long[] BatchShape, int Rows, int Cols)
    {
        public int Count => checked((int)BatchShape.Aggregate(1L, (p, s) => p * s));

        public int Size => Rows * Cols;

        public Span<double> Matrix(int i) => Data.AsSpan(i * Size, Size);

        public static MatrixBatch Read(Tensor t)
        {
            var sizes = t.Sizes;
            return new MatrixBatch(t.ToArray<double>(), sizes[..^2], checked((int)sizes[^2]), checked((int)sizes[^1]));
        }
    }

    private static long[] Shape(long[] batch, params long[] matrix) => [.. batch, .. matrix];

    private static string BatchElement(MatrixBatch batch, int i) => batch.Count > 1 ? $"(Batch element {i}): " : "";

    /// <summary>linalg_inv_ex: the inverse through LU with partial pivoting; info k &gt; 0 when U[k-1, k-1] is zero.</summary>
    public static Tensor[] InvEx(Tensor a, bool checkErrors)
    {
        var batch = MatrixBatch.Read(a);
        int n = batch.Rows;
        var inverse = new double[batch.Data.Length];
        var info = new int[batch.Count];
        var pivots = new int[n];
        for (int i = 0; i < batch.Count; i++)
        {
            var lu = batch.Matrix(i);
            info[i] = LuFactorization.Factor(lu, n, n, pivots);
            if (info[i] > 0 && checkErrors)
                throw new ArgumentException($"linalg.inv: {BatchElement(batch, i)}The diagonal element {info[i]} is zero, the inversion could not be completed because the input matrix is singular.");
            var x = inverse.AsSpan(i * n * n, n * n);
            for (int r = 0; r < n; r++) x[r * n + r] = 1;
            LuFactorization.Solve(lu, n, pivots, x, n);
        }
        return [Eager.Wrap(inverse, a.Sizes, a.DType), Eager.Wrap(info, batch.BatchShape, DType.Int32)];
    }

    /// <summary>_linalg_det: the determinant with the LU factors and pivots it came from.</summary>
    public static Tensor[] Det(Tensor a)
    {
        var batch = MatrixBatch.Read(a);
        int n = batch.Rows;
        var det = new double[batch.Count];
        var pivots = new int[batch.Count * n];
        for (int i = 0; i < batch.Count; i++)
        {
            var p = pivots.AsSpan(i * n, n);
            LuFactorization.Factor(batch.Matrix(i), n, n, p);
            det[i] = LuFactorization.Determinant(batch.Matrix(i), n, p);
        }
        return [Eager.Wrap(det, batch.BatchShape, a.DType), Eager.Wrap(batch.Data, a.Sizes, a.DType), Eager.Wrap(pivots, Shape(batch.BatchShape, n), DType.Int32)];
    }

    /// <summary>_linalg_slogdet: sign and log|det| (0 and -inf for a singular matrix), with the LU factors and pivots.</summary>
    public static Tensor[] Slogdet(Tensor a)
    {
        var batch = MatrixBatch.Read(a);
        int n = batch.Rows;
        var sign = new double[batch.Count];
        var logAbs = new double[batch.Count];
        var pivots = new int[batch.Count * n];
        for (int i = 0; i < batch.Count; i++)
        {
            var p = pivots.AsSpan(i * n, n);
            LuFactorization.Factor(batch.Matrix(i), n, n, p);
            (sign[i], logAbs[i]) = LuFactorization.SignAndLogAbsDeterminant(batch.Matrix(i), n, p);
        }
        return [Eager.Wrap(sign, batch.BatchShape, a.DType), Eager.Wrap(logAbs, batch.BatchShape, a.DType), Eager.Wrap(batch.Data, a.Sizes, a.DType), Eager.Wrap(pivots, Shape(batch.BatchShape, n), DType.Int32)];
    }

    /// <summary>
    /// _linalg_solve_ex: X with A X = B (or X A = B when not left), A and B broadcast over their batch dims (B is a
    /// batch of vectors when it has A's shape without the last dim), with A's LU factors, pivots and info.
    /// </summary>
    public static Tensor[] SolveEx(Tensor a, Tensor b, bool left, bool checkErrors)
    {
        bool vector = left && (b.Ndim == 1 || (b.Ndim == a.Ndim - 1 && b.Sizes.SequenceEqual(a.Sizes[..^1])));
        var rhs = vector ? b.Unsqueeze(-1) : b;
        if (!left) (a, rhs) = (a.Transpose(-2, -1), rhs.Transpose(-2, -1));
        var batchShape = ShapeRules.Broadcast(a.Shape.AsArray()[..^2], rhs.Shape.AsArray()[..^2]).Select(s => (long)s).ToArray();
        var matrices = MatrixBatch.Read(a.Expand(Shape(batchShape, a.Sizes[^2], a.Sizes[^1]).Select(s => (SymInt)s).ToArray()));
        var rights = MatrixBatch.Read(rhs.Expand(Shape(batchShape, rhs.Sizes[^2], rhs.Sizes[^1]).Select(s => (SymInt)s).ToArray()));
        int n = matrices.Rows, k = rights.Cols;
        var pivots = new int[matrices.Count * n];
        var info = new int[matrices.Count];
        for (int i = 0; i < matrices.Count; i++)
        {
            var p = pivots.AsSpan(i * n, n);
            info[i] = LuFactorization.Factor(matrices.Matrix(i), n, n, p);
            if (info[i] > 0 && checkErrors)
                throw new ArgumentException($"torch.linalg.solve: {BatchElement(matrices, i)}The solver failed because the input matrix is singular (U[{info[i]}, {info[i]}] is zero).");
            LuFactorization.Solve(matrices.Matrix(i), n, p, rights.Matrix(i), k);
        }
        var result = Eager.Wrap(rights.Data, Shape(batchShape, n, k), a.DType);
        if (!left) result = result.Transpose(-2, -1).Contiguous();
        if (vector) result = result.Squeeze(-1);
        var lu = Eager.Wrap(matrices.Data, Shape(batchShape, n, n), a.DType);
        return [result, lu, Eager.Wrap(pivots, Shape(batchShape, n), DType.Int32), Eager.Wrap(info, batchShape, DType.Int32)];
    }

    /// <summary>linalg_cholesky_ex: L (or U with upper) with A = L Lᵀ; info k &gt; 0 when the order-k minor is not positive-definite.</summary>
    public static Tensor[] CholeskyEx(Tensor a, bool upper, bool checkErrors)
    {
        var batch = MatrixBatch.Read(a);
        int n = batch.Rows;
        var info = new int[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            info[i] = CholeskyFactorization.Factor(batch.Matrix(i), n, upper);
            if (info[i] > 0 && checkErrors)
                throw new ArgumentException($"linalg.cholesky: {BatchElement(batch, i)}The factorization could not be completed because the input is not positive-definite (the leading minor of order {info[i]} is not positive-definite).");
        }
        return [Eager.Wrap(batch.Data, a.Sizes, a.DType), Eager.Wrap(info, batch.BatchShape, DType.Int32)];
    }

    /// <summary>linalg_qr: Householder QR with LAPACK's signs; mode "reduced", "complete" or "r" (Q empty).</summary>
    public static Tensor[] Qr(Tensor a, string mode)
    {
        var batch = MatrixBatch.Read(a);
        int m = batch.Rows, n = batch.Cols, k = Math.Min(m, n);
        int qCols = mode == "complete" ? m : k, rRows = mode == "complete" ? m : k;
        var q = mode == "r" ? [] : new double[batch.Count * m * qCols];
        var r = new double[batch.Count * rRows * n];
        for (int i = 0; i < batch.Count; i++)
            QrDecomposition.Decompose(batch.Matrix(i), m, n, mode, mode == "r" ? [] : q.AsSpan(i * m * qCols, m * qCols), r.AsSpan(i * rRows * n, rRows * n));
        var qShape = mode == "r" ? [0] : Shape(batch.BatchShape, m, qCols);
        return [Eager.Wrap(q, qShape, a.DType), Eager.Wrap(r, Shape(batch.BatchShape, rRows, n), a.DType)];
    }

    /// <summary>_linalg_svd: U, S (descending) and Vh; U and Vh empty without computeUv.</summary>
    public static Tensor[] Svd(Tensor a, bool fullMatrices, bool computeUv)
    {
        var batch = MatrixBatch.Read(a);
        int m = batch.Rows, n = batch.Cols, k = Math.Min(m, n);
        int uCols = fullMatrices ? m : k, vRows = fullMatrices ? n : k;
        RequireFinite(batch, "linalg.svd");
        var u = computeUv ? new double[batch.Count * m * uCols] : [];
        var s = new double[batch.Count * k];
        var vh = computeUv ? new double[batch.Count * vRows * n] : [];
        for (int i = 0; i < batch.Count; i++)
            SingularValueDecomposition.Decompose(batch.Matrix(i), m, n, fullMatrices,
                computeUv ? u.AsSpan(i * m * uCols, m * uCols) : [], s.AsSpan(i * k, k), computeUv ? vh.AsSpan(i * vRows * n, vRows * n) : []);
        return [
            Eager.Wrap(u, computeUv ? Shape(batch.BatchShape, m, uCols) : [0], a.DType),
            Eager.Wrap(s, Shape(batch.BatchShape, k), a.DType),
            Eager.Wrap(vh, computeUv ? Shape(batch.BatchShape, vRows, n) : [0], a.DType),
        ];
    }

    /// <summary>_linalg_eigh: ascending eigenvalues and orthonormal eigenvectors (empty without computeV) of the uplo triangle.</summary>
    public static Tensor[] Eigh(Tensor a, bool upper, bool computeV)
    {
        var batch = MatrixBatch.Read(a);
        int n = batch.Rows;
        RequireFinite(batch, "linalg.eigh");
        var values = new double[batch.Count * n];
        var vectors = computeV ? new double[batch.Data.Length] : [];
        for (int i = 0; i < batch.Count; i++)
            SymmetricEigenDecomposition.Decompose(batch.Matrix(i), n, upper, values.AsSpan(i * n, n), computeV ? vectors.AsSpan(i * n * n, n * n) : []);
        return [Eager.Wrap(values, Shape(batch.BatchShape, n), a.DType), Eager.Wrap(vectors, computeV ? a.Sizes : [0], a.DType)];
    }

    /// <summary>linalg_solve_triangular: X with A X = B (X A = B when not left), reading only A's named triangle.</summary>
    public static Tensor SolveTriangular(Tensor a, Tensor b, bool upper, bool left, bool unitDiagonal)
    {
        var batchShape = ShapeRules.Broadcast(a.Shape.AsArray()[..^2], b.Shape.AsArray()[..^2]).Select(s => (long)s).ToArray();
        var matrices = MatrixBatch.Read(a.Expand(Shape(batchShape, a.Sizes[^2], a.Sizes[^1]).Select(s => (SymInt)s).ToArray()));
        var rights = MatrixBatch.Read(b.Expand(Shape(batchShape, b.Sizes[^2], b.Sizes[^1]).Select(s => (SymInt)s).ToArray()));
        for (int i = 0; i < matrices.Count; i++)
            TriangularSolve.Solve(matrices.Matrix(i), matrices.Rows, rights.Matrix(i), rights.Rows, rights.Cols, upper, left, unitDiagonal);
        return Eager.Wrap(rights.Data, Shape(batchShape, rights.Rows, rights.Cols), ShapeRules.ResultType([a, b]));
    }

    /// <summary>cholesky_solve: X with A X = B given A's Cholesky factor (lower, or upper).</summary>
    public static Tensor CholeskySolve(Tensor b, Tensor factor, bool upper)
    {
        var batchShape = ShapeRules.Broadcast(b.Shape.AsArray()[..^2], factor.Shape.AsArray()[..^2]).Select(s => (long)s).ToArray();
        var rights = MatrixBatch.Read(b.Expand(Shape(batchShape, b.Sizes[^2], b.Sizes[^1]).Select(s => (SymInt)s).ToArray()));
        var factors = MatrixBatch.Read(factor.Expand(Shape(batchShape, factor.Sizes[^2], factor.Sizes[^1]).Select(s => (SymInt)s).ToArray()));
        for (int i = 0; i < rights.Count; i++)
            CholeskyFactorization.Solve(factors.Matrix(i), factors.Rows, upper, rights.Matrix(i), rights.Cols);
        return Eager.Wrap(rights.Data, Shape(batchShape, rights.Rows, rights.Cols), b.DType);
    }

    /// <summary>linalg_lu_factor_ex: packed LU factors, 1-based int32 pivots and info, as LAPACK's getrf gives them.</summary>
    public static Tensor[] LuFactorEx(Tensor a, bool checkErrors)
    {
        var batch = MatrixBatch.Read(a);
        int m = batch.Rows, n = batch.Cols, k = Math.Min(m, n);
        var pivots = new int[batch.Count * k];
        var info = new int[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            info[i] = LuFactorization.Factor(batch.Matrix(i), m, n, pivots.AsSpan(i * k, k));
            if (info[i] > 0 && checkErrors)
                throw new ArgumentException($"torch.linalg.lu_factor: {BatchElement(batch, i)}The factorization could not be completed because the input matrix is singular (U[{info[i]}, {info[i]}] is zero).");
        }
        return [Eager.Wrap(batch.Data, a.Sizes, a.DType), Eager.Wrap(pivots, Shape(batch.BatchShape, k), DType.Int32), Eager.Wrap(info, batch.BatchShape, DType.Int32)];
    }

    /// <summary>linalg_lu: P, L (unit lower, m × k) and U (k × n) with A = P L U, partial pivoting.</summary>
    public static Tensor[] Lu(Tensor a)
    {
        var batch = MatrixBatch.Read(a);
        int m = batch.Rows, n = batch.Cols, k = Math.Min(m, n);
        var pivots = new int[k];
        var (p, l, u) = (new double[batch.Count * m * m], new double[batch.Count * m * k], new double[batch.Count * k * n]);
        for (int i = 0; i < batch.Count; i++)
        {
            LuFactorization.Factor(batch.Matrix(i), m, n, pivots);
            LuFactorization.Unpack(batch.Matrix(i), m, n, pivots, p.AsSpan(i * m * m, m * m), l.AsSpan(i * m * k, m * k), u.AsSpan(i * k * n, k * n));
        }
        return [Eager.Wrap(p, Shape(batch.BatchShape, m, m), a.DType), Eager.Wrap(l, Shape(batch.BatchShape, m, k), a.DType), Eager.Wrap(u, Shape(batch.BatchShape, k, n), a.DType)];
    }

    /// <summary>lu_unpack: P, L and U from packed factors and 1-based pivots (L and U empty without unpackData, P without unpackPivots).</summary>
    public static Tensor[] LuUnpack(Tensor packed, Tensor pivots, bool unpackData, bool unpackPivots)
    {
        var batch = MatrixBatch.Read(packed);
        int m = batch.Rows, n = batch.Cols, k = Math.Min(m, n);
        var allPivots = pivots.ToArray<int>();
        if (allPivots.Any(v => v < 1 || v > m))
            throw new ArgumentException($"lu_unpack: LU_pivots must hold 1-based row numbers between 1 and {m}, as linalg.lu_factor returns them.");
        var (p, l, u) = (new double[batch.Count * m * m], new double[batch.Count * m * k], new double[batch.Count * k * n]);
        for (int i = 0; i < batch.Count; i++)
            LuFactorization.Unpack(batch.Matrix(i), m, n, allPivots.AsSpan(i * k, k), p.AsSpan(i * m * m, m * m), l.AsSpan(i * m * k, m * k), u.AsSpan(i * k * n, k * n));
        return [
            unpackPivots ? Eager.Wrap(p, Shape(batch.BatchShape, m, m), packed.DType) : Eager.Wrap(Array.Empty<double>(), [0], packed.DType),
            unpackData ? Eager.Wrap(l, Shape(batch.BatchShape, m, k), packed.DType) : Eager.Wrap(Array.Empty<double>(), [0], packed.DType),
            unpackData ? Eager.Wrap(u, Shape(batch.BatchShape, k, n), packed.DType) : Eager.Wrap(Array.Empty<double>(), [0], packed.DType),
        ];
    }

    /// <summary>linalg_lu_solve: X with A X = B (Aᵀ X = B with adjoint; X A = B, or X Aᵀ = B, when not left) from A's LU factors.</summary>
    public static Tensor LuSolve(Tensor packed, Tensor pivots, Tensor b, bool left, bool adjoint)
    {
        var rhs = left ? b : b.Transpose(-2, -1);
        var batchShape = ShapeRules.Broadcast(packed.Shape.AsArray()[..^2], rhs.Shape.AsArray()[..^2]).Select(s => (long)s).ToArray();
        var factors = MatrixBatch.Read(packed.Expand(Shape(batchShape, packed.Sizes[^2], packed.Sizes[^1]).Select(s => (SymInt)s).ToArray()));
        var rights = MatrixBatch.Read(rhs.Expand(Shape(batchShape, rhs.Sizes[^2], rhs.Sizes[^1]).Select(s => (SymInt)s).ToArray()));
        var allPivots = pivots.Expand(Shape(batchShape, pivots.Sizes[^1]).Select(s => (SymInt)s).ToArray()).ToArray<int>();
        int n = factors.Rows;
        bool transposed = left == adjoint;
        for (int i = 0; i < factors.Count; i++)
        {
            var p = allPivots.AsSpan(i * n, n);
            if (transposed) LuFactorization.SolveTransposed(factors.Matrix(i), n, p, rights.Matrix(i), rights.Cols);
            else LuFactorization.Solve(factors.Matrix(i), n, p, rights.Matrix(i), rights.Cols);
        }
        var result = Eager.Wrap(rights.Data, Shape(batchShape, rights.Rows, rights.Cols), packed.DType);
        return left ? result : result.Transpose(-2, -1).Contiguous();
    }

    /// <summary>linalg_matrix_exp: e^A by scaling and squaring with Padé approximants.</summary>
    public static Tensor MatrixExp(Tensor a)
    {
        var batch = MatrixBatch.Read(a);
        int n = batch.Rows;
        var result = new double[batch.Data.Length];
        for (int i = 0; i < batch.Count; i++) MatrixExponential.Compute(batch.Matrix(i), n, result.AsSpan(i * n * n, n * n));
        return Eager.Wrap(result, a.Sizes, a.DType);
    }

    // LAPACK's eigen and singular value drivers stop on NaN or inf (torch reports it); ours would give NaNs.
    private static void RequireFinite(MatrixBatch batch, string name)
    {
        if (batch.Data.Any(v => !double.IsFinite(v)))
            throw new ArgumentException($"{name}: The algorithm failed to converge because the input matrix contained non-finite values (NaN or inf); check the input.");
    }
}

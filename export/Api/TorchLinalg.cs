namespace Graphport;

/// <summary>
/// torch.linalg: factorizations, solves, inverses, determinants, norms and products of (batches of) real float
/// matrices, recorded as torch's export records them (linalg_inv becomes linalg_inv_ex, det _linalg_det, svd
/// _linalg_svd, ...). Computed in double on the CPU; the eigen and singular vectors' signs are normalised (each
/// vector's leading component positive), where LAPACK's are arbitrary.
/// </summary>
public static class TorchLinalg
{
    public static Tensor Inv(Tensor a) => Aten.Call(Aten.LinalgInv, a);

    /// <summary>The inverse and an int32 info per matrix (k &gt; 0: U[k-1, k-1] is zero), without raising for singular matrices unless checkErrors.</summary>
    public static (Tensor Inverse, Tensor Info) InvEx(Tensor a, bool checkErrors = false) => Tensor.Pair(Aten.Dispatch(Aten.LinalgInvEx, [a], ("check_errors", checkErrors)));

    public static Tensor Det(Tensor a) => Aten.Call(Aten.LinalgDet, a);

    /// <summary>The determinant's sign and the log of its magnitude (0 and -inf for a singular matrix).</summary>
    public static (Tensor Sign, Tensor LogAbsDet) Slogdet(Tensor a) => Tensor.Pair(Aten.CallMulti(Aten.LinalgSlogdet, a));

    /// <summary>X with A X = B (X A = B when not left); B may be a batch of vectors.</summary>
    public static Tensor Solve(Tensor a, Tensor b, bool left = true) => Aten.CallKw(Aten.LinalgSolve, [a, b], ("left", left));

    /// <summary>X with A X = B for triangular A (only its upper or lower triangle is read).</summary>
    public static Tensor SolveTriangular(Tensor a, Tensor b, bool upper, bool left = true, bool unitriangular = false) =>
        Aten.CallKw(Aten.LinalgSolveTriangular, [a, b], ("upper", upper), ("left", left), ("unitriangular", unitriangular));

    /// <summary>L with A = L Lᵀ (U with A = Uᵀ U when upper) for symmetric positive-definite A.</summary>
    public static Tensor Cholesky(Tensor a, bool upper = false) => Aten.CallKw(Aten.LinalgCholesky, [a], ("upper", upper));

    /// <summary>The Cholesky factor and an int32 info per matrix (k &gt; 0: the order-k leading minor is not positive-definite).</summary>
    public static (Tensor L, Tensor Info) CholeskyEx(Tensor a, bool upper = false, bool checkErrors = false) =>
        Tensor.Pair(Aten.Dispatch(Aten.LinalgCholeskyEx, [a], ("upper", upper), ("check_errors", checkErrors)));

    /// <summary>Q with orthonormal columns and upper-triangular R, A = Q R; mode "reduced", "complete" or "r" (Q empty).</summary>
    public static (Tensor Q, Tensor R) Qr(Tensor a, string mode = "reduced") => Tensor.Pair(Aten.CallMulti(Aten.LinalgQr, a, mode));

    /// <summary>A = U diag(S) Vh with S descending.</summary>
    public static (Tensor U, Tensor S, Tensor Vh) Svd(Tensor a, bool fullMatrices = true)
    {
        var parts = Aten.CallMulti(Aten.LinalgSvd, a, fullMatrices);
        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>The singular values, descending.</summary>
    public static Tensor Svdvals(Tensor a) => Aten.Call(Aten.LinalgSvdvals, a);

    /// <summary>Eigenvalues (ascending) and orthonormal eigenvectors (columns) of symmetric matrices, from the lower triangle ("L") or upper ("U").</summary>
    public static (Tensor Eigenvalues, Tensor Eigenvectors) Eigh(Tensor a, string uplo = "L") => Tensor.Pair(Aten.CallMulti(Aten.LinalgEigh, a, uplo));

    public static Tensor Eigvalsh(Tensor a, string uplo = "L") => Aten.Call(Aten.LinalgEigvalsh, a, uplo);

    /// <summary>The packed LU factors and 1-based int32 pivots of partial pivoting (LAPACK's getrf).</summary>
    public static (Tensor LU, Tensor Pivots) LuFactor(Tensor a) => Tensor.Pair(Aten.CallMulti(Aten.LinalgLuFactor, a));

    /// <summary>The pseudo-inverse; singular values below max(atol, rtol · σ_max) count as zero (rtol defaults to eps · max(m, n)).</summary>
    public static Tensor Pinv(Tensor a, double? atol = null, double? rtol = null, bool hermitian = false) =>
        Aten.CallKw(Aten.LinalgPinvAtolRtolFloat, [a], ("atol", atol), ("rtol", rtol), ("hermitian", hermitian));

    /// <summary>How many singular values are above max(atol, rtol · σ_max), as int64.</summary>
    public static Tensor MatrixRank(Tensor a, double? atol = null, double? rtol = null, bool hermitian = false) =>
        Aten.CallKw(Aten.LinalgMatrixRankAtolRtolFloat, [a], ("atol", atol), ("rtol", rtol), ("hermitian", hermitian));

    /// <summary>e^A.</summary>
    public static Tensor MatrixExp(Tensor a) => Aten.Call(Aten.LinalgMatrixExp, a);

    /// <summary>A^n by repeated products (the inverse's powers for negative n, the identity for 0).</summary>
    public static Tensor MatrixPower(Tensor a, long n) => Aten.Call(Aten.LinalgMatrixPower, a, n);

    /// <summary>The product of a chain of matrices (the first and last may be vectors).</summary>
    public static Tensor MultiDot(params Tensor[] tensors) => Aten.Call(Aten.LinalgMultiDot, [tensors]);

    /// <summary>The matrix norm "fro" or "nuc" over the two dims.</summary>
    public static Tensor MatrixNorm(Tensor a, string ord = "fro", long[]? dim = null, bool keepdim = false) =>
        Aten.Call(Aten.LinalgMatrixNormStrOrd, a, ord, dim ?? [-2, -1], keepdim);

    /// <summary>The matrix norm of order ±1 (column sums), ±2 (singular values) or ±inf (row sums).</summary>
    public static Tensor MatrixNorm(Tensor a, double ord, long[]? dim = null, bool keepdim = false) =>
        Aten.Call(Aten.LinalgMatrixNorm, a, ord, dim ?? [-2, -1], keepdim);

    /// <summary>The ord-norm of the elements over dims (all of them when none are given).</summary>
    public static Tensor VectorNorm(Tensor x, double ord = 2, long[]? dim = null, bool keepdim = false) => Aten.Call(Aten.LinalgVectorNorm, x, ord, dim, keepdim);

    /// <summary>P, L (unit lower triangular) and U with A = P L U.</summary>
    public static (Tensor P, Tensor L, Tensor U) Lu(Tensor a)
    {
        var parts = Aten.CallMulti(Aten.LinalgLu, a);
        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>X with A X = B from LuFactor's factors and pivots (Aᵀ with adjoint; X A = B when not left).</summary>
    public static Tensor LuSolve(Tensor lu, Tensor pivots, Tensor b, bool left = true, bool adjoint = false) =>
        Aten.CallKw(Aten.LinalgLuSolve, [lu, pivots, b], ("left", left), ("adjoint", adjoint));

    /// <summary>The condition number: σ_max/σ_min for the 2-norm (the default), ‖A‖·‖A⁻¹‖ for the other orders.</summary>
    public static Tensor Cond(Tensor a, double? p = null) => Aten.Call(Aten.LinalgCond, a, p);

    /// <summary>The condition number in the "fro" or "nuc" norm.</summary>
    public static Tensor Cond(Tensor a, string p) => Aten.Call(Aten.LinalgCondPStr, a, p);

    /// <summary>
    /// The least-squares solution of A X = B (minimum-norm when A is rank-deficient), with residuals, rank and
    /// singular values as the LAPACK driver ("gelsy" by default, "gelsd", "gelss", "gels") reports them.
    /// </summary>
    public static (Tensor Solution, Tensor Residuals, Tensor Rank, Tensor SingularValues) Lstsq(Tensor a, Tensor b, double? rcond = null, string? driver = null)
    {
        var parts = (Tensor[])Aten.Dispatch(Aten.LinalgLstsq, [a, b, rcond], ("driver", driver))!;
        return (parts[0], parts[1], parts[2], parts[3]);
    }

    /// <summary>Σ x·y along dim (x conjugated when complex).</summary>
    public static Tensor Vecdot(Tensor x, Tensor y, long dim = -1) => Aten.CallKw(Aten.LinalgVecdot, [x, y], ("dim", dim));

    public static Tensor Diagonal(Tensor a, long offset = 0, long dim1 = -2, long dim2 = -1) => Aten.CallKw(Aten.LinalgDiagonal, [a], ("offset", offset), ("dim1", dim1), ("dim2", dim2));

    public static Tensor Matmul(Tensor a, Tensor b) => Aten.Call(Aten.LinalgMatmul, a, b);

    /// <summary>torch.linalg.norm: the 2-norm of the flattened tensor, or of ord over dim (a matrix norm over two dims).</summary>
    public static Tensor Norm(Tensor x, double? ord = null, long[]? dim = null, bool keepdim = false) => Aten.Call(Aten.LinalgNorm, x, ord, dim, keepdim);

    /// <summary>The cross product along dim (of size 3).</summary>
    public static Tensor Cross(Tensor a, Tensor b, long dim = -1) => Aten.CallKw(Aten.LinalgCross, [a, b], ("dim", dim));
}

using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The matrix factorizations and solves torch.linalg's functions reach after decomposition (linalg_inv_ex,
/// _linalg_det, _linalg_slogdet, _linalg_solve_ex, linalg_cholesky_ex, linalg_qr, _linalg_svd, _linalg_eigh,
/// linalg_solve_triangular, cholesky_solve, linalg_lu_factor_ex, linalg_lu, lu_unpack, linalg_lu_solve, linalg_matrix_exp): torch has no decomposition for
/// them, so they carry "no_decomposition" and stay in a Core ATen program, as in torch's. Real float matrices over
/// any batch dims; computed in double (LAPACK's algorithms, Graphport.Cpu's code).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload LinalgInvEx = Def("linalg_inv_ex(Tensor A, *, bool check_errors=False) -> (Tensor inverse, Tensor info)", meta: a =>
    {
        var m = SquareMatrices("linalg.inv", T0(a));
        return new[] { Like(m), Batch(m, DType.Int32) };
    }, kernel: a => LinalgFactorizationKernels.InvEx(T0(a), B(a[1])), tags: "no_decomposition");
    public static readonly OpOverload LinalgDetWithLu = Def("_linalg_det(Tensor A) -> (Tensor result, Tensor LU, Tensor pivots)", meta: a =>
    {
        var m = SquareMatrices("linalg.det", T0(a));
        return new[] { Batch(m, m.DType), Like(m), Batch(m, DType.Int32, m.Shape[^1]) };
    }, kernel: a => LinalgFactorizationKernels.Det(T0(a)), tags: "no_decomposition");
    public static readonly OpOverload LinalgSlogdetWithLu = Def("_linalg_slogdet(Tensor A) -> (Tensor sign, Tensor logabsdet, Tensor LU, Tensor pivots)", meta: a =>
    {
        var m = SquareMatrices("linalg.slogdet", T0(a));
        return new[] { Batch(m, m.DType), Batch(m, m.DType), Like(m), Batch(m, DType.Int32, m.Shape[^1]) };
    }, kernel: a => LinalgFactorizationKernels.Slogdet(T0(a)), tags: "no_decomposition");
    public static readonly OpOverload LinalgSolveEx = Def("_linalg_solve_ex(Tensor A, Tensor B, *, bool left=True, bool check_errors=False) -> (Tensor result, Tensor LU, Tensor pivots, Tensor info)",
        meta: a => SolveMeta(T0(a), Tn(a, 1), B(a[2])), kernel: a => LinalgFactorizationKernels.SolveEx(T0(a), Tn(a, 1), B(a[2]), B(a[3])), tags: "no_decomposition");
    public static readonly OpOverload LinalgCholeskyEx = Def("linalg_cholesky_ex(Tensor self, *, bool upper=False, bool check_errors=False) -> (Tensor L, Tensor info)", meta: a =>
    {
        var m = SquareMatrices("linalg.cholesky", T0(a));
        return new[] { Like(m), Batch(m, DType.Int32) };
    }, kernel: a => LinalgFactorizationKernels.CholeskyEx(T0(a), B(a[1]), B(a[2])), tags: "no_decomposition");
    public static readonly OpOverload LinalgQr = Def("linalg_qr(Tensor A, str mode='reduced') -> (Tensor Q, Tensor R)", meta: a =>
    {
        var m = Matrices("linalg.qr", T0(a));
        var mode = (string)a[1]!;
        if (mode is not ("reduced" or "complete" or "r"))
            throw new ArgumentException($"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or 'complete'");
        SymInt rows = m.Shape[^2], cols = m.Shape[^1], k = SymInt.Min(rows, cols);
        var q = mode == "r" ? new TensorMeta(m.DType, [0]) : Batch(m, m.DType, rows, mode == "complete" ? rows : k);
        return new[] { q, Batch(m, m.DType, mode == "complete" ? rows : k, cols) };
    }, kernel: a => LinalgFactorizationKernels.Qr(T0(a), (string)a[1]!), tags: "no_decomposition");
    public static readonly OpOverload LinalgSvdFactors = Def("_linalg_svd(Tensor A, bool full_matrices=False, bool compute_uv=True, *, str? driver=None) -> (Tensor U, Tensor S, Tensor Vh)", meta: a =>
    {
        var m = Matrices("linalg.svd", T0(a));
        bool full = B(a[1]), uv = B(a[2]);
        SymInt rows = m.Shape[^2], cols = m.Shape[^1], k = SymInt.Min(rows, cols);
        return new[]
        {
            uv ? Batch(m, m.DType, rows, full ? rows : k) : new TensorMeta(m.DType, [0]),
            Batch(m, m.DType, k),
            uv ? Batch(m, m.DType, full ? cols : k, cols) : new TensorMeta(m.DType, [0]),
        };
    }, kernel: a => LinalgFactorizationKernels.Svd(T0(a), B(a[1]), B(a[2])), tags: "no_decomposition");
    public static readonly OpOverload LinalgEighFactors = Def("_linalg_eigh(Tensor A, str UPLO=\"L\", bool compute_v=True) -> (Tensor eigenvalues, Tensor eigenvectors)", meta: a =>
    {
        var m = SquareMatrices("linalg.eigh", T0(a));
        Uplo(a[1]);
        return new[] { Batch(m, m.DType, m.Shape[^1]), B(a[2]) ? Like(m) : new TensorMeta(m.DType, [0]) };
    }, kernel: a => LinalgFactorizationKernels.Eigh(T0(a), Uplo(a[1]), B(a[2])), tags: "no_decomposition");
    public static readonly OpOverload LinalgSolveTriangular = Def("linalg_solve_triangular(Tensor self, Tensor B, *, bool upper, bool left=True, bool unitriangular=False) -> Tensor", meta: a =>
    {
        var (m, rhs) = (SquareMatrices("linalg.solve_triangular", T0(a)), Matrices("linalg.solve_triangular", Tn(a, 1)));
        SameFloat("linalg.solve_triangular", m, rhs);
        SymInt n = m.Shape[^1], along = B(a[3]) ? rhs.Shape[^2] : rhs.Shape[^1];
        if (n.AsConstant is { } nc && along.AsConstant is { } ac && nc != ac)
            throw new ArgumentException($"linalg.solve_triangular: Incompatible shapes of A and B for the equation {(B(a[3]) ? "AX = B" : "XA = B")} ({string.Join("x", m.Shape.AsArray().TakeLast(2))} and {string.Join("x", rhs.Shape.AsArray().TakeLast(2))})");
        return new TensorMeta(m.DType, BatchBroadcast(m, rhs).Concat(rhs.Shape.AsArray().TakeLast(2)).ToArray());
    }, kernel: a => LinalgFactorizationKernels.SolveTriangular(T0(a), Tn(a, 1), B(a[2]), B(a[3]), B(a[4])), tags: "no_decomposition");
    public static readonly OpOverload CholeskySolve = Def("cholesky_solve(Tensor self, Tensor input2, bool upper=False) -> Tensor", meta: a =>
    {
        var (rhs, factor) = (Matrices("cholesky_solve", T0(a)), SquareMatrices("cholesky_solve", Tn(a, 1)));
        SameFloat("cholesky_solve", rhs, factor);
        if (rhs.Shape[^2].AsConstant is { } r && factor.Shape[^1].AsConstant is { } n && r != n)
            throw new ArgumentException($"cholesky_solve: Incompatible matrix sizes for cholesky_solve: each A matrix is {n} by {n} but each b matrix is {r} by {rhs.Shape[^1]}");
        return new TensorMeta(rhs.DType, BatchBroadcast(rhs, factor).Concat(rhs.Shape.AsArray().TakeLast(2)).ToArray());
    }, kernel: a => LinalgFactorizationKernels.CholeskySolve(T0(a), Tn(a, 1), B(a[2])), tags: "no_decomposition");
    public static readonly OpOverload LinalgLuFactorEx = Def("linalg_lu_factor_ex(Tensor A, *, bool pivot=True, bool check_errors=False) -> (Tensor LU, Tensor pivots, Tensor info)", meta: a =>
    {
        var m = Matrices("linalg.lu_factor", T0(a));
        if (!B(a[1])) throw new ArgumentException("linalg.lu_factor: LU without pivoting is not implemented on the CPU; use pivot=True.");
        return new[] { Like(m), Batch(m, DType.Int32, SymInt.Min(m.Shape[^2], m.Shape[^1])), Batch(m, DType.Int32) };
    }, kernel: a => LinalgFactorizationKernels.LuFactorEx(T0(a), B(a[2])), tags: "no_decomposition");
    public static readonly OpOverload LinalgLu = Def("linalg_lu(Tensor A, *, bool pivot=True) -> (Tensor P, Tensor L, Tensor U)", meta: a =>
    {
        var m = Matrices("linalg.lu", T0(a));
        if (!B(a[1])) throw new ArgumentException("linalg.lu: LU without pivoting is not implemented on the CPU; use pivot=True.");
        SymInt rows = m.Shape[^2], cols = m.Shape[^1], k = SymInt.Min(rows, cols);
        return new[] { Batch(m, m.DType, rows, rows), Batch(m, m.DType, rows, k), Batch(m, m.DType, k, cols) };
    }, kernel: a => LinalgFactorizationKernels.Lu(T0(a)), tags: "no_decomposition");
    public static readonly OpOverload LuUnpack = Def("lu_unpack(Tensor LU_data, Tensor LU_pivots, bool unpack_data=True, bool unpack_pivots=True) -> (Tensor P, Tensor L, Tensor U)", meta: a =>
    {
        var m = Matrices("lu_unpack", T0(a));
        var pivots = Tn(a, 1);
        if (pivots.DType != DType.Int32) throw new ArgumentException($"lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype, got {pivots.DType.TorchName()}; pass what linalg.lu_factor returned.");
        SymInt rows = m.Shape[^2], cols = m.Shape[^1], k = SymInt.Min(rows, cols);
        var empty = new TensorMeta(m.DType, [0]);
        return new[] { B(a[3]) ? Batch(m, m.DType, rows, rows) : empty, B(a[2]) ? Batch(m, m.DType, rows, k) : empty, B(a[2]) ? Batch(m, m.DType, k, cols) : empty };
    }, kernel: a => LinalgFactorizationKernels.LuUnpack(T0(a), Tn(a, 1), B(a[2]), B(a[3])), tags: "no_decomposition");
    public static readonly OpOverload LinalgLuSolve = Def("linalg_lu_solve(Tensor LU, Tensor pivots, Tensor B, *, bool left=True, bool adjoint=False) -> Tensor", meta: a =>
    {
        var (factors, rhs) = (SquareMatrices("linalg.lu_solve", T0(a)), Matrices("linalg.lu_solve", Tn(a, 2)));
        SameFloat("linalg.lu_solve", factors, rhs);
        if (Tn(a, 1).DType != DType.Int32) throw new ArgumentException($"linalg.lu_solve: pivots should be a torch.int32 tensor, got {Tn(a, 1).DType.TorchName()}");
        SymInt n = factors.Shape[^1], along = B(a[3]) ? rhs.Shape[^2] : rhs.Shape[^1];
        if (n.AsConstant is { } nc && along.AsConstant is { } ac && nc != ac)
            throw new ArgumentException($"linalg.lu_solve: Incompatible shapes of A and B for the equation {(B(a[3]) ? "AX = B" : "XA = B")} ({nc}x{nc} and {string.Join("x", rhs.Shape.AsArray().TakeLast(2))})");
        return new TensorMeta(factors.DType, BatchBroadcast(factors, rhs).Concat(rhs.Shape.AsArray().TakeLast(2)).ToArray());
    }, kernel: a => LinalgFactorizationKernels.LuSolve(T0(a), Tn(a, 1), Tn(a, 2), B(a[3]), B(a[4])), tags: "no_decomposition");
    public static readonly OpOverload LinalgMatrixExp = Def("linalg_matrix_exp(Tensor self) -> Tensor", meta: a => Like(SquareMatrices("linalg.matrix_exp", T0(a))),
        kernel: a => LinalgFactorizationKernels.MatrixExp(T0(a)), tags: "no_decomposition");

    /// <summary>A (*, m, n) tensor of real floats, as torch.linalg requires (complex matrices are not supported here yet).</summary>
    private static Tensor Matrices(string name, Tensor a)
    {
        if (a.Ndim < 2) throw new ArgumentException($"{name}: The input tensor A must have at least 2 dimensions.");
        if (a.DType.IsComplex()) throw new ArgumentException($"{name}: complex matrices are not supported by Graphport yet; factor the real matrix (A.real) or run the program in torch.");
        if (a.DType is not (DType.Float32 or DType.Float64))
            throw new ArgumentException($"{name}: Expected a floating point tensor as input. Got {DTypeNames.Capitalized(a.DType)}; convert it first (A.to(torch.float32)).");
        return a;
    }

    private static Tensor SquareMatrices(string name, Tensor a)
    {
        Matrices(name, a);
        if (a.Shape[^1].AsConstant is { } n && a.Shape[^2].AsConstant is { } m && n != m)
            throw new ArgumentException($"{name}: A must be batches of square matrices, but they are {m} by {n} matrices");
        return a;
    }

    private static void SameFloat(string name, Tensor a, Tensor b)
    {
        if (a.DType != b.DType) throw new ArgumentException($"{name}: Expected A and B to have the same dtype, but found A of type {DTypeNames.Capitalized(a.DType)} and B of type {DTypeNames.Capitalized(b.DType)} instead");
    }

    private static bool Uplo(object? uplo) => uplo switch
    {
        "L" or "l" => false,
        "U" or "u" => true,
        _ => throw new ArgumentException($"Expected UPLO argument to be 'L' or 'U', but got {uplo}"),
    };

    private static TensorMeta Like(Tensor m) => new(m.DType, (SymInt[])m.Shape.AsArray().Clone());

    private static TensorMeta Batch(Tensor m, DType dtype, params SymInt[] trailing) => new(dtype, m.Shape.AsArray()[..^2].Concat(trailing).ToArray());

    private static SymInt[] BatchBroadcast(Tensor a, Tensor b) => ShapeRules.Broadcast(a.Shape.AsArray()[..^2], b.Shape.AsArray()[..^2]);

    // B a batch of vectors (A's shape without the last dim, or 1-D) or of matrices; X's shape, LU, pivots and info.
    private static TensorMeta[] SolveMeta(Tensor a, Tensor b, bool left)
    {
        SquareMatrices("linalg.solve", a);
        if (b.Ndim < 1) throw new ArgumentException("linalg.solve: The input tensor B must have at least 1 dimension.");
        if (b.DType != a.DType) throw new ArgumentException($"linalg.solve: Expected A and B to have the same dtype, but found A of type {DTypeNames.Capitalized(a.DType)} and B of type {DTypeNames.Capitalized(b.DType)} instead");
        bool vector = left && (b.Ndim == 1 || (b.Ndim == a.Ndim - 1 && b.Shape.AsArray().SequenceEqual(a.Shape.AsArray()[..^1])));
        var rhsShape = vector ? [.. b.Shape.AsArray(), (SymInt)1] : b.Shape.AsArray();
        SymInt n = a.Shape[^1], along = left ? rhsShape[^2] : rhsShape[^1];
        if (n.AsConstant is { } nc && along.AsConstant is { } ac && nc != ac)
            throw new ArgumentException($"linalg.solve: Incompatible shapes of A and B for the equation {(left ? "AX = B" : "XA = B")} ({string.Join("x", a.Shape.AsArray().TakeLast(2))} and {string.Join("x", rhsShape.TakeLast(2))})");
        var batch = ShapeRules.Broadcast(a.Shape.AsArray()[..^2], rhsShape[..^2]);
        var result = vector ? batch.Concat([rhsShape[^2]]).ToArray() : batch.Concat(rhsShape.TakeLast(2)).ToArray();
        return [new TensorMeta(a.DType, result), new TensorMeta(a.DType, batch.Concat([n, n]).ToArray()), new TensorMeta(DType.Int32, batch.Append(n).ToArray()), new TensorMeta(DType.Int32, batch)];
    }
}

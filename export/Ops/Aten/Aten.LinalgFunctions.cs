using Graphport.Operators;

namespace Graphport;

/// <summary>
/// torch.linalg's functions as torch decomposes them onto the factorizations: inv, det, slogdet, logdet, solve,
/// cholesky, svd, svdvals, eigh, eigvalsh, lu_factor (the first results of the _ex and underscore ops), pinv and
/// matrix_rank, cond and lstsq (through the singular or eigen values), matrix_norm, matrix_power, multi_dot, vecdot,
/// diagonal and matmul (through products and views).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload LinalgInv = Composite("linalg_inv(Tensor A) -> Tensor", LinalgInvBody);
    public static readonly OpOverload Inverse = Composite("inverse(Tensor self) -> Tensor", LinalgInvBody);
    public static readonly OpOverload LinalgDet = Composite("linalg_det(Tensor A) -> Tensor", LinalgDetBody);
    public static readonly OpOverload Det = Composite("det(Tensor self) -> Tensor", LinalgDetBody);
    public static readonly OpOverload LinalgSlogdet = Composite("linalg_slogdet(Tensor A) -> (Tensor sign, Tensor logabsdet)", LinalgSlogdetBody);
    public static readonly OpOverload Slogdet = Composite("slogdet(Tensor self) -> (Tensor sign, Tensor logabsdet)", LinalgSlogdetBody);
    public static readonly OpOverload Logdet = Composite("logdet(Tensor self) -> Tensor", LogdetBody);
    public static readonly OpOverload LinalgSolve = Composite("linalg_solve(Tensor A, Tensor B, *, bool left=True) -> Tensor", LinalgSolveBody);
    public static readonly OpOverload LinalgCholesky = Composite("linalg_cholesky(Tensor self, *, bool upper=False) -> Tensor", LinalgCholeskyBody);
    public static readonly OpOverload LinalgSvd = Composite("linalg_svd(Tensor A, bool full_matrices=True, *, str? driver=None) -> (Tensor U, Tensor S, Tensor Vh)", LinalgSvdBody);
    public static readonly OpOverload LinalgSvdvals = Composite("linalg_svdvals(Tensor A, *, str? driver=None) -> Tensor", LinalgSvdvalsBody);
    public static readonly OpOverload LinalgEigh = Composite("linalg_eigh(Tensor self, str UPLO=\"L\") -> (Tensor eigenvalues, Tensor eigenvectors)", LinalgEighBody);
    public static readonly OpOverload LinalgEigvalsh = Composite("linalg_eigvalsh(Tensor self, str UPLO=\"L\") -> Tensor", LinalgEigvalshBody);
    public static readonly OpOverload LinalgLuFactor = Composite("linalg_lu_factor(Tensor A, *, bool pivot=True) -> (Tensor LU, Tensor pivots)", LinalgLuFactorBody);
    public static readonly OpOverload LinalgPinvAtolRtolTensor = Composite("linalg_pinv.atol_rtol_tensor(Tensor self, *, Tensor? atol=None, Tensor? rtol=None, bool hermitian=False) -> Tensor", LinalgPinvBody);
    public static readonly OpOverload LinalgPinvAtolRtolFloat = Composite("linalg_pinv.atol_rtol_float(Tensor self, *, float? atol=None, float? rtol=None, bool hermitian=False) -> Tensor", LinalgPinvBody);
    public static readonly OpOverload LinalgPinvRcond = Composite("linalg_pinv(Tensor self, float rcond, bool hermitian=False) -> Tensor", LinalgPinvRcondBody);
    public static readonly OpOverload LinalgMatrixRankAtolRtolTensor = Composite("linalg_matrix_rank.atol_rtol_tensor(Tensor input, *, Tensor? atol=None, Tensor? rtol=None, bool hermitian=False) -> Tensor", LinalgMatrixRankBody);
    public static readonly OpOverload LinalgMatrixRankAtolRtolFloat = Composite("linalg_matrix_rank.atol_rtol_float(Tensor self, *, float? atol=None, float? rtol=None, bool hermitian=False) -> Tensor", LinalgMatrixRankBody);
    public static readonly OpOverload LinalgMatrixNorm = Composite("linalg_matrix_norm(Tensor self, Scalar ord, int[] dim=[-2,-1], bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", LinalgMatrixNormBody);
    public static readonly OpOverload LinalgMatrixNormStrOrd = Composite("linalg_matrix_norm.str_ord(Tensor self, str ord='fro', int[] dim=[-2,-1], bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", LinalgMatrixNormBody);
    public static readonly OpOverload LinalgMatrixPower = Composite("linalg_matrix_power(Tensor self, int n) -> Tensor", LinalgMatrixPowerBody);
    public static readonly OpOverload LinalgMultiDot = Composite("linalg_multi_dot(Tensor[] tensors) -> Tensor", LinalgMultiDotBody);

    public static readonly OpOverload LinalgCond = Composite("linalg_cond(Tensor self, Scalar? p=None) -> Tensor", LinalgCondBody);
    public static readonly OpOverload LinalgCondPStr = Composite("linalg_cond.p_str(Tensor self, str p) -> Tensor", LinalgCondBody);
    public static readonly OpOverload LinalgVecdot = Composite("linalg_vecdot(Tensor x, Tensor y, *, int dim=-1) -> Tensor", LinalgVecdotBody);
    public static readonly OpOverload LinalgDiagonal = Composite("linalg_diagonal(Tensor(a) A, *, int offset=0, int dim1=-2, int dim2=-1) -> Tensor(a)", LinalgDiagonalBody);
    public static readonly OpOverload LinalgMatmul = Composite("linalg_matmul(Tensor self, Tensor other) -> Tensor", LinalgMatmulBody);
    public static readonly OpOverload LinalgLstsq = Composite("linalg_lstsq(Tensor self, Tensor b, float? rcond=None, *, str? driver=None) -> (Tensor solution, Tensor residuals, Tensor rank, Tensor singular_values)", LinalgLstsqBody);

    // The 2-norm condition number σ_max/σ_min (σ_min/σ_max for -2); other orders ‖A‖·‖A⁻¹‖.
    private static object? LinalgCondBody(object?[] a)
    {
        var x = T0(a);
        Matrices("linalg.cond", x);
        if (a[1] is null || (a[1] is not string && Math.Abs(D(a[1])) == 2))
        {
            var s = CallMulti(LinalgSvdFactors, x, false, false, null)[1];
            var largest = Call(Select, s, -1L, (SymInt)0);
            var smallest = Call(Select, s, -1L, s.Shape[^1] - 1);
            return a[1] is not null && D(a[1]) < 0 ? Call(Div, smallest, largest) : Call(Div, largest, smallest);
        }
        var dims = new long[] { -2, -1 };
        Tensor Norm(Tensor m) => a[1] is string ord ? Call(LinalgMatrixNormStrOrd, m, ord, dims, false) : Call(LinalgMatrixNorm, m, a[1], dims, false);
        return Call(Mul, Norm(x), Norm(Call(LinalgInv, x)));
    }

    private static object? LinalgVecdotBody(object?[] a)
    {
        var x = Tn(a, 0).DType.IsComplex() ? Call(ConjComposite, a[0]) : T0(a);
        return Call(SumDim, Call(Mul, x, a[1]), new[] { L(a[2]) });
    }

    private static object? LinalgDiagonalBody(object?[] a) => Call(Diagonal, a[0], a[1], a[2], a[3]);

    private static object? LinalgMatmulBody(object?[] a) => Call(Matmul, a[0], a[1]);

    // The minimum-norm least-squares solution, pinv(A) · B with singular values below rcond · σ_max dropped (what
    // LAPACK's gelsy and gelsd give); rank as the drivers count it; singular values for gelsd and gelss; residuals
    // ‖A X - B‖² per column for the drivers that report them when A is tall.
    private static object? LinalgLstsqBody(object?[] a)
    {
        Tensor x = T0(a), b = Tn(a, 1);
        Matrices("linalg.lstsq", x);
        var driver = (string?)a[3] ?? "gelsy";
        if (driver is not ("gels" or "gelsy" or "gelsd" or "gelss"))
            throw new ArgumentException($"torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss), got {driver}");
        if (b.DType != x.DType) throw new ArgumentException($"torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype {x.DType.TorchName()} and other's dtype {b.DType.TorchName()}");
        bool vector = b.Ndim == x.Ndim - 1;
        var rhs = vector ? Call(Unsqueeze, b, -1L) : b;
        double eps = x.DType == DType.Float64 ? Math.Pow(2, -52) : Math.Pow(2, -23);
        long m = (long)x.Shape[^2], n = (long)x.Shape[^1];
        double rcond = a[2] is null ? eps * Math.Max(m, n) : D(a[2]);
        var solution = Call(Matmul, Call(LinalgPinvAtolRtolFloat, x, 0.0, rcond, false), rhs);
        var values = CallMulti(LinalgSvdFactors, x, false, false, null)[1];
        var empty = CallKw(Zeros, [new SymInt[] { 0 }], ("dtype", x.DType));
        var rank = driver == "gels" ? CallKw(Zeros, [new SymInt[] { 0 }], ("dtype", DType.Int64)) : Call(LinalgMatrixRankAtolRtolFloat, x, 0.0, rcond, false);
        var residuals = driver != "gelsy" && m > n
            ? Call(SumDim, Call(PowTensorScalar, Call(Sub, Call(Matmul, x, solution), rhs), 2L), new long[] { -2 })
            : empty;
        if (vector) solution = Call(SqueezeDim, solution, -1L);
        return new[] { solution, residuals, rank, driver is "gelsd" or "gelss" ? values : empty };
    }

    private static object? LinalgInvBody(object?[] a) => CallMulti(LinalgInvEx, a[0], true)[0];

    private static object? LinalgDetBody(object?[] a) => CallMulti(LinalgDetWithLu, a[0])[0];

    private static object? LinalgSlogdetBody(object?[] a) => CallMulti(LinalgSlogdetWithLu, a[0])[..2];

    // log det: NaN for a negative determinant, -inf for a singular matrix.
    private static object? LogdetBody(object?[] a)
    {
        var parts = CallMulti(LinalgSlogdetWithLu, a[0]);
        return Call(WhereScalarSelf, Call(LtScalar, parts[0], 0L), double.NaN, parts[1]);
    }

    private static object? LinalgSolveBody(object?[] a) => CallMulti(LinalgSolveEx, a[0], a[1], a[2], true)[0];

    private static object? LinalgCholeskyBody(object?[] a) => CallMulti(LinalgCholeskyEx, a[0], a[1], true)[0];

    private static object? LinalgSvdBody(object?[] a) => CallMulti(LinalgSvdFactors, a[0], a[1], true, a[2]);

    private static object? LinalgSvdvalsBody(object?[] a) => CallMulti(LinalgSvdFactors, a[0], false, false, a[1])[1];

    private static object? LinalgEighBody(object?[] a) => CallMulti(LinalgEighFactors, a[0], a[1], true);

    private static object? LinalgEigvalshBody(object?[] a) => CallMulti(LinalgEighFactors, a[0], a[1], false)[0];

    private static object? LinalgLuFactorBody(object?[] a) => CallMulti(LinalgLuFactorEx, a[0], a[1], true)[..2];

    // Values below max(atol, rtol · largest) count as zero; with neither given rtol is eps · max(m, n), with atol
    // alone rtol is 0 (torch's rule).
    private static Tensor SmallValueBound(Tensor values, Tensor matrix, object? atol, object? rtol)
    {
        double eps = matrix.DType == DType.Float64 ? Math.Pow(2, -52) : Math.Pow(2, -23);
        var largest = Call(Unsqueeze, Call(Amax, values, new long[] { -1 }, false), -1L);
        Tensor Bound(object? value) => value is Tensor t ? Call(Unsqueeze, t, -1L) : CallKw(ScalarTensor, [D(value)], ("dtype", values.DType));
        object? relative = rtol ?? (atol is null ? eps * Math.Max((long)matrix.Shape[^1], (long)matrix.Shape[^2]) : 0.0);
        var bound = Call(Mul, largest, Bound(relative));
        return atol is null ? bound : Call(Maximum, bound, Bound(atol));
    }

    // V · diag(1/σ for σ above the bound) · Uᵀ (hermitian: V · diag(1/λ) · Vᵀ from eigh).
    private static object? LinalgPinvBody(object?[] a)
    {
        var x = T0(a);
        Matrices("linalg.pinv", x);
        if (B(a[3]))
        {
            var eig = CallMulti(LinalgEighFactors, x, "L", true);
            var magnitude = Call(Abs, eig[0]);
            var kept = Call(GtTensor, magnitude, SmallValueBound(magnitude, x, a[1], a[2]));
            var inverse = Call(WhereScalarOther, kept, Call(Reciprocal, eig[0]), 0.0);
            return Call(Matmul, Call(Mul, eig[1], Call(Unsqueeze, inverse, -2L)), Call(Transpose, eig[1], -2L, -1L));
        }
        var svd = CallMulti(LinalgSvdFactors, x, false, true, null);
        var keep = Call(GtTensor, svd[1], SmallValueBound(svd[1], x, a[1], a[2]));
        var reciprocal = Call(WhereScalarOther, keep, Call(Reciprocal, svd[1]), 0.0);
        var v = Call(Transpose, svd[2], -2L, -1L);
        return Call(Matmul, Call(Mul, v, Call(Unsqueeze, reciprocal, -2L)), Call(Transpose, svd[0], -2L, -1L));
    }

    private static object? LinalgPinvRcondBody(object?[] a) => LinalgPinvBody([a[0], 0.0, a[1], a[2]]);

    private static object? LinalgMatrixRankBody(object?[] a)
    {
        var x = T0(a);
        Matrices("linalg.matrix_rank", x);
        var values = B(a[3]) ? Call(Abs, CallMulti(LinalgEighFactors, x, "L", false)[0]) : CallMulti(LinalgSvdFactors, x, false, false, null)[1];
        return Call(SumDim, Call(GtTensor, values, SmallValueBound(values, x, a[1], a[2])), new long[] { -1 });
    }

    // 'fro' and 'nuc', ±1 (column sums), ±inf (row sums), ±2 (singular values), over the two dims.
    private static object? LinalgMatrixNormBody(object?[] a)
    {
        var x = a[4] is DType dtype ? Call(ToDType, a[0], dtype) : T0(a);
        if (x.Ndim < 2) throw new ArgumentException($"linalg.matrix_norm: The input tensor A must have at least 2 dimensions.");
        var dims = Ls(a[2]);
        if (dims.Length != 2) throw new ArgumentException($"linalg.matrix_norm: dim must be a 2-tuple. Got {string.Join(", ", dims)}");
        int d0 = ShapeRules.WrapDim(dims[0], x.Ndim), d1 = ShapeRules.WrapDim(dims[1], x.Ndim);
        if (d0 == d1) throw new ArgumentException($"linalg.matrix_norm: dims must be different. Got ({dims[0]}, {dims[1]})");
        bool keepdim = B(a[3]);
        Tensor Finish(Tensor reduced)
        {
            if (!keepdim) return reduced;
            foreach (var d in new[] { d0, d1 }.Order()) reduced = Call(Unsqueeze, reduced, (long)d);
            return reduced;
        }
        Tensor SingularValues() => CallMulti(LinalgSvdFactors, Call(MovedimIntList, x, new long[] { d0, d1 }, new long[] { -2, -1 }), false, false, null)[1];
        switch (a[1])
        {
            case "fro": return Call(LinalgVectorNorm, x, 2L, new long[] { d0, d1 }, keepdim);
            case "nuc": return Finish(Call(SumDim, SingularValues(), new long[] { -1 }));
            case string other: throw new ArgumentException($"linalg.matrix_norm: Order {other} not supported.");
        }
        double ord = D(a[1]);
        if (Math.Abs(ord) == 2)
            return Finish(ord > 0 ? Call(Amax, SingularValues(), new long[] { -1 }, false) : Call(Amin, SingularValues(), new long[] { -1 }, false));
        if (Math.Abs(ord) is not (1 or double.PositiveInfinity))
            throw new ArgumentException($"linalg.matrix_norm: Order {ord} not supported; use 'fro', 'nuc', inf, -inf, 1, -1, 2 or -2.");
        // ord 1 sums down the columns (over d0) then takes the extreme over d1; inf the other way round.
        var (summed, across) = Math.Abs(ord) == 1 ? (d0, d1) : (d1, d0);
        var sums = Call(SumDim, Call(Abs, x), new long[] { summed }, true);
        var extreme = ord > 0 ? Call(Amax, sums, new long[] { across }, true) : Call(Amin, sums, new long[] { across }, true);
        return keepdim ? extreme : Call(SqueezeDims, extreme, new long[] { d0, d1 });
    }

    // Repeated squaring (the inverse's powers for negative n; the identity for 0).
    private static object? LinalgMatrixPowerBody(object?[] a)
    {
        var x = T0(a);
        long n = L(a[1]);
        if (x.Ndim < 2 || (x.Shape[^1].AsConstant is { } c && x.Shape[^2].AsConstant is { } r && c != r))
            throw new ArgumentException("linalg.matrix_power: A must be batches of square matrices");
        if (n == 0)
            return Call(Expand, Call(ToDType, Identity(x.Shape[^1], x.Shape[^1], null), x.DType), x.Shape.AsArray());
        var basis = n < 0 ? Call(LinalgInv, x) : x;
        Tensor? result = null;
        for (long k = Math.Abs(n); k > 0; k >>= 1)
        {
            if ((k & 1) == 1) result = result is null ? basis : Call(Matmul, result, basis);
            if (k > 1) basis = Call(Matmul, basis, basis);
        }
        return result;
    }

    // The chain's products left to right; a 1-D first (last) operand is a row (column) vector, dropped at the end.
    private static object? LinalgMultiDotBody(object?[] a)
    {
        var tensors = (Tensor[])a[0]!;
        if (tensors.Length < 2) throw new ArgumentException($"multi_dot(): expected at least 2 tensors but got {tensors.Length}");
        for (int i = 1; i < tensors.Length - 1; i++)
            if (tensors[i].Ndim != 2) throw new ArgumentException($"multi_dot(): tensor {i} must be 2D but got {tensors[i].Ndim}D");
        bool rowFirst = tensors[0].Ndim == 1, columnLast = tensors[^1].Ndim == 1;
        var first = rowFirst ? Call(Unsqueeze, tensors[0], 0L) : tensors[0];
        var last = columnLast ? Call(Unsqueeze, tensors[^1], 1L) : tensors[^1];
        var product = first;
        for (int i = 1; i < tensors.Length; i++) product = Call(Mm, product, i == tensors.Length - 1 ? last : tensors[i]);
        if (rowFirst && columnLast) return Call(Reshape, product, Array.Empty<SymInt>());
        if (rowFirst) return Call(SqueezeDim, product, 0L);
        return columnLast ? Call(SqueezeDim, product, 1L) : product;
    }
}

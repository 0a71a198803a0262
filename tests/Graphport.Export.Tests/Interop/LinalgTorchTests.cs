namespace Graphport.Tests.Interop;

/// <summary>
/// torch.linalg against PyTorch on random (batched) matrices: inverses, determinants, solves, Cholesky, QR and LU
/// as LAPACK gives them, singular and eigen decompositions (values exactly, vectors up to their arbitrary signs),
/// pinv, matrix_rank, matrix norms, powers, exponentials and chains, LU with its solves, cond and lstsq; singular and indefinite inputs refused as
/// torch refuses them; an exported program keeps torch's factorization ops through decomposition.
/// </summary>
public class LinalgTorchTests
{
    private const string Script = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        L = torch.linalg
        out = {}
        a, b, v = torch.randn(2, 5, 5), torch.randn(2, 5, 3), torch.randn(2, 5)
        tall, wide = torch.randn(7, 4), torch.randn(3, 6)
        g = torch.randn(5, 5)
        spd = g @ g.T + 5 * torch.eye(5)
        low = torch.randn(6, 2) @ torch.randn(2, 5)
        out.update(a=a, b=b, v=v, tall=tall, wide=wide, spd=spd, low=low)
        out["inv"], out["det"], out["logdet"] = L.inv(a), L.det(a), torch.logdet(spd)
        out["slogdet_sign"], out["slogdet_log"] = L.slogdet(a)
        out["solve"], out["solve_vec"], out["solve_right"] = L.solve(a, b), L.solve(a, v), L.solve(a, b.transpose(1, 2), left=False)
        out["solve_broadcast"] = L.solve(a[0], b)
        out["cholesky"], out["cholesky_upper"] = L.cholesky(spd), L.cholesky(spd, upper=True)
        out["qr_q"], out["qr_r"] = L.qr(tall)
        out["qrc_q"], out["qrc_r"] = L.qr(tall, mode="complete")
        out["qr_wide_q"], out["qr_wide_r"] = L.qr(wide)
        out["qr_r_only"] = L.qr(tall, mode="r")[1]
        u, s, vh = L.svd(tall, full_matrices=False)
        out["svd_u"], out["svd_s"], out["svd_vh"] = u, s, vh
        out["svdvals_wide"] = L.svdvals(wide)
        w, vecs = L.eigh(spd)
        out["eigh_w"], out["eigh_v"], out["eigvalsh_u"] = w, vecs, L.eigvalsh(spd, UPLO="U")
        out["pinv"], out["pinv_low"], out["pinv_herm"] = L.pinv(tall), L.pinv(low), L.pinv(spd, hermitian=True)
        out["rank"], out["rank_tol"] = L.matrix_rank(low).float(), L.matrix_rank(a, atol=0.5, rtol=0.0).float()
        for name, ord in [("fro", "fro"), ("nuc", "nuc"), ("1", 1), ("m1", -1), ("2", 2), ("m2", -2), ("inf", float("inf")), ("minf", -float("inf"))]:
            out["norm_" + name] = L.matrix_norm(a, ord)
        out["norm_keepdim"] = L.matrix_norm(a, 1, dim=(0, 2), keepdim=True)
        out["power3"], out["power_m2"], out["power0"] = L.matrix_power(a, 3), L.matrix_power(a, -2), L.matrix_power(a, 0)
        out["expm"] = L.matrix_exp(a * 0.5)
        upper = torch.triu(a) + 3 * torch.eye(5)
        out["tri_upper"] = L.solve_triangular(upper, b, upper=True)
        out["tri_lower_right"] = L.solve_triangular(upper.transpose(1, 2), b.transpose(1, 2), upper=False, left=False)
        out["tri_unit"] = L.solve_triangular(upper, b, upper=True, unitriangular=True)
        out["cholesky_solve"] = torch.cholesky_solve(b[0], L.cholesky(spd))
        lu, piv = L.lu_factor(a)
        out["lu"], out["lu_piv"] = lu, piv.float()
        out["multi_dot"] = L.multi_dot([v[0], a[0], a[1], b[1]])
        P, Lo, U = L.lu(tall)
        out["lu_p"], out["lu_l"], out["lu_u"] = P, Lo, U
        up, ul, uu = torch.lu_unpack(lu, piv)
        out["unpack_p"], out["unpack_l"], out["unpack_u"] = up, ul, uu
        bt = b.transpose(1, 2).contiguous()
        out["lu_solve"], out["lu_solve_adj"] = L.lu_solve(lu, piv, b), L.lu_solve(lu, piv, b, adjoint=True)
        out["lu_solve_right"], out["lu_solve_right_adj"] = L.lu_solve(lu, piv, bt, left=False), L.lu_solve(lu, piv, bt, left=False, adjoint=True)
        out["cond"], out["cond_m2"], out["cond_fro"], out["cond_1"], out["cond_inf"] = L.cond(a), L.cond(a, -2), L.cond(a, "fro"), L.cond(a, 1), L.cond(a, float("inf"))
        out["vecdot"], out["norm"], out["norm_ord"] = L.vecdot(a, b[:, :, :1].expand(2, 5, 5).mT, dim=1), L.norm(a), L.norm(a, 1, dim=(1, 2))
        rhs = torch.randn(7, 2)
        out["rhs"] = rhs
        ls = L.lstsq(tall, rhs)
        out["lstsq"], out["lstsq_rank"] = ls.solution, ls.rank.float()
        ls = L.lstsq(tall, rhs, driver="gelsd")
        out["lstsq_res"], out["lstsq_sv"] = ls.residuals, ls.singular_values
        out["lstsq_wide"] = L.lstsq(wide, rhs[:3]).solution
        from graphport_results import save
        save(out)
        """;

    private static readonly TorchScriptResults Reference = new(Script);

    private static Tensor T(string key) => Reference[key];

    private static void Close(string key, Tensor actual, double tolerance = 1e-4) => Reference.AssertClose(key, actual, tolerance);

    // Eigen and singular vectors are unique up to sign: compared by magnitude (random matrices have distinct values).
    private static void CloseUpToSign(string key, Tensor actual)
    {
        double worst = (actual.Abs().To(DType.Float64) - T(key).Abs().To(DType.Float64)).Abs().Max().Item();
        Assert.True(worst <= 1e-3, $"seed {Reference.Seed}: {key} differs from torch's in magnitude by {worst}");
    }

    [Fact]
    public void Inverses_determinants_and_solves_match_torch()
    {
        Tensor a = T("a"), b = T("b"), v = T("v");
        Close("inv", TorchLinalg.Inv(a));
        Close("det", TorchLinalg.Det(a));
        Close("logdet", Torch.Logdet(T("spd")));
        var (sign, logAbs) = TorchLinalg.Slogdet(a);
        Close("slogdet_sign", sign, 0);
        Close("slogdet_log", logAbs);
        Close("solve", TorchLinalg.Solve(a, b));
        Close("solve_vec", TorchLinalg.Solve(a, v));
        Close("solve_right", TorchLinalg.Solve(a, b.Transpose(1, 2), left: false));
        Close("solve_broadcast", TorchLinalg.Solve(a[0], b));
        var upper = a.Triu() + Torch.Eye(5) * 3;
        Close("tri_upper", TorchLinalg.SolveTriangular(upper, b, upper: true));
        Close("tri_lower_right", TorchLinalg.SolveTriangular(upper.Transpose(1, 2), b.Transpose(1, 2), upper: false, left: false));
        Close("tri_unit", TorchLinalg.SolveTriangular(upper, b, upper: true, unitriangular: true));
        var (lu, pivots) = TorchLinalg.LuFactor(a);
        Assert.Equal(DType.Int32, pivots.DType);
        Close("lu", lu);
        Close("lu_piv", pivots, 0);
        Close("multi_dot", TorchLinalg.MultiDot(v[0], a[0], a[1], b[1]));
        Close("power3", TorchLinalg.MatrixPower(a, 3));
        Close("power_m2", TorchLinalg.MatrixPower(a, -2), 1e-3);
        Close("power0", TorchLinalg.MatrixPower(a, 0), 0);
        Close("expm", TorchLinalg.MatrixExp(a * 0.5));
    }

    [Fact]
    public void Cholesky_qr_svd_and_eigh_match_torch()
    {
        Tensor spd = T("spd"), tall = T("tall"), wide = T("wide"), b = T("b");
        Close("cholesky", TorchLinalg.Cholesky(spd));
        Close("cholesky_upper", TorchLinalg.Cholesky(spd, upper: true));
        Close("cholesky_solve", Torch.CholeskySolve(b[0], TorchLinalg.Cholesky(spd)));
        // Householder reflections with LAPACK's signs: the same Q and R torch gives, not just some QR.
        var (q, r) = TorchLinalg.Qr(tall);
        Close("qr_q", q);
        Close("qr_r", r);
        var (qc, rc) = TorchLinalg.Qr(tall, "complete");
        Close("qrc_q", qc);
        Close("qrc_r", rc);
        var (qw, rw) = TorchLinalg.Qr(wide);
        Close("qr_wide_q", qw);
        Close("qr_wide_r", rw);
        Close("qr_r_only", TorchLinalg.Qr(tall, "r").R);
        var (u, s, vh) = TorchLinalg.Svd(tall, fullMatrices: false);
        Close("svd_s", s);
        CloseUpToSign("svd_u", u);
        CloseUpToSign("svd_vh", vh);
        Assert.True((u * s.Unsqueeze(0)).Matmul(vh).AllClose(tall, 1e-4, 1e-5));
        Close("svdvals_wide", TorchLinalg.Svdvals(wide));
        var (w, vectors) = TorchLinalg.Eigh(spd);
        Close("eigh_w", w);
        CloseUpToSign("eigh_v", vectors);
        Close("eigvalsh_u", TorchLinalg.Eigvalsh(spd, "U"));
        Assert.True(vectors.T().Matmul(vectors).AllClose(Torch.Eye(5), 1e-5, 1e-5));
    }

    [Fact]
    public void Pseudo_inverses_ranks_and_matrix_norms_match_torch()
    {
        Tensor a = T("a"), tall = T("tall"), low = T("low"), spd = T("spd");
        Close("pinv", TorchLinalg.Pinv(tall));
        Close("pinv_low", TorchLinalg.Pinv(low), 1e-3);
        Close("pinv_herm", TorchLinalg.Pinv(spd, hermitian: true));
        var rank = TorchLinalg.MatrixRank(low);
        Assert.Equal(DType.Int64, rank.DType);
        Close("rank", rank, 0);
        Close("rank_tol", TorchLinalg.MatrixRank(a, atol: 0.5, rtol: 0), 0);
        Close("norm_fro", TorchLinalg.MatrixNorm(a));
        Close("norm_nuc", TorchLinalg.MatrixNorm(a, "nuc"));
        Close("norm_1", TorchLinalg.MatrixNorm(a, 1));
        Close("norm_m1", TorchLinalg.MatrixNorm(a, -1));
        Close("norm_2", TorchLinalg.MatrixNorm(a, 2));
        Close("norm_m2", TorchLinalg.MatrixNorm(a, -2));
        Close("norm_inf", TorchLinalg.MatrixNorm(a, double.PositiveInfinity));
        Close("norm_minf", TorchLinalg.MatrixNorm(a, double.NegativeInfinity));
        Close("norm_keepdim", TorchLinalg.MatrixNorm(a, 1, [0, 2], keepdim: true));
    }

    [Fact]
    public void Lu_lu_solve_cond_lstsq_and_vecdot_match_torch()
    {
        Tensor a = T("a"), b = T("b"), tall = T("tall"), wide = T("wide"), rhs = T("rhs");
        var (p, l, u) = TorchLinalg.Lu(tall);
        Close("lu_p", p, 0);
        Close("lu_l", l);
        Close("lu_u", u);
        var (lu, pivots) = TorchLinalg.LuFactor(a);
        var (up, ul, uu) = Torch.LuUnpack(lu, pivots);
        Close("unpack_p", up, 0);
        Close("unpack_l", ul);
        Close("unpack_u", uu);
        var bt = b.Transpose(1, 2).Contiguous();
        Close("lu_solve", TorchLinalg.LuSolve(lu, pivots, b));
        Close("lu_solve_adj", TorchLinalg.LuSolve(lu, pivots, b, adjoint: true));
        Close("lu_solve_right", TorchLinalg.LuSolve(lu, pivots, bt, left: false));
        Close("lu_solve_right_adj", TorchLinalg.LuSolve(lu, pivots, bt, left: false, adjoint: true));
        Close("cond", TorchLinalg.Cond(a), 1e-3);
        Close("cond_m2", TorchLinalg.Cond(a, -2), 1e-3);
        Close("cond_fro", TorchLinalg.Cond(a, "fro"), 1e-3);
        Close("cond_1", TorchLinalg.Cond(a, 1), 1e-3);
        Close("cond_inf", TorchLinalg.Cond(a, double.PositiveInfinity), 1e-3);
        Close("vecdot", TorchLinalg.Vecdot(a, b[.., .., ..1].Expand([2L, 5, 5]).Transpose(-2, -1), dim: 1));
        Close("norm", TorchLinalg.Norm(a));
        Close("norm_ord", TorchLinalg.Norm(a, 1, [1, 2]));
        var least = TorchLinalg.Lstsq(tall, rhs);
        Close("lstsq", least.Solution);
        Close("lstsq_rank", least.Rank, 0);
        Assert.Equal(0, least.Residuals.Numel());
        var gelsd = TorchLinalg.Lstsq(tall, rhs, driver: "gelsd");
        Close("lstsq_res", gelsd.Residuals);
        Close("lstsq_sv", gelsd.SingularValues);
        Close("lstsq_wide", TorchLinalg.Lstsq(wide, rhs[..3]).Solution);
    }

    [Fact]
    public void Singular_and_indefinite_matrices_are_refused_with_torchs_reasons()
    {
        var singular = Tensor.FromArray(new float[] { 1, 2, 2, 4 }, 2, 2);
        Assert.Contains("singular", Assert.Throws<ArgumentException>(() => TorchLinalg.Inv(singular)).Message, StringComparison.Ordinal);
        Assert.Contains("singular", Assert.Throws<ArgumentException>(() => TorchLinalg.Solve(singular, Torch.Ones(2, 1))).Message, StringComparison.Ordinal);
        var (_, info) = TorchLinalg.InvEx(singular);
        Assert.Equal(2, info.Item<int>());
        Assert.Equal(0.0, TorchLinalg.Det(singular).Item<float>());
        var indefinite = Tensor.FromArray(new float[] { 1, 2, 2, 1 }, 2, 2);
        Assert.Contains("leading minor of order 2 is not positive-definite", Assert.Throws<ArgumentException>(() => TorchLinalg.Cholesky(indefinite)).Message, StringComparison.Ordinal);
        Assert.Equal(2, TorchLinalg.CholeskyEx(indefinite).Info.Item<int>());
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => TorchLinalg.Det(Torch.Randn(3, 4))).Message, StringComparison.Ordinal);
        Assert.Contains("floating point", Assert.Throws<ArgumentException>(() => TorchLinalg.Inv(Torch.Ones([2, 2], DType.Int64))).Message, StringComparison.Ordinal);
    }

    /// <summary>A Gaussian's log density with a learned covariance: whitening by a Cholesky solve, the log-determinant.</summary>
    private sealed class GaussianLogDensity : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x, Tensor covariance)
        {
            var factor = TorchLinalg.Cholesky(covariance);
            var whitened = TorchLinalg.SolveTriangular(factor, x.Unsqueeze(-1), upper: false).Squeeze(-1);
            var logDet = 2 * factor.Diagonal(0, -2, -1).Log().Sum(-1);
            return -0.5 * (whitened.Pow(2).Sum(-1) + logDet) + TorchLinalg.Det(TorchLinalg.Inv(covariance)).Log() * 0;
        }
    }

    [Fact]
    public void An_exported_program_keeps_torchs_factorization_ops_and_runs_on_new_batches()
    {
        var g = Torch.Randn(3, 4, 4);
        var covariance = g.Matmul(g.Transpose(1, 2)) + Torch.Eye(4) * 4;
        var x = Torch.Randn(3, 4);
        var batch = new Dim("batch", min: 1, max: 32);
        var program = Torch.Export(new GaussianLogDensity(), [x, covariance], dynamicShapes: new() { ["x"] = new() { [0] = batch }, ["covariance"] = new() { [0] = batch } });
        var core = program.RunDecompositions();
        var text = core.ToString();
        foreach (var op in new[] { "linalg_cholesky_ex", "linalg_solve_triangular", "linalg_inv_ex", "_linalg_det" })
            Assert.Contains($"torch.ops.aten.{op}.default", text, StringComparison.Ordinal);
        var g5 = Torch.Randn(5, 4, 4);
        var covariance5 = g5.Matmul(g5.Transpose(1, 2)) + Torch.Eye(4) * 4;
        var x5 = Torch.Randn(5, 4);
        var expected = new GaussianLogDensity().Call(x5, covariance5);
        Assert.True(program.Module().Call(x5, covariance5).AllClose(expected, 1e-5, 1e-5));
        Assert.True(core.Module().Call(x5, covariance5).AllClose(expected, 1e-5, 1e-5));
    }
}

namespace Graphport.Tests.Interop;

/// <summary>
/// torch's elementwise math, order statistics, picking functions and array builders, against PyTorch on random
/// inputs: isfinite/isclose/signbit, the special functions (lgamma, digamma, polygamma, erfc, i0, mvlgamma),
/// frexp/ldexp/nextafter/gcd/lcm, nansum/nanmean/count_nonzero, kthvalue/mode/nanmedian/quantile,
/// take_along_dim/take/index_fill/masked_select, eye/logspace/diag_embed/block_diag/cartesian_prod/vander/
/// tensordot/trapezoid, the Kaiser and Bartlett windows, cov/corrcoef/histogram/gradient; exported programs keep the ops torch keeps.
/// </summary>
public class MathFunctionsTorchTests
{
    private const string Script = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        out = {}
        x, y = torch.randn(4, 6), torch.randn(4, 6)
        special = torch.cat([torch.tensor([float("inf"), -float("inf"), float("nan"), -0.0, 0.0, 1.0]), torch.randn(6)]).reshape(2, 6)
        pos = torch.rand(3, 5) * 8 + 0.05
        ints, other = torch.randint(-30, 30, (3, 5)), torch.randint(-12, 12, (3, 5))
        labels = torch.randint(0, 4, (3, 9))
        withnan = torch.randn(3, 7)
        withnan[0, 2] = withnan[1, 0] = withnan[1, 5] = float("nan")
        out.update(x=x, y=y, special=special, pos=pos, ints=ints, other=other, labels=labels, withnan=withnan)
        b = lambda t: t.to(torch.float32)
        out["isfinite"], out["isposinf"], out["isneginf"], out["signbit"] = b(special.isfinite()), b(special.isposinf()), b(special.isneginf()), b(special.nan_to_num(0.0).signbit())
        near = x + torch.randn(4, 6) * 1e-5
        out["near"] = near
        out["isclose"], out["isclose_loose"] = b(torch.isclose(x, near)), b(torch.isclose(x, near, rtol=1e-3, atol=1e-4))
        out["isclose_nan"] = b(torch.isclose(special, special, equal_nan=True))
        out["heaviside"] = torch.heaviside(special, torch.full((2, 6), 0.5))
        out["logaddexp2"], out["float_power"] = torch.logaddexp2(x, y), torch.float_power(x.abs(), y)
        out["sinc"], out["deg2rad"], out["rad2deg"] = torch.sinc(x), torch.deg2rad(x), torch.rad2deg(x)
        out["renorm"] = torch.renorm(x, 2, 0, 1.5)
        out["lgamma"], out["lgamma_neg"] = torch.lgamma(pos), torch.lgamma(x * 3)
        out["digamma"], out["digamma_neg"] = torch.digamma(pos), torch.digamma(x * 3 + 0.01)
        out["polygamma1"], out["polygamma3"] = torch.polygamma(1, pos), torch.polygamma(3, pos)
        out["erfc"], out["erfc_wide"] = torch.erfc(x), torch.erfc(x.double() * 4)
        out["i0"], out["mvlgamma"] = torch.i0(x * 4), torch.mvlgamma(pos + 2, 3)
        m, e = torch.frexp(x * 100)
        out["frexp_m"], out["frexp_e"] = m, e.to(torch.float32)
        out["ldexp"] = torch.ldexp(x, ints[:1, :1].expand(4, 6) % 5)
        out["nextafter"], out["nextafter64"] = torch.nextafter(x, y), torch.nextafter(x.double(), y.double())
        out["gcd"], out["lcm"] = torch.gcd(ints, other).float(), torch.lcm(ints, other).float()
        out["nansum"], out["nansum_dim"], out["nanmean"] = torch.nansum(withnan), torch.nansum(withnan, 1), torch.nanmean(withnan, 0, keepdim=True)
        out["count_nonzero"], out["count_nonzero_dim"] = torch.count_nonzero(labels).float(), torch.count_nonzero(labels, 1).float()
        kv, ki = torch.kthvalue(x, 3, 1)
        out["kth_v"], out["kth_i"] = kv, ki.float()
        mv, mi = torch.mode(labels, 1)
        out["mode_v"], out["mode_i"] = mv.float(), mi.float()
        nv, ni = torch.nanmedian(withnan, 1, keepdim=True)
        out["nanmedian_v"], out["nanmedian_i"], out["nanmedian_all"] = nv, ni.float(), torch.nanmedian(withnan)
        qs = torch.tensor([0.1, 0.5, 0.93])
        out["quantile"], out["quantile_all"] = torch.quantile(x, qs, dim=1), torch.quantile(x, 0.37)
        for mode in ["lower", "higher", "midpoint", "nearest"]:
            out["quantile_" + mode] = torch.quantile(x, 0.4, dim=0, keepdim=True, interpolation=mode)
        out["quantile_nan"], out["nanquantile"] = torch.quantile(withnan, 0.3, dim=1), torch.nanquantile(withnan, qs, dim=1, keepdim=True)
        idx = torch.randint(-6, 6, (4, 3))
        out["idx"] = idx.float()
        out["take_along_dim"], out["take_along_flat"] = torch.take_along_dim(x, idx, 1), torch.take_along_dim(x, idx.flatten().abs())
        flat_idx = torch.randint(-24, 24, (2, 5))
        out["flat_idx"] = flat_idx.float()
        out["take"] = torch.take(x, flat_idx)
        out["index_fill"] = x.index_fill(1, torch.tensor([0, -1, 3]), -2.5)
        out["masked_select"], out["argwhere"] = torch.masked_select(x, x > 0.3), torch.argwhere(x > 0.3).float()
        out["eye"], out["eye_rect"], out["logspace"] = torch.eye(4), torch.eye(3, 5, dtype=torch.float64), torch.logspace(-2, 3, 7)
        out["logspace_base2"] = torch.logspace(0, 5, 6, base=2)
        out["diag_embed"], out["diag_embed_offset"] = torch.diag_embed(x[:2, :3]), torch.diag_embed(x[:2, :3], 1, 0, 2)
        out["diagflat"] = torch.diagflat(x[:2, :2], -1)
        out["block_diag"] = torch.block_diag(x[:2, :3], y[0], torch.tensor(7.0), x[:1, :1])
        out["cartesian"] = torch.cartesian_prod(x[0, :3], y[0, :2], x[1, :2])
        out["vander"], out["vander_inc"] = torch.vander(x[0, :4]), torch.vander(x[0, :4], 6, increasing=True)
        t3 = torch.randn(3, 4, 5)
        out["t3"] = t3
        out["tensordot"], out["tensordot_dims"] = torch.tensordot(t3, t3.permute(1, 2, 0)[:, :, :2], 2), torch.tensordot(t3, x[:, :3], ([1, 0], [0, 1]))
        out["inner"] = torch.inner(x, y)
        out["trapezoid"], out["trapezoid_x"] = torch.trapezoid(x, dx=0.5), torch.trapezoid(x, torch.arange(6.0) ** 2)
        out["cumulative_trapezoid"] = torch.cumulative_trapezoid(x, dim=0)
        out["kaiser"], out["kaiser_sym"], out["bartlett"] = torch.kaiser_window(12), torch.kaiser_window(9, False, 5.0), torch.bartlett_window(10)
        out["moveaxis"], out["addmm"] = torch.moveaxis(t3, 0, -1), torch.addmm(x[:, :2], x, y.T[:, :2], beta=0.5, alpha=2)
        import torch.nn.functional as F
        out["pdist"], out["upsample_bilinear"] = F.pdist(x, 1.5), F.upsample_bilinear(t3.unsqueeze(0), scale_factor=2)
        out["cdist"], out["searchsorted"] = torch.cdist(x, y, p=1), torch.searchsorted(torch.sort(x, 1)[0], y).float()
        fw, aw = torch.randint(0, 4, (6,)), torch.rand(6)
        out.update(fw=fw, aw=aw)
        out["cov"], out["cov_weighted"], out["cov_1d"] = torch.cov(x), torch.cov(x, correction=0, fweights=fw, aweights=aw), torch.cov(x[0])
        out["cov_corr2"], out["corrcoef"] = torch.cov(x, correction=2, aweights=aw), torch.corrcoef(x)
        h, e = torch.histogram(x, bins=5)
        out["hist"], out["hist_edges"] = h, e
        h, e = torch.histogram(x, bins=4, range=(-1.0, 1.0), weight=y.abs(), density=True)
        out["hist_w"], out["hist_w_edges"] = h, e
        out["hist_bins"] = torch.histogram(x, bins=torch.tensor([-2.0, -0.5, 0.0, 0.25, 2.0]))[0]
        out["grad"] = torch.gradient(x)[1]
        out["grad0"] = torch.gradient(x, spacing=0.5, dim=0, edge_order=2)[0]
        coords = torch.cumsum(torch.rand(6) + 0.1, 0)
        out["coords"] = coords
        out["grad_coords"], out["grad_coords2"] = torch.gradient(x, spacing=[coords], dim=1)[0], torch.gradient(x, spacing=[coords], dim=1, edge_order=2)[0]
        from graphport_results import save
        save(out)
        """;

    private static readonly TorchScriptResults Reference = new(Script);

    private static Tensor T(string key) => Reference[key];

    private static void Close(string key, Tensor actual, double tolerance = 2e-5) => Reference.AssertClose(key, actual, tolerance);

    private static Tensor Bool(Tensor t) => t.To(DType.Float32);

    [Fact]
    public void Predicates_and_elementwise_math_match_torch()
    {
        Tensor x = T("x"), y = T("y"), special = T("special"), near = T("near");
        Close("isfinite", Bool(special.IsFinite()));
        Close("isposinf", Bool(special.IsPosInf()));
        Close("isneginf", Bool(special.IsNegInf()));
        // A NaN's sign bit is whichever its bits hold (.NET's double.NaN has it set, Python's float("nan") not): compared without NaNs.
        Close("signbit", Bool(special.NanToNum(0.0).Signbit()));
        Close("isclose", Bool(x.IsClose(near)));
        Close("isclose_loose", Bool(Torch.IsClose(x, near, rtol: 1e-3, atol: 1e-4)));
        Close("isclose_nan", Bool(special.IsClose(special, equalNan: true)));
        Close("heaviside", special.Heaviside(Torch.Full([2, 6], 0.5)));
        Close("logaddexp2", x.Logaddexp2(y));
        var power = x.Abs().FloatPower(y);
        Assert.Equal(DType.Float64, power.DType);
        Close("float_power", power, 1e-9);
        Close("sinc", x.Sinc());
        Close("deg2rad", x.Deg2rad());
        Close("rad2deg", x.Rad2deg());
        Close("renorm", x.Renorm(2, 0, 1.5));
        Assert.Contains("isclose needs both tensors of one dtype", Assert.ThrowsAny<Exception>(() => x.IsClose(x.To(DType.Float64))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Special_functions_match_torch_over_their_domains()
    {
        Tensor x = T("x"), pos = T("pos");
        Close("lgamma", pos.Lgamma());
        Close("lgamma_neg", (x * 3).Lgamma(), 1e-4);
        Close("digamma", pos.Digamma());
        Close("digamma_neg", (x * 3 + 0.01).Digamma(), 1e-4);
        Close("polygamma1", pos.Polygamma(1));
        Close("polygamma3", pos.Polygamma(3), 1e-4);
        Close("erfc", x.Erfc());
        Close("erfc_wide", (x.To(DType.Float64) * 4).Erfc(), 1e-13);
        Close("i0", (x * 4).I0());
        Close("mvlgamma", (pos + 2).Mvlgamma(3));
        Assert.Contains("greater than (p-1)/2", Assert.Throws<ArgumentException>(() => pos.Mvlgamma(30)).Message, StringComparison.Ordinal);
        var (mantissa, exponent) = (x * 100).Frexp();
        Assert.Equal(DType.Int32, exponent.DType);
        Close("frexp_m", mantissa, 0);
        Close("frexp_e", exponent, 0);
        Close("ldexp", x.Ldexp(T("ints")[..1, ..1].Expand([4L, 6L]) % 5));
        Close("nextafter", x.Nextafter(T("y")), 0);
        Close("nextafter64", x.To(DType.Float64).Nextafter(T("y").To(DType.Float64)), 0);
        Close("gcd", T("ints").Gcd(T("other")), 0);
        Close("lcm", T("ints").Lcm(T("other")), 0);
        Assert.Contains("integer tensors", Assert.Throws<ArgumentException>(() => x.Gcd(x)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nan_aware_reductions_and_order_statistics_match_torch()
    {
        Tensor x = T("x"), withnan = T("withnan"), labels = T("labels").To(DType.Int64);
        Close("nansum", withnan.Nansum());
        Close("nansum_dim", withnan.Nansum([1]));
        Close("nanmean", withnan.Nanmean([0], keepdim: true));
        Close("count_nonzero", labels.CountNonzero(), 0);
        Close("count_nonzero_dim", labels.CountNonzero(1), 0);
        var (kth, kthIndex) = x.Kthvalue(3, 1);
        Close("kth_v", kth);
        Close("kth_i", kthIndex, 0);
        var (mode, modeIndex) = labels.Mode(1);
        Close("mode_v", mode, 0);
        Close("mode_i", modeIndex, 0);
        var (median, medianIndex) = withnan.Nanmedian(1, keepdim: true);
        Close("nanmedian_v", median);
        Close("nanmedian_i", medianIndex, 0);
        Close("nanmedian_all", withnan.Nanmedian());
        var qs = Tensor.FromArray(new float[] { 0.1f, 0.5f, 0.93f }, 3);
        Close("quantile", x.Quantile(qs, 1));
        Close("quantile_all", x.Quantile(0.37));
        foreach (var interpolation in new[] { "lower", "higher", "midpoint", "nearest" })
            Close("quantile_" + interpolation, x.Quantile(0.4, 0, keepdim: true, interpolation));
        Close("quantile_nan", withnan.Quantile(0.3, 1));
        Close("nanquantile", withnan.Nanquantile(qs, 1, keepdim: true));
        Assert.Contains("range [0, 1]", Assert.Throws<ArgumentException>(() => x.Quantile(1.5)).Message, StringComparison.Ordinal);
        Assert.Contains("k out of range", Assert.Throws<ArgumentException>(() => x.Kthvalue(7, 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Picking_by_index_and_mask_matches_torch()
    {
        var x = T("x");
        var idx = T("idx").To(DType.Int64);
        Close("take_along_dim", x.TakeAlongDim(idx, 1));
        Close("take_along_flat", x.TakeAlongDim(idx.Reshape(-1).Abs()));
        Close("take", x.Take(T("flat_idx").To(DType.Int64)));
        Close("index_fill", x.IndexFill(1, Tensor.FromArray(new long[] { 0, -1, 3 }, 3), -2.5));
        Close("masked_select", x.MaskedSelect(x > 0.3));
        Close("argwhere", (x > 0.3).Argwhere(), 0);
        Close("moveaxis", T("t3").Moveaxis(0, -1));
        Close("addmm", x[.., ..2].Addmm(x, T("y").T()[.., ..2], beta: 0.5, alpha: 2));
        Close("cdist", Torch.Cdist(x, T("y"), 1));
        Close("pdist", Functional.Pdist(x, 1.5));
        Close("upsample_bilinear", Functional.UpsampleBilinear(T("t3").Unsqueeze(0), scaleFactor: [2.0]));
        Close("searchsorted", Torch.Searchsorted(x.Sort(1).Values, T("y")), 0);
    }

    [Fact]
    public void Array_builders_and_windows_match_torch()
    {
        Tensor x = T("x"), y = T("y"), t3 = T("t3");
        Close("eye", Torch.Eye(4));
        var rectangle = Torch.Eye(3, 5, DType.Float64);
        Assert.Equal(DType.Float64, rectangle.DType);
        Close("eye_rect", rectangle, 0);
        Close("logspace", Torch.Logspace(-2, 3, 7));
        Close("logspace_base2", Torch.Logspace(0, 5, 6, 2));
        Close("diag_embed", x[..2, ..3].DiagEmbed());
        Close("diag_embed_offset", x[..2, ..3].DiagEmbed(1, 0, 2));
        Close("diagflat", x[..2, ..2].Diagflat(-1));
        Close("block_diag", Torch.BlockDiag(x[..2, ..3], y[0], Tensor.FromArray(new float[] { 7 }).Reshape(), x[..1, ..1]));
        Close("cartesian", Torch.CartesianProd(x[0, ..3], y[0, ..2], x[1, ..2]));
        Close("vander", Torch.Vander(x[0, ..4]));
        Close("vander_inc", Torch.Vander(x[0, ..4], 6, increasing: true), 1e-4);
        Close("tensordot", Torch.Tensordot(t3, t3.Permute(1, 2, 0)[.., .., ..2], 2));
        Close("tensordot_dims", Torch.Tensordot(t3, x[.., ..3], [1, 0], [0, 1]));
        Close("inner", x.Inner(y));
        Close("trapezoid", Torch.Trapezoid(x, 0.5));
        Close("trapezoid_x", Torch.Trapezoid(x, Torch.Arange(0.0, 6.0).Pow(2)));
        Close("cumulative_trapezoid", Torch.CumulativeTrapezoid(x, dim: 0));
        Close("kaiser", Torch.KaiserWindow(12));
        Close("kaiser_sym", Torch.KaiserWindow(9, periodic: false, beta: 5));
        Close("bartlett", Torch.BartlettWindow(10));
    }

    [Fact]
    public void Covariance_correlation_histograms_and_gradients_match_torch()
    {
        Tensor x = T("x"), y = T("y"), fw = T("fw"), aw = T("aw"), coords = T("coords");
        Close("cov", Torch.Cov(x));
        Close("cov_weighted", Torch.Cov(x, 0, fw, aw));
        Close("cov_1d", Torch.Cov(x[0]));
        Close("cov_corr2", Torch.Cov(x, 2, aweights: aw));
        Close("corrcoef", Torch.Corrcoef(x));
        var (hist, edges) = Torch.Histogram(x, 5);
        Close("hist", hist, 0);
        Close("hist_edges", edges);
        var (weighted, weightedEdges) = Torch.Histogram(x, 4, (-1.0, 1.0), y.Abs(), density: true);
        Close("hist_w", weighted);
        Close("hist_w_edges", weightedEdges);
        Close("hist_bins", Torch.Histogram(x, Tensor.FromArray(new float[] { -2, -0.5f, 0, 0.25f, 2 }, 5)).Hist, 0);
        Close("grad", Torch.Gradient(x)[1]);
        Close("grad0", Torch.Gradient(x, 0.5, [0], edgeOrder: 2)[0]);
        Close("grad_coords", Torch.Gradient(x, [coords], [1])[0], 1e-4);
        Close("grad_coords2", Torch.Gradient(x, [coords], [1], edgeOrder: 2)[0], 1e-4);
        // torch cannot export cov (its weight check reads data); here it exports and runs.
        var program = Torch.Export((Func<Tensor, Tensor>)(v => Torch.Corrcoef(v)), [x]);
        Close("corrcoef", program.Module().Call(x));
    }

    private sealed class Statistics : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x)
        {
            var (kth, _) = x.Kthvalue(2, 1);
            var robust = x.Nanmedian(1).Values + x.Quantile(0.9, 1) - kth;
            return robust.Lgamma() + x.IsFinite().To(DType.Float32).Sum(1) + x.Erfc().Mean(1);
        }
    }

    [Fact]
    public void An_exported_program_keeps_the_ops_torch_keeps_through_decomposition_and_runs_on_new_inputs()
    {
        var x = T("x");
        var program = Torch.Export(new Statistics(), [x], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("rows", min: 2, max: 64) } });
        var text = program.ToString();
        foreach (var op in new[] { "aten.kthvalue.default", "aten.nanmedian.dim", "aten.lgamma.default", "aten.erfc.default", "aten.sort.default" })
            Assert.Contains("torch.ops." + op, text, StringComparison.Ordinal);
        var core = program.RunDecompositions();
        var coreText = core.ToString();
        Assert.Contains("torch.ops.aten.kthvalue.default", coreText, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.lgamma.default", coreText, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.erfc.default", coreText, StringComparison.Ordinal);
        var fresh = Torch.Randn(9, 6);
        var expected = new Statistics().Call(fresh);
        Assert.True(program.Module().Call(fresh).AllClose(expected, 1e-5, 1e-6));
        Assert.True(core.Module().Call(fresh).AllClose(expected, 1e-5, 1e-6));
    }
}

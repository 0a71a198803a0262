namespace Graphport.Tests.Interop;

/// <summary>
/// torch's in-place methods (sigmoid_, clamp_, masked_fill_, index_put_, scatter_, index_add_, tril_, addcmul_, ...)
/// and its alias methods (arccos, multiply, divide with a rounding mode, greater, where, hsplit, det, inverse, ...)
/// against PyTorch on random inputs; an exported module that writes in place records the functional ops, and a
/// buffer it updates in place is a buffer mutation, as torch.export records them.
/// </summary>
public class InPlaceAndAliasTorchTests
{
    private const string Script = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        out = {}
        x, y = torch.randn(4, 5), torch.randn(4, 5)
        mask = x > 0.4
        idx = torch.randint(0, 4, (2, 5))
        out.update(x=x, y=y, mask=mask.float(), idx=idx.float())
        c = lambda: x.clone()
        for name in ["abs_", "neg_", "exp_", "expm1_", "sigmoid_", "tanh_", "sin_", "cos_", "erf_", "floor_", "ceil_", "round_", "trunc_", "reciprocal_", "sign_"]:
            out[name] = getattr(c(), name)()
        out["sqrt_"], out["log_"], out["rsqrt_"], out["log1p_"] = x.abs().sqrt_(), x.abs().log_(), x.abs().rsqrt_(), x.abs().log1p_()
        out["clamp_"], out["clamp_min_"], out["clamp_max_"] = c().clamp_(-0.5, 0.7), c().clamp_min_(0.1), c().clamp_max_(-0.2)
        out["pow_"], out["pow_t"], out["sub_"] = x.abs().pow_(1.5), x.abs().pow_(y), c().sub_(2.5)
        out["lerp_"], out["addcmul_"], out["addcdiv_"] = c().lerp_(y, 0.3), c().addcmul_(x, y, value=0.5), c().addcdiv_(x, y.abs() + 1, value=2)
        out["nan_to_num_"] = (c() / (c() - c())).nan_to_num_(posinf=3.0)
        out["tril_"], out["triu_"] = c().tril_(1), c().triu_(-1)
        out["masked_fill_"], out["masked_fill_t"] = c().masked_fill_(mask, -1e4), c().masked_fill_(mask, torch.tensor(2.5))
        out["index_put_"] = c().index_put_((torch.tensor([0, 2]), torch.tensor([1, 3])), torch.tensor([9.0, -9.0]))
        out["index_put_acc"] = c().index_put_((torch.tensor([0, 0]),), torch.ones(2, 5), accumulate=True)
        out["scatter_"], out["scatter_v"] = c().scatter_(0, idx, y[:2]), c().scatter_(1, idx[:, :3].T.contiguous() % 5, 0.25)
        out["scatter_add_"] = c().scatter_add_(0, idx, y[:2])
        out["index_add_"], out["index_copy_"] = c().index_add_(0, torch.tensor([3, 1]), y[:2], alpha=2), c().index_copy_(1, torch.tensor([4, 0]), y[:, :2])
        out["index_fill_"] = c().index_fill_(1, torch.tensor([1, 3]), 7.5)
        out["arccos"], out["arctan2"], out["fix"] = x.clamp(-1, 1).arccos(), x.arctan2(y), (x * 3).fix()
        out["div_floor"], out["div_trunc"] = x.div(y, rounding_mode="floor"), x.divide(y, rounding_mode="trunc")
        out["sub_alpha"], out["add_alpha"] = x.sub(y, alpha=2), x.add(y, alpha=0.5)
        out["gt"], out["le"], out["greater"] = x.gt(y).float(), x.le(0.1).float(), x.greater(y).float()
        out["where"] = x.where(mask, y)
        out["hsplit1"], out["vsplit0"] = x.hsplit(5)[1], x.vsplit(2)[0]
        sq = torch.randn(3, 3) + 2 * torch.eye(3)
        out["sq"] = sq
        out["det"], out["inverse"], out["pinverse"] = sq.det(), sq.inverse(), x.pinverse()
        out["matrix_power"], out["logdet"] = sq.matrix_power(3), (sq @ sq.T).logdet()
        from graphport_results import save
        save(out)
        """;

    private static readonly TorchScriptResults Reference = new(Script);

    private static Tensor T(string key) => Reference[key];

    private static void Close(string key, Tensor actual, double tolerance = 2e-5) => Reference.AssertClose(key, actual, tolerance);

    [Fact]
    public void In_place_methods_write_what_torchs_write_and_return_the_same_tensor()
    {
        Tensor x = T("x"), y = T("y"), mask = T("mask").To(DType.Bool), idx = T("idx").To(DType.Int64);
        Tensor C() => x.Clone();
        var unary = new (string Name, Func<Tensor, Tensor> Op)[]
        {
            ("abs_", t => t.Abs_()), ("neg_", t => t.Neg_()), ("exp_", t => t.Exp_()), ("expm1_", t => t.Expm1_()), ("sigmoid_", t => t.Sigmoid_()),
            ("tanh_", t => t.Tanh_()), ("sin_", t => t.Sin_()), ("cos_", t => t.Cos_()), ("erf_", t => t.Erf_()), ("floor_", t => t.Floor_()),
            ("ceil_", t => t.Ceil_()), ("round_", t => t.Round_()), ("trunc_", t => t.Trunc_()), ("reciprocal_", t => t.Reciprocal_()), ("sign_", t => t.Sign_()),
        };
        foreach (var (name, op) in unary)
        {
            var target = C();
            Assert.Same(target, op(target));
            Close(name, target);
        }
        Close("sqrt_", x.Abs().Sqrt_());
        Close("log_", x.Abs().Log_());
        Close("rsqrt_", x.Abs().Rsqrt_(), 1e-4);
        Close("log1p_", x.Abs().Log1p_());
        Close("clamp_", C().Clamp_(-0.5, 0.7));
        Close("clamp_min_", C().ClampMin_(0.1));
        Close("clamp_max_", C().ClampMax_(-0.2));
        Close("pow_", x.Abs().Pow_(1.5));
        Close("pow_t", x.Abs().Pow_(y), 1e-4);
        Close("sub_", C().Sub_(2.5));
        Close("lerp_", C().Lerp_(y, 0.3));
        Close("addcmul_", C().Addcmul_(x, y, 0.5));
        Close("addcdiv_", C().Addcdiv_(x, y.Abs() + 1, 2));
        Close("tril_", C().Tril_(1));
        Close("triu_", C().Triu_(-1));
        Close("masked_fill_", C().MaskedFill_(mask, -1e4));
        Close("masked_fill_t", C().MaskedFill_(mask, Tensor.FromArray(new float[] { 2.5f }).Reshape()));
        Close("index_put_", C().IndexPut_([Tensor.FromArray(new long[] { 0, 2 }, 2), Tensor.FromArray(new long[] { 1, 3 }, 2)], Tensor.FromArray(new float[] { 9, -9 }, 2)));
        Close("index_put_acc", C().IndexPut_([Tensor.FromArray(new long[] { 0, 0 }, 2)], Torch.Ones(2, 5), accumulate: true));
        Close("scatter_", C().Scatter_(0, idx, y[..2]));
        Close("scatter_v", C().Scatter_(1, idx[.., ..3].T().Contiguous() % 5, 0.25));
        Close("scatter_add_", C().ScatterAdd_(0, idx, y[..2]));
        Close("index_add_", C().IndexAdd_(0, Tensor.FromArray(new long[] { 3, 1 }, 2), y[..2], alpha: 2));
        Close("index_copy_", C().IndexCopy_(1, Tensor.FromArray(new long[] { 4, 0 }, 2), y[.., ..2]));
        Close("index_fill_", C().IndexFill_(1, Tensor.FromArray(new long[] { 1, 3 }, 2), 7.5));
        var integers = Torch.Ones([3], DType.Int64);
        Assert.Contains("can't be cast", Assert.ThrowsAny<Exception>(() => integers.Sigmoid_()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Alias_methods_compute_what_torchs_compute()
    {
        Tensor x = T("x"), y = T("y"), mask = T("mask").To(DType.Bool), sq = T("sq");
        Close("arccos", x.Clamp(-1, 1).Arccos());
        Close("arctan2", x.Arctan2(y));
        Close("fix", (x * 3).Fix());
        Close("div_floor", x.Div(y, "floor"));
        Close("div_trunc", x.Divide(y, "trunc"));
        Close("sub_alpha", x.Sub(y, alpha: 2));
        Close("add_alpha", x.Add(y, alpha: 0.5));
        Close("gt", x.Gt(y).Float());
        Close("le", x.Le(0.1).Float());
        Close("greater", x.Greater(y).Float());
        Close("where", x.Where(mask, y));
        Close("hsplit1", x.Hsplit(5)[1]);
        Close("vsplit0", x.Vsplit(2)[0]);
        Close("det", sq.Det(), 1e-4);
        Close("inverse", sq.Inverse(), 1e-4);
        Close("pinverse", x.Pinverse(), 1e-4);
        Close("matrix_power", sq.MatrixPower(3), 1e-4);
        Close("logdet", sq.Matmul(sq.T()).Logdet(), 1e-4);
        Assert.True(x.Equal(x.Clone()));
        Assert.False(x.Equal(y));
        Assert.Equal(2, x.Ndimension());
        Assert.Equal(20, x.Nelement());
    }

    /// <summary>Attention with an in-place mask and activation, and a running statistic kept in a buffer updated in place.</summary>
    private sealed class MaskedAttentionWithRunningMax : Module<Tensor, Tensor, Tensor>
    {
        private readonly Tensor runningMax;

        public MaskedAttentionWithRunningMax() => runningMax = RegisterBuffer("running_max", Torch.Zeros(5));

        public override Tensor Forward(Tensor scores, Tensor mask)
        {
            var masked = scores.Clone().MaskedFill_(mask, double.NegativeInfinity);
            var weights = masked.Softmax(-1).Clamp_(1e-6, 1.0);
            runningMax.Copy_(Torch.Maximum(runningMax, scores.Amax(0)));
            return weights.Sigmoid_();
        }
    }

    [Fact]
    public void An_exported_module_records_in_place_writes_functionally_and_its_buffer_write_as_a_mutation()
    {
        Tensor x = T("x"), mask = T("mask").To(DType.Bool);
        var module = new MaskedAttentionWithRunningMax();
        var program = Torch.Export(module, [x, mask]);
        var text = program.ToString();
        Assert.Contains("torch.ops.aten.masked_fill.Scalar", text, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.clamp.default", text, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.sigmoid.default", text, StringComparison.Ordinal);
        Assert.DoesNotContain("masked_fill_", text, StringComparison.Ordinal);
        Assert.Contains("BUFFER_MUTATION", text, StringComparison.Ordinal);
        var expected = new MaskedAttentionWithRunningMax().Call(x, mask);
        Assert.True(program.Module().Call(x, mask).AllClose(expected, 1e-6, 1e-7));
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using F = Graphport.Functional;

namespace Graphport.Tests.Interop;

/// <summary>
/// torch.nn.functional's losses in C# compute what PyTorch's do, with every option a user sets (reductions, class
/// weights, ignored targets, label smoothing, class probabilities, spatial targets, pos_weight, batchmean, log targets,
/// margins): torch draws random inputs and computes each loss; here the same calls run eagerly, as the nn modules,
/// and exported then decomposed to Core ATen.
/// </summary>
public class LossesTorchTests
{
    private const string Inputs = """
        import json, sys, torch
        import torch.nn.functional as F
        torch.manual_seed(int(sys.argv[2]))
        x = torch.randn(6, 5) * 2
        t = torch.randint(0, 5, (6,))
        t[1] = -100
        t[4] = 1
        u = t.clamp(min=0)
        w = torch.rand(5) + 0.5
        p = torch.randn(6, 5).softmax(-1)
        img = torch.randn(2, 3, 4, 5)
        lbl = torch.randint(0, 3, (2, 4, 5))
        vol = torch.randn(2, 3, 4).log_softmax(1)
        vlbl = torch.randint(0, 3, (2, 4))
        y = torch.randn(6, 5)
        q = torch.rand(6, 5) * 0.98 + 0.01
        r = torch.rand(6, 5)
        s = torch.randint(0, 2, (6, 5)).float() * 2 - 1
        a = torch.randn(3, 8)
        b = torch.randn(3, 8)
        c = torch.randn(3, 8)
        e = torch.tensor([1.0, -1.0, 1.0])
        inputs = dict(x=x, t=t, u=u, w=w, p=p, img=img, lbl=lbl, vol=vol, vlbl=vlbl, y=y, q=q, r=r, s=s, a=a, b=b, c=c, e=e)

        def j(v):
            return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": v.detach().flatten().tolist()}

        out = {}

        """;

    private sealed record Case(string Name, string Python, Func<IReadOnlyDictionary<string, Tensor>, Tensor> Here);

    private static readonly Case[] Cases =
    [
        new("ce", "F.cross_entropy(x, t)", v => F.CrossEntropy(v["x"], v["t"])),
        new("ce_weight_smooth_none", "F.cross_entropy(x, t, weight=w, label_smoothing=0.2, reduction='none')",
            v => F.CrossEntropy(v["x"], v["t"], v["w"], labelSmoothing: 0.2, reduction: "none")),
        new("ce_ignore_sum", "F.cross_entropy(x, u, ignore_index=1, reduction='sum')", v => F.CrossEntropy(v["x"], v["u"], ignoreIndex: 1, reduction: "sum")),
        new("ce_weight_ignore_smooth_mean", "F.cross_entropy(x, u, weight=w, ignore_index=1, label_smoothing=0.3)",
            v => F.CrossEntropy(v["x"], v["u"], v["w"], ignoreIndex: 1, labelSmoothing: 0.3)),
        new("ce_smooth_mean", "F.cross_entropy(x, t, label_smoothing=0.1)", v => F.CrossEntropy(v["x"], v["t"], labelSmoothing: 0.1)),
        new("ce_probabilities", "F.cross_entropy(x, p)", v => F.CrossEntropy(v["x"], v["p"])),
        new("ce_probabilities_weight_smooth_none", "F.cross_entropy(x, p, weight=w, label_smoothing=0.1, reduction='none')",
            v => F.CrossEntropy(v["x"], v["p"], v["w"], labelSmoothing: 0.1, reduction: "none")),
        new("ce_spatial", "F.cross_entropy(img, lbl)", v => F.CrossEntropy(v["img"], v["lbl"])),
        new("ce_spatial_weight_none", "F.cross_entropy(img, lbl, weight=w[:3], reduction='none')", v => F.CrossEntropy(v["img"], v["lbl"], v["w"][..3], reduction: "none")),
        new("ce_one_sample", "F.cross_entropy(x[0], t[0])", v => F.CrossEntropy(v["x"][0], v["t"][0])),
        new("nll_weight", "F.nll_loss(x.log_softmax(-1), t, weight=w)", v => F.NllLoss(v["x"].LogSoftmax(-1), v["t"], v["w"])),
        new("nll_3d_none", "F.nll_loss(vol, vlbl, reduction='none')", v => F.NllLoss(v["vol"], v["vlbl"], reduction: "none")),
        new("nll_3d_weight_ignore", "F.nll_loss(vol, vlbl, weight=w[:3], ignore_index=1)", v => F.NllLoss(v["vol"], v["vlbl"], v["w"][..3], ignoreIndex: 1)),
        new("mse", "F.mse_loss(x, y)", v => F.MseLoss(v["x"], v["y"])),
        new("mse_broadcast_none", "F.mse_loss(x, y[0], reduction='none')", v => F.MseLoss(v["x"], v["y"][0], "none")),
        new("l1_sum", "F.l1_loss(x, y, reduction='sum')", v => F.L1Loss(v["x"], v["y"], "sum")),
        new("smooth_l1", "F.smooth_l1_loss(x, y, beta=0.5)", v => F.SmoothL1Loss(v["x"], v["y"], beta: 0.5)),
        new("smooth_l1_beta0", "F.smooth_l1_loss(x, y, beta=0.0, reduction='none')", v => F.SmoothL1Loss(v["x"], v["y"], "none", beta: 0)),
        new("huber_none", "F.huber_loss(x, y, delta=0.7, reduction='none')", v => F.HuberLoss(v["x"], v["y"], "none", delta: 0.7)),
        new("bce", "F.binary_cross_entropy(q, r)", v => F.BinaryCrossEntropy(v["q"], v["r"])),
        new("bce_weight_sum", "F.binary_cross_entropy(q, r, weight=w, reduction='sum')", v => F.BinaryCrossEntropy(v["q"], v["r"], v["w"], "sum")),
        new("bce_logits", "F.binary_cross_entropy_with_logits(x, r)", v => F.BinaryCrossEntropyWithLogits(v["x"], v["r"])),
        new("bce_logits_weights_none", "F.binary_cross_entropy_with_logits(x, r, weight=q, pos_weight=w, reduction='none')",
            v => F.BinaryCrossEntropyWithLogits(v["x"], v["r"], v["q"], "none", v["w"])),
        new("kl_batchmean", "F.kl_div(x.log_softmax(-1), p, reduction='batchmean')", v => F.KlDiv(v["x"].LogSoftmax(-1), v["p"], "batchmean")),
        new("kl_log_target_sum", "F.kl_div(x.log_softmax(-1), y.log_softmax(-1), reduction='sum', log_target=True)",
            v => F.KlDiv(v["x"].LogSoftmax(-1), v["y"].LogSoftmax(-1), "sum", logTarget: true)),
        new("soft_margin", "F.soft_margin_loss(x, s)", v => F.SoftMarginLoss(v["x"], v["s"])),
        new("margin_ranking", "F.margin_ranking_loss(a[0], b[0], c[0].sign(), margin=0.2)", v => F.MarginRankingLoss(v["a"][0], v["b"][0], v["c"][0].Sign(), 0.2)),
        new("hinge_embedding_none", "F.hinge_embedding_loss(x, s, margin=0.5, reduction='none')", v => F.HingeEmbeddingLoss(v["x"], v["s"], 0.5, "none")),
        new("cosine_embedding", "F.cosine_embedding_loss(a, b, e, margin=0.1)", v => F.CosineEmbeddingLoss(v["a"], v["b"], v["e"], 0.1)),
        new("poisson", "F.poisson_nll_loss(x, q)", v => F.PoissonNllLoss(v["x"], v["q"])),
        new("poisson_full", "F.poisson_nll_loss(q + 0.5, r * 3, log_input=False, full=True, reduction='none')",
            v => F.PoissonNllLoss(v["q"] + 0.5, v["r"] * 3.0, logInput: false, full: true, reduction: "none")),
        new("triplet", "F.triplet_margin_loss(a, b, c, margin=0.5)", v => F.TripletMarginLoss(v["a"], v["b"], v["c"], 0.5)),
        new("triplet_swap_none", "F.triplet_margin_loss(a, b, c, p=1.0, swap=True, reduction='none')", v => F.TripletMarginLoss(v["a"], v["b"], v["c"], p: 1.0, swap: true, reduction: "none")),
        new("multilabel_soft_margin", "F.multilabel_soft_margin_loss(x, r.round(), weight=w)", v => F.MultilabelSoftMarginLoss(v["x"], v["r"].Round(), v["w"])),
        new("gaussian_nll", "F.gaussian_nll_loss(x, y, q)", v => F.GaussianNllLoss(v["x"], v["y"], v["q"])),
        new("gaussian_nll_per_sample_full_none", "F.gaussian_nll_loss(x, y, q[:, 0], full=True, eps=0.05, reduction='none')",
            v => F.GaussianNllLoss(v["x"], v["y"], v["q"][.., 0], full: true, eps: 0.05, reduction: "none")),
        new("gaussian_nll_last_dim_one_sum", "F.gaussian_nll_loss(x, y, q[:, :1], reduction='sum')", v => F.GaussianNllLoss(v["x"], v["y"], v["q"][.., ..1], reduction: "sum")),
    ];

    private static string Script()
    {
        var text = new StringBuilder(Inputs);
        foreach (var c in Cases) text.Append(CultureInfo.InvariantCulture, $"out[\"{c.Name}\"] = j({c.Python})\n");
        text.Append("""
            with open(sys.argv[1], "w") as f:
                json.dump({"inputs": {k: j(v) for k, v in inputs.items()}, "out": out}, f)
            """);
        return text.ToString();
    }

    private static void Close(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.DType == actual.DType, $"{what}: dtype {expected.DType.TorchName()} expected, got {actual.DType.TorchName()}");
        Assert.Equal(expected.Shape.ToLongs(), actual.Shape.ToLongs());
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-5 + 1e-5 * Math.Abs(e[i]), $"{what}: element {i} is {a[i]:R}, torch's {e[i]:R}");
    }

    [Fact]
    public void Every_functional_loss_computes_torchs_values_eagerly_exported_and_in_core_aten()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(Script(), seed);
        var inputs = json["inputs"]!.AsObject().ToDictionary(kv => kv.Key, kv => TorchScriptJson.Tensor(kv.Value!));
        var names = inputs.Keys.ToArray();
        foreach (var c in Cases)
        {
            var expected = TorchScriptJson.Tensor(json["out"]![c.Name]!);
            Close(expected, c.Here(inputs), $"seed {seed}: {c.Name} (eager)");
            var program = Torch.Export(new LossOfInputs(c.Here, names), [names.Select(n => inputs[n]).ToArray()]);
            Close(expected, program.Module().Call(new object?[] { names.Select(n => inputs[n]).ToArray() }), $"seed {seed}: {c.Name} (exported)");
            var core = program.RunDecompositions();
            Assert.DoesNotContain(core.Graph.Nodes, n => n.Op is { IsCore: false, Namespace: "aten" } && !n.Op.Tags.Contains("side_effect"));
            Close(expected, core.Module().Call(new object?[] { names.Select(n => inputs[n]).ToArray() }), $"seed {seed}: {c.Name} (Core ATen)");
        }
    }

    [Fact]
    public void The_loss_modules_compute_what_their_functions_do_with_weights_as_buffers()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(Script(), seed);
        var v = json["inputs"]!.AsObject().ToDictionary(kv => kv.Key, kv => TorchScriptJson.Tensor(kv.Value!));
        Tensor Out(string name) => TorchScriptJson.Tensor(json["out"]![name]!);

        Close(Out("ce_weight_ignore_smooth_mean"), new CrossEntropyLoss(v["w"], ignoreIndex: 1, labelSmoothing: 0.3).Call(v["x"], v["u"]), "CrossEntropyLoss");
        Close(Out("nll_weight"), new NLLLoss(v["w"]).Call(v["x"].LogSoftmax(-1), v["t"]), "NLLLoss");
        Close(Out("mse"), new MSELoss().Call(v["x"], v["y"]), "MSELoss");
        Close(Out("l1_sum"), new L1Loss("sum").Call(v["x"], v["y"]), "L1Loss");
        Close(Out("smooth_l1"), new SmoothL1Loss(beta: 0.5).Call(v["x"], v["y"]), "SmoothL1Loss");
        Close(Out("huber_none"), new HuberLoss("none", 0.7).Call(v["x"], v["y"]), "HuberLoss");
        Close(Out("bce_weight_sum"), new BCELoss(v["w"], "sum").Call(v["q"], v["r"]), "BCELoss");
        Close(Out("bce_logits_weights_none"), new BCEWithLogitsLoss(v["q"], "none", v["w"]).Call(v["x"], v["r"]), "BCEWithLogitsLoss");
        Close(Out("kl_batchmean"), new KLDivLoss("batchmean").Call(v["x"].LogSoftmax(-1), v["p"]), "KLDivLoss");
        Close(Out("soft_margin"), new SoftMarginLoss().Call(v["x"], v["s"]), "SoftMarginLoss");
        Close(Out("hinge_embedding_none"), new HingeEmbeddingLoss(0.5, "none").Call(v["x"], v["s"]), "HingeEmbeddingLoss");
        Close(Out("poisson"), new PoissonNLLLoss().Call(v["x"], v["q"]), "PoissonNLLLoss");
        Close(Out("multilabel_soft_margin"), new MultiLabelSoftMarginLoss(v["w"]).Call(v["x"], v["r"].Round()), "MultiLabelSoftMarginLoss");
        Close(Out("margin_ranking"), new MarginRankingLoss(0.2).Call(v["a"][0], v["b"][0], v["c"][0].Sign()), "MarginRankingLoss");
        Close(Out("cosine_embedding"), new CosineEmbeddingLoss(0.1).Call(v["a"], v["b"], v["e"]), "CosineEmbeddingLoss");
        Close(Out("triplet"), new TripletMarginLoss(0.5).Call(v["a"], v["b"], v["c"]), "TripletMarginLoss");
        Close(Out("gaussian_nll"), new GaussianNLLLoss().Call(v["x"], v["y"], v["q"]), "GaussianNLLLoss");
        Assert.Contains("var has negative entry/entries", Assert.Throws<ArgumentException>(() => new GaussianNLLLoss().Call(v["x"], v["y"], v["q"] - 1.0)).Message, StringComparison.Ordinal);

        // The class weights are buffers under torch's names (a state dict torch saved loads into them).
        var loss = new BCEWithLogitsLoss(v["q"], posWeight: v["w"]);
        Assert.Equal(["weight", "pos_weight"], loss.StateDict().Keys);
        Assert.Equal(["weight"], new CrossEntropyLoss(v["w"]).StateDict().Keys);
        Assert.Empty(new CrossEntropyLoss().StateDict());
    }

    /// <summary>One loss as a module over all the named inputs (the ones it does not read are unused placeholders).</summary>
    private sealed class LossOfInputs(Func<IReadOnlyDictionary<string, Tensor>, Tensor> loss, string[] names) : Module<Tensor[], Tensor>
    {
        public override Tensor Forward(Tensor[] x) => loss(names.Zip(x).ToDictionary(p => p.First, p => p.Second));
    }
}

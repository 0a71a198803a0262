using F = Graphport.Functional;

namespace Graphport.Tests.Interop;

/// <summary>
/// torch.nn.LinearCrossEntropyLoss and F.linear_cross_entropy (new in torch 2.14) against PyTorch with torch's weights:
/// class indices with ignored rows, class weights and label smoothing, probability targets, a K-dimensional loss
/// (out_features), every reduction; and torch.nn.NLLLoss2d, the deprecated name of NLLLoss for images.
/// </summary>
public class LinearCrossEntropyTorchTests
{
    private const string Script = """
        import json, sys, torch
        import torch.nn.functional as F
        torch.manual_seed(int(sys.argv[2]))
        out = {}
        x = torch.randn(6, 8)
        target = torch.randint(0, 5, (6,))
        target[2] = -100
        cw = torch.rand(5) + 0.5
        m = torch.nn.LinearCrossEntropyLoss(8, 5, bias=True, weight=cw, label_smoothing=0.1)
        out.update(x=x, target=target, cw=cw, w=m.linear.weight, b=m.linear.bias)
        out["smoothed"] = m(x, target)
        for r in ["none", "sum"]:
            out["plain_" + r] = F.linear_cross_entropy(x, m.linear.weight, target, linear_bias=m.linear.bias, reduction=r, ignore_index=-100)
        probs = torch.rand(6, 5).softmax(1)
        out["probs"] = probs
        out["prob_target"] = F.linear_cross_entropy(x, m.linear.weight, probs)
        k = torch.nn.LinearCrossEntropyLoss(8, 4, out_features=(3,), bias=True)
        kt = torch.randint(0, 4, (6, 3))
        out.update(kw=k.linear.weight, kb=k.linear.bias, kt=kt, kdim=k(x, kt))
        images = torch.randn(2, 4, 3, 3).log_softmax(1)
        labels = torch.randint(0, 4, (2, 3, 3))
        out.update(images=images, labels=labels, nll2d=torch.nn.NLLLoss2d()(images, labels))
        from graphport_results import save
        save(out)
        """;

    private static readonly TorchScriptResults Reference = new(Script);

    private static Tensor T(string key) => Reference[key];

    [Fact]
    public void The_loss_module_and_function_match_torch()
    {
        Tensor x = T("x"), target = T("target");
        var loss = new LinearCrossEntropyLoss(8, 5, bias: true, weight: T("cw"), labelSmoothing: 0.1);
        loss.LoadStateDict(new Dictionary<string, Tensor> { ["linear.weight"] = T("w"), ["linear.bias"] = T("b"), ["weight"] = T("cw") });
        Reference.AssertClose("smoothed", loss.Forward(x, target), 1e-5);
        foreach (var r in new[] { "none", "sum" })
            Reference.AssertClose("plain_" + r, F.LinearCrossEntropy(x, T("w"), target, T("b"), reduction: r), 1e-5);
        Reference.AssertClose("prob_target", F.LinearCrossEntropy(x, T("w"), T("probs")), 1e-5);
        var perPosition = new LinearCrossEntropyLoss(8, 4, outFeatures: [3], bias: true);
        Assert.Equal([12L, 8L], perPosition.Linear.Weight.Sizes);
        perPosition.LoadStateDict(new Dictionary<string, Tensor> { ["linear.weight"] = T("kw"), ["linear.bias"] = T("kb") });
        Reference.AssertClose("kdim", perPosition.Forward(x, T("kt")), 1e-5);
        Reference.AssertClose("nll2d", new NLLLoss2d().Forward(T("images"), T("labels")), 1e-5);
        Assert.Throws<ArgumentException>(() => new LinearCrossEntropyLoss(8, 5, weight: Torch.Ones(4)));
    }
}

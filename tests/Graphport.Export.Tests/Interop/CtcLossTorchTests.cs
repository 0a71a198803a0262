using F = Graphport.Functional;

namespace Graphport.Tests.Interop;

/// <summary>
/// torch.nn.CTCLoss / F.ctc_loss against PyTorch on random log-probabilities and label sequences (padded and
/// concatenated, repeated labels, a sequence its frames cannot hold, another blank, one unbatched sequence, float64):
/// every reduction, with and without zero_infinity. torch's export cannot trace ctc_loss; here it exports as one node
/// with dynamic frames and batch, stays through RunDecompositions and runs as eager; bad lengths and labels are
/// refused by name.
/// </summary>
public class CtcLossTorchTests
{
    private const string Script = """
        import json, sys, torch
        import torch.nn.functional as F
        torch.manual_seed(int(sys.argv[2]))
        T, N, C, S = 12, 4, 6, 5
        lp = torch.randn(T, N, C).log_softmax(2)
        il = torch.tensor([12, 10, 7, 3])
        tl = torch.tensor([5, 3, 4, 4])
        padded = torch.randint(1, C, (N, S))
        padded[0, 1] = padded[0, 0]  # a repeated label needs a blank between
        concat = torch.cat([padded[b, :tl[b]] for b in range(N)])
        out = {"lp": lp, "il": il, "tl": tl, "padded": padded, "concat": concat}
        for r in ["none", "mean", "sum"]:
            out["padded_" + r] = F.ctc_loss(lp, padded, il, tl, reduction=r)
            out["padded_zi_" + r] = F.ctc_loss(lp, padded, il, tl, reduction=r, zero_infinity=True)
        out["concat_none"] = F.ctc_loss(lp, concat, il, tl, reduction="none")
        out["blank_last"] = F.ctc_loss(lp, padded - 1, il, tl, blank=C - 1, reduction="none", zero_infinity=True)
        out["unbatched"] = F.ctc_loss(lp[:, 0], padded[0], il[0], tl[0], reduction="none")
        out["f64"] = F.ctc_loss(lp.double(), padded, il, tl, reduction="mean", zero_infinity=True)
        from graphport_results import save
        save(out)
        """;

    private static readonly TorchScriptResults Reference = new(Script);

    private static Tensor T(string key) => Reference[key];

    private static void Close(string key, Tensor actual)
    {
        Assert.Equal(T(key).DType, actual.DType);
        Reference.AssertClose(key, actual, 1e-5);
    }

    [Fact]
    public void Every_reduction_and_target_layout_matches_torch()
    {
        Tensor lp = T("lp"), il = T("il"), tl = T("tl"), padded = T("padded");
        foreach (var r in new[] { "none", "mean", "sum" })
        {
            Close("padded_" + r, F.CtcLoss(lp, padded, il, tl, reduction: r));
            Close("padded_zi_" + r, new CTCLoss(reduction: r, zeroInfinity: true).Forward(lp, padded, il, tl));
        }
        // The fourth sequence (4 labels in 3 frames) cannot be emitted: torch's infinity, or 0 with zero_infinity.
        Assert.True(double.IsPositiveInfinity(F.CtcLoss(lp, padded, il, tl, reduction: "none").ToArray<double>()[3]));
        Close("concat_none", F.CtcLoss(lp, T("concat"), il.ToArray<long>(), tl.ToArray<long>(), reduction: "none"));
        Close("blank_last", F.CtcLoss(lp, padded - 1, il, tl, blank: 5, reduction: "none", zeroInfinity: true));
        Close("unbatched", F.CtcLoss(lp.Select(1, 0), padded[0], il[0], tl[0], reduction: "none"));
        Close("f64", F.CtcLoss(lp.To(DType.Float64), padded, il, tl, zeroInfinity: true));
    }

    private sealed class SpeechHead : Module<Tensor, Tensor, Tensor, Tensor, Tensor>
    {
        private readonly Linear classifier = new(8, 5);
        private readonly CTCLoss loss = new(zeroInfinity: true);

        public override Tensor Forward(Tensor features, Tensor targets, Tensor inputLengths, Tensor targetLengths) =>
            loss.Forward(F.LogSoftmax(classifier.Forward(features), 2), targets, inputLengths, targetLengths);
    }

    [Fact]
    public void Exported_it_is_one_node_with_dynamic_frames_and_batch_kept_by_decomposition()
    {
        var model = new SpeechHead();
        var frames = new Dim("frames", min: 2, max: 512);
        var batch = new Dim("batch", min: 2, max: 64);
        var program = Torch.Export(model, [Torch.Randn(10, 3, 8), Torch.Randint(1, 5, [3, 4]), Torch.Full([3], 10L), Torch.Full([3], 4L)],
            dynamicShapes: new DynamicShapes { ["features"] = new() { [0] = frames, [1] = batch }, ["targets"] = new() { [0] = batch }, ["inputLengths"] = new() { [0] = batch }, ["targetLengths"] = new() { [0] = batch } });
        Assert.Contains("torch.ops.aten.ctc_loss.Tensor(", program.ToString());
        var core = program.RunDecompositions();
        Assert.Single(core.Graph.Nodes, n => n.Op?.Name == "aten::ctc_loss.Tensor");
        var random = new Random(Reference.Seed);
        foreach (var (t, n) in new[] { (16L, 5L), (7L, 2L) })
        {
            var features = Torch.Randn(t, n, 8);
            var targets = Torch.Randint(1, 5, [n, 4]);
            var inputLengths = Tensor.FromArray(Enumerable.Range(0, (int)n).Select(_ => (long)random.Next(3, (int)t + 1)).ToArray(), n);
            var targetLengths = Tensor.FromArray(Enumerable.Range(0, (int)n).Select(_ => (long)random.Next(0, 4)).ToArray(), n);
            double eager = model.Forward(features, targets, inputLengths, targetLengths).Item();
            Assert.Equal(eager, ((Tensor)program.Module().Invoke(features, targets, inputLengths, targetLengths)!).Item(), 6);
            Assert.Equal(eager, ((Tensor)core.Module().Freeze().Invoke(features, targets, inputLengths, targetLengths)!).Item(), 6);
        }
    }

    [Fact]
    public void Lengths_and_labels_that_do_not_fit_are_refused_by_name()
    {
        var lp = F.LogSoftmax(Torch.Randn(6, 2, 4), 2);
        var targets = Tensor.FromArray(new long[] { 1, 2, 2, 3, 0, 0 }, 2, 3);
        var error = Assert.Throws<ArgumentException>(() => F.CtcLoss(lp, targets, [7, 5], [3, 1]));
        Assert.Contains("Expected input_lengths to have value at most 6, but got value 7", error.Message);
        error = Assert.Throws<ArgumentException>(() => F.CtcLoss(lp, targets, [6, 5], [4, 1]));
        Assert.Contains("Expected tensor to have size at least 4 at dimension 1, but got size 3", error.Message);
        error = Assert.Throws<ArgumentException>(() => F.CtcLoss(lp, Tensor.FromArray(new long[] { 1, 2, 9, 3, 0, 0 }, 2, 3), [6, 5], [3, 1]));
        Assert.Contains("target 9 of sequence 0 is not a class index in [0, 4)", error.Message);
        error = Assert.Throws<ArgumentException>(() => F.CtcLoss(lp, targets, [6], [3]));
        Assert.Contains("input_lengths must be of size batch_size", error.Message);
        error = Assert.Throws<ArgumentException>(() => F.CtcLoss(lp, targets[..1], [6, 5], [3, 1]));
        Assert.Contains("padded targets have 1 rows for a batch of 2", error.Message);
        Assert.Throws<ArgumentException>(() => new CTCLoss(reduction: "average"));
    }
}

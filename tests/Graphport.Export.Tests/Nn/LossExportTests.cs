using static Graphport.Torch;
using F = Graphport.Functional;

namespace Graphport.Tests.Nn;

/// <summary>
/// Losses as a user meets them without PyTorch at hand: a classifier's loss exports over a dynamic batch with torch's
/// ops and runs again at other sizes; the identities that define cross entropy hold on random inputs; and bad
/// targets, sizes and options fail with torch's message and what to do about it.
/// </summary>
public class LossExportTests
{
    private sealed class ClassifierWithLoss : Module<Tensor, Tensor, Tensor>
    {
        private readonly Linear head = new(8, 5);
        private readonly CrossEntropyLoss loss = new(Rand(5) + 0.5, labelSmoothing: 0.1);

        public override Tensor Forward(Tensor x, Tensor labels) => loss.Call(head.Call(x), labels);
    }

    private static Tensor Labels(long n, long classes) => Randint(0, classes, n);

    [Fact]
    public void A_classifiers_loss_exports_with_torchs_ops_over_a_dynamic_batch_and_runs_at_other_sizes()
    {
        ManualSeed(11);
        var model = new ClassifierWithLoss();
        var batch = new Dim("batch", min: 2, max: 64);
        var ep = Export(model, [Randn(6, 8), Labels(6, 5)], dynamicShapes: new() { ["x"] = new() { [0] = batch }, ["labels"] = new() { [0] = batch } });

        string text = ep.ToString();
        Assert.Contains("torch.ops.aten._log_softmax.default(addmm, 1, False)", text, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.nll_loss_forward.default(_log_softmax, labels, b_loss_weight, 1, -100)", text, StringComparison.Ordinal);
        Assert.Contains("arg=TensorArgument(name='b_loss_weight'), target='loss.weight', persistent=True", text, StringComparison.Ordinal);

        foreach (long n in new long[] { 3, 17 })
        {
            var x = Randn(n, 8);
            var labels = Labels(n, 5);
            var expected = model.Call(x, labels);
            Assert.True(ep.Module().Call(x, labels).AllClose(expected, 1e-5, 1e-6), $"batch {n}");
            Assert.True(ep.RunDecompositions().Module().Call(x, labels).AllClose(expected, 1e-5, 1e-6), $"batch {n} in Core ATen");
        }
        // The labels must come in the logits' batch, which the program checks before running (torch's message).
        var mismatch = Assert.ThrowsAny<Exception>(() => ep.Module().Call(Randn(4, 8), Labels(5, 5)));
        Assert.Contains("Expected input at *args[1].shape[0] to be equal to 4, but got 5", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cross_entropy_is_the_nll_of_the_log_softmax_and_one_hot_probabilities_give_the_same_loss()
    {
        int seed = Environment.TickCount & 0xFFFF;
        ManualSeed((ulong)seed);
        var logits = Randn(7, 6) * 3.0;
        var labels = Labels(7, 6);
        var weight = Rand(6) + 0.2;
        var oneHot = F.OneHot(labels, 6).To(DType.Float32);

        var ce = F.CrossEntropy(logits, labels, reduction: "none");
        Assert.True(ce.AllClose(F.NllLoss(F.LogSoftmax(logits, 1), labels, reduction: "none"), 1e-6, 1e-6), $"seed {seed}");
        Assert.True(ce.AllClose(-(F.LogSoftmax(logits, 1) * oneHot).Sum(1), 1e-5, 1e-6), $"seed {seed}");
        Assert.True(F.CrossEntropy(logits, oneHot, reduction: "none").AllClose(ce, 1e-5, 1e-6), $"seed {seed}: one-hot probabilities");
        // The weighted mean divides by the weights of the targets, not their count.
        var weighted = F.CrossEntropy(logits, labels, weight);
        var byHand = (ce * weight[labels]).Sum() / weight[labels].Sum();
        Assert.True(weighted.AllClose(byHand, 1e-5, 1e-6), $"seed {seed}: weighted mean {weighted} against {byHand}");
        // Label smoothing of s mixes (1 - s) of the loss with s of the mean loss over every class.
        var smoothed = F.CrossEntropy(logits, labels, labelSmoothing: 0.25, reduction: "none");
        var uniform = -F.LogSoftmax(logits, 1).Mean([1L]);
        Assert.True(smoothed.AllClose(ce * 0.75 + uniform * 0.25, 1e-5, 1e-6), $"seed {seed}: label smoothing");
    }

    [Fact]
    public void Ignored_targets_count_for_nothing_and_a_mean_over_none_is_nan_as_in_torch()
    {
        ManualSeed(12);
        var logits = Randn(4, 3);
        var labels = Tensor.FromArray(new long[] { 2, -100, 0, -100 }, 4);
        var perSample = F.CrossEntropy(logits, labels, reduction: "none");
        Assert.Equal(0.0, perSample[1].Item<double>());
        Assert.Equal(0.0, perSample[3].Item<double>());
        Assert.True(F.CrossEntropy(logits, labels).AllClose((perSample[0] + perSample[2]) / 2.0, 1e-6, 1e-7));

        var allIgnored = Full([4], -100L);
        Assert.True(double.IsNaN(F.CrossEntropy(logits, allIgnored).Item<double>()));
        Assert.Equal(0.0, F.CrossEntropy(logits, allIgnored, reduction: "sum").Item<double>());
        Assert.True(double.IsNaN(F.MseLoss(Randn(0, 3), Randn(0, 3)).Item<double>()));
    }

    [Fact]
    public void Bad_targets_and_options_fail_with_torchs_message_and_the_fix()
    {
        ManualSeed(13);
        var logits = Randn(4, 5);

        var outOfRange = Assert.Throws<IndexValueException>(() => F.CrossEntropy(logits, Tensor.FromArray(new long[] { 0, 7, 1, 2 }, 4)));
        Assert.StartsWith("Target 7 is out of bounds", outOfRange.Message, StringComparison.Ordinal);
        Assert.Contains("from 0 to 4", outOfRange.Message, StringComparison.Ordinal);

        Assert.Contains("expected target dtype to be Long or Byte", Assert.ThrowsAny<ArgumentException>(() => F.CrossEntropy(logits, Rand(4))).Message, StringComparison.Ordinal);
        Assert.Contains("Expected floating point type for target with class probabilities",
            Assert.ThrowsAny<ArgumentException>(() => F.CrossEntropy(logits, Randint(0, 2, 4, 5))).Message, StringComparison.Ordinal);
        Assert.Contains("ignore_index is not supported for floating point target",
            Assert.ThrowsAny<ArgumentException>(() => F.CrossEntropy(logits, Rand(4, 5), ignoreIndex: 0)).Message, StringComparison.Ordinal);
        Assert.Equal("Expected input batch_size (4) to match target batch_size (3).",
            Assert.ThrowsAny<ArgumentException>(() => F.NllLoss(logits, Labels(3, 5))).Message);
        Assert.Contains("weight tensor should be defined either for all 5 classes or no classes but got weight tensor of shape: [4]",
            Assert.ThrowsAny<ArgumentException>(() => F.CrossEntropy(logits, Labels(4, 5), Rand(4))).Message, StringComparison.Ordinal);
        Assert.Contains("label_smoothing must be between 0.0 and 1.0. Got: 1.5",
            Assert.ThrowsAny<ArgumentException>(() => F.CrossEntropy(logits, Labels(4, 5), labelSmoothing: 1.5)).Message, StringComparison.Ordinal);

        var reduction = Assert.ThrowsAny<ArgumentException>(() => F.MseLoss(logits, logits, "avg"));
        Assert.Contains("avg is not a valid value for reduction", reduction.Message, StringComparison.Ordinal);
        Assert.Contains("\"none\", \"mean\" or \"sum\"", reduction.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => new MSELoss("batchmean"));
        Assert.Equal("batchmean", new KLDivLoss("batchmean").Reduction);

        Assert.Contains("all elements of input should be between 0 and 1",
            Assert.ThrowsAny<ArgumentException>(() => F.BinaryCrossEntropy(logits, Rand(4, 5))).Message, StringComparison.Ordinal);
        Assert.Contains("give the target the input's shape", Assert.ThrowsAny<ArgumentException>(() => F.BinaryCrossEntropyWithLogits(logits, Rand(5))).Message, StringComparison.Ordinal);
        Assert.Contains("kl_div: Integral inputs not supported", Assert.ThrowsAny<ArgumentException>(() => F.KlDiv(logits, Labels(4, 5))).Message, StringComparison.Ordinal);
        Assert.Contains("does not support negative values for beta", Assert.ThrowsAny<ArgumentException>(() => F.SmoothL1Loss(logits, logits, beta: -1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exported_loss_names_its_node_and_the_users_line_when_a_target_is_out_of_range()
    {
        ManualSeed(14);
        var ep = Export(new ClassifierWithLoss(), [Randn(4, 8), Labels(4, 5)]);
        var error = Assert.ThrowsAny<Exception>(() => ep.Module().Call(Randn(4, 8), Tensor.FromArray(new long[] { 0, 1, 5, 2 }, 4)));
        Assert.Contains("nll_loss_forward", error.Message, StringComparison.Ordinal);
        Assert.Contains("LossExportTests.cs", error.Message, StringComparison.Ordinal);
        Assert.Contains("Target 5 is out of bounds", error.Message, StringComparison.Ordinal);
    }
}

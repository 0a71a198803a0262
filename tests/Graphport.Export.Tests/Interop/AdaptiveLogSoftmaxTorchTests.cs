namespace Graphport.Tests.Interop;

/// <summary>
/// torch.nn.AdaptiveLogSoftmaxWithLoss against PyTorch with torch's weights loaded by its state-dict names: each row's
/// target log-probability and the loss (batched and one row), the full log-probabilities and the predictions, on
/// random rows whose targets fall in the shortlist and in every cluster. Exported with a dynamic batch (where torch's
/// picks rows with nonzero), the program gives eager's results; targets outside the classes are refused by name.
/// </summary>
public class AdaptiveLogSoftmaxTorchTests
{
    private const string Script = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        m = torch.nn.AdaptiveLogSoftmaxWithLoss(16, 20, [5, 12], div_value=2.0, head_bias=True).eval()
        x = torch.randn(9, 16)
        target = torch.tensor([0, 4, 5, 11, 12, 19, 3, 7, 15])
        out = {k: v.detach() for k, v in m.state_dict().items()}
        o = m(x, target)
        out.update(x=x, target=target, output=o.output, loss=o.loss)
        one = m(x[2], target[2])
        out.update(one_output=one.output, one_loss=one.loss, log_prob=m.log_prob(x), predict=m.predict(x))
        from graphport_results import save
        save(out)
        """;

    private static readonly TorchScriptResults Reference = new(Script);

    private static readonly string[] StateNames = ["head.weight", "head.bias", "tail.0.0.weight", "tail.0.1.weight", "tail.1.0.weight", "tail.1.1.weight"];

    private static AdaptiveLogSoftmaxWithLoss TorchsModel()
    {
        var model = new AdaptiveLogSoftmaxWithLoss(16, 20, [5, 12], divValue: 2.0, headBias: true);
        Assert.Equal(StateNames.Order(StringComparer.Ordinal), model.StateDict().Keys.Order(StringComparer.Ordinal));
        model.LoadStateDict(StateNames.ToDictionary(n => n, n => Reference[n]));
        return model;
    }

    [Fact]
    public void Outputs_loss_log_probabilities_and_predictions_match_torch()
    {
        var model = TorchsModel();
        Tensor x = Reference["x"], target = Reference["target"];
        var (output, loss) = model.Forward(x, target);
        Reference.AssertClose("output", output, 1e-5);
        Reference.AssertClose("loss", loss, 1e-5);
        var (one, oneLoss) = model.Forward(x[2], target[2]);
        Reference.AssertClose("one_output", one, 1e-5);
        Reference.AssertClose("one_loss", oneLoss, 1e-5);
        Reference.AssertClose("log_prob", model.LogProb(x), 1e-5);
        Assert.Equal(Reference["predict"].ToArray<long>(), model.Predict(x).ToArray<long>());
        // Each row's log-probabilities sum to one.
        Assert.All(model.LogProb(x).Exp().Sum(1).ToArray<float>(), s => Assert.Equal(1.0, s, 5));
    }

    [Fact]
    public void Exported_with_a_dynamic_batch_it_gives_eagers_results_and_refuses_targets_outside_the_classes()
    {
        var model = TorchsModel();
        var program = Torch.Export(model, [Torch.Randn(4, 16), Tensor.FromArray(new long[] { 1, 6, 13, 19 }, 4)],
            dynamicShapes: new DynamicShapes { ["input"] = new() { [0] = new Dim("batch", min: 2, max: 256) }, ["target"] = new() { [0] = new Dim("batch", min: 2, max: 256) } });
        Assert.DoesNotContain("nonzero", program.ToString(), StringComparison.Ordinal);
        var random = new Random(Reference.Seed);
        foreach (int rows in new[] { 3, 17 })
        {
            var x = Torch.Randn(rows, 16);
            var target = Tensor.FromArray(Enumerable.Range(0, rows).Select(_ => (long)random.Next(0, 20)).ToArray(), rows);
            var (output, loss) = model.Forward(x, target);
            var results = Pt2Leaves(program.Module().Invoke(x, target));
            Assert.Equal(output.ToArray<float>(), results[0].ToArray<float>());
            Assert.Equal(loss.Item(), results[1].Item(), 6);
        }
        var error = Assert.Throws<ArgumentException>(() => model.Forward(Torch.Randn(2, 16), Tensor.FromArray(new long[] { 3, 20 }, 2)));
        Assert.Contains("Target values should be in [0, 19], but values in range [3, 20] were found.", error.Message);
        Assert.ThrowsAny<Exception>(() => program.Module().Invoke(Torch.Randn(2, 16), Tensor.FromArray(new long[] { 3, 20 }, 2)));
        Assert.Throws<ArgumentException>(() => new AdaptiveLogSoftmaxWithLoss(16, 20, [12, 5]));
    }

    private static Tensor[] Pt2Leaves(object? result) => result switch
    {
        System.Runtime.CompilerServices.ITuple tuple => [.. Enumerable.Range(0, tuple.Length).Select(i => (Tensor)tuple[i]!)],
        IEnumerable<object?> list => [.. list.Cast<Tensor>()],
        _ => throw new InvalidOperationException($"unexpected result {result?.GetType().Name}"),
    };
}

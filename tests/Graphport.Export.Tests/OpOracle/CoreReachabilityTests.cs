namespace Graphport.Tests.OpOracle;

/// <summary>
/// The non-core ops that user code, nn layers and ONNX-style models produce all reach the Core ATen opset: a model
/// using each of them, exported and decomposed with the default table, holds only core ops and computes the same.
/// </summary>
public class CoreReachabilityTests
{
    private sealed class EverythingModel : Module<Tensor, Tensor, Tensor[]>
    {
        private readonly Linear proj = new(8, 8);
        private readonly Tensor gamma = Torch.Randn(8);
        private readonly Tensor beta = Torch.Randn(8);

        public override Tensor[] Forward(Tensor x, Tensor labels)
        {
            // x: [2, 4, 8]
            var h = proj.Call(x);
            var scores = h.Matmul(h.Transpose(1, 2));
            var attn = Functional.ScaledDotProductAttention(h.Unsqueeze(1), h.Unsqueeze(1), h.Unsqueeze(1), isCausal: true);
            var act = Functional.Gelu(h) + Functional.Silu(h) + Functional.Hardswish(h) + Functional.Gelu(h, "tanh");
            var ln = Functional.LayerNorm(act, [8], gamma, beta);
            var gn = Functional.GroupNorm(act.Transpose(1, 2), 2);
            var image = ln.View(2, 4, 2, 4);
            var up = Functional.Interpolate(image, size: [4, 8], mode: "bilinear") + Functional.Interpolate(image, scaleFactor: [2.0, 2.0]);
            var padded = Functional.Pad(image, [1, 1, 1, 1], "reflect").Sum() + Functional.Pad(image, [1, 2, 0, 1], "replicate").Sum()
                + Functional.Pad(image, [2, 1, 0, 1], "circular").Sum() + Functional.Pad(image, [1, 1], "constant", 0.5).Sum();
            var hot = Functional.OneHot(labels, 5).Float();
            return
            [
                scores.Softmax(-1), scores.LogSoftmax(1), attn.Flatten(1), gn, up, padded, hot, x[0].T().Sum() * 0 + ln.Flatten(),
            ];
        }
    }

    [Fact]
    public void A_model_using_every_common_non_core_op_decomposes_to_core_aten_and_agrees()
    {
        Torch.ManualSeed(71);
        var model = new EverythingModel();
        var x = Torch.Randn(2, 4, 8);
        var labels = Tensor.FromArray(new long[] { 0, 4, 2, 1, 3, 3 }, 2, 3);
        var ep = Torch.Export(model, [x, labels], strict: false);
        var core = ep.RunDecompositions();
        var nonCore = core.Graph.Nodes.Where(n => n.Op is { IsCore: false }).Select(n => n.Op!.Name).Distinct().ToList();
        Assert.True(nonCore.Count == 0, $"non-core ops left: {string.Join(", ", nonCore)}");
        var x2 = Torch.Randn(2, 4, 8);
        var expected = model.Call(x2, labels);
        var actual = (Tensor[])core.Module().Invoke(x2, labels)!;
        for (int i = 0; i < expected.Length; i++) Agree.Tensors(expected[i], actual[i], Agreement.Values, $"output {i}");
    }
}

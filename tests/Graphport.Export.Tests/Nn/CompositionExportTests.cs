using Graphport.Tests.TensorApi;
using static Graphport.Tests.Nn.ExportCheck;

namespace Graphport.Tests.Nn;

/// <summary>Small models built from the nn layers: exported (with a dynamic batch), they run like the eager models.</summary>
public class CompositionExportTests
{
    private sealed class ConvBnReluPool : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = new(3, 8, 3, padding: 1);
        private readonly BatchNorm2d bn = new(8);
        private readonly ReLU relu = new();
        private readonly MaxPool2d pool = new(2);

        public ConvBnReluPool()
        {
            // Non-trivial running statistics, so eval-mode normalization is visible in the output.
            bn.RunningMean.Copy_(Reference.Random(1, [8], DType.Float32, -0.5, 0.5));
            bn.RunningVar.Copy_(Reference.Random(2, [8], DType.Float32, 0.5, 2));
            bn.Weight.Copy_(Reference.Random(3, [8], DType.Float32, 0.5, 1.5));
            bn.BiasParameter.Copy_(Reference.Random(4, [8], DType.Float32, -0.5, 0.5));
        }

        public override Tensor Forward(Tensor x) => pool.Call(relu.Call(bn.Call(conv.Call(x))));
    }

    [Fact]
    public void A_conv_bn_relu_pool_block_in_eval_mode_exports_and_runs_for_other_batch_sizes()
    {
        var block = new ConvBnReluPool();
        block.Eval();
        var ep = Torch.Export(block, [Reference.Random(10, [4, 3, 8, 8])], dynamicShapes: new DynamicShapes { ["x"] = DynamicBatch() });
        Assert.Equal(
            ["aten.convolution.default", "aten._native_batch_norm_legit_no_training.default", "aten.relu.default", "aten.max_pool2d_with_indices.default"],
            Targets(ep).Where(t => t.StartsWith("aten.", StringComparison.Ordinal)));
        foreach (var (batch, seed) in new[] { (4L, 11), (2L, 12), (7L, 13) })
            AgreesWithEager(block, ep, Reference.Random(seed, [batch, 3, 8, 8]));
    }

    [Fact]
    public void The_dynamic_batch_program_still_checks_the_static_dims()
    {
        var block = new ConvBnReluPool();
        block.Eval();
        var ep = Torch.Export(block, [Reference.Random(10, [4, 3, 8, 8])], dynamicShapes: new DynamicShapes { ["x"] = DynamicBatch() });
        var e = Assert.ThrowsAny<Exception>(() => ep.Module().Call(Torch.Zeros(4, 3, 8, 10)));
        Assert.Contains("to be equal to 8, but got 10", e.Message);
    }

    /// <summary>A 3-D encoder-decoder step: conv, strided conv down, transposed conv back up, with a residual.</summary>
    private sealed class VolumeBlock : Module<Tensor, Tensor>
    {
        private readonly Conv3d stem = new(2, 8, 3, padding: 1);
        private readonly Conv3d down = new(8, 16, 3, stride: 2, padding: 1);
        private readonly ConvTranspose3d up = new(16, 8, 2, stride: 2);
        private readonly ReLU relu = new();

        public override Tensor Forward(Tensor x)
        {
            var h = relu.Call(stem.Call(x));
            return h + up.Call(relu.Call(down.Call(h)));
        }
    }

    [Fact]
    public void A_conv3d_block_exports_with_a_dynamic_batch_and_runs_like_the_eager_block()
    {
        var block = new VolumeBlock();
        var ep = Torch.Export(block, [Reference.Random(40, [2, 2, 4, 6, 8])], dynamicShapes: new DynamicShapes { ["x"] = DynamicBatch() });
        Assert.Equal(
            ["aten.convolution.default", "aten.relu.default", "aten.convolution.default", "aten.relu.default", "aten.convolution.default", "aten.add.Tensor"],
            Targets(ep).Where(t => t.StartsWith("aten.", StringComparison.Ordinal)));
        Assert.Equal("[s0, 8, 4, 6, 8]", $"[{string.Join(", ", ep.Graph.Nodes.Last(n => n.Op is not null).TensorValue.Shape)}]");
        foreach (var (batch, seed) in new[] { (2L, 41), (1L, 42), (3L, 43) })
            AgreesWithEager(block, ep, Reference.Random(seed, [batch, 2, 4, 6, 8]), 1e-4, 1e-5);
    }

    [Fact]
    public void A_strided_conv3d_exports_with_a_dynamic_depth_whose_output_size_is_symbolic()
    {
        var conv = new Conv3d(2, 4, 3, stride: 2, padding: 1);
        var depth = new Dim("depth", min: 2, max: 64);
        var ep = Torch.Export(conv, [Reference.Random(44, [1, 2, 9, 6, 6])], dynamicShapes: new DynamicShapes { ["x"] = new() { [2] = depth } });
        Assert.Equal("[1, 4, (s0 - 1)//2 + 1, 3, 3]", $"[{string.Join(", ", ep.Graph.Nodes.Last(n => n.Op is not null).TensorValue.Shape)}]");
        foreach (var (d, seed) in new[] { (9L, 45), (2L, 46), (16L, 47), (33L, 48) })
            AgreesWithEager(conv, ep, Reference.Random(seed, [1, 2, d, 6, 6]), 1e-4, 1e-5);
    }

    /// <summary>Pre-norm transformer block: causal multi-head self-attention and a GELU MLP, each with a residual.</summary>
    private sealed class TransformerBlock : Module<Tensor, Tensor>
    {
        private const long Width = 16, Heads = 4, HeadDim = Width / Heads;
        private readonly LayerNorm ln1 = new(Width);
        private readonly Linear qkv = new(Width, 3 * Width);
        private readonly Linear proj = new(Width, Width);
        private readonly LayerNorm ln2 = new(Width);
        private readonly Linear fc1 = new(Width, 4 * Width);
        private readonly GELU gelu = new();
        private readonly Linear fc2 = new(4 * Width, Width);

        public override Tensor Forward(Tensor x)
        {
            var b = x.Shape[0];
            var t = x.Shape[1];
            var parts = qkv.Call(ln1.Call(x)).Split(Width, -1);
            var q = parts[0].View(b, t, Heads, HeadDim).Transpose(1, 2);
            var k = parts[1].View(b, t, Heads, HeadDim).Transpose(1, 2);
            var v = parts[2].View(b, t, Heads, HeadDim).Transpose(1, 2);
            var attended = Functional.ScaledDotProductAttention(q, k, v, isCausal: true);
            x = x + proj.Call(attended.Transpose(1, 2).Reshape(b, t, Width));
            return x + fc2.Call(gelu.Call(fc1.Call(ln2.Call(x))));
        }
    }

    /// <summary>The same block computed without the engine's attention helper: explicit scores, mask and softmax in double.</summary>
    private static double[] TransformerReference(TransformerBlock block, Tensor x)
    {
        var state = block.StateDict().ToDictionary(kv => kv.Key, kv => Reference.Values(kv.Value));
        var shape = Reference.Sizes(x);
        long batch = shape[0], time = shape[1];
        const int c = 16, heads = 4, hd = 4;
        var xv = Reference.Values(x);

        double[] Row(double[] data, long r, int width) => data.Skip((int)(r * width)).Take(width).ToArray();
        double[] LayerNorm(double[] row, string name)
        {
            double m = row.Average(), variance = row.Sum(v => (v - m) * (v - m)) / row.Length;
            return row.Select((v, i) => (v - m) / Math.Sqrt(variance + 1e-5) * state[name + ".weight"][i] + state[name + ".bias"][i]).ToArray();
        }
        double[] Linear(double[] row, string name, int outWidth)
        {
            var w = state[name + ".weight"];
            return Enumerable.Range(0, outWidth).Select(o => state[name + ".bias"][o] + row.Select((v, i) => v * w[o * row.Length + i]).Sum()).ToArray();
        }
        double Gelu(double v) => 0.5 * v * (1 + PointwiseKernelTests.Erf(v / Math.Sqrt(2)));

        var result = new double[xv.Length];
        for (long bi = 0; bi < batch; bi++)
        {
            var rows = Enumerable.Range(0, (int)time).Select(ti => Row(xv, bi * time + ti, c)).ToArray();
            var qkvRows = rows.Select(r => Linear(LayerNorm(r, "ln1"), "qkv", 3 * c)).ToArray();
            var attended = new double[time][];
            for (int ti = 0; ti < time; ti++)
            {
                attended[ti] = new double[c];
                for (int h = 0; h < heads; h++)
                {
                    var scores = Enumerable.Range(0, ti + 1).Select(tj =>
                        Enumerable.Range(0, hd).Sum(d => qkvRows[ti][h * hd + d] * qkvRows[tj][c + h * hd + d]) / Math.Sqrt(hd)).ToArray();
                    double max = scores.Max();
                    var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
                    double total = weights.Sum();
                    for (int d = 0; d < hd; d++)
                        attended[ti][h * hd + d] = Enumerable.Range(0, ti + 1).Sum(tj => weights[tj] / total * qkvRows[tj][2 * c + h * hd + d]);
                }
            }
            for (int ti = 0; ti < time; ti++)
            {
                var mid = rows[ti].Zip(Linear(attended[ti], "proj", c), (a, b) => a + b).ToArray();
                var mlp = Linear(Linear(LayerNorm(mid, "ln2"), "fc1", 4 * c).Select(Gelu).ToArray(), "fc2", c);
                for (int j = 0; j < c; j++) result[(bi * time + ti) * c + j] = mid[j] + mlp[j];
            }
        }
        return result;
    }

    [Fact]
    public void The_transformer_block_matches_a_reference_written_out_in_double()
    {
        var block = new TransformerBlock();
        var x = Reference.Random(20, [2, 5, 16]);
        Reference.AssertClose(TransformerReference(block, x), [2, 5, 16], block.Call(x), 1e-4, 1e-4);
    }

    [Fact]
    public void A_transformer_block_exports_with_a_dynamic_batch_and_matches_eager()
    {
        var block = new TransformerBlock();
        var ep = Torch.Export(block, [Reference.Random(21, [3, 5, 16])], dynamicShapes: new DynamicShapes { ["x"] = DynamicBatch() });
        var targets = Targets(ep);
        Assert.Equal(2, targets.Count(t => t == "aten.native_layer_norm.default"));
        Assert.Contains("aten._softmax.default", targets);
        Assert.Contains("aten.gelu.default", targets);
        Assert.Contains("aten.bmm.default", targets);
        Assert.Equal(4, targets.Count(t => t == "aten.addmm.default"));
        foreach (var (batch, seed) in new[] { (3L, 22), (2L, 23), (6L, 24) })
        {
            var x = Reference.Random(seed, [batch, 5, 16]);
            var y = ep.Module().Call(x);
            Reference.AssertClose(block.Call(x), y, 1e-5, 1e-5);
            Reference.AssertClose(TransformerReference(block, x), [batch, 5, 16], y, 1e-4, 1e-4);
        }
    }

    private sealed class TinyLanguageModel : Module<Tensor, Tensor>
    {
        private readonly Embedding embed = new(50, 16);
        private readonly LayerNorm norm = new(16);
        private readonly Linear head = new(16, 50);

        public override Tensor Forward(Tensor ids) => head.Call(norm.Call(embed.Call(ids))).LogSoftmax(-1);
    }

    [Fact]
    public void An_embedding_and_linear_head_exports_with_a_dynamic_batch()
    {
        var model = new TinyLanguageModel();
        var ep = Torch.Export(model, [Reference.RandomInts(30, [4, 7], 0, 50)], dynamicShapes: new DynamicShapes { ["ids"] = DynamicBatch() });
        Assert.Equal(
            ["aten.embedding.default", "aten.native_layer_norm.default", "aten.t.default", "aten.addmm.default", "aten._log_softmax.default"],
            Targets(ep).Where(t => t is not ("aten.view.default" or "aten.sym_size.int")));
        foreach (var (batch, seed) in new[] { (4L, 31), (9L, 32), (2L, 33) })
        {
            var ids = Reference.RandomInts(seed, [batch, 7], 0, 50);
            Reference.AssertClose(model.Call(ids), ep.Module().Call(ids), 1e-5, 1e-5);
        }
    }

    private sealed class TwoInputs : Module<Tensor, Tensor, Tensor>
    {
        private readonly Linear lin = new(10, 4);

        public override Tensor Forward(Tensor x, Tensor y) => Functional.Relu(lin.Call(x + y), inplace: true);
    }

    [Fact]
    public void The_tutorial_module_with_an_in_place_relu_exports_functionally()
    {
        var m = new TwoInputs();
        var ep = Torch.Export(m, [Reference.Random(40, [8, 10]), Reference.Random(41, [8, 10])]);
        Assert.Equal(["aten.add.Tensor", "aten.t.default", "aten.addmm.default", "aten.relu.default"], Targets(ep));
        var (a, b) = (Reference.Random(42, [8, 10]), Reference.Random(43, [8, 10]));
        var a0 = Reference.Values(a);
        Reference.AssertClose(m.Call(a, b), ep.Module().Call(a, b), 1e-6, 1e-7);
        Assert.Equal(a0, Reference.Values(a));
    }

    /// <summary>An MLP whose hidden layers live in a ModuleList, plus a registered (non-learned) buffer.</summary>
    private sealed class ListMlp : Module<Tensor, Tensor>
    {
        private readonly ModuleList blocks = new(new Linear(6, 6), new Linear(6, 6), new Linear(6, 3));
        private readonly Dropout dropout = new(0.5);

        public ListMlp() => RegisterBuffer("scale", Torch.Tensor(new float[] { 0.5f, 2f, -1f }));

        public override Tensor Forward(Tensor x)
        {
            for (int i = 0; i < blocks.Count - 1; i++) x = dropout.Call(Functional.Silu(((Linear)blocks[i]).Call(x)));
            return ((Linear)blocks[blocks.Count - 1]).Call(x) * StateDict()["scale"];
        }
    }

    [Fact]
    public void A_module_list_loop_in_eval_mode_exports_without_dropout_and_with_the_buffer_as_an_input()
    {
        var model = new ListMlp();
        model.Eval();
        var ep = Torch.Export(model, [Reference.Random(50, [4, 6])]);
        Assert.Equal(["blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias", "blocks.2.weight", "blocks.2.bias"], ep.GraphSignature.Parameters);
        Assert.Equal(["scale"], ep.GraphSignature.Buffers);
        var targets = Targets(ep);
        Assert.Equal(3, targets.Count(t => t == "aten.addmm.default"));
        Assert.Equal(2, targets.Count(t => t == "aten.silu.default"));
        Assert.DoesNotContain("aten.bernoulli.p", targets);
        foreach (int seed in new[] { 51, 52 })
            AgreesWithEager(model, ep, Reference.Random(seed, [4, 6]));
    }
}

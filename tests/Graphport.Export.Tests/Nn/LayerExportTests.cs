using Graphport.Tests.TensorApi;
using static Graphport.Tests.Nn.ExportCheck;

namespace Graphport.Tests.Nn;

/// <summary>
/// Each nn layer exported with Torch.Export: the program runs like the layer on fresh inputs, and its graph holds
/// the ATen ops torch.export records for that layer.
/// </summary>
public class LayerExportTests
{
    public static TheoryData<string> Layers => new()
    {
        "linear", "linear_no_bias", "linear_3d", "conv2d", "conv2d_depthwise", "conv_transpose2d", "conv2d_unbatched", "conv3d", "conv3d_grouped",
        "conv_transpose3d", "batchnorm_eval", "layernorm", "groupnorm",
        "relu", "gelu", "gelu_tanh", "silu", "hardswish", "softmax", "flatten", "maxpool", "avgpool", "adaptive_avgpool_global",
        "adaptive_avgpool", "dropout_eval", "identity", "sequential", "sigmoid", "tanh", "relu6",
    };

    private static (Module<Tensor, Tensor> Module, long[] Shape, string[] Ops) Make(string name) => name switch
    {
        "linear" => (new Linear(6, 4), [5, 6], ["aten.t.default", "aten.addmm.default"]),
        "linear_no_bias" => (new Linear(6, 4, hasBias: false), [5, 6], ["aten.t.default", "aten.mm.default"]),
        "linear_3d" => (new Linear(6, 4), [2, 5, 6], ["aten.t.default", "aten.addmm.default"]),
        "conv2d" => (new Conv2d(3, 4, 3, stride: 2, padding: 1), [2, 3, 9, 9], ["aten.convolution.default"]),
        "conv2d_depthwise" => (new Conv2d(4, 4, 3, padding: 1, groups: 4), [2, 4, 6, 6], ["aten.convolution.default"]),
        "conv_transpose2d" => (new ConvTranspose2d(4, 2, 2, stride: 2), [2, 4, 3, 3], ["aten.convolution.default"]),
        // torch's conv2d runs an unbatched input as a batch of one.
        "conv2d_unbatched" => (new Conv2d(3, 4, 3, padding: 1), [3, 6, 5], ["aten.unsqueeze.default", "aten.convolution.default", "aten.squeeze.dim"]),
        "conv3d" => (new Conv3d(3, 4, 3, stride: 2, padding: 1), [2, 3, 5, 6, 7], ["aten.convolution.default"]),
        "conv3d_grouped" => (new Conv3d(4, 6, [3, 1, 3], [1, 2, 1], [2, 0, 1], [2, 1, 1], groups: 2, hasBias: false), [2, 4, 5, 6, 7], ["aten.convolution.default"]),
        "conv_transpose3d" => (new ConvTranspose3d(4, 2, 3, stride: 2, padding: 1, outputPadding: 1), [2, 4, 3, 4, 3], ["aten.convolution.default"]),
        "batchnorm_eval" => (Eval(new BatchNorm2d(3)), [2, 3, 4, 4], ["aten._native_batch_norm_legit_no_training.default"]),
        "layernorm" => (new LayerNorm(6), [3, 4, 6], ["aten.native_layer_norm.default"]),
        "groupnorm" => (new GroupNorm(2, 4), [2, 4, 3, 3], ["aten.native_group_norm.default"]),
        "relu" => (new ReLU(), [4, 5], ["aten.relu.default"]),
        "gelu" => (new GELU(), [4, 5], ["aten.gelu.default"]),
        "gelu_tanh" => (new GELU("tanh"), [4, 5], ["aten.gelu.default"]),
        "silu" => (new SiLU(), [4, 5], ["aten.silu.default"]),
        "hardswish" => (new Hardswish(), [4, 5], ["aten.hardswish.default"]),
        "softmax" => (new Softmax(-1), [4, 5], ["aten._softmax.default"]),
        "flatten" => (new Flatten(), [2, 3, 4], ["aten.view.default"]),
        "maxpool" => (new MaxPool2d(2), [2, 3, 6, 6], ["aten.max_pool2d_with_indices.default"]),
        "avgpool" => (new AvgPool2d(3, 1, 1), [2, 3, 5, 5], ["aten.avg_pool2d.default"]),
        "adaptive_avgpool_global" => (new AdaptiveAvgPool2d(1), [2, 3, 5, 4], ["aten.mean.dim"]),
        "adaptive_avgpool" => (new AdaptiveAvgPool2d(2, 3), [2, 3, 5, 7], ["aten._adaptive_avg_pool2d.default"]),
        "dropout_eval" => (Eval(new Dropout(0.5)), [4, 5], []),
        "identity" => (new Identity(), [4, 5], []),
        "sequential" => (new Sequential(new Linear(5, 8), new ReLU(), new Linear(8, 2)), [3, 5], ["aten.t.default", "aten.addmm.default", "aten.relu.default", "aten.t.default", "aten.addmm.default"]),
        "sigmoid" => (new Sigmoid(), [4, 5], ["aten.sigmoid.default"]),
        "tanh" => (new Tanh(), [4, 5], ["aten.tanh.default"]),
        _ => (new ReLU6(), [4, 5], ["aten.hardtanh.default"]),
    };

    private static Module<Tensor, Tensor> Eval(Module<Tensor, Tensor> m)
    {
        m.Eval();
        return m;
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void The_exported_layer_computes_what_the_layer_computes(string name)
    {
        var (module, shape, _) = Make(name);
        ExportAndCompare(module, shape);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void The_exported_graph_holds_the_layers_aten_ops(string name)
    {
        var (module, shape, ops) = Make(name);
        var ep = Torch.Export(module, [Reference.Random(100, shape)]);
        var targets = Targets(ep).Where(t => t != "aten.view.default" || ops.Contains("aten.view.default")).Where(t => !t.StartsWith("aten.sym_size", StringComparison.Ordinal)).ToList();
        // The layer's characteristic ops appear in order; getitem of multi-output ops is not an ATen op.
        Assert.Equal(ops, targets.Where(t => t.StartsWith("aten.", StringComparison.Ordinal)).ToList());
    }

    [Fact]
    public void Layer_parameters_become_program_inputs_named_by_their_state_dict_keys()
    {
        var ep = Torch.Export(new Sequential(new Conv2d(3, 8, 1), new BatchNorm2d(8)), [Torch.Zeros(2, 3, 4, 4)]);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias"], ep.GraphSignature.Parameters);
        Assert.Equal(["1.running_mean", "1.running_var", "1.num_batches_tracked"], ep.GraphSignature.Buffers);
    }

    [Fact]
    public void A_float64_layer_exports_and_runs_in_float64()
    {
        var lin = new Linear(3, 2);
        var state = lin.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        var lin64 = new Linear64(lin);
        var x = Reference.Random(5, [4, 3], DType.Float64);
        var ep = Torch.Export(lin64, [x]);
        var y = ep.Module().Call(Reference.Random(6, [4, 3], DType.Float64));
        Assert.Equal(DType.Float64, y.DType);
        Reference.AssertClose(lin64.Call(Reference.Random(6, [4, 3], DType.Float64)), y, 1e-12, 1e-12);
    }

    private sealed class Linear64(Linear source) : Module<Tensor, Tensor>
    {
        private readonly Parameter weight = new(source.Weight.Double());
        private readonly Parameter bias = new(source.Bias!.Double());

        public override Tensor Forward(Tensor x) => Functional.Linear(x, weight, bias);
    }

    [Fact]
    public void Training_mode_dropout_exports_a_random_mask()
    {
        var ep = Torch.Export(new Dropout(0.5), [Torch.Ones(40, 50)]);
        Assert.Contains("aten.bernoulli.p", Targets(ep));
        var y = Tensors(ep.Module().Call(Torch.Ones(40, 50)));
        Assert.All(y, v => Assert.True(v == 0 || v == 2));
        Assert.InRange(y.Count(v => v == 0) / (double)y.Length, 0.4, 0.6);
    }

    private static double[] Tensors(Tensor t) => Reference.Values(t);

    [Fact]
    public void Training_mode_batch_norm_exports_buffer_mutations_that_the_program_applies()
    {
        var eager = new BatchNorm2d(3, momentum: 0.2);
        var traced = new BatchNorm2d(3, momentum: 0.2);
        var ep = Torch.Export(traced, [Reference.Random(1, [4, 3, 2, 2])]);
        Assert.Contains("aten._native_batch_norm_legit_functional.default", Targets(ep));
        Assert.Equal(
            ["running_mean", "running_var", "num_batches_tracked"],
            ep.GraphSignature.BuffersToMutate.Values.OrderBy(v => v == "num_batches_tracked" ? 2 : v == "running_var" ? 1 : 0).ToList());

        var module = ep.Module();
        foreach (int seed in new[] { 2, 3 })
        {
            var x = Reference.Random(seed, [4, 3, 2, 2], DType.Float32, -1, 3);
            Reference.AssertClose(eager.Call(x), module.Call(x), 1e-5, 1e-6);
        }
        Reference.AssertClose(eager.RunningMean, module.StateDict["running_mean"], 1e-6, 1e-7);
        Reference.AssertClose(eager.RunningVar, module.StateDict["running_var"], 1e-6, 1e-7);
        Assert.Equal(2L, module.StateDict["num_batches_tracked"].Item<long>());
        // Exporting did not run the module: its own buffers are untouched.
        Assert.Equal(0L, traced.StateDict()["num_batches_tracked"].Item<long>());
        Assert.All(Reference.Values(traced.RunningMean), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void An_embedding_exports_as_aten_embedding_and_gathers_rows()
    {
        var emb = new Embedding(12, 5);
        var ids = Reference.RandomInts(1, [3, 4], 0, 12);
        var ep = Torch.Export(emb, [ids]);
        Assert.Equal(["aten.embedding.default"], Targets(ep));
        var other = Reference.RandomInts(2, [3, 4], 0, 12);
        Reference.AssertClose(emb.Call(other), ep.Module().Call(other), 0, 0);
    }
}

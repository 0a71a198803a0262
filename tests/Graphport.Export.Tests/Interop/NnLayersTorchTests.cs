using System.Text.Json.Nodes;
using Graphport.Tests.Shared;

namespace Graphport.Tests.Interop;

/// <summary>
/// The 1-D, normalization, pooling and activation layers of torch.nn in C# (ConvTranspose1d, AvgPool1d, Conv1d,
/// BatchNorm1d, MaxPool1d, Upsample, InstanceNorm, ChannelShuffle, AdaptiveMaxPool2d, Unflatten and the activations)
/// compute what PyTorch 2.14's do, and so do the 3-D layers (BatchNorm3d, MaxPool3d, AvgPool3d, AdaptiveAvgPool3d, trilinear and
/// nearest resizing), the padding
/// layers, Softmin, Softsign, Tanhshrink, Softmax2d, the channel and alpha dropouts, nn.RNN and the recurrent cells, Unfold,
/// Fold, affine grids, grid sampling of volumes, Bilinear, EmbeddingBag, LocalResponseNorm and the distance layers: torch
/// builds stacks of them with
/// random weights and statistics, and its state dicts load into the same stacks here by torch's names.
/// </summary>
public class NnLayersTorchTests
{
    private const string Script = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        nn = torch.nn
        stack = nn.Sequential(
            nn.ConvTranspose1d(4, 4, 3, stride=2, padding=1, output_padding=1, groups=2), nn.AvgPool1d(2),
            nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2), nn.BatchNorm1d(6), nn.LeakyReLU(0.2),
            nn.Conv1d(6, 6, 1), nn.ELU(0.5), nn.Mish(), nn.PReLU(6), nn.MaxPool1d(3, 2, 1),
            nn.Upsample(scale_factor=2.0, mode="linear"), nn.Softplus(2.0, 10.0), nn.Hardtanh(-0.5, 1.5),
            nn.Upsample(scale_factor=2.0), nn.Hardsigmoid(), nn.GLU(1), nn.LogSoftmax(2))
        with torch.no_grad():
            stack[3].running_mean.uniform_(-1, 1)
            stack[3].running_var.uniform_(0.5, 2)
            stack[3].weight.uniform_(0.5, 1.5)
            stack[3].bias.uniform_(-0.5, 0.5)
            stack[8].weight.uniform_(0, 0.5)
        stack.eval()
        x = torch.randn(2, 4, 16)
        y = stack(x)
        planar = nn.Sequential(
            nn.Conv2d(4, 8, 3, padding=1), nn.InstanceNorm2d(8, affine=True), nn.SELU(), nn.ChannelShuffle(2), nn.CELU(0.7),
            nn.Hardshrink(0.3), nn.Softshrink(0.1), nn.Threshold(0.05, -1.0), nn.LogSigmoid(), nn.AdaptiveMaxPool2d((3, 2)),
            nn.Flatten(1), nn.Unflatten(1, (8, 6)))
        with torch.no_grad():
            planar[1].weight.uniform_(0.5, 1.5)
            planar[1].bias.uniform_(-0.5, 0.5)
        planar.eval()
        image = torch.randn(2, 4, 7, 5)
        planar_y = planar(image)

        def t(v):
            return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": v.detach().flatten().tolist()}

        with open(sys.argv[1], "w") as f:
            json.dump({"state": {k: t(v) for k, v in stack.state_dict().items()}, "x": t(x), "y": t(y),
                       "planar_state": {k: t(v) for k, v in planar.state_dict().items()}, "image": t(image), "planar_y": t(planar_y)}, f)
        """;

    private static Tensor T(JsonNode node) => TorchScriptJson.Tensor(node);

    /// <summary>Asserts that a result has torch's shape and values (within 1e-5) under json[key].</summary>
    internal static void CloseToTorch(JsonNode json, string key, Tensor actual, int seed)
    {
        var expected = T(json[key]!);
        Assert.Equal(expected.Shape.Select(s => (long)s), actual.Shape.Select(s => (long)s));
        double worst = (actual.To(DType.Float64) - expected.To(DType.Float64)).Abs().Max().Item<double>();
        Assert.True(worst <= 1e-5, $"seed {seed}: {key} differs from torch by {worst}");
    }

    private static void LoadTorchState(Module module, JsonNode state) =>
        module.LoadStateDict(state.AsObject().ToDictionary(kv => kv.Key, kv => T(kv.Value!)));

    [Fact]
    public void A_stack_of_1d_and_activation_layers_computes_what_torch_computes_with_torchs_weights()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(Script, seed);

        var stack = new Sequential(
            new ConvTranspose1d(4, 4, 3, stride: 2, padding: 1, outputPadding: 1, groups: 2), new AvgPool1d(2),
            new Conv1d(4, 6, 3, stride: 2, padding: 1, groups: 2), new BatchNorm1d(6), new LeakyReLU(0.2),
            new Conv1d(6, 6, 1), new ELU(0.5), new Mish(), new PReLU(6), new MaxPool1d(3, 2, 1),
            new Upsample(2.0, "linear"), new Softplus(2.0, 10.0), new Hardtanh(-0.5, 1.5),
            new Upsample(2.0), new Hardsigmoid(), new GLU(1), new LogSoftmax(2));
        stack.Eval();
        stack.LoadStateDict(json["state"]!.AsObject().ToDictionary(kv => kv.Key, kv => T(kv.Value!)));
        var x = T(json["x"]!);
        var expected = T(json["y"]!);

        var planar = new Sequential(
            new Conv2d(4, 8, 3, padding: 1), new InstanceNorm(8, affine: true), new SELU(), new ChannelShuffle(2), new CELU(0.7),
            new Hardshrink(0.3), new Softshrink(0.1), new Threshold(0.05, -1.0), new LogSigmoid(), new AdaptiveMaxPool2d(3, 2),
            new Flatten(1), new Unflatten(1, 8, 6));
        planar.Eval();
        planar.LoadStateDict(json["planar_state"]!.AsObject().ToDictionary(kv => kv.Key, kv => T(kv.Value!)));
        var image = T(json["image"]!);
        var planarExpected = T(json["planar_y"]!);

        foreach (var (what, actual, wanted) in new[]
        {
            ("eager", stack.Call(x), expected), ("exported", Torch.Export(stack, [x]).Module().Call(x), expected),
            ("2-D eager", planar.Call(image), planarExpected), ("2-D exported", Torch.Export(planar, [image]).Module().Call(image), planarExpected),
        })
        {
            Assert.Equal(wanted.Shape.Select(s => (long)s), actual.Shape.Select(s => (long)s));
            double worst = (actual - wanted).Abs().Max().Item<double>();
            Assert.True(worst <= 1e-5, $"seed {seed}: {what} differs from torch by {worst}");
        }
    }

    private const string MoreScript = """
        import json, sys, torch
        import torch.nn.functional as F
        torch.manual_seed(int(sys.argv[2]))
        nn = torch.nn

        def t(v):
            return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": v.detach().flatten().tolist()}

        out = {}
        rms = nn.RMSNorm([8])
        with torch.no_grad():
            rms.weight.uniform_(0.5, 1.5)
        x = torch.randn(2, 3, 8) * 3
        out["x"], out["rms_weight"], out["rms"] = t(x), t(rms.weight), t(rms(x))
        out["rms_eps"] = t(F.rms_norm(x, [3, 8], eps=1e-2))
        out["normalize"] = t(F.normalize(x, p=2, dim=-1))
        out["normalize_l1"] = t(F.normalize(x, p=1, dim=1))
        out["split_second"] = t(x.split([3, 5], -1)[1])
        image = torch.randn(1, 8, 3, 5)
        out["image"], out["shuffled"] = t(image), t(nn.PixelShuffle(2)(image))
        out["unshuffled"] = t(F.pixel_unshuffle(nn.PixelShuffle(2)(image), 2))
        values, indices = F.adaptive_max_pool2d(image, (2, 3), return_indices=True)
        out["adaptive_max"], out["adaptive_max_indices"] = t(values), t(indices)
        signal = torch.randn(2, 3, 11)
        out["signal"], out["avg1d"], out["adaptive_avg1d"] = t(signal), t(nn.AvgPool1d(3, 2, 1)(signal)), t(nn.AdaptiveAvgPool1d(4)(signal))
        with open(sys.argv[1], "w") as f:
            json.dump(out, f)
        """;

    [Fact]
    public void Rms_norm_normalize_pixel_shuffles_and_the_other_pools_compute_what_torch_computes()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(MoreScript, seed);
        void Close(string key, Tensor actual) => CloseToTorch(json, key, actual, seed);

        var x = T(json["x"]!);
        var rms = new RMSNorm(8);
        rms.Weight!.Copy_(T(json["rms_weight"]!));
        Close("rms", rms.Call(x));
        Close("rms", Torch.Export(rms, [x]).Module().Call(x));
        Close("rms_eps", Functional.RmsNorm(x, [3, 8], eps: 1e-2));
        Close("normalize", Functional.Normalize(x, dim: -1));
        Close("normalize_l1", Functional.Normalize(x, p: 1));
        Close("split_second", x.Split([3, 5], -1)[1]);
        var image = T(json["image"]!);
        Close("shuffled", new PixelShuffle(2).Call(image));
        Close("unshuffled", Functional.PixelUnshuffle(Functional.PixelShuffle(image, 2), 2));
        var (values, indices) = Functional.AdaptiveMaxPool2d(image, 2, 3);
        Close("adaptive_max", values);
        Close("adaptive_max_indices", indices);
        var signal = T(json["signal"]!);
        Close("avg1d", new AvgPool1d(3, 2, 1).Call(signal));
        Close("adaptive_avg1d", new AdaptiveAvgPool1d(4).Call(signal));
    }

    private const string VolumeScript = """
        import json, sys, torch
        import torch.nn.functional as F
        torch.manual_seed(int(sys.argv[2]))
        nn = torch.nn

        def t(v):
            return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": v.detach().flatten().tolist()}

        out = {}
        volume = torch.randn(2, 3, 6, 7, 5)
        stack = nn.Sequential(nn.ReplicationPad3d((1, 0, 2, 1, 0, 1)), nn.Conv3d(3, 4, 3, padding=1), nn.BatchNorm3d(4), nn.Softsign(),
                              nn.MaxPool3d(2, ceil_mode=True), nn.ConstantPad3d(1, 0.5), nn.AvgPool3d(2, 1), nn.Tanhshrink(), nn.AdaptiveAvgPool3d((2, 3, 1)),
                              nn.Dropout3d(0.3), nn.AlphaDropout(0.2))
        with torch.no_grad():
            stack[2].running_mean.uniform_(-1, 1)
            stack[2].running_var.uniform_(0.5, 2)
        stack.eval()
        out["volume"], out["state"], out["y"] = t(volume), {k: t(v) for k, v in stack.state_dict().items()}, t(stack(volume))
        image = torch.randn(2, 4, 5, 6)
        out["image"] = t(image)
        out["padded"] = t(nn.Sequential(nn.ReflectionPad2d((2, 1, 0, 3)), nn.ZeroPad2d(1), nn.CircularPad2d((1, 2, 2, 0)), nn.ReplicationPad2d(1), nn.Softmax2d())(image))
        out["rrelu_eval"] = t(nn.RReLU(0.1, 0.3).eval()(image))
        out["padded1d"] = t(nn.Sequential(nn.ReflectionPad1d(2), nn.ConstantPad1d((0, 3), -1.0), nn.CircularPad1d(1), nn.ZeroPad1d((2, 0)), nn.ReplicationPad1d((0, 2)), nn.Softmin(1))(image[0]))
        out["global3d"] = t(F.adaptive_avg_pool3d(volume, 1))
        out["maxpool3d_dilated"] = t(F.max_pool3d(volume, (2, 3, 2), stride=(1, 2, 1), padding=(1, 1, 0), dilation=(2, 1, 2)))
        out["trilinear"] = t(nn.Upsample(scale_factor=2.0, mode="trilinear")(volume))
        out["trilinear_aligned"] = t(F.interpolate(volume, size=(4, 9, 3), mode="trilinear", align_corners=True))
        out["trilinear_scales"] = t(F.interpolate(volume, scale_factor=(1.5, 0.75, 2.5), mode="trilinear"))
        out["nearest3d"] = t(F.interpolate(volume, size=(9, 4, 8)))
        out["area3d"] = t(F.interpolate(volume, scale_factor=0.5, mode="area"))
        out["area2d"] = t(F.interpolate(image, size=(3, 4), mode="area"))
        with open(sys.argv[1], "w") as f:
            json.dump(out, f)
        """;

    [Fact]
    public void Volumes_padding_layers_and_the_smaller_activations_compute_what_torch_computes()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(VolumeScript, seed);
        void Close(string key, Tensor actual) => CloseToTorch(json, key, actual, seed);

        var stack = new Sequential(new ReplicationPad3d([1, 0, 2, 1, 0, 1]), new Conv3d(3, 4, 3, padding: 1), new BatchNorm3d(4), new Softsign(),
            new MaxPool3d(2, ceilMode: true), new ConstantPad3d(1, 0.5), new AvgPool3d(2, 1), new Tanhshrink(), new AdaptiveAvgPool3d(2, 3, 1),
            new Dropout3d(0.3), new AlphaDropout(0.2));
        stack.Eval();
        stack.LoadStateDict(json["state"]!.AsObject().ToDictionary(kv => kv.Key, kv => T(kv.Value!)));
        var volume = T(json["volume"]!);
        Close("y", stack.Call(volume));
        var program = Torch.Export(stack, [volume], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch", min: 1, max: 16) } });
        Close("y", program.Module().Call(volume));
        Close("y", program.RunDecompositions().Module().Call(volume));

        var image = T(json["image"]!);
        Close("padded", new Sequential(new ReflectionPad2d([2, 1, 0, 3]), new ZeroPad2d(1), new CircularPad2d([1, 2, 2, 0]), new ReplicationPad2d(1), new Softmax2d()).Call(image));
        Close("padded1d", new Sequential(new ReflectionPad1d(2), new ConstantPad1d([0, 3], -1.0), new CircularPad1d(1), new ZeroPad1d([2, 0]), new ReplicationPad1d([0, 2]), new Softmin(1)).Call(image[0]));
        var rrelu = new RReLU(0.1, 0.3);
        rrelu.Eval();
        Close("rrelu_eval", rrelu.Call(image));
        rrelu.Train();
        var randomized = rrelu.Call(image);
        var ratio = randomized / image;
        Assert.True(((image >= 0.0) | ((ratio >= 0.1 - 1e-6) & (ratio <= 0.3 + 1e-6))).All().Item<bool>(), $"seed {seed}: a training slope outside [0.1, 0.3]");
        Close("global3d", Functional.AdaptiveAvgPool3d(volume, [1, 1, 1]));
        Close("maxpool3d_dilated", Functional.MaxPool3d(volume, [2, 3, 2], [1, 2, 1], [1, 1, 0], [2, 1, 2]));
        Close("trilinear", new Upsample(2.0, "trilinear").Call(volume));
        Close("trilinear", Torch.Export(new Upsample(2.0, "trilinear"), [volume]).RunDecompositions().Module().Call(volume));
        Close("trilinear_aligned", Functional.Interpolate(volume, [4, 9, 3], mode: "trilinear", alignCorners: true));
        Close("trilinear_scales", Functional.Interpolate(volume, scaleFactor: [1.5, 0.75, 2.5], mode: "trilinear"));
        Close("nearest3d", Functional.Interpolate(volume, [9, 4, 8]));
        Close("area3d", Functional.Interpolate(volume, scaleFactor: [0.5], mode: "area"));
        Close("area2d", Functional.Interpolate(image, [3, 4], mode: "area"));

        // torch's reprs, and the pads' checks.
        Assert.Equal("ReflectionPad2d((2, 1, 0, 3))", new ReflectionPad2d([2, 1, 0, 3]).ToString());
        Assert.Equal("ConstantPad1d(padding=(0, 3), value=-1.0)", new ConstantPad1d([0, 3], -1.0).ToString());
        Assert.Equal("MaxPool3d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=True)", new MaxPool3d(2, ceilMode: true).ToString());
        Assert.Contains("takes one padding size or 4", Assert.Throws<ArgumentException>(() => new ZeroPad2d([1, 2, 3])).Message, StringComparison.Ordinal);
        Assert.Contains("expects a 3D (unbatched) or 4D (batched) input", Assert.Throws<ArgumentException>(() => new ZeroPad2d(1).Call(image[0][0])).Message, StringComparison.Ordinal);

        // In training the channel dropouts zero whole channels and scale the others; alpha dropout keeps mean 0 and variance 1.
        Torch.ManualSeed((ulong)seed);
        var ones = Torch.Ones(64, 32, 3, 3);
        var dropped = Functional.Dropout2d(ones, 0.25, training: true);
        var perChannel = dropped.Flatten(2).Amax(2);
        Assert.True(((perChannel == 0.0) | ((perChannel - 1 / 0.75).Abs() < 1e-6)).All().Item<bool>(), $"seed {seed}: a channel is neither dropped nor scaled");
        Assert.True((dropped.Flatten(2).Amin(2) == perChannel).All().Item<bool>(), $"seed {seed}: a channel is dropped only in part");
        double kept = (perChannel != 0.0).To(DType.Float64).Mean().Item<double>();
        Assert.InRange(kept, 0.70, 0.80);
        var normal = Torch.Randn(200000);
        var alpha = Functional.AlphaDropout(normal, 0.3, training: true);
        Assert.InRange(alpha.Mean().Item<double>(), -0.02, 0.02);
        Assert.InRange(alpha.Std().Item<double>(), 0.97, 1.03);
    }

    private const string RecurrentScript = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        nn = torch.nn

        def t(v):
            return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": v.detach().flatten().tolist()}

        def state(m):
            return {k: t(v) for k, v in m.state_dict().items()}

        out = {}
        rnn = nn.RNN(5, 6, num_layers=2, nonlinearity="relu", bidirectional=True, batch_first=True)
        lstm, gru, cell = nn.LSTMCell(5, 4), nn.GRUCell(5, 4), nn.RNNCell(5, 4, bias=False)
        x, h0 = torch.randn(3, 4, 5), torch.randn(4, 6)
        y, hn = rnn(x)
        out.update(x=t(x), h0=t(h0), rnn=state(rnn), y=t(y), hn=t(hn), lstm=state(lstm), gru=state(gru), cell=state(cell))
        h, c = lstm(x[:, 0])
        h2, c2 = lstm(x[:, 1], (h, c))
        out.update(lstm_h=t(h2), lstm_c=t(c2), gru_h=t(gru(x[:, 1], gru(x[:, 0]))), cell_h=t(cell(x[0, 0])))
        out["reprs"] = [repr(rnn), repr(lstm), repr(cell), repr(nn.RNNCell(5, 4, nonlinearity="relu"))]
        with open(sys.argv[1], "w") as f:
            json.dump(out, f)
        """;

    [Fact]
    public void The_elman_rnn_and_the_recurrent_cells_compute_what_torch_computes_with_torchs_weights()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(RecurrentScript, seed);
        void Close(string key, Tensor actual) => CloseToTorch(json, key, actual, seed);
        void Load(Module m, string key) => LoadTorchState(m, json[key]!);

        var rnn = new RNN(5, 6, numLayers: 2, nonlinearity: "relu", bidirectional: true, batchFirst: true);
        Load(rnn, "rnn");
        var x = T(json["x"]!);
        var (y, hn) = rnn.Call(x);
        Close("y", y);
        Close("hn", hn);
        var program = Torch.Export(rnn, [x], dynamicShapes: new() { ["input"] = new() { [0] = new Dim("batch", min: 1, max: 32) } });
        var (exported, _) = ((Tensor, Tensor))program.Module().Invoke([x])!;
        Close("y", exported);
        var (core, _) = ((Tensor, Tensor))program.RunDecompositions().Module().Invoke([x])!;
        Close("y", core);

        var (lstm, gru, cell) = (new LSTMCell(5, 4), new GRUCell(5, 4), new RNNCell(5, 4, hasBias: false));
        Load(lstm, "lstm");
        Load(gru, "gru");
        Load(cell, "cell");
        var first = lstm.Call(x[.., 0]);
        var (h, c) = lstm.Forward(x[.., 1], first);
        Close("lstm_h", h);
        Close("lstm_c", c);
        Close("gru_h", gru.Forward(x[.., 1], gru.Call(x[.., 0])));
        Close("cell_h", cell.Call(x[0, 0]));
        var step = Torch.Export(lstm, [x[.., 0]]);
        var (exportedH, _) = ((Tensor, Tensor))step.Module().Invoke([x[.., 0]])!;
        Assert.True(exportedH.AllClose(first.H, 1e-5, 1e-6), $"seed {seed}: the exported LSTM cell");

        Assert.Equal(json["reprs"]!.AsArray().Select(r => r!.GetValue<string>()),
            [rnn.ToString(), lstm.ToString(), cell.ToString(), new RNNCell(5, 4, nonlinearity: "relu").ToString()]);
        Assert.Contains("Input batch size 3 doesn't match hidden0 batch size 2",
            Assert.ThrowsAny<ArgumentException>(() => gru.Forward(x[.., 0], Torch.Zeros(2, 4))).Message, StringComparison.Ordinal);
    }

    private const string BlockScript = """
        import json, sys, torch
        import torch.nn.functional as F
        torch.manual_seed(int(sys.argv[2]))
        nn = torch.nn

        def t(v):
            return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": v.detach().flatten().tolist()}

        out = {}
        image = torch.randn(2, 3, 7, 6)
        out["image"] = t(image)
        out["unfold"] = t(nn.Unfold((2, 3), dilation=(2, 1), padding=1, stride=(1, 2))(image))
        out["unfold_plain"] = t(F.unfold(image[0], 3))
        columns = F.unfold(image, 2, stride=2)
        out["fold"] = t(nn.Fold((7, 6), 2, stride=2)(columns))
        out["fold_overlap"] = t(F.fold(F.unfold(image, 3, padding=1), (7, 6), 3, padding=1))
        theta = torch.randn(2, 2, 3) * 0.5 + torch.tensor([[1.0, 0, 0], [0, 1.0, 0]])
        theta3 = torch.randn(2, 3, 4) * 0.5
        out["theta"], out["theta3"] = t(theta), t(theta3)
        out["grid"] = t(F.affine_grid(theta, (2, 3, 5, 4), align_corners=False))
        out["grid_aligned"] = t(F.affine_grid(theta, (2, 3, 5, 4), align_corners=True))
        out["grid3d"] = t(F.affine_grid(theta3, (2, 1, 3, 4, 2), align_corners=False))
        out["warped"] = t(F.grid_sample(image, F.affine_grid(theta, (2, 3, 5, 4), align_corners=False), align_corners=False))
        volume = torch.randn(2, 3, 4, 5, 6)
        grid3 = F.affine_grid(theta3 + torch.tensor([[1.0, 0, 0, 0], [0, 1.0, 0, 0], [0, 0, 1.0, 0]]), (2, 3, 3, 4, 2), align_corners=False)
        out["volume"], out["grid3"] = t(volume), t(grid3)
        for mode in ("bilinear", "nearest"):
            for padding in ("zeros", "border", "reflection"):
                for align in (False, True):
                    out[f"warped3d_{mode}_{padding}_{align}"] = t(F.grid_sample(volume, grid3 * 1.2, mode=mode, padding_mode=padding, align_corners=align))
        bilinear = nn.Bilinear(4, 5, 3)
        x1, x2 = torch.randn(2, 6, 4), torch.randn(2, 6, 5)
        out["bilinear_state"], out["x1"], out["x2"], out["bilinear"] = {k: t(v) for k, v in bilinear.state_dict().items()}, t(x1), t(x2), t(bilinear(x1, x2))
        lrn = nn.LocalResponseNorm(3, alpha=0.01, beta=0.6, k=2.0)
        out["lrn"], out["lrn3"] = t(lrn(image)), t(lrn(image[0]))
        bag = nn.EmbeddingBag(10, 4, mode="sum", padding_idx=2)
        ids, offsets, weights = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9]), torch.tensor([0, 3, 3, 6]), torch.rand(8)
        out["bag_state"], out["bag"] = {k: t(v) for k, v in bag.state_dict().items()}, t(bag(ids, offsets, per_sample_weights=weights))
        out["bag_weights"] = t(weights)
        mean_bag = nn.EmbeddingBag(10, 4, mode="max")
        with torch.no_grad():
            mean_bag.weight.copy_(bag.weight)
        out["bag_max_rows"] = t(mean_bag(ids.view(2, 4)))
        out["cos"] = t(nn.CosineSimilarity(dim=-1)(x1, x1.flip(1)))
        out["dist"] = t(nn.PairwiseDistance(p=1.0, keepdim=True)(x1, x1.flip(1)))
        out["unshuffle"] = t(nn.PixelUnshuffle(2)(torch.nn.functional.pixel_shuffle(image[:, :1].repeat(1, 4, 1, 1), 2)))
        out["reprs"] = [repr(m) for m in (nn.Unfold((2, 3), dilation=(2, 1), padding=1, stride=(1, 2)), nn.Fold((7, 6), 2, stride=2), bilinear, lrn, bag, nn.PixelUnshuffle(2))]
        with open(sys.argv[1], "w") as f:
            json.dump(out, f)
        """;

    [Fact]
    public void Blocks_affine_grids_bilinear_forms_bags_and_local_response_norms_compute_what_torch_computes()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(BlockScript, seed);
        void Close(string key, Tensor actual) => CloseToTorch(json, key, actual, seed);
        void Load(Module m, string key) => LoadTorchState(m, json[key]!);

        var image = T(json["image"]!);
        var unfold = new Unfold([2, 3], [2, 1], [1], [1, 2]);
        Close("unfold", unfold.Call(image));
        Close("unfold", Torch.Export(unfold, [image]).RunDecompositions().Module().Call(image));
        Close("unfold_plain", Functional.Unfold(image[0], [3]));
        var fold = new Fold([7, 6], 2, stride: 2);
        Close("fold", fold.Call(Functional.Unfold(image, [2], stride: [2])));
        Close("fold_overlap", Functional.Fold(Functional.Unfold(image, [3], padding: [1]), [7, 6], [3], padding: [1]));

        var (theta, theta3) = (T(json["theta"]!), T(json["theta3"]!));
        Close("grid", Functional.AffineGrid(theta, [2, 3, 5, 4]));
        Close("grid_aligned", Functional.AffineGrid(theta, [2, 3, 5, 4], alignCorners: true));
        Close("grid3d", Functional.AffineGrid(theta3, [2, 1, 3, 4, 2]));
        Close("warped", Functional.GridSample(image, Functional.AffineGrid(theta, [2, 3, 5, 4])));
        var (volume, grid3) = (T(json["volume"]!), T(json["grid3"]!));
        foreach (var mode in new[] { "bilinear", "nearest" })
            foreach (var padding in new[] { "zeros", "border", "reflection" })
                foreach (var align in new[] { false, true })
                {
                    string key = $"warped3d_{mode}_{padding}_{(align ? "True" : "False")}";
                    Close(key, Functional.GridSample(volume, grid3 * 1.2, mode, padding, align));
                    var sampler = Torch.Export(new VolumeSampler(mode, padding, align), [volume, grid3 * 1.2]);
                    Close(key, sampler.RunDecompositions().Module().Call(volume, grid3 * 1.2));
                }
        Assert.Contains("bicubic interpolation only supports 4D input", Assert.Throws<ArgumentException>(() => Functional.GridSample(volume, grid3, "bicubic")).Message, StringComparison.Ordinal);
        Assert.Contains("Expected a batch of 2D affine matrices of shape Nx2x3", Assert.Throws<ArgumentException>(() => Functional.AffineGrid(theta3, [2, 3, 5, 4])).Message, StringComparison.Ordinal);

        var bilinear = new Bilinear(4, 5, 3);
        Load(bilinear, "bilinear_state");
        var (x1, x2) = (T(json["x1"]!), T(json["x2"]!));
        Close("bilinear", bilinear.Call(x1, x2));
        Close("bilinear", Torch.Export(bilinear, [x1, x2]).RunDecompositions().Module().Call(x1, x2));

        var lrn = new LocalResponseNorm(3, alpha: 0.01, beta: 0.6, k: 2.0);
        Close("lrn", lrn.Call(image));
        Close("lrn3", lrn.Call(image[0]));

        var bag = new EmbeddingBag(10, 4, mode: "sum", paddingIdx: 2);
        Load(bag, "bag_state");
        var ids = Tensor.FromArray(new long[] { 1, 2, 4, 5, 4, 3, 2, 9 }, 8);
        Close("bag", bag.Forward(ids, Tensor.FromArray(new long[] { 0, 3, 3, 6 }, 4), T(json["bag_weights"]!)));
        var maxBag = new EmbeddingBag(10, 4, mode: "max");
        maxBag.Weight.Copy_(bag.Weight);
        Close("bag_max_rows", maxBag.Call(ids.View(2, 4)));

        Close("cos", new CosineSimilarity(-1).Call(x1, x1.Flip(1)));
        Close("dist", new PairwiseDistance(1.0, keepdim: true).Call(x1, x1.Flip(1)));
        Close("unshuffle", new PixelUnshuffle(2).Call(Functional.PixelShuffle(image[.., ..1].Repeat(1, 4, 1, 1), 2)));

        Assert.Equal(json["reprs"]!.AsArray().Select(r => r!.GetValue<string>()),
            [unfold.ToString(), fold.ToString(), bilinear.ToString(), lrn.ToString(), bag.ToString(), new PixelUnshuffle(2).ToString()]);
    }

    private sealed class VolumeSampler(string mode, string padding, bool align) : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor volume, Tensor grid) => Functional.GridSample(volume, grid, mode, padding, align);
    }
}

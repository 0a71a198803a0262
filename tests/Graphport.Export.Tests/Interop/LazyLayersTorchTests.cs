using System.Text.Json.Nodes;

namespace Graphport.Tests.Interop;

/// <summary>
/// torch.nn's lazy layers: after a first call a model built with them has the state dict torch's has (names, shapes,
/// the regular layers' tensors), computes what the regular layers compute with those tensors, and exports; before it,
/// it has no parameters and exporting says to call it once first.
/// </summary>
public class LazyLayersTorchTests
{
    private const string Script = """
        import json, sys, torch, torch.nn as nn
        torch.manual_seed(int(sys.argv[2]))
        model = nn.Sequential(nn.LazyConv2d(6, 3, padding=1), nn.LazyBatchNorm2d(), nn.ReLU(), nn.LazyConvTranspose2d(4, 2, stride=2),
                              nn.LazyInstanceNorm2d(), nn.Flatten(), nn.LazyLinear(5))
        x = torch.randn(2, 3, 4, 4)
        model(x)
        model.eval()
        state = {k: list(v.shape) for k, v in model.state_dict().items()}
        with open(sys.argv[1], "w") as f:
            json.dump({"state": state, "conv1d": {k: list(v.shape) for k, v in (lambda m: (m(torch.randn(5, 7)), m)[1])(nn.LazyConv1d(2, 3)).state_dict().items()}}, f)
        """;

    private static readonly Lazy<JsonNode> Results = new(() => TorchScriptJson.Run(Script, Environment.TickCount & 0xFFFF));

    private static Sequential Model() => new(new LazyConv2d(6, 3, padding: 1), new LazyBatchNorm2d(), new ReLU(), new LazyConvTranspose2d(4, 2, stride: 2),
        new LazyInstanceNorm2d(), new Flatten(), new LazyLinear(5));

    private static Dictionary<string, long[]> Shapes(IReadOnlyDictionary<string, Tensor> state) => state.ToDictionary(kv => kv.Key, kv => kv.Value.Shape.Select(s => (long)s).ToArray());

    private static Dictionary<string, long[]> Shapes(JsonNode json) => json.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.AsArray().Select(v => (long)v!).ToArray());

    [Fact]
    public void After_a_first_call_the_state_dict_is_torchs_names_and_shapes()
    {
        var model = Model();
        Assert.Empty(model.StateDict());
        model.Call(Torch.Randn(2, 3, 4, 4));
        model.Eval();
        var expected = Shapes(Results.Value["state"]!);
        var actual = Shapes(model.StateDict());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, shape) in expected) Assert.Equal(shape, actual[name]);
        Assert.Equal(Shapes(Results.Value["conv1d"]!).Keys.Order(), Shapes(((Func<LazyConv1d>)(() => { var c = new LazyConv1d(2, 3); c.Call(Torch.Randn(5, 7)); return c; }))().StateDict()).Keys.Order());
    }

    [Fact]
    public void It_computes_what_the_regular_layer_with_its_tensors_computes_and_then_exports()
    {
        var lazy = new LazyLinear(4);
        Assert.True(lazy.HasUninitializedParams);
        Assert.Equal("LazyLinear(uninitialized)", lazy.ToString());
        var error = Assert.Throws<ExportException>(() => Torch.Export(lazy, [Torch.Randn(3, 7)]));
        Assert.Contains("call the model once on an example input before exporting", error.Message, StringComparison.Ordinal);
        var x = Torch.Randn(3, 7);
        var y = lazy.Call(x);
        Assert.False(lazy.HasUninitializedParams);
        Assert.Equal("LazyLinear(in_features=7, out_features=4, bias=True)", lazy.ToString());
        var regular = new Linear(7, 4);
        regular.LoadStateDict(lazy.StateDict());
        Assert.True(regular.Call(x).AllClose(y));
        var program = Torch.Export(lazy, [x]);
        Assert.Contains("p_weight", program.ToString(), StringComparison.Ordinal);
        var other = Torch.Randn(3, 7);
        Assert.True(program.Module().Call(other).AllClose(regular.Call(other), 1e-6, 1e-6));

        var model = Model();
        var images = Torch.Randn(2, 3, 4, 4);
        model.Call(images);
        model.Eval();
        var exported = Torch.Export(model, [images]);
        Assert.True(exported.Module().Call(images).AllClose(model.Call(images), 1e-5, 1e-5));
        Assert.Contains("1.running_mean", string.Join(",", exported.StateDict.Keys), StringComparison.Ordinal);
    }
}

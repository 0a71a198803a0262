using Graphport.Tests.TensorApi;
using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.Nn;

/// <summary>LoadStateDict copies values by name; strict loading names missing and unexpected keys; sizes must match.</summary>
public class LoadStateDictTests
{
    private sealed class Head : Module<Tensor, Tensor>
    {
        private readonly Linear lin = new(4, 3);
        private readonly BatchNorm2d bn = new(3);

        public override Tensor Forward(Tensor x) => lin.Call(x);
    }

    [Fact]
    public void Loading_copies_values_into_the_existing_tensors()
    {
        var source = new Head();
        var target = new Head();
        var weightBefore = target.StateDict()["lin.weight"];
        source.StateDict()["bn.running_mean"].Fill_(0.25);
        target.LoadStateDict(source.StateDict());
        foreach (var (name, value) in source.StateDict())
            Assert.Equal(Values(value), Values(target.StateDict()[name]));
        // Copied, not aliased: the module keeps its own tensors and later changes to the source do not reach it.
        Assert.Same(weightBefore, target.StateDict()["lin.weight"]);
        source.StateDict()["lin.weight"].Fill_(9.0);
        Assert.DoesNotContain(9.0, Values(target.StateDict()["lin.weight"]));
    }

    [Fact]
    public void Loading_converts_dtypes_like_copy()
    {
        var target = new Head();
        var state = target.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        state["lin.bias"] = Torch.Tensor(new double[] { 0.5, -1.5, 2 });
        target.LoadStateDict(state);
        Assert.Equal(DType.Float32, target.StateDict()["lin.bias"].DType);
        Assert.Equal([0.5, -1.5, 2], Values(target.StateDict()["lin.bias"]));
    }

    [Fact]
    public void Strict_loading_names_missing_and_unexpected_keys()
    {
        var target = new Head();
        var state = target.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        state.Remove("lin.bias");
        state.Remove("bn.running_var");
        state["lin.scale"] = Torch.Ones(3);
        var e = Assert.Throws<ArgumentException>(() => target.LoadStateDict(state));
        Assert.Contains("Error(s) in loading state_dict for Head", e.Message);
        Assert.Contains("Missing key(s) in state_dict: \"lin.bias\", \"bn.running_var\".", e.Message);
        Assert.Contains("Unexpected key(s) in state_dict: \"lin.scale\".", e.Message);
    }

    [Fact]
    public void A_failed_strict_load_changes_nothing()
    {
        var target = new Head();
        var before = Values(target.StateDict()["lin.weight"]);
        var state = new Dictionary<string, Tensor> { ["lin.weight"] = Torch.Zeros(3, 4) };
        Assert.Throws<ArgumentException>(() => target.LoadStateDict(state));
        Assert.Equal(before, Values(target.StateDict()["lin.weight"]));
    }

    [Fact]
    public void Non_strict_loading_takes_what_matches_and_ignores_the_rest()
    {
        var target = new Head();
        var state = new Dictionary<string, Tensor> { ["lin.bias"] = Torch.Full([3], 4.0), ["extra"] = Torch.Ones(1) };
        target.LoadStateDict(state, strict: false);
        Assert.Equal([4.0, 4, 4], Values(target.StateDict()["lin.bias"]));
    }

    [Fact]
    public void A_size_mismatch_is_an_error_even_when_not_strict_and_nothing_is_copied()
    {
        var target = new Head();
        var bias = Values(target.StateDict()["lin.bias"]);
        var state = new Dictionary<string, Tensor> { ["lin.bias"] = Torch.Full([3], 4.0), ["lin.weight"] = Torch.Zeros(3, 5) };
        var e = Assert.Throws<ArgumentException>(() => target.LoadStateDict(state, strict: false));
        Assert.Contains("size mismatch for lin.weight: copying a param with shape torch.Size([3, 5]) from checkpoint, the shape in current model is torch.Size([3, 4]).", e.Message);
        Assert.Equal(bias, Values(target.StateDict()["lin.bias"]));
    }

    [Fact]
    public void A_loaded_module_computes_with_the_loaded_weights()
    {
        var lin = new Linear(2, 1);
        lin.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Torch.Tensor(new float[,] { { 2, -1 } }),
            ["bias"] = Torch.Tensor(new float[] { 0.5f }),
        });
        var y = lin.Call(Torch.Tensor(new float[,] { { 1, 1 }, { 3, 4 } }));
        Assert.Equal([1.5, 2.5], Values(y));
    }
}

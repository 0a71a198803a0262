using static Graphport.Torch;

namespace Graphport.Tests.Nn;

/// <summary>
/// ModuleDict, ParameterList and ParameterDict name their entries in the state dict as torch does (heads.cls.weight,
/// scales.0, offsets.shift), so torch's weights load by those names, and a module built of them exports with each
/// entry as a parameter of the program.
/// </summary>
public class NamedContainerTests
{
    private sealed class MultiHead : Module<Tensor, Tensor>
    {
        private readonly Linear trunk = new(6, 4);
        private readonly ModuleDict heads = new() { ["cls"] = new Linear(4, 3), ["box"] = new Linear(4, 2) };
        private readonly ParameterList scales = new(new Parameter(Rand(3)), new Parameter(Rand(2)));
        private readonly ParameterDict offsets = new() { ["shift"] = new Parameter(Randn(5)) };

        public ModuleDict Heads => heads;

        public override Tensor Forward(Tensor x)
        {
            var features = Functional.Relu(trunk.Call(x));
            var cls = ((Linear)heads["cls"]).Call(features) * scales[0];
            var box = ((Linear)heads["box"]).Call(features) * scales[1];
            return Cat([cls, box], 1) + offsets["shift"];
        }
    }

    [Fact]
    public void Entries_are_named_by_key_and_position_in_the_state_dict_and_load_by_those_names()
    {
        ManualSeed(31);
        var model = new MultiHead();
        Assert.Equal(["trunk.weight", "trunk.bias", "heads.cls.weight", "heads.cls.bias", "heads.box.weight", "heads.box.bias", "scales.0", "scales.1", "offsets.shift"],
            model.StateDict().Keys);

        var other = new MultiHead();
        other.LoadStateDict(model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone()));
        var x = Randn(7, 6);
        Assert.True(other.Call(x).AllClose(model.Call(x), 0, 0));

        var ep = Export(model, [x]);
        Assert.Contains("heads.box.weight", ep.StateDict.Keys);
        Assert.Contains("scales.1", ep.StateDict.Keys);
        Assert.True(ep.Module().Call(x).AllClose(model.Call(x), 1e-6, 1e-6));
    }

    [Fact]
    public void A_module_dict_keeps_insertion_order_replaces_in_place_and_refuses_bad_keys()
    {
        var heads = new ModuleDict { ["a"] = new ReLU(), ["b"] = new Tanh() };
        heads["a"] = new Sigmoid();
        heads["c"] = new GELU();
        Assert.Equal(["a", "b", "c"], heads.Keys);
        Assert.IsType<Sigmoid>(heads["a"]);
        Assert.Contains("has no module \"d\"", Assert.Throws<KeyNotFoundException>(() => heads["d"]).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => heads["x.y"] = new ReLU());
        Assert.Equal("ModuleDict(\n  (a): Sigmoid()\n  (b): Tanh()\n  (c): GELU(approximate='none')\n)", heads.ToString());
    }
}

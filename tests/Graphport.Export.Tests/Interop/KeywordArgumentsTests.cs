using System.Text.Json.Nodes;
using Graphport.Tests.Serialization;
using static Graphport.Tests.Interop.TorchStyleArchive;

namespace Graphport.Tests.Interop;

/// <summary>
/// ExportedModule.InvokeWithKwargs(args, kwargs), as torch's ep.module()(*args, **kwargs): torch-made programs take keyword-only
/// arguments (ExportDB's fn_with_kwargs: forward(self, pos0, tuple0, *myargs, mykw0, **mykwargs)); any argument
/// after the positional ones may be given by name.
/// </summary>
public class KeywordArgumentsTests
{
    private sealed class Scaled : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x, Tensor scale) => x * scale;
    }

    [Fact]
    public void Arguments_after_the_positional_ones_are_given_by_name()
    {
        var x = Torch.Randn(4);
        var scale = Torch.Randn(4);
        var module = Torch.Export(new Scaled(), [x, scale]).Module();
        var expected = module.Call(x, scale);
        Assert.True(((Tensor)module.InvokeWithKwargs([x], new Dictionary<string, object?> { ["scale"] = scale })!).AllClose(expected, 0, 0));
        Assert.True(((Tensor)module.InvokeWithKwargs([], new Dictionary<string, object?> { ["scale"] = scale, ["x"] = x })!).AllClose(expected, 0, 0));
    }

    [Fact]
    public void Unknown_repeated_and_missing_arguments_are_refused_with_the_signature()
    {
        var x = Torch.Randn(4);
        var module = Torch.Export(new Scaled(), [x, x]).Module();
        Assert.Equal("Unexpected keyword argument 'factor'; Forward takes (x, scale).",
            Assert.Throws<ArgumentException>(() => module.InvokeWithKwargs([x], new Dictionary<string, object?> { ["factor"] = x })).Message);
        Assert.Equal("Got multiple values for argument 'x'.",
            Assert.Throws<ArgumentException>(() => module.InvokeWithKwargs([x], new Dictionary<string, object?> { ["x"] = x, ["scale"] = x })).Message);
        Assert.Equal("Missing input(s) 'scale'; Forward takes (x, scale).",
            Assert.Throws<ArgumentException>(() => module.InvokeWithKwargs([x], new Dictionary<string, object?>())).Message);
        Assert.StartsWith("Too many positional inputs (expected at most 2, got 3)",
            Assert.Throws<ArgumentException>(() => module.InvokeWithKwargs([x, x, x], new Dictionary<string, object?>())).Message);
    }

    [Fact]
    public void A_torch_made_programs_keyword_only_argument_is_given_by_name()
    {
        // def forward(self, x, *, mykw0): return x * mykw0
        var model = JsonNode.Parse(Model(
            [Tensor("x"), Tensor("mykw0")],
            [Node("torch.ops.aten.mul.Tensor", "mul", Inputs(("self", Tensor("x"), 1), ("other", Tensor("mykw0"), 1)), Tensor("mul"))],
            [Tensor("mul")],
            new JsonObject { ["x"] = Meta(F32, 4), ["mykw0"] = Meta(F32, 4), ["mul"] = Meta(F32, 4) },
            [UserInput("x"), UserInput("mykw0")], [UserOutput("mul")], ["x", "mykw0"]))!;
        var leaf = new JsonObject { ["type"] = null, ["context"] = null, ["children_spec"] = new JsonArray() };
        var args = new JsonObject { ["type"] = "builtins.tuple", ["context"] = "null", ["children_spec"] = new JsonArray(leaf.DeepClone()) };
        var kwargs = new JsonObject { ["type"] = "builtins.dict", ["context"] = "[\"mykw0\"]", ["children_spec"] = new JsonArray(leaf.DeepClone()) };
        model["graph_module"]!["module_call_graph"]![0]!["signature"]!["in_spec"] =
            new JsonArray(1, new JsonObject { ["type"] = "builtins.tuple", ["context"] = "null", ["children_spec"] = new JsonArray(args, kwargs) }).ToJsonString();
        using var files = new ArchiveFiles();
        string path = files.PathFor("keyword_only.pt2");
        Write(path, model.ToJsonString());

        var ep = ExportedProgram.Load(path);
        Assert.Equal(["x", "mykw0"], ep.CallSignature.ArgumentNames);
        var x = Torch.Randn(4);
        var k = Torch.Randn(4);
        Assert.True(((Tensor)ep.Module().InvokeWithKwargs([x], new Dictionary<string, object?> { ["mykw0"] = k })!).AllClose(x * k, 0, 0));
    }
}

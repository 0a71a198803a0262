using System.Text.Json.Nodes;
using Graphport.Tests.Interop;
using static Graphport.Torch;
using static Graphport.Tests.Interop.TorchStyleArchive;

namespace Graphport.Tests.Serialization;

/// <summary>
/// Programs whose results hold constants (an int, a float, a bool, None) or symbolic sizes, without Python: torch
/// writes a constant a program returns as a constant graph output and a user_output spec holding the value, in
/// pytree leaf order (torch 2.14: <c>return (mul, 3, None, 1.5, True)</c>), and a size as a SymInt output that
/// ep.module() returns as an int. Graphport writes its programs so and reads torch's back as constant leaves and
/// size leaves of the call signature. Interop/ConstantAndSizeOutputsTorchTests runs the same with torch.
/// </summary>
public class ConstantOutputsTests
{
    public sealed class DoubledAndThree : Module<Tensor, (Tensor, long)>
    {
        public override (Tensor, long) Forward(Tensor x) => (x * 2, 3);
    }

    public sealed class InputAndNull : Module<Tensor, (Tensor, Tensor?)>
    {
        public override (Tensor, Tensor?) Forward(Tensor x) => (x, null);
    }

    public sealed class NumbersAndFlags : Module<Tensor, (Tensor, double, double, bool, long)>
    {
        public override (Tensor, double, double, bool, long) Forward(Tensor x) => (x.Relu(), 1.5, 2.0, true, -7);
    }

    /// <summary>Constants and a size inside a dict and a list (the size is a constant when the batch is static).</summary>
    public sealed class NestedConstantsAndSize : Module<Tensor, (Dictionary<string, object?>, List<object?>)>
    {
        public override (Dictionary<string, object?>, List<object?>) Forward(Tensor x) =>
            (new Dictionary<string, object?> { ["y"] = x * 2, ["n"] = 3L, ["scale"] = double.PositiveInfinity }, new List<object?> { x.Shape[0] * 2, null, false });
    }

    public sealed class ReturnsString : Module<Tensor, (Tensor, string)>
    {
        public override (Tensor, string) Forward(Tensor x) => (x * 2, "hi");
    }

    public sealed class ReturnsNaN : Module<Tensor, (Tensor, double)>
    {
        public override (Tensor, double) Forward(Tensor x) => (x * 2, double.NaN);
    }

    private static JsonNode ModelJson(string path) =>
        JsonNode.Parse(ArchiveContents.Text(path, ArchiveContents.Records(path).Single(r => r.Name.EndsWith("/models/model.json", StringComparison.Ordinal)).Name))!;

    /// <summary>The items of a tuple Module() returned (a torch-made tuple is a ValueTuple, a Python tuple again when saved).</summary>
    internal static object?[] Items(object? tuple)
    {
        var t = Assert.IsAssignableFrom<System.Runtime.CompilerServices.ITuple>(tuple);
        return Enumerable.Range(0, t.Length).Select(i => t[i]).ToArray();
    }

    private static List<string> Strings(JsonNode? array) => array!.AsArray().Select(n => n!.ToJsonString()).ToList();

    /// <summary>The leaves of a pytree spec string as torch reads it (treespec_loads): nodes with a null type.</summary>
    private static int SpecLeaves(string spec)
    {
        static int Count(JsonNode? node) => node!["type"] is null ? 1 : node["children_spec"]!.AsArray().Sum(Count);
        return Count(JsonNode.Parse(spec)![1]);
    }

    [Fact]
    public void A_returned_constant_is_a_constant_graph_output_and_user_output_spec_as_torch_writes_it()
    {
        var ep = Export(new DoubledAndThree(), [Randn(2, 3)]);
        // Graphport's graph returns the tensor only; the 3 is a constant leaf of the call signature.
        Assert.Equal(["mul"], ep.GraphSignature.UserOutputs);
        using var files = new ArchiveFiles();
        string path = files.PathFor("three.pt2");
        ep.Save(path);

        var module = ModelJson(path)["graph_module"]!;
        var outputs = Strings(module["graph"]!["outputs"]);
        Assert.Equal(["{\"as_tensor\":{\"name\":\"mul\"}}", "{\"as_int\":3}"], outputs);
        Assert.Equal(["{\"user_output\":{\"arg\":{\"as_tensor\":{\"name\":\"mul\"}}}}", "{\"user_output\":{\"arg\":{\"as_int\":3}}}"], Strings(module["signature"]!["output_specs"]));
        var call = module["module_call_graph"]![0]!["signature"]!;
        // ep.module() rebuilds the result from the graph's outputs with out_spec: one output per leaf. The root entry
        // names no outputs (torch's own archives leave it empty: the leaves are the user outputs, in order).
        Assert.Equal(outputs.Count, SpecLeaves(call["out_spec"]!.GetValue<string>()));
        Assert.Empty(Strings(call["outputs"]));
        Assert.Empty(Strings(call["inputs"]));

        var x = Randn(2, 3);
        var loaded = RoundTrip.AssertExact(ep, () => [x]);
        Assert.Equal(["mul"], loaded.GraphSignature.UserOutputs);
        var (y, three) = ((Tensor, long))loaded.Module().Invoke([x])!;
        Assert.True(y.AllClose(x * 2, 0, 0));
        Assert.Equal(3L, three);
    }

    [Fact]
    public void None_floats_bools_and_constants_in_containers_round_trip()
    {
        var x = Randn(2, 3);
        RoundTrip.AssertExact(Export(new InputAndNull(), [Randn(2, 3)]), () => [x]);
        RoundTrip.AssertExact(Export(new NumbersAndFlags(), [Randn(2, 3)]), () => [x]);
        var rows = Randn(3, 4);
        RoundTrip.AssertExact(Export(new NestedConstantsAndSize(), [Randn(3, 4)]), () => [rows]);
        var dynamic = Export(new NestedConstantsAndSize(), [Randn(3, 4)], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch") } });
        var more = Randn(5, 4);
        var loaded = RoundTrip.AssertExact(dynamic, () => [more]);
        var (dict, list) = ((Dictionary<string, object?>, List<object?>))loaded.Module().Invoke([Randn(6, 4)])!;
        Assert.Equal(3L, dict["n"]);
        Assert.Equal(double.PositiveInfinity, dict["scale"]);
        Assert.Equal(new object?[] { 12L, null, false }, list);
    }

    [Fact]
    public void Each_kind_of_constant_is_written_where_its_leaf_stands()
    {
        using var files = new ArchiveFiles();
        string flags = files.PathFor("flags.pt2");
        Export(new NumbersAndFlags(), [Randn(2, 3)]).Save(flags);
        // Floats keep their point (torch would read 2 as the int 2).
        Assert.Equal(["{\"as_tensor\":{\"name\":\"relu\"}}", "{\"as_float\":1.5}", "{\"as_float\":2.0}", "{\"as_bool\":true}", "{\"as_int\":-7}"],
            Strings(ModelJson(flags)["graph_module"]!["graph"]!["outputs"]));

        string input = files.PathFor("input_and_null.pt2");
        Export(new InputAndNull(), [Randn(2, 3)]).Save(input);
        Assert.Equal(["{\"as_tensor\":{\"name\":\"x\"}}", "{\"as_none\":true}"], Strings(ModelJson(input)["graph_module"]!["graph"]!["outputs"]));

        string nested = files.PathFor("nested.pt2");
        Export(new NestedConstantsAndSize(), [Randn(3, 4)], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch") } }).Save(nested);
        var module = ModelJson(nested)["graph_module"]!;
        var outputs = module["graph"]!["outputs"]!.AsArray();
        Assert.Equal(["as_tensor", "as_int", "as_float", "as_sym_int", "as_none", "as_bool"], outputs.Select(o => o!.AsObject().Single().Key));
        Assert.Equal("{\"as_float\":\"Infinity\"}", outputs[2]!.ToJsonString());
        Assert.Equal(outputs.Count, SpecLeaves(module["module_call_graph"]![0]!["signature"]!["out_spec"]!.GetValue<string>()));

        // A size that export found static is a constant: as_int, as torch writes a SymInt it specialized.
        string staticNested = files.PathFor("nested_static.pt2");
        Export(new NestedConstantsAndSize(), [Randn(3, 4)]).Save(staticNested);
        Assert.Equal("{\"as_int\":6}", ModelJson(staticNested)["graph_module"]!["graph"]!["outputs"]![3]!.ToJsonString());
    }

    [Fact]
    public void A_string_output_is_refused_with_the_output_and_the_fix()
    {
        var ep = Export(new ReturnsString(), [Randn(2, 3)]);
        Assert.Equal("hi", (((Tensor, string))ep.Module().Invoke([Randn(2, 3)])!).Item2);
        using var files = new ArchiveFiles();
        string path = files.PathFor("string.pt2");
        var e = Assert.Throws<ExportException>(() => ep.Save(path));
        Assert.Contains("the output [1] is the string 'hi'", e.Message, StringComparison.Ordinal);
        Assert.Contains("torch.export.load cannot read one back", e.Message, StringComparison.Ordinal);
        Assert.Contains("Return the string outside the exported program", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void A_NaN_output_is_refused_since_torch_cannot_load_it()
    {
        var e = Assert.Throws<ExportException>(() => Export(new ReturnsNaN(), [Randn(2, 3)]).Save(new MemoryStream()));
        Assert.Contains("the output [1] is the constant NaN", e.Message, StringComparison.Ordinal);
    }

    private static JsonObject Output(JsonNode arg) => new() { ["user_output"] = new JsonObject { ["arg"] = arg } };

    private static JsonObject Float(JsonNode value) => new() { ["as_float"] = value };

    private static JsonObject Bool(bool value) => new() { ["as_bool"] = value };

    private static JsonObject SizeExpr(string expr, long hint) => new() { ["as_expr"] = new JsonObject { ["expr_str"] = expr, ["hint"] = Int(hint) } };

    private const string S77 = "Symbol('s77', positive=True, integer=True)";

    // What torch 2.14 writes for: def forward(self, x): return x * 2, 3, float("inf"), x.shape[0], None, True, -2.5
    // (x: [s77, 4]; exported with a dynamic batch).
    private static string TorchConstantsAndSizeModel() => Model(
        [Tensor("x")],
        [
            Node("torch.ops.aten.sym_size.int", "sym_size_int_1", Inputs(("self", Tensor("x"), 1), ("dim", Int(0), 1)), SymInt("sym_size_int_1")),
            Node("torch.ops.aten.mul.Tensor", "mul", Inputs(("self", Tensor("x"), 1), ("other", Int(2), 1)), Tensor("mul")),
        ],
        [Tensor("mul"), Int(3), Float("Infinity"), SymInt("sym_size_int_1"), None(), Bool(true), Float(-2.5)],
        new JsonObject { ["x"] = Meta(F32, S77, 4), ["mul"] = Meta(F32, S77, 4) },
        [UserInput("x")],
        [UserOutput("mul"), Output(Int(3)), Output(Float("Infinity")), Output(SymInt("sym_size_int_1")), Output(None()), Output(Bool(true)), Output(Float(-2.5))],
        ["x"],
        symIntValues: new JsonObject { ["sym_size_int_1"] = SizeExpr(S77, 3) },
        rangeConstraints: new JsonObject { ["s77"] = new JsonObject { ["min_val"] = 0, ["max_val"] = null } },
        outSpec: TupleSpec(7));

    [Fact]
    public void Torchs_constant_outputs_load_as_constants_and_its_size_output_as_an_int()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("torch_constants.pt2");
        Write(path, TorchConstantsAndSizeModel());
        var ep = ExportedProgram.Load(path);
        // The graph returns what Graphport's graphs return: the tensor and the size; the constants are leaves of the call.
        Assert.Equal(["mul", "sym_size_int_1"], ep.GraphSignature.UserOutputs);
        Assert.IsType<SymIntArgument>(ep.GraphSignature.OutputSpecs[1].Arg);
        var tree = Assert.IsType<SequenceNode>(ep.CallSignature.OutputTree);
        Assert.Equal(
            new TreeSpec[] { new TensorLeaf(), new ConstantLeaf(3L), new ConstantLeaf(double.PositiveInfinity), new SymIntLeaf(), new ConstantLeaf(null), new ConstantLeaf(true), new ConstantLeaf(-2.5) },
            tree.Children);

        var x = Randn(5, 4);
        var returned = ep.Module().Invoke([x]);
        Assert.IsType<(Tensor, object, object, object, object, object, object)>(returned);
        var result = Items(returned);
        Assert.True(((Tensor)result[0]!).AllClose(x * 2, 0, 0));
        Assert.Equal(new object?[] { 3L, double.PositiveInfinity, 5L, null, true, -2.5 }, result.Skip(1));

        // Saved again, the constants are back where torch had them.
        string again = files.PathFor("torch_constants_again.pt2");
        ep.Save(again);
        var torchModel = JsonNode.Parse(TorchConstantsAndSizeModel())!["graph_module"]!;
        var ours = ModelJson(again)["graph_module"]!;
        Assert.Equal(Strings(torchModel["graph"]!["outputs"]), Strings(ours["graph"]!["outputs"]));
        Assert.Equal(Strings(torchModel["signature"]!["output_specs"]), Strings(ours["signature"]!["output_specs"]));
        Assert.Equal(7, SpecLeaves(ours["module_call_graph"]![0]!["signature"]!["out_spec"]!.GetValue<string>()));
        var reloaded = ExportedProgram.Load(again).Module().Invoke([x]);
        Assert.Equal(result.Skip(1), Items(reloaded).Skip(1));
        // A tuple in torch's out_spec stays a tuple.
        Assert.Contains("\"type\":\"builtins.tuple\"", ours["module_call_graph"]![0]!["signature"]!["out_spec"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_torch_program_returning_a_size_beside_a_tensor_returns_an_int()
    {
        // def forward(self, x): return x * 2, x.shape[0] * 2 - the tuple held a size where a tensor was assumed.
        using var files = new ArchiveFiles();
        string path = files.PathFor("size_beside_tensor.pt2");
        Write(path, Model(
            [Tensor("x")],
            [
                Node("torch.ops.aten.sym_size.int", "sym_size_int_1", Inputs(("self", Tensor("x"), 1), ("dim", Int(0), 1)), SymInt("sym_size_int_1")),
                Node("torch.ops.aten.mul.Tensor", "mul", Inputs(("self", Tensor("x"), 1), ("other", Int(2), 1)), Tensor("mul")),
                Node("_operator.mul", "mul_1", Inputs(("a", SymInt("sym_size_int_1"), 1), ("b", Int(2), 1)), SymInt("mul_1")),
            ],
            [Tensor("mul"), SymInt("mul_1")],
            new JsonObject { ["x"] = Meta(F32, S77, 4), ["mul"] = Meta(F32, S77, 4) },
            [UserInput("x")], [UserOutput("mul"), Output(SymInt("mul_1"))], ["x"],
            symIntValues: new JsonObject
            {
                ["sym_size_int_1"] = SizeExpr(S77, 3),
                ["mul_1"] = SizeExpr($"Mul(Integer(2), {S77})", 6),
            },
            rangeConstraints: new JsonObject { ["s77"] = new JsonObject { ["min_val"] = 0, ["max_val"] = null } },
            outSpec: TupleSpec(2)));
        var ep = ExportedProgram.Load(path);
        Assert.Equal(new TreeSpec[] { new TensorLeaf(), new SymIntLeaf() }, Assert.IsType<SequenceNode>(ep.CallSignature.OutputTree).Children);
        var result = Items(ep.Module().Invoke([Randn(5, 4)]));
        Assert.Equal([5L, 4L], ((Tensor)result[0]!).Shape.ToLongs());
        Assert.Equal(10L, result[1]);
        // And round trips as a size.
        var loaded = RoundTrip.SaveAndLoad(ep);
        Assert.Equal(14L, Items(loaded.Module().Invoke([Randn(7, 4)]))[1]);
    }

    [Fact]
    public void A_torch_program_returning_only_a_size_returns_an_int()
    {
        // def forward(self, x): return x.shape[0] * 2
        using var files = new ArchiveFiles();
        string path = files.PathFor("size_only.pt2");
        Write(path, Model(
            [Tensor("x")],
            [
                Node("torch.ops.aten.sym_size.int", "sym_size_int_1", Inputs(("self", Tensor("x"), 1), ("dim", Int(0), 1)), SymInt("sym_size_int_1")),
                Node("_operator.mul", "mul", Inputs(("a", SymInt("sym_size_int_1"), 1), ("b", Int(2), 1)), SymInt("mul")),
            ],
            [SymInt("mul")],
            new JsonObject { ["x"] = Meta(F32, S77, 4) },
            [UserInput("x")], [Output(SymInt("mul"))], ["x"],
            symIntValues: new JsonObject { ["sym_size_int_1"] = SizeExpr(S77, 3), ["mul"] = SizeExpr($"Mul(Integer(2), {S77})", 6) },
            rangeConstraints: new JsonObject { ["s77"] = new JsonObject { ["min_val"] = 0, ["max_val"] = null } }));
        var ep = ExportedProgram.Load(path);
        Assert.IsType<SymIntLeaf>(ep.CallSignature.OutputTree);
        Assert.Equal(18L, ep.Module().Invoke([Randn(9, 4)]));
    }

    [Fact]
    public void A_torch_program_returning_a_symbolic_float_is_refused_with_what_it_is()
    {
        // def forward(self, x): return x * 2, x.shape[0] / 2.0  (torch: sym_float, then truediv, as_sym_float)
        var model = JsonNode.Parse(TorchConstantsAndSizeModel())!;
        var specs = model["graph_module"]!["signature"]!["output_specs"]!.AsArray();
        specs[1] = Output(new JsonObject { ["as_sym_float"] = new JsonObject { ["as_name"] = "truediv" } });
        using var files = new ArchiveFiles();
        string path = files.PathFor("sym_float.pt2");
        Write(path, model.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.True(e.Message.Contains("truediv is a symbolic float (SymFloat", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void A_graph_output_that_disagrees_with_its_constant_spec_is_refused()
    {
        var model = JsonNode.Parse(TorchConstantsAndSizeModel())!;
        model["graph_module"]!["graph"]!["outputs"]![1] = Int(4);
        using var files = new ArchiveFiles();
        string path = files.PathFor("disagree.pt2");
        Write(path, model.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("output 1 is 4 in the graph but the constant 3 in the signature", e.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using Graphport.Graphs;
using Graphport.Serialization;
using Graphport.Shapes;
using static Graphport.Torch;

namespace Graphport.Tests.Serialization;

/// <summary>
/// What PyTorch 2.14 could not load, run, re-save or decompose among the ExportDB's and the zoo's programs
/// (tests/Graphport.ExportDB.Tests/TorchLoadsExportDbProgramsTests, tests/Graphport.Zoo.Tests/TorchLoadsZooProgramsTests),
/// each checked here on the program Graphport writes: a symbolic size as an output, an optional input left at
/// null, unbacked symbols with a range, reshape of a tensor that cannot be viewed, and decomposing a program whose
/// sizes come from data.
/// </summary>
public class TorchLoadWriterFixesTests
{
    /// <summary>Returns a size expression (ExportDB's scalar_output).</summary>
    public sealed class WidthPlusOne : Module<Tensor, SymInt>
    {
        public override SymInt Forward(Tensor x) => x.Shape[1] + 1;
    }

    /// <summary>An optional tensor left at its null default (ExportDB's optional_input).</summary>
    public sealed class OptionalSecond : Module<Tensor, Tensor?, Tensor>
    {
        public override Tensor Forward(Tensor x, Tensor? y = null) => y is null ? x * 2 : x + y;
    }

    /// <summary>A size read from data, checked into [0, 5] (ExportDB's constrain_as_size_example).</summary>
    public sealed class RowsFromData : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x)
        {
            var rows = x.Item<SymInt>();
            CheckIsSize(rows);
            Check(rows <= 5);
            return Zeros([rows, 5]);
        }
    }

    /// <summary>Reshape and contiguous of a transposed tensor: neither can be a view (the zoo's attention heads).</summary>
    public sealed class TransposedReshape : Module<Tensor, (Tensor, Tensor)>
    {
        public override (Tensor, Tensor) Forward(Tensor x) => (x.Transpose(0, 1).Reshape(-1L), x.Transpose(0, 1).Contiguous());
    }

    private static JsonNode ModelJson(string path) =>
        JsonNode.Parse(ArchiveContents.Text(path, ArchiveContents.Records(path).Single(r => r.Name.EndsWith("/models/model.json", StringComparison.Ordinal)).Name))!;

    /// <summary>The number of leaves of a pytree spec string torch reads (treespec_loads): nodes with a null type.</summary>
    private static int SpecLeaves(string spec)
    {
        static int Count(JsonNode? node) => node!["type"] is null ? 1 : node["children_spec"]!.AsArray().Sum(Count);
        return Count(JsonNode.Parse(spec)![1]);
    }

    [Fact]
    public void A_symbolic_size_output_is_a_leaf_of_torchs_out_spec_and_loads_back_as_a_size()
    {
        var ep = Export(new WidthPlusOne(), [Randn(3, 2)], dynamicShapes: new() { ["x"] = new() { [1] = new Dim("w") } });
        using var files = new ArchiveFiles();
        string path = files.PathFor("scalar.pt2");
        ep.Save(path);

        var signature = ModelJson(path)["graph_module"]!["module_call_graph"]![0]!["signature"]!;
        // One leaf, as torch flattens an int: the graph's one user output.
        string outSpec = signature["out_spec"]!.GetValue<string>();
        Assert.Equal(1, SpecLeaves(outSpec));
        Assert.Null(JsonNode.Parse(outSpec)![1]!["type"]);
        var loaded = ExportedProgram.Load(path);
        Assert.IsType<SymIntLeaf>(loaded.CallSignature.OutputTree);
        Assert.Equal(10L, Convert.ToInt64(loaded.Module().Invoke([Randn(3, 9)]), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_optional_input_left_at_null_is_a_constant_input_as_torch_writes_it()
    {
        var ep = Export(new OptionalSecond(), [Randn(2, 3)]);
        using var files = new ArchiveFiles();
        string path = files.PathFor("optional.pt2");
        ep.Save(path);

        var module = ModelJson(path)["graph_module"]!;
        var inputs = module["graph"]!["inputs"]!.AsArray().Select(i => i!.ToJsonString()).ToList();
        Assert.Equal(["{\"as_tensor\":{\"name\":\"x\"}}", "{\"as_none\":true}"], inputs);
        var specs = module["signature"]!["input_specs"]!.AsArray().Select(s => s!.ToJsonString()).ToList();
        Assert.Equal(["{\"user_input\":{\"arg\":{\"as_tensor\":{\"name\":\"x\"}}}}", "{\"constant_input\":{\"name\":\"y\",\"value\":{\"as_none\":true}}}"], specs);
        // torch's ep.module() flattens the call by in_spec and passes every leaf to the graph: one input per leaf.
        Assert.Equal(inputs.Count, SpecLeaves(module["module_call_graph"]![0]!["signature"]!["in_spec"]!.GetValue<string>()));

        var loaded = ExportedProgram.Load(path);
        Assert.Equal(ep.Graph.ToString(), loaded.Graph.ToString());
        Assert.Equal(ep.GraphSignature.ToString(), loaded.GraphSignature.ToString());
        var x = Randn(2, 3);
        Assert.True(((Tensor)loaded.Module().Invoke([x, null])!).AllClose(x * 2, 0, 0));
    }

    [Fact]
    public void Unbacked_symbols_are_plain_integers_in_sympy_whatever_their_range()
    {
        // With nonnegative=True sympy folds u0 >= 0 to True, and torch's run_decompositions fails re-inserting
        // the program's own check on it ('bool' object has no attribute 'node').
        var u0 = new SymbolAtom(0, "u0", unbacked: true);
        var printer = new SympyPrinter(s => s.Unbacked ? new ValueRange(0, 5) : ValueRange.DefaultSize);
        Assert.Equal("Symbol('u0', integer=True)", printer.Print(SymExpr.Of(u0)));
        Assert.Equal("GreaterThan(Symbol('u0', integer=True), Integer(0))", printer.Print(SymRelation.Make(Relation.Ge, SymExpr.Of(u0), SymExpr.Constant(0))));
        Assert.Equal("Symbol('s0', integer=True, positive=True)", printer.Print(SymExpr.Of(new SymbolAtom(1, "s0", unbacked: false))));

        var ep = Export(new RowsFromData(), [Tensor.FromArray(new long[] { 4 }, 1)]);
        Assert.Equal("{u0: [0, 5]}", ep.RangeConstraints.ToString());
        using var files = new ArchiveFiles();
        string path = files.PathFor("unbacked.pt2");
        ep.Save(path);
        string model = ArchiveContents.Text(path, "unbacked/models/model.json");
        Assert.Contains("Symbol('u0', integer=True)", model, StringComparison.Ordinal);
        Assert.DoesNotContain("nonnegative", model, StringComparison.Ordinal);
        var loaded = ExportedProgram.Load(path);
        Assert.Equal("{u0: [0, 5]}", loaded.RangeConstraints.ToString());
        Assert.Equal([3L, 5L], ((Tensor)loaded.Module().Invoke([Tensor.FromArray(new long[] { 3 }, 1)])!).Shape.ToLongs());
    }

    [Fact]
    public void Decomposing_a_program_with_sizes_from_data_gives_the_new_unbacked_symbols_their_ranges()
    {
        var ep = Export(new RowsFromData(), [Tensor.FromArray(new long[] { 4 }, 1)]);
        var core = ep.RunDecompositions();
        // The re-trace reads the size from data again: a new unbacked symbol, which the graph's sizes now name.
        var symbols = core.Graph.Nodes.Where(n => n.Value is TensorMeta).SelectMany(n => ((TensorMeta)n.Value!).Shape)
            .SelectMany(s => s.Expr.FreeSymbols()).Select(a => a.Name).Distinct().ToList();
        Assert.NotEmpty(symbols);
        Assert.All(symbols, s => Assert.True(core.RangeConstraints.ContainsKey(s), $"{s} has no range in {core.RangeConstraints}"));
        Assert.All(symbols, s => Assert.Equal(new ValueRange(0, 5), core.RangeConstraints[s]));

        using var files = new ArchiveFiles();
        string path = files.PathFor("unbacked_core.pt2");
        core.Save(path);
        var rangeKeys = ModelJson(path)["range_constraints"]!.AsObject().Select(p => p.Key).ToList();
        Assert.All(symbols, s => Assert.Contains(s, rangeKeys));
        var loaded = ExportedProgram.Load(path);
        Assert.Equal([2L, 5L], ((Tensor)loaded.Module().Invoke([Tensor.FromArray(new long[] { 2 }, 1)])!).Shape.ToLongs());
    }

    [Fact]
    public void Reshape_and_contiguous_record_a_contiguous_clone_as_torch_does()
    {
        // torch's clone keeps a dense tensor's strides unless told otherwise, and the _unsafe_view after it then
        // fails ("view size is not compatible with input tensor's size and stride").
        var ep = Export(new TransposedReshape(), [Randn(3, 4)]);
        string printed = ep.ToString();
        Assert.Contains("clone: \"f32[4, 3]\" = torch.ops.aten.clone.default(transpose, memory_format = torch.contiguous_format)", printed, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten._unsafe_view.default(clone, [12])", printed, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.clone.default(transpose_1, memory_format = torch.contiguous_format)", printed, StringComparison.Ordinal);

        using var files = new ArchiveFiles();
        string path = files.PathFor("reshape.pt2");
        ep.Save(path);
        var clones = ModelJson(path)["graph_module"]!["graph"]!["nodes"]!.AsArray().Where(n => n!["target"]!.GetValue<string>() == "torch.ops.aten.clone.default").ToList();
        Assert.Equal(2, clones.Count);
        Assert.All(clones, c => Assert.Equal("{\"name\":\"memory_format\",\"arg\":{\"as_memory_format\":1},\"kind\":2}", c!["inputs"]![1]!.ToJsonString()));

        // Loaded and saved again (as the cluster stores a program it decomposed), the memory format stays.
        var loaded = ExportedProgram.Load(path);
        Assert.Equal(printed, loaded.ToString());
        string again = files.PathFor("reshape_again.pt2");
        loaded.Save(again);
        Assert.Contains("\"as_memory_format\":1", ArchiveContents.Text(again, "reshape_again/models/model.json"), StringComparison.Ordinal);

        var x = Randn(3, 4);
        var (flat, contiguous) = ((Tensor, Tensor))loaded.Module().Invoke([x])!;
        Assert.True(flat.AllClose(x.Transpose(0, 1).Reshape(-1L), 0, 0));
        Assert.True(contiguous.AllClose(x.Transpose(0, 1), 0, 0));
    }
}

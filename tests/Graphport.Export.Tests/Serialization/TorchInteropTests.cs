using System.Text;
using System.Text.Json.Nodes;
using Graphport.Graphs;
using static Graphport.Torch;

namespace Graphport.Tests.Serialization;

/// <summary>
/// What PyTorch 2.14 refused in archives Graphport wrote (bench/torch/load_ours.py): a number where the ATen
/// schema takes a Tensor (torch.where(c, x, -0.25) recorded as where.self), and nodes named after Python builtins
/// (abs, sum), which torch's run_decompositions renames and then cannot find among the outputs.
/// </summary>
public class TorchInteropTests
{
    /// <summary>torch.where with a number in either branch, or both, on float and integer tensors.</summary>
    public sealed class WhereWithNumbers : Module<Tensor, Tensor, (Tensor, Tensor, Tensor, Tensor)>
    {
        public override (Tensor, Tensor, Tensor, Tensor) Forward(Tensor x, Tensor i) =>
            (Where(x > 0, x, -0.25), Where(x > 0, 2.0, x), Where(x > 0, 1L, 0L), Where(i > 0, i, 7L));
    }

    /// <summary>Ops whose default node names would be Python builtins, and an input named like one.</summary>
    public sealed class BuiltinNamedOps : Module<Tensor, (Tensor, Tensor, Tensor, Tensor)>
    {
        public override (Tensor, Tensor, Tensor, Tensor) Forward(Tensor input) =>
            (input.Abs(), input.Sum(), input.Pow(2.0), input[TensorIndex.Slice(null, null, 2)]);
    }

    private static Func<object?[]> WhereInputs(ulong seed) => () =>
    {
        ManualSeed(seed);
        return [Randn(3, 4), Tensor.FromArray(new long[] { -2, 0, 3, 5 }, 4)];
    };

    private static IEnumerable<string> WhereOps(ExportedProgram ep) =>
        ep.Graph.Nodes.Where(n => n.Op?.OpName == "where").Select(n => n.Op!.Name);

    private static JsonNode ModelJson(string path) =>
        JsonNode.Parse(ArchiveContents.Text(path, ArchiveContents.Records(path).Single(r => r.Name.EndsWith("/models/model.json", StringComparison.Ordinal)).Name))!;

    [Fact]
    public void Where_with_a_number_is_recorded_as_the_scalar_overload_torch_records()
    {
        var ep = Export(new WhereWithNumbers(), WhereInputs(1)());
        Assert.Equal(["aten::where.ScalarOther", "aten::where.ScalarSelf", "aten::where.Scalar", "aten::where.ScalarOther"], WhereOps(ep));
        Assert.Contains("where: \"f32[3, 4]\" = torch.ops.aten.where.ScalarOther(gt, x, -0.25)", ep.ToString());

        var inputs = WhereInputs(2)();
        var (a, b, c, d) = ((Tensor, Tensor, Tensor, Tensor))ep.Module().Invoke(inputs)!;
        var (x, i) = ((Tensor)inputs[0]!, (Tensor)inputs[1]!);
        Assert.True(a.AllClose(Where(x > 0, x, Full([3, 4], -0.25)), 0, 0));
        Assert.True(b.AllClose(Where(x > 0, Full([3, 4], 2.0), x), 0, 0));
        // An integer number keeps an integer result (and an integer tensor's dtype), as in torch.
        Assert.Equal(DType.Int64, c.DType);
        Assert.Equal(DType.Int64, d.DType);
        Assert.Equal([7L, 7L, 3L, 5L], d.ToArray<long>());
    }

    [Fact]
    public void The_saved_where_node_names_the_scalar_overload_and_round_trips()
    {
        var ep = Export(new WhereWithNumbers(), WhereInputs(3)());
        using var files = new ArchiveFiles();
        string path = files.PathFor("where.pt2");
        ep.Save(path);
        var nodes = ModelJson(path)["graph_module"]!["graph"]!["nodes"]!.AsArray();
        var first = nodes.First(n => ((string)n!["target"]!).StartsWith("torch.ops.aten.where.", StringComparison.Ordinal))!;
        Assert.Equal("torch.ops.aten.where.ScalarOther", (string)first["target"]!);
        var other = first["inputs"]!.AsArray().Single(i => (string)i!["name"]! == "other")!;
        Assert.Equal(-0.25, (double)other["arg"]!["as_float"]!);
        Assert.DoesNotContain(nodes, n => (string)n!["target"]! == "torch.ops.aten.where.self");

        RoundTrip.AssertExact(ep, WhereInputs(4), WhereInputs(5));
    }

    [Fact]
    public void Where_with_a_number_decomposes_to_scalar_tensor_and_where_self()
    {
        var ep = Export(new WhereWithNumbers(), WhereInputs(6)());
        var core = ep.RunDecompositions();
        Assert.Equal(["aten::where.self", "aten::where.self", "aten::where.self", "aten::where.self"], WhereOps(core));
        Assert.Equal(5, core.Graph.Nodes.Count(n => n.Op?.Name == "aten::scalar_tensor"));
        ResultAssert.Equal(ep.Module().Invoke(WhereInputs(7)()), core.Module().Invoke(WhereInputs(7)()));
        // Saved and loaded again, the decomposed program still runs the same.
        ResultAssert.Equal(core.Module().Invoke(WhereInputs(8)()), RoundTrip.SaveAndLoad(core).Module().Invoke(WhereInputs(8)()));
    }

    [Fact]
    public void An_earlier_archive_with_where_self_and_a_number_loads_as_where_ScalarOther()
    {
        var ep = Export(new WhereWithNumbers(), WhereInputs(9)());
        using var files = new ArchiveFiles();
        string path = files.PathFor("old_where.pt2");
        ep.Save(path);
        // What Graphport wrote before: where.self with {"as_float": -0.25} for its Tensor argument "other".
        ArchiveContents.Rewrite(path, (name, data) => name.EndsWith("/models/model.json", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(data).Replace("torch.ops.aten.where.ScalarOther", "torch.ops.aten.where.self", StringComparison.Ordinal))
            : data);
        Assert.Contains("torch.ops.aten.where.self", ArchiveContents.Text(path, "old_where/models/model.json"));

        var loaded = ExportedProgram.Load(path);
        Assert.Equal(WhereOps(ep), WhereOps(loaded));
        ResultAssert.Equal(ep.Module().Invoke(WhereInputs(10)()), loaded.Module().Invoke(WhereInputs(10)()));
        // Saving it again writes the overload torch accepts.
        string again = files.PathFor("again.pt2");
        loaded.Save(again);
        Assert.Contains("torch.ops.aten.where.ScalarOther", ArchiveContents.Text(again, "again/models/model.json"));
    }

    [Fact]
    public void A_number_where_torch_requires_a_tensor_is_refused_when_saving_and_verifying()
    {
        var ep = Export(new WhereWithNumbers(), WhereInputs(11)());
        var where = ep.Graph.Nodes.First(n => n.Op?.Name == "aten::where.ScalarOther");
        // Force the invalid form: where.self with a number for its Tensor argument.
        var broken = ep.Graph.AddCall(Aten.Where, [where.Args[0], where.Args[1], -0.25], value: where.Value);
        ep.Graph.ReplaceAllUses(where, broken);
        ep.Graph.Remove(where);

        using var files = new ArchiveFiles();
        var e = Assert.Throws<ExportException>(() => ep.Save(files.PathFor("broken.pt2")));
        Assert.Contains("passes the number -0.25 as other of aten::where.self, which takes a Tensor", e.Message);
        Assert.Contains("where.ScalarOther", e.Message);
        var v = Assert.Throws<VerificationException>(() => ep.Verify());
        Assert.Contains("passes the number -0.25 as other of aten::where.self", v.Message);
    }

    [Fact]
    public void A_number_for_a_tensor_in_add_and_mul_is_kept_as_torch_records_it()
    {
        // torch records aten.mul.Tensor(x, 3.5) itself (torch._C._should_allow_numbers_as_tensors): it saves and verifies.
        var ep = Export(new ManyArgumentKinds(), [Randn(3, 2), Randn(3, 4)]);
        ep.Verify();
        Assert.Contains("mul: \"f32[3, 2]\" = torch.ops.aten.mul.Tensor(x, 3.5)", ep.ToString());
        Assert.Equal(["aten::where.ScalarOther"], WhereOps(ep));
        RoundTrip.AssertExact(ep, () => { ManualSeed(14); return [Randn(3, 2), Randn(3, 4)]; });
        var core = ep.RunDecompositions();
        Assert.Equal(["aten::where.self"], WhereOps(core));
        RoundTrip.AssertExact(core, () => { ManualSeed(15); return [Randn(3, 2), Randn(3, 4)]; });
    }

    [Fact]
    public void Nodes_are_not_named_after_python_builtins_as_fx_names_them()
    {
        var ep = Export(new BuiltinNamedOps(), [Randn(6)]);
        var calls = ep.Graph.Nodes.Where(n => n.Kind == NodeKind.CallFunction).Select(n => n.Name).ToList();
        Assert.Equal(["abs_1", "sum_1", "pow_1", "slice_1"], calls);
        // A placeholder keeps its argument's name, as torch.export names it.
        Assert.Equal(["input"], ep.Graph.Placeholders.Select(p => p.Name));
        Assert.Contains("sum_1: \"f32[]\" = torch.ops.aten.sum.default(input)", ep.ToString());
        Assert.Equal(["abs_1", "sum_1", "pow_1", "slice_1"], ep.GraphSignature.OutputSpecs.Select(s => s.Arg.Name));
    }

    [Fact]
    public void Saved_output_specs_name_the_graph_outputs_with_names_torch_keeps()
    {
        var ep = Export(new TupleInListOut(), [(Randn(2), Randn(2))]);
        using var files = new ArchiveFiles();
        string path = files.PathFor("tuple_in_list_out.pt2");
        ep.Save(path);
        var gm = ModelJson(path)["graph_module"]!;
        var outputs = gm["graph"]!["outputs"]!.AsArray().Select(o => (string)o!["as_tensor"]!["name"]!).ToList();
        var specs = gm["signature"]!["output_specs"]!.AsArray().Select(s => (string)s!["user_output"]!["arg"]!["as_tensor"]!["name"]!).ToList();
        Assert.Equal(["sub", "exp", "abs_1"], outputs);
        Assert.Equal(outputs, specs);
        RoundTrip.AssertExact(ep, () => { ManualSeed(12); return [(Randn(2), Randn(2))]; });
    }

    [Fact]
    public void Names_read_from_an_archive_are_kept_even_where_fx_would_not_choose_them()
    {
        // Archives from earlier Graphport versions (and any other writer) may name a node "abs".
        var ep = Export(new TupleInListOut(), [(Randn(2), Randn(2))]);
        using var files = new ArchiveFiles();
        string path = files.PathFor("old_names.pt2");
        ep.Save(path);
        ArchiveContents.Rewrite(path, (name, data) => name.EndsWith(".json", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(data).Replace("\"abs_1\"", "\"abs\"", StringComparison.Ordinal))
            : data);
        var loaded = ExportedProgram.Load(path);
        Assert.Contains(loaded.Graph.Nodes, n => n.Name == "abs" && n.Op?.Name == "aten::abs");
        Assert.Equal("abs", loaded.GraphSignature.OutputSpecs[^1].Arg.Name);
        Assert.Contains("abs: \"f32[2]\" = torch.ops.aten.abs.default(x_1)", loaded.ToString());
        ManualSeed(13);
        var (x0, x1) = (Randn(2), Randn(2));
        var result = (List<Tensor>)loaded.Module().Invoke([(x0, x1)])!;
        Assert.True(result[2].AllClose(x1.Abs(), 0, 0));
    }
}

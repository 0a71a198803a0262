using Graphport.Graphs;
using Graphport.Tests.Exporting;
using static Graphport.Torch;

namespace Graphport.Tests.Decomposing;

public class RunDecompositionsTests
{
    private static List<string> Targets(ExportedProgram ep) =>
        ep.Graph.Nodes.Where(n => n.Kind == NodeKind.CallFunction).Select(n => GraphPrinter.TargetName(n.Target).Replace("torch.ops.", "")).ToList();

    [Fact]
    public void Default_table_turns_t_into_permute_as_in_the_seed()
    {
        ManualSeed(60);
        var ep = Export(new LinearOnly(), [Randn(2, 3)]);
        var core = ep.RunDecompositions();
        Assert.Equal(["aten.permute.default", "aten.addmm.default"], Targets(core));
        Assert.Equal(
            "graph():\n" +
            "    %p_linear_weight : [num_users=1] = placeholder[target=p_linear_weight]\n" +
            "    %p_linear_bias : [num_users=1] = placeholder[target=p_linear_bias]\n" +
            "    %x : [num_users=1] = placeholder[target=x]\n" +
            "    %permute : [num_users=1] = call_function[target=torch.ops.aten.permute.default](args = (%p_linear_weight, [1, 0]), kwargs = {})\n" +
            "    %addmm : [num_users=1] = call_function[target=torch.ops.aten.addmm.default](args = (%p_linear_bias, %x, %permute), kwargs = {})\n" +
            "    return (addmm,)",
            core.Graph.ToString());
        // The original program is unchanged.
        Assert.Equal(["aten.t.default", "aten.addmm.default"], Targets(ep));
    }

    [Fact]
    public void A_subset_table_decomposes_only_its_ops()
    {
        ManualSeed(61);
        var ep = Export(new LinearOnly(), [Randn(2, 3)]);
        var some = ep.RunDecompositions(Decompositions.Get("aten::t", "aten::transpose.int"));
        Assert.Equal(["aten.permute.default", "aten.addmm.default"], Targets(some));
        var none = ep.RunDecompositions(new DecompositionTable());
        Assert.Equal(["aten.t.default", "aten.addmm.default"], Targets(none));
    }

    [Fact]
    public void Removing_an_entry_keeps_the_op_and_custom_entries_are_traced()
    {
        ManualSeed(62);
        var ep = Export(new LinearOnly(), [Randn(2, 3)]);
        var table = Decompositions.Default();
        Assert.True(table.Remove("aten::t"));
        Assert.Equal(["aten.t.default", "aten.addmm.default"], Targets(ep.RunDecompositions(table)));
        table.Add("aten::t", x => x.Transpose(0, 1).Contiguous());
        table.Remove("aten::transpose.int");
        Assert.Equal(["aten.transpose.int", "aten.clone.default", "aten.addmm.default"], Targets(ep.RunDecompositions(table)));
    }

    [Fact]
    public void Decompositions_never_change_results()
    {
        ManualSeed(63);
        var module = new MyModule();
        var ep = Export(module, [Randn(8, 100), Randn(8, 100)]);
        var core = ep.RunDecompositions();
        for (int i = 0; i < 3; i++)
        {
            var x = Randn(8, 100);
            var y = Randn(8, 100);
            Assert.True(core.Module().Call(x, y).AllClose(module.Call(x, y), 1e-5, 1e-6));
        }
    }

    [Fact]
    public void A_decomposition_that_changes_the_output_shape_is_rejected_naming_the_op()
    {
        ManualSeed(64);
        var ep = Export(new LinearOnly(), [Randn(2, 3)]);
        var table = new DecompositionTable();
        table.Add("aten::t", x => x);
        var e = Assert.Throws<ExportException>(() => ep.RunDecompositions(table));
        Assert.StartsWith("The decomposition of aten::t returned f32[4, 3] but the op produces f32[3, 4].", e.Message);
    }

    [Fact]
    public void Dynamic_shapes_survive_decomposition()
    {
        ManualSeed(65);
        var ep = Export(new FlattenHead(), [Randn(4, 3, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("batch") } });
        var core = ep.RunDecompositions();
        Assert.Equal(ep.RangeConstraints.ToString(), core.RangeConstraints.ToString());
        var x = Randn(9, 3, 4);
        Assert.True(core.Module().Call(x).AllClose(ep.Module().Call(x), 1e-6, 1e-6));
        Assert.All(core.Graph.Nodes.Where(n => n.Op is not null), n => Assert.True(n.Op!.IsCore, $"{n.Op!.Name} is not core"));
    }
}

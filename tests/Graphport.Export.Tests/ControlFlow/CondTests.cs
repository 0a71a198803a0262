using Graphport.Graphs;
using static Graphport.Torch;

namespace Graphport.Tests.ControlFlow;

public class CondTests
{
    [Fact]
    public void Cond_keeps_both_branches_and_runs_the_right_one()
    {
        ManualSeed(70);
        var ep = Export(new Bad1Fixed(), [Randn(3, 3)]);
        Assert.Equal(["true_graph_0", "false_graph_0"], ep.Graph.Subgraphs.Keys);
        Assert.Contains(ep.Graph.Nodes, n => n.Target == HigherOrderTarget.Cond);
        Assert.True(ep.Module().Call(Ones(3, 3)).AllClose(Full([3, 3], Math.Sin(1)), 1e-6, 1e-6));
        Assert.True(ep.Module().Call(-Ones(3, 3)).AllClose(Full([3, 3], Math.Cos(-1)), 1e-6, 1e-6));
        string text = ep.ToString();
        Assert.Contains("cond = torch.ops.higher_order.cond(gt, true_graph_0, false_graph_0, [x])", text);
        Assert.Contains("class true_graph_0(torch.nn.Module):", text);
        Assert.Contains("sin: \"f32[3, 3]\" = torch.ops.aten.sin.default(x)", text);
    }

    [Fact]
    public void Cond_matches_eager_on_random_inputs()
    {
        ManualSeed(71);
        var module = new Bad1Fixed();
        var ep = Export(module, [Randn(3, 3)]);
        for (int i = 0; i < 6; i++)
        {
            var x = Randn(3, 3);
            Assert.True(ep.Module().Call(x).AllClose(module.Call(x), 1e-6, 1e-6));
        }
    }

    [Fact]
    public void A_size_predicate_stays_symbolic_with_dynamic_shapes()
    {
        ManualSeed(72);
        var ep = Export(new CondPredicate(), [Randn(6, 4, 12)], dynamicShapes: new DynamicShapes { ["x"] = new() { [2] = new Dim("d") } });
        var cond = Assert.Single(ep.Graph.Nodes, n => n.Target == HigherOrderTarget.Cond);
        Assert.IsType<Node>(cond.Args[0]);
        var wide = Randn(6, 4, 20);
        var narrow = Randn(6, 4, 5);
        Assert.True(ep.Module().Call(wide).AllClose(wide.Cos(), 1e-6, 1e-6));
        Assert.True(ep.Module().Call(narrow).AllClose(narrow.Sin(), 1e-6, 1e-6));
    }

    [Fact]
    public void Parameters_used_in_a_branch_are_lifted_into_its_operands()
    {
        ManualSeed(73);
        var module = new CondWithParameter();
        var ep = Export(module, [Randn(2, 4)]);
        var cond = Assert.Single(ep.Graph.Nodes, n => n.Target == HigherOrderTarget.Cond);
        Assert.Equal(["x", "p_lin_weight", "p_lin_bias"], ((object?[])cond.Args[3]!).Cast<Node>().Select(n => n.Name));
        Assert.Equal(3, ep.Graph.Subgraphs["false_graph_0"].Placeholders.Count());
        foreach (var x in new[] { Ones(2, 4), -Ones(2, 4), Randn(2, 4) })
            Assert.True(ep.Module().Call(x).AllClose(module.Call(x), 1e-5, 1e-6));
    }

    [Fact]
    public void Map_applies_the_body_over_the_leading_dimension()
    {
        ManualSeed(74);
        var ep = Export(new MapExample(), [Randn(4, 3)]);
        Assert.Contains(ep.Graph.Nodes, n => n.Target == HigherOrderTarget.Map);
        var inp = Cat([Ones(2, 3), -Ones(2, 3)]);
        var expected = Torch.Tensor(new float[,] { { 3, 3, 3 }, { 3, 3, 3 }, { -3, -3, -3 }, { -3, -3, -3 } });
        Assert.True(ep.Module().Call(inp).AllClose(expected, 0, 0));
        Assert.True(new MapExample().Call(inp).AllClose(expected, 0, 0));
    }

    [Fact]
    public void Branches_capturing_outer_tensors_are_rejected()
    {
        ManualSeed(75);
        var e = Assert.Throws<ExportException>(() => Export(new CapturesTensor(), [Randn(3), Randn(3)]));
        Assert.Contains("captures the tensor `y` from the enclosing scope", e.Message);
    }

    [Fact]
    public void Branches_must_return_the_same_metadata()
    {
        ManualSeed(76);
        var e = Assert.Throws<ExportException>(() => Export(new MismatchedBranches(), [Randn(3, 3)]));
        Assert.Equal("Expected each tensor to have same metadata but got:\n  true_fn returns f32[3]\n  false_fn returns f32[3, 3]", e.Message);
    }

    [Fact]
    public void Branches_must_not_mutate_or_alias_their_inputs()
    {
        ManualSeed(77);
        var mutation = Assert.Throws<ExportException>(() => Export(new MutatesOperand(), [Randn(3)]));
        Assert.StartsWith("One of torch.cond branch might be modifying the input! Consider cloning the input before modifying it.", mutation.Message);
        var alias = Assert.Throws<ExportException>(() => Export(new ReturnsOperand(), [Randn(3)]));
        Assert.StartsWith("One of torch.cond branch might be aliasing the input!", alias.Message);
    }

    [Fact]
    public void Predicates_must_be_bool_or_one_element_bool_tensors()
    {
        var x = Randn(3);
        var e = Assert.Throws<ArgumentException>(() => Cond(x > 0, o => o[0], o => o[0], [x]));
        Assert.Contains("Expected pred to be bool or single-element tensor", e.Message);
        var f = Assert.Throws<ArgumentException>(() => Cond(x.Sum(), o => o[0], o => o[0], [x]));
        Assert.Contains("bool tensor", f.Message);
    }

    [Fact]
    public void Cond_survives_decomposition()
    {
        ManualSeed(78);
        var module = new CondWithParameter();
        var ep = Export(module, [Randn(2, 4)]).RunDecompositions();
        Assert.DoesNotContain(ep.Graph.Subgraphs["true_graph_0"].Nodes, n => n.Op?.OpName == "t");
        var x = Randn(2, 4);
        Assert.True(ep.Module().Call(x).AllClose(module.Call(x), 1e-5, 1e-6));
    }
}

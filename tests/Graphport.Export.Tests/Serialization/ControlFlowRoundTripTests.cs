using Graphport.Graphs;
using Graphport.Tests.ControlFlow;
using static Graphport.Torch;
using static Graphport.Tests.Serialization.TutorialRoundTripTests;

namespace Graphport.Tests.Serialization;

/// <summary>cond and map keep their subgraphs (nested ones too), the getitem nodes reading their results, and their behaviour.</summary>
public class ControlFlowRoundTripTests
{
    [Fact]
    public void Cond_on_a_tensor_predicate_round_trips_with_both_branches()
    {
        ManualSeed(70);
        var ep = Export(new Bad1Fixed(), [Randn(3, 3)]);
        var loaded = RoundTrip.AssertExact(ep, () => [Ones(3, 3)], () => [-Ones(3, 3)], Inputs(71, [3, 3]));
        Assert.Equal(["true_graph_0", "false_graph_0"], loaded.Graph.Subgraphs.Keys);
        var cond = Assert.Single(loaded.Graph.Nodes, n => n.Target == HigherOrderTarget.Cond);
        Assert.Equal(NodeKind.GetAttr, ((Node)cond.Args[1]!).Kind);
    }

    [Fact]
    public void Cond_on_a_symbolic_size_predicate_round_trips()
    {
        var ep = Export(new CondPredicate(), [Randn(6, 4, 12)], dynamicShapes: new DynamicShapes { ["x"] = new() { [2] = new Dim("d") } });
        var loaded = RoundTrip.AssertExact(ep, Inputs(72, [6, 4, 20]), Inputs(73, [6, 4, 5]));
        var cond = Assert.Single(loaded.Graph.Nodes, n => n.Target == HigherOrderTarget.Cond);
        Assert.IsType<SymBool>(((Node)cond.Args[0]!).Value);
    }

    [Fact]
    public void Cond_branches_that_use_lifted_parameters_round_trip()
    {
        ManualSeed(74);
        var ep = Export(new CondWithParameter(), [Randn(2, 4)]);
        RoundTrip.AssertExact(ep, () => [Ones(2, 4)], () => [-Ones(2, 4)], Inputs(75, [2, 4]));
    }

    [Fact]
    public void Map_with_a_cond_inside_its_body_round_trips_with_nested_subgraphs()
    {
        ManualSeed(76);
        var ep = Export(new MapExample(), [Randn(4, 3)]);
        var loaded = RoundTrip.AssertExact(ep, Inputs(77, [4, 3]), () => [Cat([Ones(2, 3), -Ones(2, 3)])]);
        var body = loaded.Graph.Subgraphs["body_graph_0"];
        Assert.Equal(["true_graph_0", "false_graph_0"], body.Subgraphs.Keys);
    }

    [Fact]
    public void A_loaded_cond_program_decomposes_like_the_original()
    {
        ManualSeed(78);
        var ep = Export(new CondWithParameter(), [Randn(2, 4)]);
        var loaded = RoundTrip.SaveAndLoad(ep);
        Assert.Equal(ep.RunDecompositions().ToString(), loaded.RunDecompositions().ToString());
    }
}

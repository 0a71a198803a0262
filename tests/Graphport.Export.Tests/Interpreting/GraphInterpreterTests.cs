using Graphport.Graphs;
using static Graphport.Torch;

namespace Graphport.Tests.Interpreting;

/// <summary>
/// GraphInterpreter keeps what it works out from a graph (slots, argument templates, when to drop values) between
/// runs: a graph that changes afterwards runs as it is now, and one graph runs on many threads at once.
/// </summary>
public class GraphInterpreterTests
{
    private static Tensor Run(Graph graph, params object?[] inputs) => (Tensor)GraphInterpreter.Run(graph, inputs)[0]!;

    private static void AssertSame(Tensor expected, Tensor actual) => Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());

    // neg(x) + y, the output reading the add.
    private static (Graph Graph, Node X, Node Neg, Node Add) NegAdd()
    {
        var graph = new Graph();
        var x = graph.AddPlaceholder("x", null);
        var y = graph.AddPlaceholder("y", null);
        var neg = graph.AddCall(Ops["aten::neg"], [x]);
        var add = graph.AddCall(Ops["aten::add.Tensor"], [neg, y]);
        graph.SetOutput([add]);
        return (graph, x, neg, add);
    }

    [Fact]
    public void A_graph_changed_after_it_ran_runs_as_it_is_now()
    {
        ManualSeed(1);
        var (graph, x, neg, add) = NegAdd();
        var a = Randn(3, 4);
        var b = Randn(3, 4);
        AssertSame(-a + b, Run(graph, a, b));
        AssertSame(-a + b, Run(graph, a, b));

        // The add now reads x itself instead of neg(x), and a mul is appended and becomes the output.
        graph.ReplaceAllUses(neg, x);
        graph.Remove(neg);
        var mul = graph.AddCall(Ops["aten::mul.Tensor"], [add, add]);
        graph.SetOutput([mul]);

        AssertSame((a + b) * (a + b), Run(graph, a, b));
        Assert.Equal("The graph has 2 inputs (x, y) but 1 values were given.", Assert.Throws<ArgumentException>(() => Run(graph, a)).Message);
    }

    [Fact]
    public void One_graph_runs_on_many_threads_at_once_and_each_gets_its_own_values()
    {
        var (graph, _, _, _) = NegAdd();
        var inputs = Enumerable.Range(0, 64).Select(i => (A: Full([5, 7], (double)i), B: Full([5, 7], 2.0 * i))).ToArray();
        var results = new Tensor[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            for (int repeat = 0; repeat < 20; repeat++) results[i] = Run(graph, inputs[i].A, inputs[i].B);
        });
        for (int i = 0; i < inputs.Length; i++) AssertSame(Full([5, 7], (double)i), results[i]);
    }

    [Fact]
    public void A_node_read_before_it_is_computed_is_named()
    {
        var graph = new Graph();
        var x = graph.AddPlaceholder("x", null);
        var later = new Graph().AddPlaceholder("elsewhere", null);  // a node of another graph
        var add = graph.AddCall(Ops["aten::add.Tensor"], [x, later]);
        graph.SetOutput([add]);

        var e = Assert.Throws<NodeExecutionException>(() => Run(graph, Randn(2)));
        Assert.Contains("Node elsewhere was used before it was computed.", e.Message);
    }
}

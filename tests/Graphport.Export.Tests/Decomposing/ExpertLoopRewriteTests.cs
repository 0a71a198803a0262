using Graphport.Graphs;
using static Graphport.Torch;

namespace Graphport.Tests.Decomposing;

/// <summary>
/// A mixture of experts written as a loop over its experts, as Granite-MoE's ParallelExperts writes it: each expert's
/// row count read out of a tensor (Item&lt;SymInt&gt;, torch's .tolist()), stated to be a size and to add up to the
/// rows (Torch.Check), the sorted tokens split by those counts, one linear product per expert, a concatenation.
/// Export records the checks on the values the program reads; RunDecompositions with groupedExperts makes the
/// loop one graphport::split_mm_cat that computes the same, reads no size from the data and checks the counts itself.
/// </summary>
public class ExpertLoopRewriteTests
{
    private const int Experts = 3, Features = 4, Outputs = 5, Tokens = 9;

    private sealed class ExpertLoop(bool alsoReturnFirstRun = false) : Module<Tensor, Tensor, object>
    {
        private readonly Parameter weight = new(Randn(Experts, Outputs, Features));

        public override object Forward(Tensor tokens, Tensor counts)
        {
            var sizes = new SymInt[Experts];
            for (int e = 0; e < Experts; e++)
            {
                sizes[e] = counts[e].Item<SymInt>();
                CheckIsSize(sizes[e]);
            }
            Check(sizes[0] + sizes[1] + sizes[2] == tokens.Size(0), "the counts cover the tokens");
            var runs = (Tensor[])Ops["aten::split_with_sizes"].Call(tokens, sizes, 0L)!;
            var products = Cat(runs.Select((run, e) => Functional.Linear(run, weight[e])));
            // A count used for something else as well must still be read from the data.
            return alsoReturnFirstRun ? new object[] { products, runs[0] * 2.0 } : products;
        }
    }

    private static Tensor Counts(params long[] counts) => Tensor.FromArray(counts, counts.Length);

    private static List<string> Targets(ExportedProgram ep) =>
        ep.Graph.Nodes.Where(n => n.Kind == NodeKind.CallFunction).Select(n => GraphPrinter.TargetName(n.Target).Replace("torch.ops.", "")).ToList();

    [Fact]
    public void Counts_stated_to_add_up_to_the_rows_are_checked_on_the_values_the_program_reads()
    {
        ManualSeed(81);
        var module = new ExpertLoop();
        var program = Export(module, [Randn(Tokens, Features), Counts(4, 0, 5)]);
        var assertion = Assert.Single(program.Graph.Nodes, n => n.Op?.Name == "aten::_assert_scalar" && n.Args[1] is "the counts cover the tokens");
        // The check compares the sum of the three values read with the rows, not the rows with themselves.
        var comparison = (Node)assertion.Args[0]!;
        Assert.Equal("u0 + u1 + u2 == 9", ((SymBool)comparison.Value!).ToString());

        var tokens = Randn(Tokens, Features);
        Assert.True(((Tensor)program.Module().Call(tokens, Counts(2, 6, 1))).AllClose((Tensor)module.Call(tokens, Counts(2, 6, 1)), 1e-5, 1e-6));
        var error = Assert.ThrowsAny<Exception>(() => program.Module().Call(tokens, Counts(2, 6, 3)));
        Assert.Contains("the counts cover the tokens", error.ToString());
    }

    [Fact]
    public void Grouped_experts_make_the_loop_one_split_mm_cat_that_computes_the_same_and_checks_the_counts()
    {
        ManualSeed(82);
        var module = new ExpertLoop();
        var core = Export(module, [Randn(Tokens, Features), Counts(4, 0, 5)]).RunDecompositions();
        var grouped = core.RunDecompositions(new DecompositionTable(), groupedQueryAttention: false, groupedExperts: true);
        var targets = Targets(grouped);
        Assert.Equal(1, targets.Count(t => t == "graphport.split_mm_cat.default"));
        Assert.DoesNotContain(targets, t => t is "aten._local_scalar_dense.default" or "aten.split_with_sizes.default" or "aten.mm.default" or "aten._assert_scalar.default");
        Assert.Equal([Tokens, Outputs], grouped.Graph.Nodes.Single(n => n.Op?.Name == "graphport::split_mm_cat").TensorValue.Shape.Select(s => (long)s));

        var random = new Random(3);
        for (int call = 0; call < 5; call++)
        {
            long first = random.Next(Tokens + 1), second = random.Next((int)(Tokens - first) + 1);
            var counts = Counts(first, second, Tokens - first - second);
            var tokens = Randn(Tokens, Features);
            var expected = (Tensor)core.Module().Call(tokens, counts);
            Assert.True(((Tensor)grouped.Module().Call(tokens, counts)).AllClose(expected, 1e-5, 1e-6), $"counts {first}, {second}, {Tokens - first - second}");
        }
        var negative = Assert.ThrowsAny<Exception>(() => grouped.Module().Call(Randn(Tokens, Features), Counts(6, -1, 4)));
        Assert.Contains("group 1 has -1 rows; a split's sizes must be non-negative", negative.ToString());
        var uncovered = Assert.ThrowsAny<Exception>(() => grouped.Module().Call(Randn(Tokens, Features), Counts(1, 2, 3)));
        Assert.Contains("the groups' row counts add up to 6, but the input has 9 rows", uncovered.ToString());
    }

    [Fact]
    public void A_loop_whose_counts_are_also_used_elsewhere_is_left_as_it_is()
    {
        ManualSeed(83);
        var core = Export(new ExpertLoop(alsoReturnFirstRun: true), [Randn(Tokens, Features), Counts(4, 0, 5)]).RunDecompositions();
        var kept = core.RunDecompositions(new DecompositionTable(), groupedQueryAttention: false, groupedExperts: true);
        Assert.Equal(Targets(core), Targets(kept));
        Assert.DoesNotContain("graphport.split_mm_cat.default", Targets(kept));
    }
}

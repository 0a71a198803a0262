using Graphport.Operators;

namespace Graphport.Tests.OpOracle;

/// <summary>
/// Every registered decomposition computes what its op's own kernel computes (torch's decomposition tests do the
/// same): for seeded inputs over shapes (sizes 0 and 1, broadcasting) and dtypes, the op runs eagerly, its
/// decomposition runs eagerly, and the op is exported in a one-op program, decomposed and run.
/// </summary>
public class DecompositionOracleTests
{
    // In-place variants declared on first use (silu_ once a .pt2 asks for it) exist or not depending on which tests ran
    // first; their one decomposition, the functional op then copy_, is InPlaceVariantTests' to check.
    private static IEnumerable<OpOverload> Decomposed() => Decompositions.Default().Ops.Where(o => !o.Tags.Contains(OpRegistry.DerivedInPlaceTag));

    public static TheoryData<string> DecomposedOps() => new(Decomposed().Select(o => o.Name).OrderBy(n => n, StringComparer.Ordinal));

    private static IReadOnlyList<OracleCase> CasesOf(string name) =>
        OracleInputs.For(name) ?? throw new InvalidOperationException($"OracleInputs has no entry for {name}.");

    [Fact]
    public void Every_decomposed_op_has_oracle_inputs()
    {
        var missing = Decomposed().Select(o => o.Name).Where(n => OracleInputs.For(n) is not { Count: > 0 }).ToList();
        Assert.True(missing.Count == 0, $"No oracle inputs for: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(DecomposedOps))]
    public void The_decomposition_run_eagerly_agrees_with_the_kernel(string name)
    {
        var op = Torch.Ops[name];
        var decomposition = Decompositions.Default()[op];
        int written = op.Schema.IsMutable ? op.Schema.Arguments.ToList().FindIndex(a => a.Alias?.IsWrite == true) : -1;
        foreach (var c in CasesOf(name))
        {
            var kernelArgs = op.BindArgs(c.CloneArgs());
            var expected = op.Call(kernelArgs);
            var decomposedArgs = op.BindArgs(c.CloneArgs());
            var actual = decomposition(decomposedArgs);
            Agree.Results(expected, actual, c.Agreement, $"{name} {c}");
            // An in-place op and its decomposition must leave the written argument equal too.
            if (written >= 0) Agree.Results(kernelArgs[written], decomposedArgs[written], c.Agreement, $"{name} {c} (written argument)");
        }
    }

    [Theory]
    [MemberData(nameof(DecomposedOps))]
    public void The_exported_op_decomposed_to_core_agrees_with_the_kernel(string name)
    {
        var op = Torch.Ops[name];
        // Export functionalizes in-place ops: they never reach a graph, so only the eager oracle applies to them.
        if (op.Schema.IsMutable) return;
        foreach (var c in CasesOf(name).Where(c => c.Traceable))
        {
            var expected = op.Call(op.BindArgs(c.CloneArgs()));
            // Exported programs trace their inputs as contiguous tensors, so they are given contiguous ones.
            var inputs = SingleOpModule.TensorsOf(c.Args).Select(t => t.Contiguous()).ToArray();
            var ep = Torch.Export(new SingleOpModule(op, c.Args), [inputs], strict: false);
            Assert.Contains(ep.Graph.Nodes, n => n.Op == op);

            var alone = ep.RunDecompositions(Decompositions.Get(name));
            Assert.DoesNotContain(alone.Graph.Nodes, n => n.Op == op);
            Agree.Results(expected, alone.Module().Invoke([inputs]), c.Agreement, $"{name} {c} (its decomposition only)");

            var core = ep.RunDecompositions();
            var nonCore = core.Graph.Nodes.Where(n => n.Op is { IsCore: false }).Select(n => n.Op!.Name).ToList();
            Assert.True(nonCore.Count == 0, $"{name} {c}: the default table left non-core ops {string.Join(", ", nonCore)}");
            Agree.Results(expected, core.Module().Invoke([inputs]), c.Agreement, $"{name} {c} (Core ATen)");
        }
    }

    /// <summary>Ops whose decomposition is also checked with a symbolic batch dim (their outputs follow dim 0 without guards).</summary>
    public static TheoryData<string> DynamicOps() => new(
        "aten::t", "aten::transpose.int", "aten::dot", "aten::sum", "aten::all", "aten::zeros_like", "aten::ones_like",
        "aten::silu", "aten::hardsigmoid", "aten::hardswish", "aten::softplus", "aten::masked_fill.Scalar", "aten::fill.Tensor",
        "aten::triu", "aten::tril", "aten::_native_batch_norm_legit_functional", "aten::replication_pad1d", "aten::one_hot",
        "aten::as_strided_scatter", "aten::_unsafe_view", "aten::squeeze");

    [Theory]
    [MemberData(nameof(DynamicOps))]
    public void The_decomposition_traces_with_a_dynamic_batch_dim(string name)
    {
        var op = Torch.Ops[name];
        int checkedCases = 0;
        foreach (var c in CasesOf(name).Where(c => c.Traceable))
        {
            var inputs = SingleOpModule.TensorsOf(c.Args).Select(t => t.Contiguous()).ToArray();
            if (inputs.Length == 0 || inputs[0].Ndim == 0 || inputs[0].Shape[0].Hint < 3) continue;
            long batch = inputs[0].Shape[0].Hint;
            // Every input whose leading size is the batch size shares the batch dim.
            bool[] marked = inputs.Select(t => t.Ndim > 0 && t.Shape[0].Hint == batch).ToArray();
            var dim = new Dim("batch");
            var specs = inputs.Select((t, i) => marked[i] ? new ShapeSpec { [0] = dim } : null).ToArray();
            var ep = Torch.Export(new SingleOpModule(op, c.Args), [inputs], dynamicShapes: DynamicShapes.Positional(ShapeSpec.List(specs)), strict: false);
            var core = ep.RunDecompositions();
            Assert.All(core.Graph.Nodes.Where(n => n.Op is not null), n => Assert.True(n.Op!.IsCore, $"{name} {c}: {n.Op!.Name} is not core"));
            // The decomposed program also runs on a smaller batch.
            var smaller = inputs.Select((t, i) => marked[i] ? t[..(int)(batch - 1)].Contiguous() : t).ToArray();
            int next = 0;
            var smallerArgs = c.Args.Select(a => a switch
            {
                Tensor => smaller[next++],
                Tensor?[] list => list.Select(t => t is null ? null : smaller[next++]).ToArray(),
                _ => a,
            }).ToArray();
            var expected = op.Call(op.BindArgs(smallerArgs));
            Agree.Results(expected, core.Module().Invoke([smaller]), c.Agreement, $"{name} {c} (dynamic batch {batch - 1})");
            checkedCases++;
        }
        Assert.True(checkedCases > 0, $"{name}: no case has a batch dim of at least 3");
    }
}

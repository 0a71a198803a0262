using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Tests;

/// <summary>
/// A mixture of experts written as a loop over its experts (Granite-MoE's ParallelExperts: the tokens sorted by
/// expert, split by counts read out of a tensor, one product per expert, a concatenation) runs on the device as one
/// grouped product whose rows are the tokens', with no size read on the host; the device checks the counts as torch
/// checks the split's sizes (each at least 0, all adding up to the rows), and a call with counts that break that fails
/// naming the op and the value instead of returning a wrong result. Shown on the CPU twin and on the generated CUDA C
/// compiled for the CPU.
/// </summary>
public class ExpertLoopPlanTests
{
    public static TheoryData<bool> RunsCudaSource => new() { false, true };

    private const int Experts = 4, Features = 6, Outputs = 5, Tokens = 13;

    // tokens (rows, features), weights (experts, outputs, features) as a linear layer keeps them, counts (experts).
    private static Tensor ExpertLoop(Tensor tokens, Tensor weights, Tensor counts)
    {
        var sizes = new SymInt[Experts];
        for (int e = 0; e < Experts; e++)
        {
            sizes[e] = counts[e].Item<SymInt>();
            Torch.CheckIsSize(sizes[e]);
        }
        Torch.Check(sizes.Aggregate((a, b) => a + b) == tokens.Size(0), "the counts cover the tokens");
        var runs = (Tensor[])Torch.Ops["aten::split_with_sizes"].Call(tokens, sizes, 0L)!;
        return Torch.Cat(runs.Select((run, e) => run.Matmul(weights[e].T())));
    }

    private static OpCase Case => new("expert_loop", a => ExpertLoop(a[0], a[1], a[2]),
        () => [Torch.Randn(Tokens, Features), Torch.Randn(Experts, Outputs, Features), RandomCounts(new Random(5))]);

    // Experts' row counts that add up to the tokens, some of them empty.
    private static Tensor RandomCounts(Random random)
    {
        var cuts = Enumerable.Range(0, Experts - 1).Select(_ => (long)random.Next(Tokens + 1)).Order().ToArray();
        long[] ends = [.. cuts, Tokens];
        return Tensor.FromArray(ends.Select((end, e) => end - (e == 0 ? 0 : ends[e - 1])).ToArray(), Experts);
    }

    [Theory]
    [MemberData(nameof(RunsCudaSource))]
    public void An_expert_loop_runs_as_one_grouped_product_on_the_device_for_any_split_of_the_tokens(bool cudaSource)
    {
        Torch.ManualSeed(91);
        var inputs = Case.Inputs();
        var program = Case.Export(inputs);
        var backend = new CpuTwinBackend(runCudaSource: cudaSource);
        using var compiled = backend.Compile(program);
        using var reference = new CpuBackend().Compile(program);
        var random = new Random(17);
        for (int call = 0; call < 4; call++)
        {
            // A different split each call, the same plan: the rows are the tokens' whatever the counts.
            Tensor[] callInputs = [Torch.Randn(Tokens, Features), inputs[1], RandomCounts(random)];
            var expected = (Tensor)reference.Run(callInputs)[0]!;
            var actual = (Tensor)compiled.Run(callInputs)[0]!;
            Assert.True(actual.AllClose(expected, 1e-4, 1e-5), $"call {call}: counts [{string.Join(", ", callInputs[2].ToArray<long>())}]");
        }
        var plan = backend.Plans.Single();
        Assert.Empty(plan.HostOps);
        var grouped = Assert.Single(plan.Steps.OfType<GroupedMatmulKernel>());
        Assert.NotNull(grouped.SplitChecks);
        Assert.DoesNotContain(plan.Steps, s => s.Comment.Contains("aten::mm", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RunsCudaSource))]
    public void Counts_that_do_not_cover_the_tokens_fail_the_call_as_torch_fails_the_split(bool cudaSource)
    {
        Torch.ManualSeed(92);
        var inputs = Case.Inputs();
        var program = Case.Export(inputs);
        using var compiled = new CpuTwinBackend(runCudaSource: cudaSource).Compile(program);
        using var reference = new CpuBackend().Compile(program);
        var tokens = Torch.Randn(Tokens, Features);

        var negative = Tensor.FromArray(new long[] { 5, -2, 6, 4 }, Experts);
        var refused = Assert.Throws<DataFaultException>(() => compiled.Run([tokens, inputs[1], negative]));
        Assert.Equal(new SplitCountsSite("graphport::split_mm_cat", refused.Site.Node, Tokens, Total: false), refused.Site);
        Assert.Contains("a row count read from the data is -2; a split's sizes must be non-negative", refused.Message);
        // The interpreter refuses the same calls, through the program's own checks.
        Assert.Contains("Runtime assertion failed for expression u1 >= 0", Assert.ThrowsAny<Exception>(() => reference.Run([tokens, inputs[1], negative])).Message);

        var uncovered = Tensor.FromArray(new long[] { 5, 2, 3, 1 }, Experts);
        var total = Assert.Throws<DataFaultException>(() => compiled.Run([tokens, inputs[1], uncovered]));
        Assert.Contains($"the row counts read from the data add up to 11, but the split input has {Tokens} rows", total.Message);
        Assert.Contains("the counts cover the tokens", Assert.ThrowsAny<Exception>(() => reference.Run([tokens, inputs[1], uncovered])).Message);

        // The next good call runs as if nothing happened.
        var good = Tensor.FromArray(new long[] { 5, 2, 3, 3 }, Experts);
        Assert.True(((Tensor)compiled.Run([tokens, inputs[1], good])[0]!).AllClose((Tensor)reference.Run([tokens, inputs[1], good])[0]!, 1e-4, 1e-5));
    }

    [Fact]
    public void The_generated_cuda_c_checks_the_counts_before_the_grouped_product()
    {
        Torch.ManualSeed(93);
        var inputs = Case.Inputs();
        var core = ProgramPreparation.ToCore(Case.Export(inputs));
        Assert.DoesNotContain(core.Graph.Nodes, n => n.Op?.Name is "aten::_local_scalar_dense" or "aten::split_with_sizes");
        var plan = FusionPlanner.Plan(core, ProgramPreparation.Bind(core, inputs));
        var source = Codegen.CudaRenderer.RenderModule(plan.GeneratedKernels);
        Assert.Contains($"gp::check_split_ends({Tokens}, {Experts}, 0, 1, ", source);
        Assert.True(source.IndexOf("gp::check_split_ends(", StringComparison.Ordinal) < source.IndexOf("gp::grouped_matmul<", StringComparison.Ordinal));
    }
}

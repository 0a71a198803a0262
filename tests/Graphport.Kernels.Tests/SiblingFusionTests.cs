using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Planning;
using Graphport.Kernels.Twin;

namespace Graphport.Kernels.Tests;

/// <summary>
/// Pointwise kernels over one shape that do not depend on each other run as one launch (a decoding step's key and
/// value cache writes); a kernel that reads what another writes, or writes what another reads, stays a launch of its
/// own, and nothing moves past a step it depends on.
/// </summary>
public class SiblingFusionTests
{
    [Fact]
    public void Two_cache_writes_become_one_launch_and_a_kernel_reading_them_stays_after()
    {
        Torch.ManualSeed(86);
        var inputs = new[] { Torch.Randn(2, 6, 4), Torch.Randn(2, 6, 4), Torch.Randn(2, 1, 4) };
        var op = new OpCase("two_writes", a =>
        {
            var at = Tensor.FromArray(new long[] { 3 }, 1);
            var keys = Torch.Ops["aten::index_put"].CallTensor(a[0], new Tensor?[] { null, at }, a[2]);
            var values = Torch.Ops["aten::index_put"].CallTensor(a[1], new Tensor?[] { null, at }, a[2] * 2.0);
            return keys.Sum(-1) + values.Sum(-1);
        }, () => inputs);
        var core = ProgramPreparation.ToCore(op.Export(inputs));
        var plan = FusionPlanner.Plan(core, ProgramPreparation.Bind(core, inputs));
        var unfused = FusionPlanner.Plan(core, ProgramPreparation.Bind(core, inputs), PlannerOptions.Default with { FuseSiblings = false });

        // Copies of both caches in one launch, both writes in one, then the sums that read them.
        var writes = plan.Steps.OfType<PointwiseKernel>().Where(k => k.Stores.Count == 2).ToList();
        Assert.Equal(2, writes.Count);
        Assert.Equal(unfused.Steps.Count - 2, plan.Steps.Count);
        int copies = plan.Steps.ToList().IndexOf(writes[0]), puts = plan.Steps.ToList().IndexOf(writes[1]);
        Assert.True(copies < puts, "the copies come before the writes into them");
        Assert.DoesNotContain(plan.Steps.Take(puts), s => s.Reads().Any(writes[1].Writes().Contains));
        using var reference = new CpuBackend().Compile(op.Export(inputs));
        var expected = (Tensor)reference.Run(inputs)[0]!;
        Assert.True(((Tensor)CpuTwin.Run(plan, inputs)[0]!).AllClose(expected, 1e-5, 1e-6));
    }
}

using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Planning;
using Graphport.Kernels.Twin;

namespace Graphport.Kernels.Tests;

/// <summary>
/// A matrix product over k = 1 (a rotary embedding's frequencies times positions, in every Llama-style decoder) is an
/// outer product: a multiply per element that its consumers compute inline, with no cuBLASLt call and no stored result.
/// </summary>
public class OuterProductPlanTests
{
    [Fact]
    public void Products_over_one_term_plan_as_pointwise_multiplies_with_the_cpus_values()
    {
        var op = OpCases.Get("rotary_outer_product");
        Torch.ManualSeed(82);
        var inputs = op.Inputs();
        var core = ProgramPreparation.ToCore(op.Export(inputs));
        var plan = FusionPlanner.Plan(core, ProgramPreparation.Bind(core, inputs));

        Assert.Empty(plan.Steps.OfType<MatmulStep>());
        // The angles' cos and sin, the concatenation and the added sum: one reduction and one pointwise kernel.
        Assert.Equal(["ReductionKernel", "PointwiseKernel"], plan.Steps.Select(s => s.GetType().Name));
        using var reference = new CpuBackend().Compile(op.Export(inputs));
        var expected = (Tensor)reference.Run(inputs)[0]!;
        Assert.True(((Tensor)CpuTwin.Run(plan, inputs)[0]!).AllClose(expected, 1e-6, 1e-6));
    }
}

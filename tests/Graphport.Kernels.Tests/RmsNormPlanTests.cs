using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Planning;
using Graphport.Kernels.Twin;

namespace Graphport.Kernels.Tests;

/// <summary>
/// An RMS norm as transformers writes it (no aten op: pow, mean, add, rsqrt, mul, then the weight's mul) plans as one
/// row kernel, where it was a reduction and a pointwise kernel reading every row again; a mean that only looks like
/// one (another dim, a different eps place, read elsewhere) stays what it was.
/// </summary>
public class RmsNormPlanTests
{
    private static (FusedProgram Plan, Tensor Expected, Tensor[] Inputs) PlanOf(Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        var op = new OpCase("rms", function, () => inputs);
        var program = op.Export(inputs);
        var core = ProgramPreparation.ToCore(program);
        using var reference = new CpuBackend().Compile(program);
        return (FusionPlanner.Plan(core, ProgramPreparation.Bind(core, inputs)), (Tensor)reference.Run(inputs)[0]!, inputs);
    }

    [Fact]
    public void A_transformers_rms_norm_and_its_weight_are_one_row_kernel_with_the_cpus_values()
    {
        Torch.ManualSeed(83);
        var op = OpCases.Get("rms_norm_transformers_style");
        var inputs = op.Inputs();
        var (plan, expected, _) = PlanOf(op.Function, inputs);

        var norm = Assert.Single(plan.Steps);
        Assert.Equal(NormKind.RmsNorm, Assert.IsType<NormKernel>(norm).Kind);
        Assert.True(((Tensor)CpuTwin.Run(plan, inputs)[0]!).AllClose(expected, 1e-5, 1e-6));
    }

    [Fact]
    public void The_rms_norm_layer_and_functional_are_one_row_kernel_too()
    {
        int seed = Environment.TickCount & int.MaxValue;
        Torch.ManualSeed((ulong)seed);
        var layer = new RMSNorm(32, eps: 1e-6);
        layer.Weight!.Copy_(Torch.Rand(32) + 0.5);
        var (plan, expected, inputs) = PlanOf(a => layer.Call(a[0]), Torch.Randn(3, 5, 32));
        Assert.Equal(NormKind.RmsNorm, Assert.IsType<NormKernel>(Assert.Single(plan.Steps)).Kind);
        Assert.True(((Tensor)CpuTwin.Run(plan, inputs)[0]!).AllClose(expected, 1e-5, 1e-6), $"seed {seed}");

        (plan, expected, inputs) = PlanOf(a => Functional.RmsNorm(a[0], [32]), Torch.Randn(4, 32));
        Assert.Equal(NormKind.RmsNorm, Assert.IsType<NormKernel>(Assert.Single(plan.Steps)).Kind);
        Assert.True(((Tensor)CpuTwin.Run(plan, inputs)[0]!).AllClose(expected, 1e-5, 1e-6), $"seed {seed}");
    }

    [Fact]
    public void A_weight_computed_after_the_norm_like_gemmas_one_plus_weight_still_leaves_one_norm_kernel()
    {
        Torch.ManualSeed(84);
        var (plan, expected, inputs) = PlanOf(a => (a[0] * ((a[0] * a[0]).Mean([-1L], keepdim: true) + 1e-6).Rsqrt()) * (a[1] + 1.0), Torch.Randn(3, 64), Torch.Randn(64));

        Assert.Equal(NormKind.RmsNorm, Assert.Single(plan.Steps.OfType<NormKernel>()).Kind);
        Assert.Empty(plan.Steps.OfType<ReductionKernel>());
        Assert.True(((Tensor)CpuTwin.Run(plan, inputs)[0]!).AllClose(expected, 1e-5, 1e-6));
    }

    [Fact]
    public void Means_that_only_look_like_a_norm_stay_reductions()
    {
        Torch.ManualSeed(85);
        // Over the first dim; and a mean of squares read by something else as well.
        var (overRows, expectedRows, rowInputs) = PlanOf(a => a[0] * (a[0].Pow(2.0).Mean([0L], keepdim: true) + 1e-6).Rsqrt(), Torch.Randn(5, 16));
        var (shared, expectedShared, sharedInputs) = PlanOf(a =>
        {
            var meanSquare = a[0].Pow(2.0).Mean([-1L], keepdim: true);
            return a[0] * (meanSquare + 1e-6).Rsqrt() + meanSquare;
        }, Torch.Randn(5, 16));

        foreach (var (plan, expected, inputs) in new[] { (overRows, expectedRows, rowInputs), (shared, expectedShared, sharedInputs) })
        {
            Assert.Empty(plan.Steps.OfType<NormKernel>());
            Assert.Single(plan.Steps.OfType<ReductionKernel>());
            Assert.True(((Tensor)CpuTwin.Run(plan, inputs)[0]!).AllClose(expected, 1e-5, 1e-6));
        }
    }
}

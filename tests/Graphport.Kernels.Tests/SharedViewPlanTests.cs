using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Planning;
using F = Graphport.Functional;

namespace Graphport.Kernels.Tests;

/// <summary>
/// A small value that several matrix products read, each through its own reshape (a decoder's normed hidden state
/// taken by the query, key and value projections: linear decomposes to view, mm, view), is computed once and viewed,
/// not computed again into each product's operand.
/// </summary>
public class SharedViewPlanTests
{
    [Fact]
    public void A_normed_state_that_three_projections_read_through_views_is_computed_once()
    {
        Torch.ManualSeed(81);
        var inputs = new[] { Torch.Randn(1, 3, 16), Torch.Randn(3, 8, 16), Torch.Randn(16) };
        var op = new OpCase("projections", a =>
        {
            // A layer's scaled activation (not an RMS norm, which is a row kernel of its own).
            var normed = a[0].Tanh() * a[2] + 1.0;
            return F.Linear(normed, a[1][0]) + F.Linear(normed, a[1][1]) * 2.0 + F.Linear(normed, a[1][2]) * 3.0;
        }, () => inputs);
        var program = op.Export(inputs);
        var core = ProgramPreparation.ToCore(program);
        var plan = FusionPlanner.Plan(core, ProgramPreparation.Bind(core, inputs));

        Assert.Equal(3, plan.Steps.OfType<MatmulStep>().Count());
        var norms = plan.Steps.OfType<PointwiseKernel>().Where(k => k.Comment.Contains("aten::tanh", StringComparison.Ordinal)).ToList();
        Assert.Single(norms);
        using var reference = new CpuBackend().Compile(program);
        using var twin = new CpuTwinBackend().Compile(program);
        var expected = (Tensor)reference.Run(inputs)[0]!;
        Assert.True(((Tensor)twin.Run(inputs)[0]!).AllClose(expected, 1e-5, 1e-5));
    }
}

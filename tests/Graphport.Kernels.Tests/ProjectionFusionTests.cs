using Graphport.Kernels.Backends;
using Graphport.Kernels.Planning;
using Graphport.Kernels.Twin;
using F = Graphport.Functional;

namespace Graphport.Kernels.Tests;

/// <summary>
/// Linears of one input by constant weights (a layer's query, key and value projections; its gate and up projections)
/// run as one product by the weights side by side, each result a column slice of it (with the biases side by side when
/// they have them); products whose weight is computed or an input, or whose inputs differ, stay their own.
/// </summary>
public class ProjectionFusionTests
{
    private sealed class Projections(bool bias) : Module<Tensor, Tensor>
    {
        private readonly Linear query = new(24, 24, bias), key = new(24, 8, bias), value = new(24, 8, bias);

        public override Tensor Forward(Tensor x)
        {
            var h = F.Relu(x) * 0.5;
            return Torch.Cat([query.Call(h) * 3.0, key.Call(h) * 2.0, value.Call(h) - 1.0], -1);
        }
    }

    private static (FusedProgram Plan, ExportedProgram Program) Planned(Module module, params Tensor[] inputs)
    {
        var program = Torch.Export(module, inputs.Cast<object?>().ToArray(), strict: false);
        var core = ProgramPreparation.ToCore(program);
        return (FusionPlanner.Plan(core, ProgramPreparation.Bind(core, inputs)), program);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Three_projections_of_one_input_are_one_product_with_the_cpus_values(bool bias)
    {
        Torch.ManualSeed(87);
        var x = Torch.Randn(2, 5, 24);
        var (plan, program) = Planned(new Projections(bias), x);

        var product = Assert.Single(plan.Steps.OfType<MatmulStep>());
        Assert.Equal((10L, 40L, 24L), (product.Problem.M, product.Problem.N, product.Problem.K));
        Assert.Equal(bias, product.Problem.Bias is not null);
        using var reference = new CpuBackend().Compile(program);
        var expected = (Tensor)reference.Run([x])[0]!;
        Assert.True(((Tensor)CpuTwin.Run(plan, [x])[0]!).AllClose(expected, 1e-5, 1e-5));
        // The separate weights are read by nothing and not uploaded; the side-by-side copy is.
        Assert.Equal(24 * 40 + (bias ? 40 : 0), plan.Weights.Sum(w => (long)w.Value.Numel()));
    }

    [Fact]
    public void Products_of_different_inputs_or_by_an_input_weight_stay_their_own()
    {
        Torch.ManualSeed(88);
        var inputs = new[] { Torch.Randn(4, 6), Torch.Randn(6, 3), Torch.Randn(6, 3) };
        var op = new Conformance.OpCase("own", a => Torch.Cat([
            Torch.Ops["aten::mm"].CallTensor(a[0], a[1]), Torch.Ops["aten::mm"].CallTensor(a[0], a[2]), Torch.Ops["aten::mm"].CallTensor(a[0] * 2.0, a[1])], 1), () => inputs);
        var core = ProgramPreparation.ToCore(op.Export(inputs));
        var plan = FusionPlanner.Plan(core, ProgramPreparation.Bind(core, inputs));

        Assert.Equal(3, plan.Steps.OfType<MatmulStep>().Count());
    }
}

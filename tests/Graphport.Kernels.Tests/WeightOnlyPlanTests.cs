using Graphport.Kernels.Twin;
using static Graphport.Torch;
using F = Graphport.Functional;

namespace Graphport.Kernels.Tests;

/// <summary>
/// Nodes that read only weights (a weight put together from parts, a bias summed from two, as importers write an
/// LSTM's reordered gates) are computed once when the program is planned and uploaded with the weights: no kernel
/// runs them on each call, and the plan still computes what the interpreter computes.
/// </summary>
public class WeightOnlyPlanTests
{
    private sealed class AssembledLinear : Module<Tensor, Tensor>
    {
        private readonly Parameter top = new(Randn(6, 8));
        private readonly Parameter bottom = new(Randn(4, 8));
        private readonly Parameter bias = new(Randn(20));

        public override Tensor Forward(Tensor x)
        {
            var weight = Cat([top, bottom * 0.5], 0);
            var summed = bias.Slice(0, 0, 10) + bias.Slice(0, 10, 20);
            return F.Relu(F.Linear(x, weight, summed)) + x.Sum(1, keepdim: true);
        }
    }

    [Fact]
    public void Weight_only_nodes_are_planned_as_weights_and_the_plan_computes_the_same()
    {
        ManualSeed(41);
        var program = Export(new AssembledLinear(), [Randn(5, 8)]);
        var plan = CudaCompiler.Plan(program);
        string described = plan.Describe();
        Assert.DoesNotContain("aten::cat", described);
        // The parts are no longer uploaded: only what the products read (the assembled weight and the summed bias).
        Assert.Equal(2, plan.Weights.Count);

        ManualSeed(42);
        var x = Randn(5, 8);
        var expected = program.Module().Call(x);
        var actual = CpuTwin.Run(plan, [x]).OfType<Tensor>().Single();
        Assert.True((actual - expected).Abs().Max().Item() <= 1e-4, $"the plan differs from the interpreter by {(actual - expected).Abs().Max().Item()}");
    }
}

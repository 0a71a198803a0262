using static Graphport.Torch;
using F = Graphport.Functional;

namespace Graphport.Tests.CoreOps;

/// <summary>
/// linear over an input that is a transposed or sliced view, as attention layers make it (torch's
/// MultiheadAttention projects q.transpose(0, 1)): the batch dims fold into rows with reshape, which copies such a view,
/// so eager calls, exported programs and torch-made archives all compute it instead of failing on a view.
/// </summary>
public class LinearOnViewsTests
{
    private sealed class ProjectTransposed : Module<Tensor, Tensor>
    {
        private readonly Linear proj = new(16, 8);

        public override Tensor Forward(Tensor x) => proj.Call(x.Transpose(0, 1));
    }

    [Fact]
    public void Linear_of_a_transposed_3d_input_equals_the_matmul_of_its_contiguous_copy()
    {
        ManualSeed(11);
        var x = Randn(5, 2, 16).Transpose(0, 1);
        Tensor weight = Randn(8, 16), bias = Randn(8);
        Assert.False(x.IsContiguous());
        var expected = x.Contiguous().Matmul(weight.T()) + bias;
        Assert.True(F.Linear(x, weight, bias).AllClose(expected, 1e-5, 1e-5));
        Assert.True(F.Linear(x.Slice(1, 1), weight, bias).AllClose(expected.Slice(1, 1), 1e-5, 1e-5));
    }

    [Fact]
    public void An_exported_projection_of_a_transposed_input_runs_with_a_dynamic_batch()
    {
        ManualSeed(12);
        var module = new ProjectTransposed();
        var program = Export(module, [Randn(5, 2, 16)], dynamicShapes: new DynamicShapes { ["x"] = new() { [1] = new Dim("batch") } });
        foreach (long batch in new long[] { 2, 7 })
        {
            var input = Randn(5, batch, 16);
            Assert.True(((Tensor)program.Module().Call(input)!).AllClose(module.Call(input), 1e-5, 1e-5));
        }
        Assert.True(((Tensor)program.RunDecompositions().Module().Call(Randn(5, 3, 16))!).Shape.Equals(new Shape(3, 5, 8)));
    }
}

using Graphport.Graphs;
using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

public class NonStrictTests
{
    [Fact]
    public void Writing_through_Data_becomes_an_input_mutation()
    {
        ManualSeed(6);
        var ep = Export(new Bad2(), [Randn(3, 3)], strict: false);
        var mutation = Assert.Single(ep.GraphSignature.OutputSpecs, s => s.Kind == OutputKind.UserInputMutation);
        Assert.Equal("x", mutation.Target);
        var input = Ones(3, 3);
        var output = ep.Module().Call(input);
        var expected = Torch.Tensor(new float[,] { { 3, 1, 1 }, { 1, 1, 1 }, { 1, 1, 1 } });
        Assert.True(output.AllClose(expected, 0, 0));
        // As in eager torch, the caller's tensor was written too.
        Assert.True(input.AllClose(expected, 0, 0));
    }

    [Fact]
    public void Identity_derived_values_are_baked_in_as_constants()
    {
        ManualSeed(7);
        var ep = Export(new Bad3(), [Randn(3, 3)], strict: false);
        var adds = ep.Graph.Nodes.Where(n => n.Op?.OpName == "add").ToList();
        Assert.Equal(2, adds.Count);
        Assert.Equal(1L, adds[0].Args[1]);
        long constant = Assert.IsType<long>(adds[1].Args[1]);
        var output = ep.Module().Call(Ones(3, 3));
        Assert.True(output.AllClose(Full([3, 3], 2.0 + constant), 1e-6, 0));
    }

    [Fact]
    public void Exceptions_run_as_ordinary_csharp_and_only_the_taken_path_is_traced()
    {
        ManualSeed(8);
        var ep = Export(new Bad4(), [Randn(3, 3)], strict: false);
        Assert.Equal(2, ep.Graph.Nodes.Count(n => n.Kind == NodeKind.CallFunction));
        var output = ep.Module().Call(Ones(3, 3));
        Assert.True(output.AllClose(Full([3, 3], 4.0), 0, 0));
    }
}

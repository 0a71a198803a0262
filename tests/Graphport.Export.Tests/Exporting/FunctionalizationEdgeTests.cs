using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

/// <summary>Writes into the second piece of a split_with_sizes: the write must reach the input.</summary>
public sealed class WritesThroughSplit : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        var pieces = (Tensor[])Ops["aten::split_with_sizes"].Call(x, new long[] { 2, 3 })!;
        pieces[1].Mul_(10.0);
        return x.Sum(0);
    }
}

/// <summary>Uses nonzero's data-dependent row count as the size of a new tensor.</summary>
public sealed class SizedByNonzero : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor mask)
    {
        var rows = mask.NonzeroRows();
        return Zeros([rows.Shape[0], 3]);
    }
}

internal static class NonzeroExtension
{
    public static Tensor NonzeroRows(this Tensor t) => Ops["aten::nonzero"].CallTensor(t);
}

public class FunctionalizationEdgeTests
{
    [Fact]
    public void Writes_through_a_multi_output_view_reach_the_base()
    {
        ManualSeed(120);
        var ep = Export(new WritesThroughSplit(), [Randn(5, 2)]);
        var eagerInput = Randn(5, 2);
        var exportedInput = eagerInput.Clone();
        var expected = new WritesThroughSplit().Call(eagerInput);
        var actual = ep.Module().Call(exportedInput);
        Assert.True(actual.AllClose(expected, 1e-6, 1e-6));
        Assert.True(exportedInput.AllClose(eagerInput, 0, 0));
    }

    [Fact]
    public void A_data_dependent_row_count_can_size_another_tensor()
    {
        var ep = Export(new SizedByNonzero(), [Torch.Tensor(new bool[] { true, false, true, true })], strict: false);
        var result = ep.Module().Call(Torch.Tensor(new bool[] { false, true, false, false }));
        Assert.Equal(new Shape(1, 3), result.Shape);
    }

    [Fact]
    public void Non_contiguous_inputs_run_like_contiguous_ones()
    {
        ManualSeed(121);
        var ep = Export(new FlattenHead(), [Randn(2, 3, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("b") } });
        var strided = Randn(4, 3, 5).Permute(2, 1, 0)[.., .., ..4];
        Assert.False(strided.IsContiguous());
        Assert.True(ep.Module().Call(strided).AllClose(ep.Module().Call(strided.Contiguous()), 0, 0));
    }
}

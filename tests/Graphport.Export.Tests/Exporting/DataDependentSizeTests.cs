using Graphport.Graphs;
using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

/// <summary>ExportDB's constrain_as_size_example: a size read from tensor data, bounded with checks.</summary>
public sealed class ConstrainAsSize : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        var a = x.Item<SymInt>();
        CheckIsSize(a);
        Check(a <= 5);
        return Zeros([a, 5]);
    }
}

/// <summary>ExportDB's constrain_as_value_example: a checked data-dependent value decides a branch.</summary>
public sealed class ConstrainAsValue : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y)
    {
        var a = x.Item<SymInt>();
        Check(a >= 0);
        Check(a <= 5);
        if (a < 6)
            return y.Sin();
        return y.Cos();
    }
}

/// <summary>ExportDB's scalar_output: returns a symbolic size.</summary>
public sealed class ScalarOutput : Module<Tensor, SymInt>
{
    public override SymInt Forward(Tensor x) => x.Shape[1] + 1;
}

/// <summary>ExportDB's model_attr_mutation: reassigns a tensor-holding attribute in Forward.</summary>
public sealed class AttrMutation : Module<Tensor, Tensor>
{
    private Tensor[] attrs = [Randn(3, 2), Randn(2, 3)];

    public Tensor[] Attrs => attrs;

    public override Tensor Forward(Tensor x)
    {
        attrs = [attrs[0] * 2, attrs[1]];
        return x.Sum() + attrs[0].Sum();
    }
}

public class DataDependentSizeTests
{
    [Fact]
    public void A_checked_item_can_size_a_tensor()
    {
        var ep = Export(new ConstrainAsSize(), [Torch.Tensor(new long[] { 4 })]);
        Assert.Contains(ep.Graph.Nodes, n => n.Op?.Target == "aten._local_scalar_dense.default");
        Assert.Equal(2, ep.Graph.Nodes.Count(n => n.Op?.Target == "aten._assert_scalar.default"));
        Assert.Equal("{u0: [0, 5]}", ep.RangeConstraints.ToString());
        Assert.Equal(new Shape(3, 5), ep.Module().Call(Torch.Tensor(new long[] { 3 })).Shape);
        var e = Assert.Throws<NodeExecutionException>(() => ep.Module().Call(Torch.Tensor(new long[] { 7 })));
        Assert.Contains("Runtime assertion failed", e.Message);
    }

    [Fact]
    public void A_checked_item_decides_a_branch_without_a_guard()
    {
        var ep = Export(new ConstrainAsValue(), [Torch.Tensor(new long[] { 4 }), Randn(5, 5)]);
        var y = Randn(5, 5);
        Assert.True(ep.Module().Call(Torch.Tensor(new long[] { 2 }), y).AllClose(y.Sin(), 0, 0));
    }

    [Fact]
    public void An_unchecked_item_in_a_branch_is_a_data_dependent_error()
    {
        var e = Assert.Throws<DataDependentException>(() => Export(new UncheckedItem(), [Torch.Tensor(new long[] { 4 }), Randn(2)]));
        Assert.Contains("Could not guard on data-dependent expression u0 < 6", e.Message);
    }

    [Fact]
    public void A_symbolic_size_can_be_an_output()
    {
        var ep = Export(new ScalarOutput(), [Randn(3, 2)], dynamicShapes: new DynamicShapes { ["x"] = new() { [1] = new Dim("d") } });
        var spec = Assert.Single(ep.GraphSignature.OutputSpecs);
        Assert.IsType<SymIntArgument>(spec.Arg);
        Assert.Equal(8L, ep.Module().Invoke(Randn(3, 7)));
    }

    [Fact]
    public void Reassigning_tensor_attributes_is_rejected_and_undone()
    {
        var module = new AttrMutation();
        var before = module.Attrs;
        var e = Assert.Throws<ExportException>(() => Export(module, [Randn(3, 2)]));
        Assert.Contains("Forward assigns new values to module attributes holding tensors (AttrMutation.attrs)", e.Message);
        Assert.Same(before, module.Attrs);
        Assert.False(module.Attrs[0].IsFake);
    }
}

public sealed class UncheckedItem : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y)
    {
        var a = x.Item<SymInt>();
        if (a < 6)
            return y.Sin();
        return y.Cos();
    }
}

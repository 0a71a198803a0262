using Graphport.Graphs;
using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

/// <summary>Flattens all but the batch dim, then a linear layer: the view needs the batch size at run time.</summary>
public sealed class FlattenHead : Module<Tensor, Tensor>
{
    private readonly Linear fc = new(12, 5);

    public override Tensor Forward(Tensor x) => fc.Call(x.Flatten(1));
}

/// <summary>
/// Takes a size, lets a later line fix it (long)s, then uses the size it took: by then the size is a constant.
/// </summary>
public sealed class SizeFixedAfterUse : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        var b = x.Size(0);
        var s = x.Size(1);
        var rows = x.Reshape(b * s, 6).Reshape(b, s, 6);
        long fixedSize = (long)s;
        return rows.Reshape(b * s, 6).Reshape(b, s, 6) + fixedSize;
    }
}

public class SymbolicSizeNodeTests
{
    [Fact]
    public void A_size_specialized_after_it_was_taken_is_recorded_as_its_number()
    {
        ManualSeed(51);
        var ep = Export(new SizeFixedAfterUse(), [Randn(3, 2, 6)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = Dim.Auto, [1] = Dim.Auto } });
        // Every size argument is a number or a node; no arithmetic node is left with a missing operand.
        Assert.DoesNotContain(ep.Graph.Nodes, n => n.Args.Any(a => a is null) && n.Op is null);
        var x = Randn(5, 2, 6);
        var expected = x + 2;
        Assert.True(ep.Module().Call(x).AllClose(expected, 0, 0));
    }

    [Fact]
    public void Views_with_dynamic_sizes_read_them_from_the_inputs_with_sym_size()
    {
        ManualSeed(50);
        var batch = new Dim("batch");
        var ep = Export(new FlattenHead(), [Randn(4, 3, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = batch } });
        var sym = Assert.Single(ep.Graph.Nodes, n => n.Op?.Target == "aten.sym_size.int");
        Assert.Equal(0L, sym.Args[1]);
        var view = Assert.Single(ep.Graph.Nodes, n => n.Op?.OpName == "view");
        Assert.Equal(new object?[] { sym, 12L }, (object?[])view.Args[1]!);
        Assert.Contains("sym_size_int: \"Sym(s0)\" = torch.ops.aten.sym_size.int(x, 0)", ep.ToString());
        Assert.Contains("view: \"f32[s0, 12]\" = torch.ops.aten.view.default(x, [sym_size_int, 12])", ep.ToString());
        var module = new FlattenHead();
        module.LoadStateDict(ep.StateDict);
        foreach (long n in new long[] { 1, 2, 7 })
        {
            var x = Randn(n, 3, 4);
            Assert.True(ep.Module().Call(x).AllClose(module.Call(x), 1e-5, 1e-6));
        }
    }

    [Fact]
    public void Derived_sizes_become_arithmetic_nodes()
    {
        ManualSeed(51);
        var d = new Dim("d", min: 2, max: 50);
        var ep = Export(new ReshapesToDouble(), [Randn(6)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = d } });
        Assert.Contains(ep.Graph.Nodes, n => n.Target is BuiltinTarget { Name: "operator.mul" });
        var x = Randn(10);
        Assert.Equal(new Shape(20), ep.Module().Call(x).Shape);
    }
}

/// <summary>Concatenates x with itself, then reshapes with a size computed from x's length.</summary>
public sealed class ReshapesToDouble : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Cat([x, x]).Reshape(x.Shape[0] * 2);
}

using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

/// <summary>Rejects one size by a guard that no range can express.</summary>
public sealed class AvoidsFour : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        if (x.Shape[0] != 4) return x * 2;
        return x;
    }
}

/// <summary>Slices half of a dynamic dimension: needs (s0 + 1)//2 &lt;= s0 without a guard.</summary>
public sealed class FirstHalf : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x[TensorIndex.Slice(stop: (x.Shape[0] + 1) / 2)];
}

public class InferredConstraintTests
{
    [Fact]
    public void Guards_ranges_cannot_express_become_runtime_assertions_for_auto_dims()
    {
        ManualSeed(110);
        var ep = Export(new AvoidsFour(), [Randn(3)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = Dim.Auto } });
        Assert.Contains(ep.Graph.Nodes, n => n.Op?.OpName == "_assert_scalar");
        Assert.True(ep.Module().Call(Ones(5)).AllClose(Full([5], 2.0), 0, 0));
        var e = Assert.Throws<Graphs.NodeExecutionException>(() => ep.Module().Call(Ones(4)));
        Assert.Contains("Runtime assertion failed for expression x.Shape[0] != 4", e.Message);
    }

    [Fact]
    public void Equalities_inferred_for_auto_dims_are_checked_at_run_time()
    {
        ManualSeed(111);
        var ep = Export(new DynamicShapesExample2(), [Randn(4, 8), Randn(8, 2)],
            dynamicShapes: new DynamicShapes { ["x"] = new() { [1] = Dim.Auto }, ["y"] = new() { [0] = Dim.Auto } });
        var e = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(4, 6), Randn(5, 2)));
        Assert.Equal("Expected input at *args[1].shape[0] to be equal to 6, but got 5", e.Message);
    }

    [Fact]
    public void Slicing_by_a_floor_divided_size_needs_no_constraint()
    {
        ManualSeed(112);
        var ep = Export(new FirstHalf(), [Randn(6)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("n") } });
        var x = Randn(9);
        Assert.True(ep.Module().Call(x).AllClose(x[..5], 0, 0));
    }

    [Fact]
    public void A_custom_op_without_an_abstract_implementation_is_an_export_error()
    {
        using var lib = new Library("test_no_meta", LibraryKind.Def);
        lib.Define("f(Tensor x) -> Tensor");
        lib.Impl("f", (Tensor t) => t.Clone());
        var e = Assert.Throws<ExportException>(() => Export(new CallsOp("test_no_meta::f"), [Randn(2)]));
        Assert.Contains("has no meta function", e.Message);
    }
}

public sealed class CallsOp(string op) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Ops[op].CallTensor(x);
}

using Graphport.Graphs;
using static Graphport.Torch;

namespace Graphport.Tests.CustomOps;

/// <summary>The seed's CustomOpExample: sin, the custom op, cos.</summary>
public sealed class CustomOpExample(string op) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        x = Sin(x);
        x = Ops[op].CallTensor(x);
        x = Cos(x);
        return x;
    }
}

public class CustomOpTests
{
    private static (Library Library, List<string> Calls) DefineCustomOp(string ns)
    {
        var calls = new List<string>();
        var lib = new Library(ns, LibraryKind.Def);
        lib.Define("custom_op(Tensor input) -> Tensor");
        lib.Impl("custom_op", (Tensor t) => { calls.Add("custom_op called!"); return t.Relu(); });
        lib.ImplAbstract("custom_op", (Tensor t) => EmptyLike(t));
        return (lib, calls);
    }

    [Fact]
    public void A_custom_op_is_recorded_in_the_graph_and_its_impl_runs_when_the_program_runs()
    {
        var (lib, calls) = DefineCustomOp("test_custom_a");
        using (lib)
        {
            ManualSeed(80);
            var ep = Export(new CustomOpExample("test_custom_a::custom_op"), [Randn(3, 3)]);
            Assert.Empty(calls);
            Assert.Equal(["aten.sin.default", "test_custom_a.custom_op.default", "aten.cos.default"],
                ep.Graph.Nodes.Where(n => n.Op is not null).Select(n => n.Op!.Target));
            Assert.Contains("custom_op: \"f32[3, 3]\" = torch.ops.test_custom_a.custom_op.default(sin);  sin = None", ep.PrintReadable());
            var x = Randn(3, 3);
            var y = ep.Module().Call(x);
            Assert.Equal(["custom_op called!"], calls);
            Assert.True(y.AllClose(x.Sin().Relu().Cos(), 1e-6, 1e-6));
        }
    }

    [Fact]
    public void Custom_ops_survive_decomposition_unless_given_one()
    {
        var (lib, _) = DefineCustomOp("test_custom_b");
        using (lib)
        {
            ManualSeed(81);
            var ep = Export(new CustomOpExample("test_custom_b::custom_op"), [Randn(3, 3)]);
            Assert.Contains(ep.RunDecompositions().Graph.Nodes, n => n.Op?.Name == "test_custom_b::custom_op");
            var table = Decompositions.Default();
            table.Add("test_custom_b::custom_op", x => x.Relu());
            var decomposed = ep.RunDecompositions(table);
            Assert.DoesNotContain(decomposed.Graph.Nodes, n => n.Op?.Namespace == "test_custom_b");
            Assert.Contains(decomposed.Graph.Nodes, n => n.Op?.OpName == "relu");
        }
    }

    [Fact]
    public void A_program_whose_custom_op_is_gone_fails_naming_the_op()
    {
        var (lib, _) = DefineCustomOp("test_custom_c");
        ManualSeed(82);
        var ep = Export(new CustomOpExample("test_custom_c::custom_op"), [Randn(3, 3)]);
        lib.Dispose();
        var e = Assert.Throws<NodeExecutionException>(() => ep.Module().Call(Randn(3, 3)));
        Assert.Contains("Operator test_custom_c::custom_op used by node custom_op is not registered", e.Message);
    }

    [Fact]
    public void Bad_definitions_are_refused_with_clear_errors()
    {
        using var lib = new Library("test_custom_d", LibraryKind.Def);
        lib.Define("twice(Tensor x) -> Tensor");
        var dup = Assert.Throws<InvalidOperationException>(() => lib.Define("twice(Tensor x) -> Tensor"));
        Assert.Contains("test_custom_d::twice is already defined", dup.Message);
        var parse = Assert.Throws<FormatException>(() => lib.Define("broken(Tensor x -> Tensor"));
        Assert.Contains("Cannot parse operator schema", parse.Message);
        var arity = Assert.Throws<ArgumentException>(() => lib.Impl("twice", (Tensor a, Tensor b) => a));
        Assert.Contains("takes 2 parameter(s) but the schema declares 1", arity.Message);
        Assert.Throws<InvalidOperationException>(() => new Library("test_custom_d", LibraryKind.Def));
        var missing = Assert.Throws<NotSupportedException>(() => Ops["test_custom_d::twice"].Call(Randn(2)));
        Assert.Contains("has no CPU kernel", missing.Message);
    }

    [Fact]
    public void Schema_of_a_custom_op_reports_mutability()
    {
        using var lib = new Library("test_custom_e", LibraryKind.Def);
        Assert.False(lib.Define("pure(Tensor x) -> Tensor").Schema.IsMutable);
        Assert.True(lib.Define("inplace(Tensor(a!) x) -> Tensor(a!)").Schema.IsMutable);
    }
}

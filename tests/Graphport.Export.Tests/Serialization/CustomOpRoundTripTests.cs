using Graphport.Tests.CustomOps;
using static Graphport.Torch;

namespace Graphport.Tests.Serialization;

/// <summary>Custom operators are saved by name and bound again on load, which needs them defined.</summary>
public class CustomOpRoundTripTests
{
    private static Library Define(string ns, List<string> calls)
    {
        var lib = new Library(ns, LibraryKind.Def);
        lib.Define("custom_op(Tensor input) -> Tensor");
        lib.Impl("custom_op", (Tensor t) => { calls.Add("custom_op called!"); return t.Relu(); });
        lib.ImplAbstract("custom_op", (Tensor t) => EmptyLike(t));
        return lib;
    }

    [Fact]
    public void A_program_with_a_custom_op_round_trips_and_runs_the_op()
    {
        var calls = new List<string>();
        using var lib = Define("ser_custom_a", calls);
        ManualSeed(83);
        var ep = Export(new CustomOpExample("ser_custom_a::custom_op"), [Randn(3, 3)]);
        var loaded = RoundTrip.AssertExact(ep, TutorialRoundTripTests.Inputs(84, [3, 3]));
        Assert.Equal(2, calls.Count);
        Assert.Contains("torch.ops.ser_custom_a.custom_op.default(sin)", loaded.ToString());
    }

    [Fact]
    public void Loading_a_program_whose_custom_op_is_not_defined_fails_naming_the_op()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("custom.pt2");
        using (Define("ser_custom_b", []))
        {
            ManualSeed(85);
            Export(new CustomOpExample("ser_custom_b::custom_op"), [Randn(3, 3)]).Save(path);
        }
        var e = Assert.Throws<ExportException>(() => ExportedProgram.Load(path));
        Assert.Contains("Operator ser_custom_b::custom_op used by the program is not registered; define it with a Library before loading", e.Message);
    }

    [Fact]
    public void Defining_the_op_again_makes_the_saved_program_loadable()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("custom.pt2");
        ManualSeed(86);
        var x = Randn(3, 3);
        Tensor expected;
        using (Define("ser_custom_c", []))
        {
            var ep = Export(new CustomOpExample("ser_custom_c::custom_op"), [Randn(3, 3)]);
            ep.Save(path);
            expected = ep.Module().Call(x);
        }
        var calls = new List<string>();
        using var again = Define("ser_custom_c", calls);
        var loaded = ExportedProgram.Load(path);
        Assert.True(loaded.Module().Call(x).AllClose(expected, 0, 0));
        Assert.Equal(["custom_op called!"], calls);
    }

    [Fact]
    public void Custom_ops_returning_a_tensor_list_or_several_tensors_round_trip()
    {
        using var lib = new Library("ser_custom_d", LibraryKind.Def);
        lib.Define("halves(Tensor x) -> Tensor[]");
        lib.Impl("halves", (Tensor x) => new[] { x * 0.5, x - x * 0.5, x.Neg() });
        lib.ImplAbstract("halves", (Tensor x) => new[] { EmptyLike(x), EmptyLike(x), EmptyLike(x) });
        lib.Define("minmax(Tensor x) -> (Tensor, Tensor)");
        lib.Impl("minmax", (Tensor x) => new[] { x.Clamp(max: 0.0), x.Clamp(min: 0.0) });
        lib.ImplAbstract("minmax", (Tensor x) => new[] { EmptyLike(x), EmptyLike(x) });
        ManualSeed(87);
        var ep = Export(new UsesListOps(), [Randn(4)]);
        var loaded = RoundTrip.AssertExact(ep, TutorialRoundTripTests.Inputs(88, [4]));
        var halves = Assert.Single(loaded.Graph.Nodes, n => n.Op?.OpName == "halves");
        Assert.Equal(3, Assert.IsType<TensorMeta[]>(halves.Value).Length);
        // The third half is never read: torch names it halves_unused_2 and Graphport makes no getitem for it.
        Assert.Equal(2, halves.Users.Count);
    }
}

/// <summary>Calls list-returning custom ops and reads some of their results.</summary>
public sealed class UsesListOps : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        var parts = (Tensor[])Ops["ser_custom_d::halves"].Call(x)!;
        var bounds = (Tensor[])Ops["ser_custom_d::minmax"].Call(parts[0])!;
        return parts[1] * bounds[0] + bounds[1];
    }
}

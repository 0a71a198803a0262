using Graphport.Graphs;
using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

/// <summary>torch's ExportDB assume_constant_result as torch 2.14 exports it: x[: y.int().item()].</summary>
public sealed class SliceToItem : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y) => x[TensorIndex.Slice(stop: y.To(DType.Int32).Item<SymInt>())];
}

/// <summary>x[y.item():]: a data-dependent start.</summary>
public sealed class SliceFromItem : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y) => x[TensorIndex.Slice(start: y.Item<SymInt>())];
}

/// <summary>A checked item inside [1, 2]: the ranges decide the clamping, so the size is the item itself.</summary>
public sealed class SliceToCheckedItem : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y)
    {
        var a = y.Item<SymInt>();
        Check(a >= 1);
        Check(a <= 2);
        return x[TensorIndex.Slice(stop: a)];
    }
}

/// <summary>nonzero()[:2]: a constant end on a data-dependent size, decided as Min(u0, 2).</summary>
public sealed class SliceOfNonzero : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => ((Tensor)Ops["aten::nonzero"].Call(x)!)[TensorIndex.Slice(stop: 2)];
}

/// <summary>
/// Slicing with a bound read from tensor data, as torch 2.14's fake slice (fake_impls.slice_forward) does it: where the
/// ranges cannot decide how a bound clamps into [0, size], the slice's length is a fresh data-dependent size u1 with
/// torch._check(u1 &gt;= 0) and torch._check(u1 &lt;= size), which give it the range [0, size] and become run-time
/// assertions (sym_size, ge/le, _assert_scalar) right after the slice. torch prints, for x: f32[3, 2]:
/// <code>
/// slice_1: "f32[u1, 2]" = torch.ops.aten.slice.Tensor(x, 0, None, item)
/// sym_size_int: "Sym(u1)" = torch.ops.aten.sym_size.int(slice_1, 0)
/// ge: "Sym(u1 >= 0)" = sym_size_int >= 0
/// _assert_scalar_default = torch.ops.aten._assert_scalar.default(ge, "Runtime assertion failed for expression u1 >= 0 on node 'ge'")
/// le: "Sym(u1 &lt;= 3)" = sym_size_int &lt;= 3
/// _assert_scalar_default_1 = torch.ops.aten._assert_scalar.default(le, "Runtime assertion failed for expression u1 &lt;= 3 on node 'le'")
/// Range constraints: {u0: VR[-int_oo, int_oo], u1: VR[0, 3]}
/// </code>
/// </summary>
public class DataDependentSliceTests
{
    private static ExportedProgram ExportSliceToItem() =>
        Export(new SliceToItem(), [Randn(3, 2), Torch.Tensor(new long[] { 4 }).Reshape()]);

    private static string[] CallsFrom(ExportedProgram ep, string first) =>
        ep.Graph.Nodes.Where(n => n.Kind == NodeKind.CallFunction).Select(n => GraphPrinter.TargetName(n.Target)).SkipWhile(t => t != first).ToArray();

    [Fact]
    public void A_slice_to_an_item_has_a_fresh_size_u1_in_zero_to_size_with_torchs_runtime_assertions()
    {
        var ep = ExportSliceToItem();
        var slice = ep.Graph.Nodes.Single(n => n.Op?.Target == "aten.slice.Tensor");
        Assert.Equal("f32[u1, 2]", slice.TensorValue.Describe());
        Assert.Equal("{u0: [-oo, oo], u1: [0, 3]}", ep.RangeConstraints.ToString());
        var u1 = ep.ShapeEnv.Symbols.Single(s => s.Atom.Name == "u1");
        Assert.True(u1.Atom.Unbacked);
        Assert.Null(u1.Hint);
        Assert.Equal(new Shapes.ValueRange(0, 3), u1.Range);
        Assert.Equal(
            ["torch.ops.aten.slice.Tensor", "torch.ops.aten.sym_size.int", "operator.ge", "torch.ops.aten._assert_scalar.default", "operator.le", "torch.ops.aten._assert_scalar.default"],
            CallsFrom(ep, "torch.ops.aten.slice.Tensor"));
        var messages = ep.Graph.Nodes.Where(n => n.Op?.Target == "aten._assert_scalar.default").Select(n => (string)n.Args[1]!).ToArray();
        Assert.Equal(["Runtime assertion failed for expression u1 >= 0 on node 'ge'", "Runtime assertion failed for expression u1 <= 3 on node 'le'"], messages);
    }

    [Fact]
    public void The_program_verifies_decomposes_and_slices_as_eager_code_does_for_any_end()
    {
        var ep = ExportSliceToItem();
        ep.Verify();
        var core = ep.RunDecompositions();
        var x = Randn(3, 2);
        foreach (long end in new long[] { -5, -1, 0, 2, 4 })
        {
            var y = Torch.Tensor(new long[] { end }).Reshape();
            var expected = x[TensorIndex.Slice(stop: end)];
            var got = ep.Module().Call(x, y);
            Assert.Equal(expected.Shape, got.Shape);
            Assert.True(got.AllClose(expected, 0, 0), $"end {end}");
            Assert.True(core.Module().Call(x, y).AllClose(expected, 0, 0), $"end {end}, decomposed");
        }
    }

    [Fact]
    public void Verifying_accepts_the_fresh_size_and_leaves_the_programs_symbols_as_they_were()
    {
        var ep = ExportSliceToItem();
        var before = ep.ShapeEnv.Symbols.Select(s => $"{s.Atom.Name} {s.Range}").ToList();
        ep.Verify();
        ep.Verify(requireCore: true);
        Assert.Equal(before, ep.ShapeEnv.Symbols.Select(s => $"{s.Atom.Name} {s.Range}").ToList());
        // The next symbol a pass creates is still numbered after the program's own.
        var core = ep.RunDecompositions();
        Assert.Contains("u2", core.RangeConstraints.Keys);
        Assert.Contains("u3", core.RangeConstraints.Keys);
        Assert.DoesNotContain("u4", core.RangeConstraints.Keys);
    }

    [Fact]
    public void Decomposing_asserts_the_fresh_size_once()
    {
        var core = ExportSliceToItem().RunDecompositions();
        Assert.Equal(2, core.Graph.Nodes.Count(n => n.Op?.Target == "aten._assert_scalar.default"));
        Assert.Equal("f32[u3, 2]", core.Graph.Nodes.Single(n => n.Op?.Target == "aten.slice.Tensor").TensorValue.Describe());
        Assert.Equal(new Shapes.ValueRange(0, 3), core.RangeConstraints["u3"]);
    }

    [Fact]
    public void A_data_dependent_start_also_gives_a_fresh_size()
    {
        // torch: slice_1 "f32[u1, 2]" with u1 >= 0 and u1 <= 3 asserted (and a fresh storage offset u2, which traced
        // metadata here does not carry).
        var ep = Export(new SliceFromItem(), [Randn(3, 2), Torch.Tensor(new long[] { 1 }).Reshape()]);
        Assert.Equal("f32[u1, 2]", ep.Graph.Nodes.Single(n => n.Op?.Target == "aten.slice.Tensor").TensorValue.Describe());
        Assert.Equal(new Shapes.ValueRange(0, 3), ep.RangeConstraints["u1"]);
        ep.Verify();
        var core = ep.RunDecompositions();
        var x = Randn(3, 2);
        foreach (long start in new long[] { -5, -1, 0, 1, 5 })
        {
            var y = Torch.Tensor(new long[] { start }).Reshape();
            var expected = x[TensorIndex.Slice(start: start)];
            Assert.True(ep.Module().Call(x, y).AllClose(expected, 0, 0), $"start {start}");
            Assert.True(core.Module().Call(x, y).AllClose(expected, 0, 0), $"start {start}, decomposed");
        }
    }

    [Fact]
    public void A_bound_the_ranges_decide_needs_no_fresh_size()
    {
        // torch: a checked u0 in [1, 2] slices to "f32[u0, 2]"; range constraints {u0: VR[1, 2]}.
        var ep = Export(new SliceToCheckedItem(), [Randn(3, 2), Torch.Tensor(new long[] { 1 }).Reshape()]);
        Assert.Equal("f32[u0, 2]", ep.Graph.Nodes.Single(n => n.Op?.Target == "aten.slice.Tensor").TensorValue.Describe());
        Assert.Equal("{u0: [1, 2]}", ep.RangeConstraints.ToString());
        ep.RunDecompositions();
    }

    [Fact]
    public void A_constant_end_on_a_data_dependent_size_is_a_min()
    {
        // torch: nonzero "i64[u0, 2]", slice_1 "i64[Min(2, u0), 2]", range constraints {u0: VR[0, 6]}.
        var ep = Export(new SliceOfNonzero(), [Torch.Tensor(new float[] { 1, 0, 2, 3, 0, 4 }).View(3, 2)]);
        var size = ep.Graph.Nodes.Single(n => n.Op?.Target == "aten.slice.Tensor").TensorValue.Shape[0];
        Assert.Equal(SymInt.Min(ep.Graph.Nodes.Single(n => n.Op?.Target == "aten.nonzero.default").TensorValue.Shape[0], 2).Expr.Key, size.Expr.Key);
        Assert.Equal("{u0: [0, 6]}", ep.RangeConstraints.ToString());
        ep.Verify();
        var core = ep.RunDecompositions();
        foreach (var x in new[] { Torch.Tensor(new float[] { 1, 0, 2, 3, 0, 4 }).View(3, 2), Torch.Tensor(new float[] { 0, 0, 0, 0, 0, 5 }).View(3, 2) })
        {
            var expected = ((Tensor)Ops["aten::nonzero"].Call(x)!)[TensorIndex.Slice(stop: 2)];
            Assert.True(ep.Module().Call(x).AllClose(expected, 0, 0));
            Assert.True(core.Module().Call(x).AllClose(expected, 0, 0));
        }
    }

    [Fact]
    public void A_nonzero_program_verifies_although_its_size_is_fresh_each_time()
    {
        var ep = Export(new SliceOfNonzero(), [Randn(3, 2)]);
        ep.Verify();
        Assert.Equal("{u0: [0, 6]}", ep.RangeConstraints.ToString());
        Assert.Single(ep.ShapeEnv.Symbols);
    }
}

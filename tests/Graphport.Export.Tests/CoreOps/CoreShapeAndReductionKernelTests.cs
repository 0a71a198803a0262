using Graphport.Operators;
using static Graphport.Tests.CoreOps.CoreOpCalls;

namespace Graphport.Tests.CoreOps;

/// <summary>Core ATen reductions, layout ops, size queries, factories and data-dependent ops, against naive references.</summary>
public class CoreShapeAndReductionKernelTests
{
    [Fact]
    public void Any_dim_prod_and_var_dim_match_references()
    {
        var b = Random(1, [3, 4], DType.Bool);
        var bv = Values(b);
        var anyRows = Enumerable.Range(0, 3).Select(r => Enumerable.Range(0, 4).Any(c => bv[r * 4 + c] != 0) ? 1.0 : 0).ToArray();
        AssertValues(anyRows, [3], Op("aten::any.dim", b, 1L), DType.Bool);
        Assert.Equal([3L, 1], Sizes(Op("aten::any.dim", b, -1L, true)));

        var x = Random(2, [2, 3, 4], DType.Float64, 0.5, 1.5);
        AssertValues([Values(x).Aggregate(1.0, (p, v) => p * v)], [], Op("aten::prod", x), DType.Float64, 1e-13);
        var ints = Tensor.FromArray(new long[] { 3, -2, 7, 11 }, 4);
        AssertValues([-462], [], Op("aten::prod", ints), DType.Int64);
        Assert.Equal(DType.Int64, Op("aten::prod", Random(3, [4], DType.Bool)).DType);
        AssertValues([1], [], Op("aten::prod", Torch.Zeros([0], DType.Float32)), DType.Float32);
        AssertValues([-462], [], Op("aten::prod", ints, DType.Float64), DType.Float64);

        var xs = Values(x);
        foreach (var unbiased in new[] { true, false })
        {
            var expected = new double[2 * 4];
            for (int i = 0; i < 2; i++)
                for (int k = 0; k < 4; k++)
                {
                    var column = Enumerable.Range(0, 3).Select(j => xs[(i * 3 + j) * 4 + k]).ToArray();
                    double mean = column.Average();
                    expected[i * 4 + k] = column.Sum(v => (v - mean) * (v - mean)) / (unbiased ? 2 : 3);
                }
            AssertValues(expected, [2, 4], Op("aten::var.dim", x, new long[] { 1 }, unbiased), DType.Float64, 1e-12, 1e-14);
        }
    }

    [Fact]
    public void Flip_and_repeat_move_elements_like_their_definitions()
    {
        var x = Random(4, [2, 3, 4], DType.Int64, -50, 50);
        var xs = Values(x);
        var flipped = Indices([2, 3, 4]).Select(ix => xs[Flat([2, 3, 4], [1 - ix[0], ix[1], 3 - ix[2]])]).ToArray();
        AssertValues(flipped, [2, 3, 4], Op("aten::flip", x, new long[] { 0, -1 }), DType.Int64);
        AssertValues(xs, [2, 3, 4], Op("aten::flip", x, Array.Empty<long>()), DType.Int64);
        Assert.Throws<ArgumentException>(() => Op("aten::flip", x, new long[] { 0, 0 }));

        var y = Random(5, [2, 3], DType.Float16);
        var ys = Values(y);
        var repeated = Indices([2, 4, 6]).Select(ix => ys[(ix[1] % 2) * 3 + ix[2] % 3]).ToArray();
        AssertValues(repeated, [2, 4, 6], Op("aten::repeat", y, new long[] { 2, 2, 2 }), DType.Float16);
        // A transposed input repeats its logical elements.
        var t = y.Transpose(0, 1);
        var ts = Values(t);
        AssertValues(Indices([3, 4]).Select(ix => ts[ix[0] * 2 + ix[1] % 2]).ToArray(), [3, 4], Op("aten::repeat", t, new long[] { 1, 2 }), DType.Float16);
        Assert.Equal([0L, 3], Sizes(Op("aten::repeat", y, new long[] { 0, 1 })));
        Assert.Throws<ArgumentException>(() => Op("aten::repeat", y, new long[] { 2 }));
    }

    [Fact]
    public void Split_with_sizes_returns_views_that_share_storage()
    {
        var x = Random(6, [3, 5]);
        var parts = Multi("aten::split_with_sizes", x, new long[] { 1, 0, 4 }, 1L);
        Assert.Equal([[3L, 1], [3, 0], [3, 4]], parts.Select(Sizes).ToArray());
        Assert.Same(x.Storage, parts[2].Storage);
        var xs = Values(x);
        AssertValues(Indices([3, 4]).Select(ix => xs[ix[0] * 5 + 1 + ix[1]]).ToArray(), [3, 4], parts[2], DType.Float64);
        var e = Assert.Throws<ArgumentException>(() => Multi("aten::split_with_sizes", x, new long[] { 2, 2 }, 1L));
        Assert.Contains("expects split_sizes to sum exactly to 5", e.Message);
    }

    [Fact]
    public void Size_queries_read_numel_strides_offset_and_contiguity()
    {
        var x = Random(7, [4, 6]);
        var view = x.Transpose(0, 1)[1..];
        Assert.Equal(new SymInt(20), (SymInt)Torch.Ops["aten::sym_numel"].Call(view)!);
        Assert.Equal(new SymInt(1), (SymInt)Torch.Ops["aten::sym_stride.int"].Call(view, 0L)!);
        Assert.Equal(new SymInt(6), (SymInt)Torch.Ops["aten::sym_stride.int"].Call(view, -1L)!);
        Assert.Equal(new SymInt(1), (SymInt)Torch.Ops["aten::sym_storage_offset"].Call(view)!);
        Assert.False((SymBool)Torch.Ops["aten::sym_is_contiguous"].Call(view)!);
        Assert.True((SymBool)Torch.Ops["aten::sym_is_contiguous"].Call(x)!);
        var nhwc = Random(8, [2, 3, 4, 5]).Permute(0, 2, 3, 1).Contiguous().Permute(0, 3, 1, 2);
        Assert.True((SymBool)Torch.Ops["aten::sym_is_contiguous"].Call(nhwc, "channels_last")!);
    }

    private sealed class NumelProbe : Module<Tensor, Tensor>
    {
        public SymInt Seen;

        public override Tensor Forward(Tensor x)
        {
            Seen = (SymInt)Torch.Ops["aten::sym_numel"].Call(x)!;
            return x.Sum();
        }
    }

    [Fact]
    public void Sym_numel_is_symbolic_while_tracing_a_dynamic_input()
    {
        var probe = new NumelProbe();
        Torch.Export(probe, [Random(9, [3, 4])], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("batch") } }, strict: false);
        Assert.True(probe.Seen.IsSymbolic);
        Assert.Equal("4*s0", probe.Seen.ToString().Replace(" ", ""));
    }

    [Fact]
    public void Empty_strided_and_resize_lay_out_storage_as_asked()
    {
        var t = Op("aten::empty_strided", new long[] { 2, 3 }, new long[] { 1, 2 }, DType.Float64);
        Assert.Equal([1L, 2], t.Strides);
        Assert.Equal(6, t.Storage.Length);
        Assert.Equal(0, Op("aten::empty_strided", new long[] { 0, 3 }, new long[] { 3, 1 }).Storage.Length);

        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var same = Op("aten::resize_", x, new long[] { 3, 2 });
        Assert.Same(x, same);
        Assert.Equal([3L, 2], Sizes(x));
        Assert.Equal([1.0, 2, 3, 4, 5, 6], Values(x));
        Op("aten::resize_", x, new long[] { 2, 4 });
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 0, 0], Values(x));
        Op("aten::resize_", x, new long[] { 2 });
        Assert.Equal([1.0, 2], Values(x));
    }

    [Fact]
    public void Randperm_is_a_seeded_permutation()
    {
        Torch.ManualSeed(11);
        var a = Op("aten::randperm", 50L);
        Torch.ManualSeed(11);
        var b = Op("aten::randperm", 50L, DType.Int32);
        Assert.Equal(DType.Int64, a.DType);
        Assert.Equal(DType.Int32, b.DType);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (double)i), Values(a).Order());
        Assert.Equal(Values(a), Values(b));
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (double)i), Values(a));
        Assert.Equal([0L], Sizes(Op("aten::randperm", 0L)));
    }

    [Fact]
    public void Nonzero_lists_coordinates_in_row_major_order()
    {
        var x = Random(10, [3, 4], DType.Int64, 0, 3);
        var xs = Values(x);
        var expected = Indices([3, 4]).Where(ix => xs[Flat([3, 4], ix)] != 0).SelectMany(ix => ix.Select(v => (double)v)).ToArray();
        AssertValues(expected, [expected.Length / 2, 2], Op("aten::nonzero", x), DType.Int64);
        AssertValues([], [0, 1], Op("aten::nonzero", Torch.Zeros([5], DType.Float32)), DType.Int64);
        AssertValues([], [1, 0], Op("aten::nonzero", Torch.ScalarTensor(2.0)), DType.Int64);
        AssertValues([0, 2], [2, 1], Op("aten::nonzero", Tensor.FromArray(new[] { double.NaN, 0, 1 }, 3)), DType.Int64);
    }

    [Fact]
    public void Local_scalar_dense_returns_the_element_as_a_scalar()
    {
        Assert.Equal(2.5, Torch.Ops["aten::_local_scalar_dense"].Call(Torch.ScalarTensor(2.5)));
        Assert.Equal(7L, Torch.Ops["aten::_local_scalar_dense"].Call(Tensor.FromArray(new long[] { 7 }, 1, 1)));
        Assert.Equal(true, Torch.Ops["aten::_local_scalar_dense"].Call(Torch.ScalarTensor(true)));
        var e = Assert.Throws<ArgumentException>(() => Torch.Ops["aten::_local_scalar_dense"].Call(Torch.Zeros(2)));
        Assert.Equal("a Tensor with 2 elements cannot be converted to Scalar", e.Message);
    }

    private sealed class NonzeroModule : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x) => (Tensor)Torch.Ops["aten::nonzero"].Call(x)!;
    }

    private sealed class ItemModule : Module<Tensor, Tensor>
    {
        public object? Seen;

        public override Tensor Forward(Tensor x)
        {
            Seen = Torch.Ops["aten::_local_scalar_dense"].Call(x.Sum());
            return x;
        }
    }

    [Fact]
    public void Data_dependent_sizes_are_unbacked_symbols_while_tracing()
    {
        var ep = Torch.Export(new NonzeroModule(), [Random(11, [3, 4], DType.Int64, 0, 2)], strict: false);
        var node = ep.Graph.Nodes.Single(n => n.Op?.Name == "aten::nonzero");
        var meta = node.TensorValue;
        Assert.StartsWith("u", meta.Shape[0].ToString());
        Assert.Equal(new SymInt(2), meta.Shape[1]);
        var input = Random(12, [3, 4], DType.Int64, 0, 2);
        AssertValues(Values(Op("aten::nonzero", input)), Sizes(Op("aten::nonzero", input)), ep.Module().Call(input), DType.Int64);

        var item = new ItemModule();
        Torch.Export(item, [Random(13, [3], DType.Int64, 0, 9)], strict: false);
        Assert.True(item.Seen is SymInt { IsSymbolic: true });
        var floats = new ItemModule();
        Assert.Throws<DataDependentException>(() => Torch.Export(floats, [Random(14, [3])], strict: false));
    }
}

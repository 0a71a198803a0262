using static Graphport.Tests.CoreOps.CoreOpCalls;

namespace Graphport.Tests.CoreOps;

/// <summary>Advanced indexing, index_put, masked_scatter, the scatter family, sort and topk against naive loops.</summary>
public class CoreIndexingKernelTests
{
    private static Tensor Longs(long[] values, params long[] shape) => Tensor.FromArray(values, shape.Length == 0 ? [values.Length] : shape);

    [Fact]
    public void Index_with_one_tensor_selects_along_its_dim()
    {
        var x = Random(1, [4, 5], DType.Int64, -9, 9);
        var xs = Values(x);
        var idx = Longs([3, -1, 0], 3);
        AssertValues([.. new long[] { 3, 3, 0 }.SelectMany(r => Enumerable.Range(0, 5).Select(c => xs[r * 5 + c]))], [3, 5],
            Op("aten::index.Tensor", x, new Tensor?[] { idx }), DType.Int64);
        var cols = Indices([4, 3]).Select(ix => xs[ix[0] * 5 + new long[] { 3, 4, 0 }[ix[1]]]).ToArray();
        AssertValues(cols, [4, 3], Op("aten::index.Tensor", x, new Tensor?[] { null, idx }), DType.Int64);
    }

    [Fact]
    public void Index_tensors_broadcast_and_adjacent_ones_stay_in_place()
    {
        var x = Random(2, [2, 3, 4, 5]);
        var xs = Values(x);
        var i = Longs([0, 2, 1, 2], 2, 2);
        var j = Longs([3, 0], 2);
        // x[:, i, j] with i [2, 2] and j [2] broadcast to [2, 2]: result [2, 2, 2, 5].
        var expected = Indices([2, 2, 2, 5]).Select(ix =>
            xs[Flat([2, 3, 4, 5], [ix[0], new long[] { 0, 2, 1, 2 }[ix[1] * 2 + ix[2]], new long[] { 3, 0 }[ix[2]], ix[3]])]).ToArray();
        AssertValues(expected, [2, 2, 2, 5], Op("aten::index.Tensor", x, new Tensor?[] { null, i, j }), DType.Float64);
    }

    [Fact]
    public void Separated_index_tensors_move_their_dims_to_the_front()
    {
        var x = Random(3, [2, 3, 4, 5]);
        var xs = Values(x);
        var i = Longs([1, 0, 1], 3);
        var k = Longs([4, 2, 0], 3);
        // x[i, :, :, k]: the index dims are separated, so the broadcast dim [3] leads: [3, 3, 4].
        var expected = Indices([3, 3, 4]).Select(ix => xs[Flat([2, 3, 4, 5], [new long[] { 1, 0, 1 }[ix[0]], ix[1], ix[2], new long[] { 4, 2, 0 }[ix[0]]])]).ToArray();
        AssertValues(expected, [3, 3, 4], Op("aten::index.Tensor", x, new Tensor?[] { i, null, null, k }), DType.Float64);
    }

    [Fact]
    public void A_boolean_mask_selects_its_true_positions_in_order()
    {
        var x = Random(4, [3, 4, 2]);
        var mask = Random(5, [3, 4], DType.Bool);
        var xs = Values(x);
        var ms = Values(mask);
        var expected = Indices([3, 4]).Where(ix => ms[ix[0] * 4 + ix[1]] != 0).SelectMany(ix => new[] { xs[Flat([3, 4, 2], [ix[0], ix[1], 0])], xs[Flat([3, 4, 2], [ix[0], ix[1], 1])] }).ToArray();
        AssertValues(expected, [expected.Length / 2, 2], Op("aten::index.Tensor", x, new Tensor?[] { mask }), DType.Float64);
        Assert.Throws<IndexOutOfRangeException>(() => Op("aten::index.Tensor", x, new Tensor?[] { Random(6, [2, 4], DType.Bool) }));
        Assert.Throws<IndexValueException>(() => Op("aten::index.Tensor", x, new Tensor?[] { Longs([3], 1) }));
        Assert.Throws<IndexOutOfRangeException>(() => Op("aten::index.Tensor", x, new Tensor?[] { Random(7, [2], DType.Float32) }));
    }

    [Fact]
    public void Index_put_writes_or_accumulates_values_broadcast_to_the_selection()
    {
        var x = Random(8, [4, 3]);
        var rows = Longs([2, 0, 2], 3);
        var values = Random(9, [3, 3]);
        var xs = Values(x);
        var vs = Values(values);
        var accumulated = (double[])xs.Clone();
        for (int n = 0; n < 3; n++)
            for (int c = 0; c < 3; c++) accumulated[new[] { 2, 0, 2 }[n] * 3 + c] += vs[n * 3 + c];
        AssertValues(accumulated, [4, 3], Op("aten::index_put", x, new Tensor?[] { rows }, values, true), DType.Float64, 1e-14);
        var replaced = (double[])xs.Clone();
        for (int c = 0; c < 3; c++)
        {
            replaced[0 * 3 + c] = vs[1 * 3 + c];
            replaced[2 * 3 + c] = vs[2 * 3 + c];
        }
        AssertValues(replaced, [4, 3], Op("aten::index_put", x, new Tensor?[] { Longs([2, 0, 2], 3) }, values, false), DType.Float64);
        // A scalar value broadcast over a boolean mask (x[mask] = 0), and the input left unchanged.
        var mask = Random(10, [4, 3], DType.Bool);
        var ms = Values(mask);
        var zeroed = xs.Select((v, n) => ms[n] != 0 ? 0 : v).ToArray();
        AssertValues(zeroed, [4, 3], Op("aten::index_put", x, new Tensor?[] { mask }, Torch.Tensor(0.0).Double()), DType.Float64);
        AssertValues(xs, [4, 3], x, DType.Float64);
        Assert.Throws<ArgumentException>(() => Op("aten::index_put", x, new Tensor?[] { rows }, Random(11, [3, 3], DType.Float32)));
    }

    [Fact]
    public void Masked_scatter_fills_true_positions_with_source_in_order()
    {
        var x = Random(12, [2, 3], DType.Int64);
        var mask = Tensor.FromArray(new[] { true, false, true }, 3);
        var source = Longs([10, 20, 30, 40, 50], 5);
        AssertValues([10, Values(x)[1], 20, 30, Values(x)[4], 40], [2, 3], Op("aten::masked_scatter", x, mask, source), DType.Int64);
        Assert.Throws<ArgumentException>(() => Op("aten::masked_scatter", x, mask, Longs([1, 2, 3], 3)));
    }

    [Fact]
    public void Scatter_variants_write_along_dim_by_index()
    {
        var self = Random(13, [3, 4]);
        var index = Longs([2, 0, 1, 2, 1, 1, 0, 0], 2, 4);
        var src = Random(14, [2, 5]);
        double[] Expected(Func<double, double, double> combine, Func<long[], double> value)
        {
            var o = Values(self);
            foreach (var ix in Indices([2, 4]))
            {
                long target = Values(index)[ix[0] * 4 + ix[1]] is var t ? (long)t : 0;
                o[target * 4 + ix[1]] = combine(o[target * 4 + ix[1]], value(ix));
            }
            return o;
        }
        var ss = Values(src);
        AssertValues(Expected((_, s) => s, ix => ss[ix[0] * 5 + ix[1]]), [3, 4], Op("aten::scatter.src", self, 0L, index, src), DType.Float64);
        AssertValues(Expected((_, s) => s, _ => -1.5), [3, 4], Op("aten::scatter.value", self, 0L, index, -1.5), DType.Float64);
        AssertValues(Expected((o, s) => o + s, ix => ss[ix[0] * 5 + ix[1]]), [3, 4], Op("aten::scatter_add", self, 0L, index, src), DType.Float64, 1e-14);
        var bools = Op("aten::scatter.value", Torch.Zeros([2, 2], DType.Bool), 1L, Longs([1, 0], 2, 1), true);
        Assert.Equal([false, true, true, false], bools.ToArray<bool>());
        Assert.Throws<ArgumentException>(() => Op("aten::scatter.src", self, 0L, index, Random(15, [2, 5], DType.Float32)));
        Assert.Throws<ArgumentException>(() => Op("aten::scatter.src", self, 0L, index.To(DType.Int32), src));
    }

    public static TheoryData<string, bool> Reductions() => new()
    {
        { "sum", true }, { "sum", false }, { "prod", true }, { "prod", false }, { "mean", true }, { "mean", false },
        { "amax", true }, { "amax", false }, { "amin", true }, { "amin", false },
    };

    [Theory]
    [MemberData(nameof(Reductions))]
    public void Scatter_reduce_combines_everything_sent_to_a_position(string reduce, bool includeSelf)
    {
        foreach (var dtype in new[] { DType.Float64, DType.Int64 })
        {
            var self = Random(16, [4, 3], dtype, -5, 5);
            var index = Random(17, [6, 3], DType.Int64, 0, 3);
            var src = Random(18, [6, 3], dtype, -5, 5);
            var (ss, xs, ix) = (Values(self), Values(src), Values(index));
            var expected = (double[])ss.Clone();
            for (int t = 0; t < 12; t++)
            {
                int col = t % 3, row = t / 3;
                var sent = Enumerable.Range(0, 6).Where(r => (long)ix[r * 3 + col] == row).Select(r => xs[r * 3 + col]).ToList();
                if (sent.Count == 0) continue;
                var all = includeSelf ? sent.Prepend(ss[t]).ToList() : sent;
                expected[t] = reduce switch
                {
                    "sum" => all.Sum(),
                    "prod" => all.Aggregate(1.0, (p, v) => p * v),
                    "mean" => dtype == DType.Int64 ? Math.Floor(all.Sum() / all.Count) : all.Average(),
                    "amax" => all.Max(),
                    _ => all.Min(),
                };
            }
            AssertValues(expected, [4, 3], Op("aten::scatter_reduce.two", self, 0L, index, src, reduce, includeSelf), dtype, 1e-13, 1e-13);
        }
    }

    [Fact]
    public void Sort_is_stable_and_puts_nan_last_ascending()
    {
        var x = Tensor.FromArray(new[] { 3.0, double.NaN, 1, 3, -2, 1 }, 6);
        var r = Multi("aten::sort", x, 0L, false);
        AssertValues([-2, 1, 1, 3, 3, double.NaN], [6], r[0], DType.Float64);
        AssertValues([4, 2, 5, 0, 3, 1], [6], r[1], DType.Int64);
        var d = Multi("aten::sort", x, -1L, true);
        AssertValues([double.NaN, 3, 3, 1, 1, -2], [6], d[0], DType.Float64);
        AssertValues([1, 0, 3, 2, 5, 4], [6], d[1], DType.Int64);
        var m = Random(19, [3, 5], DType.Int32, -4, 4);
        var sorted = Multi("aten::sort", m, 0L, false);
        Assert.Equal(DType.Int32, sorted[0].DType);
        var ms = Values(m);
        foreach (var col in Enumerable.Range(0, 5))
        {
            var column = Enumerable.Range(0, 3).Select(row => ms[row * 5 + col]).ToArray();
            Assert.Equal(column.Order(), Enumerable.Range(0, 3).Select(row => Values(sorted[0])[row * 5 + col]));
        }
    }

    [Fact]
    public void Topk_returns_the_k_extreme_values_sorted_with_their_indices()
    {
        var x = Random(20, [2, 7]);
        var xs = Values(x);
        var r = Multi("aten::topk", x, 3L);
        for (int row = 0; row < 2; row++)
        {
            var top = Enumerable.Range(0, 7).OrderByDescending(c => xs[row * 7 + c]).Take(3).ToArray();
            Assert.Equal(top.Select(c => xs[row * 7 + c]), Values(r[0]).Skip(row * 3).Take(3));
            Assert.Equal(top.Select(c => (double)c), Values(r[1]).Skip(row * 3).Take(3));
        }
        var smallest = Multi("aten::topk", x, 2L, 1L, false);
        Assert.Equal(Enumerable.Range(0, 7).Select(c => xs[c]).Order().Take(2), Values(smallest[0]).Take(2));
        Assert.Equal([2L, 0], Sizes(Multi("aten::topk", x, 0L)[0]));
        Assert.Throws<ArgumentException>(() => Multi("aten::topk", x, 8L));
    }

    [Fact]
    public void An_index_value_out_of_range_is_bad_data_named_with_the_index_the_dim_and_its_size()
    {
        // The data's fault, not the program's: every kernel that reads an index out of a tensor throws
        // IndexValueException (an ArgumentException), which a served program's caller gets as InvalidInput.
        var x = Random(20, [4, 3]);
        var beyond = Assert.Throws<IndexValueException>(() => Op("aten::index.Tensor", x, new Tensor?[] { null, Longs([0, 3], 2) }));
        Assert.Contains("index 3 is out of bounds for dimension 1 with size 3", beyond.Message);
        var negative = Assert.Throws<IndexValueException>(() => Op("aten::index.Tensor", x, new Tensor?[] { Longs([-5], 1) }));
        Assert.Contains("index -5 is out of bounds for dimension 0 with size 4", negative.Message);

        var reduce = Assert.Throws<IndexValueException>(() => Op("aten::scatter_reduce.two", Torch.Zeros([2, 3]), 1L, Longs([0, 4], 1, 2), Random(21, [1, 2], DType.Float32), "sum", true));
        Assert.Contains("index 4 is out of bounds for dimension 1 with size 3", reduce.Message);
        var scalar = Assert.Throws<IndexValueException>(() => Op("aten::scatter.value", Torch.Zeros([]), 0L, Tensor.FromArray(new long[] { 2 }), 1.0));
        Assert.Contains("index 2 is out of bounds for dimension 0 with size 1", scalar.Message);

        var bag = Assert.Throws<IndexValueException>(() => Torch.Ops["aten::_embedding_bag"].Call(Random(22, [5, 2]), Longs([1, 5, 2], 3), Longs([0], 1)));
        Assert.Contains("index 5 is out of range for 5 embeddings", bag.Message);
    }
}

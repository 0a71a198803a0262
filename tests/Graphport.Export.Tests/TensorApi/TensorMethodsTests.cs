using static Graphport.Torch;

namespace Graphport.Tests.TensorApi;

/// <summary>
/// torch.Tensor's everyday methods in C#: sorting and selection, scatter writes, products and norms, flips, rolls and
/// repeats, and the rest of the elementwise math; each against a loop over random data, and traced as the ATen op
/// torch records for it.
/// </summary>
public class TensorMethodsTests
{
    private static int NewSeed()
    {
        int seed = Environment.TickCount & int.MaxValue;
        ManualSeed((ulong)seed);
        return seed;
    }

    private static float[][] Rows(Tensor x)
    {
        var values = x.ToArray<float>();
        int width = (int)(long)x.Shape[^1];
        return Enumerable.Range(0, values.Length / width).Select(r => values.AsSpan(r * width, width).ToArray()).ToArray();
    }

    private static void Close(IEnumerable<double> expected, Tensor actual, double tolerance, int seed)
    {
        var e = expected.ToArray();
        var a = actual.To(DType.Float64).ToArray<double>();
        Assert.True(e.Length == a.Length, $"seed {seed}: {a.Length} elements, expected {e.Length}");
        for (int n = 0; n < e.Length; n++)
            Assert.True(Math.Abs(e[n] - a[n]) <= tolerance * Math.Max(1, Math.Abs(e[n])), $"seed {seed}: element {n} is {a[n]}, expected {e[n]}");
    }

    [Fact]
    public void Sort_argsort_and_topk_order_each_row_and_their_indices_point_back_at_the_values()
    {
        int seed = NewSeed();
        var x = Randn(4, 9);
        var rows = Rows(x);

        var (ascending, order) = x.Sort();
        Close(rows.SelectMany(r => r.Order()).Select(v => (double)v), ascending, 0, seed);
        Close(ascending.ToArray<float>().Select(v => (double)v), x.Gather(1, order), 0, seed);
        Assert.Equal(order.ToArray<long>(), x.Argsort().ToArray<long>());

        var (descending, _) = x.Sort(dim: 1, descending: true);
        Close(rows.SelectMany(r => r.OrderDescending()).Select(v => (double)v), descending, 0, seed);

        var (top, where) = x.Topk(3);
        Close(rows.SelectMany(r => r.OrderDescending().Take(3)).Select(v => (double)v), top, 0, seed);
        Close(top.ToArray<float>().Select(v => (double)v), x.Gather(1, where), 0, seed);
        var (bottom, _) = x.Topk(2, largest: false);
        Close(rows.SelectMany(r => r.Order().Take(2)).Select(v => (double)v), bottom, 0, seed);
    }

    [Fact]
    public void Running_extremes_medians_and_buckets_follow_their_definitions()
    {
        int seed = NewSeed();
        var x = Randn(3, 7);
        var rows = Rows(x);

        var (runningMax, at) = x.Cummax(1);
        Close(rows.SelectMany(r => r.Select((_, n) => (double)r.Take(n + 1).Max())), runningMax, 0, seed);
        Close(runningMax.ToArray<float>().Select(v => (double)v), x.Gather(1, at), 0, seed);
        var (runningMin, _) = x.Cummin(1);
        Close(rows.SelectMany(r => r.Select((_, n) => (double)r.Take(n + 1).Min())), runningMin, 0, seed);

        // Of an even count, the lower of the middle two.
        var even = Randn(8);
        Close([even.ToArray<float>().Order().ElementAt(3)], even.Median(), 0, seed);
        var (medians, _) = x.Median(1);
        Close(rows.Select(r => (double)r.Order().ElementAt(3)), medians, 0, seed);

        var boundaries = Tensor.FromArray(new[] { -1f, 0f, 0.5f, 1f }, 4);
        var points = Tensor.FromArray(new[] { -2f, -1f, 0.25f, 0.5f, 3f }, 5);
        Assert.Equal([0L, 0, 2, 2, 4], points.Bucketize(boundaries).ToArray<long>());
        Assert.Equal([0L, 1, 2, 3, 4], points.Bucketize(boundaries, right: true).ToArray<long>());
        Assert.Equal(DType.Int32, points.Bucketize(boundaries, outInt32: true).DType);
    }

    [Fact]
    public void Scatter_writes_land_where_the_index_says_and_reductions_combine_repeats()
    {
        int seed = NewSeed();
        var rng = new Random(seed);
        var self = Randn(3, 5);
        var src = Randn(3, 4);
        var positions = Enumerable.Range(0, 12).Select(_ => (long)rng.Next(5)).ToArray();
        var index = Tensor.FromArray(positions, 3, 4);
        var s = self.ToArray<float>();
        var v = src.ToArray<float>();

        var added = s.Select(e => (double)e).ToArray();
        var largest = s.Select(e => (double)e).ToArray();
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
            {
                int target = r * 5 + (int)positions[r * 4 + c];
                added[target] += v[r * 4 + c];
                largest[target] = Math.Max(largest[target], v[r * 4 + c]);
            }
        Close(added, self.ScatterAdd(1, index, src), 1e-6, seed);
        Close(largest, self.ScatterReduce(1, index, src, "amax"), 0, seed);

        var distinct = Tensor.FromArray(new long[] { 4, 0, 2 }, 3, 1);
        var written = self.Scatter(1, distinct, -7.5);
        var expected = s.Select(e => (double)e).ToArray();
        expected[4] = expected[5] = expected[12] = -7.5;
        Close(expected, written, 0, seed);

        var rows = self.IndexCopy(0, Tensor.FromArray(new long[] { 2, 0 }, 2), Zeros(2, 5));
        Close(s.Select((e, n) => n / 5 == 1 ? (double)e : 0), rows, 0, seed);

        var accumulated = self.IndexPut([Tensor.FromArray(new long[] { 1, 1 }, 2)], Ones(2, 5), accumulate: true);
        Close(s.Select((e, n) => n / 5 == 1 ? e + 2.0 : e), accumulated, 1e-6, seed);

        var mask = self > 0.0;
        var filled = self.MaskedScatter(mask, Arange(15).To(DType.Float32));
        int next = 0;
        Close(s.Select(e => e > 0 ? next++ : (double)e), filled, 0, seed);
    }

    [Fact]
    public void Products_norms_and_reductions_along_a_dim_follow_their_definitions()
    {
        int seed = NewSeed();
        var x = Randn(3, 6);
        var rows = Rows(x);

        Close([rows.SelectMany(r => r).Aggregate(1.0, (p, e) => p * e)], x.Prod(), 1e-5, seed);
        Close(rows.Select(r => r.Aggregate(1.0, (p, e) => p * e)), x.Prod(1), 1e-5, seed);
        Assert.Equal(DType.Int64, Tensor.FromArray(new[] { 2, 3, 4 }, 3).Prod().DType);
        Assert.Equal(24L, Tensor.FromArray(new[] { 2, 3, 4 }, 3).Prod().ToArray<long>()[0]);

        Close([Math.Sqrt(rows.SelectMany(r => r).Sum(e => (double)e * e))], x.Norm(), 1e-6, seed);
        Close(rows.Select(r => r.Sum(e => Math.Abs((double)e))), x.Norm(1, 1), 1e-6, seed);
        Close(rows.Select(r => r.Max(e => Math.Abs((double)e))), x.Norm(double.PositiveInfinity, 1), 0, seed);
        var y = Randn(3, 6);
        Close([Math.Sqrt(rows.SelectMany(r => r).Zip(y.ToArray<float>(), (a, b) => ((double)a - b) * (a - b)).Sum())], x.Dist(y), 1e-6, seed);

        var positive = x > 0.0;
        Assert.Equal(rows.Select(r => r.All(e => e > 0)), positive.All(1).ToArray<bool>());
        Assert.Equal(rows.Select(r => r.Any(e => e > 0)), positive.Any(1).ToArray<bool>());
        Close(rows.SelectMany(r => r.Select((_, n) => Math.Log(r.Take(n + 1).Sum(e => Math.Exp(e))))), x.Logcumsumexp(1), 1e-5, seed);
    }

    [Fact]
    public void Flips_rolls_repeats_windows_and_differences_rearrange_as_torch_does()
    {
        var x = Arange(6).Reshape(2, 3);

        Assert.Equal([5L, 4, 3, 2, 1, 0], x.Flip(0, 1).ToArray<long>());
        Assert.Equal([2L, 0, 1, 5, 3, 4], x.Roll(1, 1).ToArray<long>());
        // Without a dim, the flattened tensor rolls and keeps its shape. (Values as torch 2.14 gives them.)
        var flatRoll = x.Roll(2);
        Assert.Equal([4L, 5, 0, 1, 2, 3], flatRoll.ToArray<long>());
        Assert.Equal([2L, 3], flatRoll.Shape.Select(s => (long)s));
        Assert.Equal([4L, 5, 3, 1, 2, 0], x.Roll([1, -1], [0, 1]).ToArray<long>());

        var repeated = x.Repeat(2, 1, 2);
        Assert.Equal([2L, 2, 6], repeated.Shape.Select(s => (long)s));
        Assert.Equal([0L, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5], repeated[1].ToArray<long>());
        Assert.Equal([2L, 6], x.Tile(2).Shape.Select(s => (long)s));

        var windows = Arange(7).Unfold(0, 3, 2);
        Assert.Equal([3L, 3], windows.Shape.Select(s => (long)s));
        Assert.Equal([0L, 1, 2, 2, 3, 4, 4, 5, 6], windows.ToArray<long>());

        var v = Tensor.FromArray(new long[] { 1, 4, 9, 16 }, 4);
        Assert.Equal([3L, 5, 7], v.Diff().ToArray<long>());
        Assert.Equal([2L, 2], v.Diff(2).ToArray<long>());
        Assert.Equal([1L, 3, 5, 7], v.Diff(prepend: Tensor.FromArray(new long[] { 0 }, 1)).ToArray<long>());
    }

    [Fact]
    public void Elementwise_math_takes_the_signs_and_special_values_torch_gives()
    {
        int seed = NewSeed();
        var a = Tensor.FromArray(new long[] { -7, 7, -7, 7 }, 4);
        var b = Tensor.FromArray(new long[] { 2, -2, -2, 2 }, 4);
        Assert.Equal([-1L, 1, -1, 1], a.Fmod(b).ToArray<long>());
        Assert.Equal([1L, -1, -1, 1], a.Remainder(b).ToArray<long>());
        Assert.Equal([1L, 1, 1, 1], a.Remainder(2L).ToArray<long>());
        Assert.Equal([-1L, 1, -1, 1], a.Fmod(2L).ToArray<long>());

        var x = Rand(10) * 0.9 + 0.05;
        var xs = x.ToArray<float>().Select(v => (double)v).ToArray();
        var y = Randn(10);
        var ys = y.ToArray<float>().Select(v => (double)v).ToArray();
        Close(xs.Select(v => Math.Exp(v) - 1), x.Expm1(), 1e-6, seed);
        Close(xs.Select(Math.Log2), x.Log2(), 1e-6, seed);
        Close(xs.Select(Math.Log10), x.Log10(), 1e-6, seed);
        Close(xs.Select(Math.Asin), x.Asin(), 1e-6, seed);
        Close(xs.Select(Math.Atanh), x.Atanh(), 1e-5, seed);
        Close(ys.Select(Math.Sinh), y.Sinh(), 1e-6, seed);
        Close(ys.Select(Math.Asinh), y.Asinh(), 1e-6, seed);
        Close(ys.Zip(xs, Math.Atan2), y.Atan2(x), 1e-6, seed);
        Close(ys.Select(Math.Truncate), y.Trunc(), 0, seed);
        // erfinv inverts erf.
        Close(xs, x.Erfinv().Erf(), 1e-5, seed);

        var special = Tensor.FromArray(new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1f }, 4);
        Assert.Equal([true, false, false, false], special.IsNan().ToArray<bool>());
        Assert.Equal([false, true, true, false], special.IsInf().ToArray<bool>());

        var lower = Zeros(10) - 0.5;
        Close(ys.Select(v => Math.Clamp(v, -0.5, 0.5)), y.Clamp(lower, -lower), 0, seed);
        var e1 = Tensor.FromArray(new[] { 1f, 0, 0 }, 3);
        var e2 = Tensor.FromArray(new[] { 0f, 1, 0 }, 3);
        Assert.Equal([0f, 0, 1], e1.Cross(e2).ToArray<float>());
        Assert.Equal([4L, 0, 6, 0], Tensor.FromArray(new long[] { 12, 10, 6, 5 }, 4).BitwiseAnd(Tensor.FromArray(new long[] { 6, 5, 7, 2 }, 4)).ToArray<long>());
    }

    public sealed class UsesTheMethods : Module<Tensor, Tensor, (Tensor, Tensor)>
    {
        public override (Tensor, Tensor) Forward(Tensor x, Tensor index)
        {
            var (top, _) = x.Topk(2);
            var spread = x.ScatterAdd(1, index, x.Sort().Values).Roll(1, 0).Flip(1);
            return (top.Repeat(1, 2) + spread.Norm(2, 1, keepdim: true), spread.Prod(1).Remainder(3.0));
        }
    }

    [Fact]
    public void Traced_they_record_the_ops_torch_records_and_the_program_computes_what_eager_does()
    {
        int seed = NewSeed();
        var rng = new Random(seed);
        Tensor Index() => Tensor.FromArray(Enumerable.Range(0, 12).Select(_ => (long)rng.Next(4)).ToArray(), 3, 4);
        var ep = Export(new UsesTheMethods(), [Randn(3, 4), Index()]);
        var text = ep.ToString();
        foreach (var call in new[] { "aten.topk.default(x, 2)", "aten.sort.default(x)", "aten.scatter_add.default(x, 1, index, getitem_2)",
            "aten.roll.default(scatter_add, [1], [0])", "aten.flip.default(roll, [1])", "aten.repeat.default(getitem, [1, 2])",
            "aten.linalg_vector_norm.default(flip, 2, [1], True)", "aten.prod.dim_int(flip, 1)", "aten.remainder.Scalar(prod, 3.0)" })
            Assert.Contains(call, text);

        var x = Randn(3, 4);
        var index = Index();
        var (a, b) = new UsesTheMethods().Call(x, index);
        var (c, d) = ((Tensor, Tensor))ep.Module().Invoke([x, index])!;
        Assert.True(c.AllClose(a, 0, 0) && d.AllClose(b, 0, 0), $"seed {seed}");
    }
}

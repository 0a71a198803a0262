using static Graphport.Tests.CoreOps.CoreOpCalls;

namespace Graphport.Tests.CoreOps;

/// <summary>1-D and 3-D pooling and the pooling backward ops, against naive loops, the 2-D kernels and adjoint identities.</summary>
public class CorePoolingKernelTests
{
    /// <summary>torch's pooling output size (with the ceil-mode rule that the last window starts inside input + left padding).</summary>
    private static long OutSize(long n, long k, long s, long p, long d, bool ceil)
    {
        long num = n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0);
        long o = (long)Math.Floor((double)num / s) + 1;
        if (ceil && (o - 1) * s >= n + p) o--;
        return o;
    }

    /// <summary>Naive average pooling over the last dims of a [planes, spatial...] array, written per window.</summary>
    private static double[] NaiveAvg(double[] x, long planes, long[] size, long[] k, long[] s, long[] p, bool ceil, bool countPad, long? divisor, out long[] outSize)
    {
        int rank = size.Length;
        var os = Enumerable.Range(0, rank).Select(i => OutSize(size[i], k[i], s[i], p[i], 1, ceil)).ToArray();
        outSize = os;
        var result = new List<double>();
        for (long pl = 0; pl < planes; pl++)
            foreach (var o in Indices(os))
            {
                double sum = 0;
                long padded = 1, count = 0;
                var lo = new long[rank];
                var hi = new long[rank];
                for (int d = 0; d < rank; d++)
                {
                    long start = o[d] * s[d] - p[d], end = Math.Min(start + k[d], size[d] + p[d]);
                    padded *= end - start;
                    lo[d] = Math.Max(start, 0);
                    hi[d] = Math.Min(end, size[d]);
                }
                var extent = Enumerable.Range(0, rank).Select(d => Math.Max(hi[d] - lo[d], 0)).ToArray();
                foreach (var w in Indices(extent))
                {
                    var pos = w.Select((v, d) => v + lo[d]).ToArray();
                    sum += x[pl * Numel(size) + Flat(size, pos)];
                    count++;
                }
                result.Add(sum / (divisor ?? (countPad ? padded : count)));
            }
        return [.. result];
    }

    [Theory]
    [InlineData(3, 2, 1, false, true)]
    [InlineData(3, 2, 1, true, false)]
    [InlineData(4, 3, 2, true, true)]
    [InlineData(2, 1, 0, false, false)]
    public void Avg_pool1d_matches_a_naive_window_average(long k, long s, long p, bool ceil, bool countPad)
    {
        var x = Random(1, [2, 3, 9]);
        var expected = NaiveAvg(Values(x), 6, [9], [k], [s], [p], ceil, countPad, null, out var os);
        AssertValues(expected, [2, 3, os[0]], Op("aten::avg_pool1d", x, new[] { k }, new[] { s }, new[] { p }, ceil, countPad), DType.Float64, 1e-14, 1e-14);
        // The same windows through the 2-D kernel on a height-1 image.
        var viaTwoD = Op("aten::avg_pool2d", x.Unsqueeze(2), new[] { 1L, k }, new[] { 1L, s }, new[] { 0L, p }, ceil, countPad, null);
        AssertValues(Values(viaTwoD), [2, 3, os[0]], Op("aten::avg_pool1d", x, new[] { k }, new[] { s }, new[] { p }, ceil, countPad), DType.Float64, 1e-14, 1e-14);
    }

    [Theory]
    [InlineData(false, true, null)]
    [InlineData(true, false, null)]
    [InlineData(false, true, 5L)]
    public void Avg_pool3d_matches_a_naive_window_average(bool ceil, bool countPad, long? divisor)
    {
        var x = Random(2, [2, 5, 6, 7], DType.Float32);
        long[] k = [2, 3, 2], s = [2, 2, 3], p = [1, 1, 0];
        var expected = NaiveAvg(Values(x), 2, [5, 6, 7], k, s, p, ceil, countPad, divisor, out var os);
        AssertValues(expected, [2, .. os], Op("aten::avg_pool3d", x, k, s, p, ceil, countPad, divisor), DType.Float32, 1e-5, 1e-6);
    }

    [Fact]
    public void Max_pool3d_with_indices_matches_a_naive_window_maximum_with_dilation()
    {
        var x = Random(3, [1, 2, 5, 6, 7]);
        long[] k = [2, 2, 3], s = [1, 2, 2], p = [1, 0, 1], d = [2, 1, 1];
        var xs = Values(x);
        var os = Enumerable.Range(0, 3).Select(i => OutSize(new long[] { 5, 6, 7 }[i], k[i], s[i], p[i], d[i], false)).ToArray();
        var values = new List<double>();
        var indices = new List<double>();
        for (int plane = 0; plane < 2; plane++)
            foreach (var o in Indices(os))
            {
                double best = double.NegativeInfinity;
                long bestAt = -1;
                foreach (var w in Indices(k))
                {
                    var pos = Enumerable.Range(0, 3).Select(i => o[i] * s[i] - p[i] + w[i] * d[i]).ToArray();
                    if (pos.Where((v, i) => v < 0 || v >= new long[] { 5, 6, 7 }[i]).Any()) continue;
                    long flat = Flat([5, 6, 7], pos);
                    double v = xs[plane * 210 + flat];
                    if (bestAt < 0 || v > best) (best, bestAt) = (v, flat);
                }
                values.Add(best);
                indices.Add(bestAt);
            }
        var r = Multi("aten::max_pool3d_with_indices", x, k, s, p, d, false);
        AssertValues([.. values], [1, 2, .. os], r[0], DType.Float64);
        AssertValues([.. indices], [1, 2, .. os], r[1], DType.Int64);
    }

    [Fact]
    public void Adaptive_average_pools_average_their_floor_ceil_windows()
    {
        var x = Random(4, [2, 3, 10]);
        var xs = Values(x);
        var expected1 = new List<double>();
        for (int plane = 0; plane < 6; plane++)
            for (int o = 0; o < 4; o++)
            {
                int start = o * 10 / 4, end = ((o + 1) * 10 + 3) / 4;
                expected1.Add(Enumerable.Range(start, end - start).Average(i => xs[plane * 10 + i]));
            }
        AssertValues([.. expected1], [2, 3, 4], Op("aten::adaptive_avg_pool1d", x, new long[] { 4 }), DType.Float64, 1e-14, 1e-14);

        var y = Random(5, [2, 4, 5, 7], DType.Float32);
        var three = Op("aten::_adaptive_avg_pool3d", y, new long[] { 1, 3, 2 });
        // A depth window covering everything is the mean over depth of the 2-D adaptive pool.
        var twoD = Op("aten::_adaptive_avg_pool2d", y, new long[] { 3, 2 }).Mean([1], keepdim: true);
        AssertValues(Values(twoD), [2, 1, 3, 2], three, DType.Float32, 1e-5, 1e-6);
    }

    [Fact]
    public void Average_pool_backwards_are_the_adjoints_of_their_forwards()
    {
        // For a linear f, <g, f(x)> = <f_backward(g), x> for every x and g.
        var x = Random(6, [2, 3, 7, 8]);
        long[] k = [3, 2], s = [2, 2], p = [1, 0];
        foreach (var (ceil, countPad, divisor) in new (bool, bool, long?)[] { (false, true, null), (true, false, null), (true, true, 3) })
        {
            var y = Op("aten::avg_pool2d", x, k, s, p, ceil, countPad, divisor);
            var g = Random(7, Sizes(y));
            var back = Op("aten::avg_pool2d_backward", g, x, k, s, p, ceil, countPad, divisor);
            Assert.Equal(Sizes(x), Sizes(back));
            Assert.Equal(Dot(g, y), Dot(back, x), 1e-10);
        }
        var ya = Op("aten::_adaptive_avg_pool2d", x, new long[] { 3, 5 });
        var ga = Random(8, Sizes(ya));
        Assert.Equal(Dot(ga, ya), Dot(Op("aten::_adaptive_avg_pool2d_backward", ga, x), x), 10);
    }

    [Fact]
    public void Max_pool2d_backward_routes_each_gradient_to_its_recorded_index()
    {
        var x = Random(9, [2, 2, 6, 5]);
        long[] k = [3, 3], s = [2, 1], p = [1, 1], d = [1, 1];
        var r = Multi("aten::max_pool2d_with_indices", x, k, s, p, d, true);
        var g = Random(10, Sizes(r[0]));
        var expected = new double[2 * 2 * 30];
        var (gs, idx) = (Values(g), Values(r[1]));
        long outPlane = Numel(Sizes(r[0])[2..]);
        for (int i = 0; i < gs.Length; i++) expected[i / outPlane * 30 + (long)idx[i]] += gs[i];
        AssertValues(expected, [2, 2, 6, 5], Op("aten::max_pool2d_with_indices_backward", g, x, k, s, p, d, true, r[1]), DType.Float64, 1e-14, 1e-14);
    }

    [Fact]
    public void Pool_window_arguments_are_checked()
    {
        var x = Random(11, [1, 2, 6]);
        Assert.Throws<ArgumentException>(() => Op("aten::avg_pool1d", x, new long[] { 2 }, new long[] { 1 }, new long[] { 2 }));
        Assert.Throws<ArgumentException>(() => Op("aten::avg_pool1d", Random(12, [6]), new long[] { 2 }));
        Assert.Throws<ArgumentException>(() => Op("aten::avg_pool3d", Random(13, [1, 2, 2, 2]), new long[] { 3 }));
        Assert.Throws<ArgumentException>(() => Op("aten::avg_pool3d", Random(14, [1, 4, 4, 4]), new long[] { 2 }, Array.Empty<long>(), new long[] { 0 }, false, true, 0L));
    }
}

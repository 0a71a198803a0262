using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

public class PoolingTests
{
    [Theory]
    // input, kernel, stride, pad, dilation, ceil → expected (worked out by hand from torch's formula)
    [InlineData(7, 2, 2, 0, 1, false, 3)]
    [InlineData(7, 2, 2, 0, 1, true, 4)]
    [InlineData(6, 2, 2, 0, 1, true, 3)]
    [InlineData(5, 3, 2, 1, 1, true, 3)]
    [InlineData(6, 3, 2, 1, 1, true, 4)]
    [InlineData(4, 3, 3, 1, 1, true, 2)]
    [InlineData(10, 3, 1, 0, 2, false, 6)]
    [InlineData(112, 3, 2, 1, 1, false, 56)]
    [InlineData(5, 2, 3, 1, 1, true, 2)]
    public void Output_size_follows_torch_including_the_ceil_mode_last_window_rule(int input, int k, int s, int p, int d, bool ceil, int expected)
        => Assert.Equal(expected, Pooling.OutputSize(input, k, s, p, d, ceil));

    [Fact]
    public void Ceil_mode_drops_a_window_that_would_start_in_the_right_padding()
    {
        // (5 + 2·1 − 2 − 1 + 2) / 3 + 1 = 3 windows before the rule; the third starts at 2·3 − 1 = 5 >= 5 + 1? no: 6 >= 6 → dropped.
        Assert.Equal(2, Pooling.OutputSize(5, 2, 3, 1, 1, true));
        Assert.Equal(3, Pooling.OutputSize(6, 2, 3, 1, 1, true));
    }

    [Fact]
    public void Adaptive_windows_use_floor_start_and_ceil_end()
    {
        Assert.Equal(new (long, long)[] { (0, 3), (2, 5), (4, 7) }, Enumerable.Range(0, 3).Select(o => Pooling.AdaptiveWindow(o, 7, 3)).ToArray());
        Assert.Equal(new (long, long)[] { (0, 2), (2, 4), (4, 6) }, Enumerable.Range(0, 3).Select(o => Pooling.AdaptiveWindow(o, 6, 3)).ToArray());
        Assert.Equal(new (long, long)[] { (0, 1), (0, 2), (1, 2) }, Enumerable.Range(0, 3).Select(o => Pooling.AdaptiveWindow(o, 2, 3)).ToArray());
        Assert.Equal((0L, 5L), Pooling.AdaptiveWindow(0, 5, 1));
    }

    private static IEnumerable<(int Ih, int Iw)> Window(int oy, int ox, int h, int w, (int H, int W) k, (int H, int W) s, (int H, int W) p, (int H, int W) d)
    {
        for (int i = 0; i < k.H; i++)
            for (int j = 0; j < k.W; j++)
            {
                int ih = oy * s.H - p.H + i * d.H, iw = ox * s.W - p.W + j * d.W;
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) yield return (ih, iw);
            }
    }

    [Theory]
    [InlineData(2, 3, 9, 8, 3, 3, 2, 2, 1, 1, 1, 1, false)]
    [InlineData(1, 2, 7, 7, 2, 2, 2, 2, 0, 0, 1, 1, true)]
    [InlineData(1, 2, 10, 9, 3, 2, 2, 3, 1, 1, 2, 1, true)]
    [InlineData(1, 1, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, false)]
    [InlineData(2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, false)]
    public void MaxPool2d_takes_the_first_maximum_of_each_window_and_reports_its_plane_index(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, bool ceil)
    {
        var rng = new Random(h * 31 + w);
        // Few distinct values so ties occur; NaN in one spot.
        var x = Enumerable.Range(0, n * c * h * w).Select(_ => (double)rng.Next(0, 5)).ToArray();
        x[x.Length / 2] = double.NaN;
        var (vals, idx) = Pooling.MaxPool2d(x, [n, c, h, w], (kh, kw), (sh, sw), (ph, pw), (dh, dw), ceil);
        int oh = (int)Pooling.OutputSize(h, kh, sh, ph, dh, ceil), ow = (int)Pooling.OutputSize(w, kw, sw, pw, dw, ceil);
        Assert.Equal(new long[] { n, c, oh, ow }, vals.Shape);
        for (int pl = 0; pl < n * c; pl++)
            for (int y = 0; y < oh; y++)
                for (int xo = 0; xo < ow; xo++)
                {
                    double best = double.NegativeInfinity;
                    long bi = -1;
                    foreach (var (ih, iw) in Window(y, xo, h, w, (kh, kw), (sh, sw), (ph, pw), (dh, dw)).OrderBy(t => t.Ih).ThenBy(t => t.Iw))
                    {
                        double v = x[pl * h * w + ih * w + iw];
                        if (bi < 0 || v > best || (double.IsNaN(v) && !double.IsNaN(best)))
                        {
                            best = v;
                            bi = ih * w + iw;
                        }
                    }
                    int o = (pl * oh + y) * ow + xo;
                    AssertClose(best, vals.Data[o], 0, 0, "maxpool value", o);
                    Assert.Equal(bi, idx.Data[o]);
                }
        var f = Pooling.MaxPool2d(x.Select(v => (float)v).ToArray(), [n * c, h, w], (kh, kw), (sh, sw), (ph, pw), (dh, dw), ceil);
        Assert.Equal(new long[] { n * c, oh, ow }, f.Output.Shape);
        Assert.Equal(idx.Data, f.Indices.Data);
    }

    // Window geometries for both max pools: n, c, h, w, kernel, stride, padding (H then W), ceil mode.
    public static IEnumerable<object[]> MaxPoolGeometries =>
    [
        [2, 3, 112, 112, 3, 3, 2, 2, 1, 1, false],
        [1, 4, 9, 17, 3, 3, 2, 2, 1, 1, true],
        [1, 2, 33, 33, 2, 2, 2, 2, 0, 0, false],
        [1, 2, 8, 16, 3, 2, 1, 1, 1, 0, false],
        [1, 2, 5, 7, 5, 3, 3, 2, 2, 1, true],
        [1, 1, 1, 40, 1, 4, 1, 4, 0, 2, false],
        [1, 2, 20, 1, 3, 1, 2, 1, 1, 0, true],
    ];

    private static readonly double[] TieValues = [-1, 0, 2, 2.5, double.NegativeInfinity];

    // count elements drawn by element, then one +inf, a first row of -inf (whole -inf windows) and, when asked, one NaN.
    private static double[] PoolInput(Random rng, int count, int w, bool withNaN, Func<Random, double> element)
    {
        var x = Enumerable.Range(0, count).Select(_ => element(rng)).ToArray();
        x[rng.Next(x.Length)] = double.PositiveInfinity;
        for (int i = 0; i < Math.Min(w, 9); i++) x[i] = double.NegativeInfinity;
        if (withNaN) x[rng.Next(x.Length)] = double.NaN;
        return x;
    }

    // Float planes of an undilated max pool take two passes (down columns, then across); double and dilated ones the
    // direct loop. The float results must be the direct loop's, index for index, ties and infinities included.
    [Theory]
    [MemberData(nameof(MaxPoolGeometries))]
    public void A_float_max_pool_picks_the_same_maximum_and_index_as_the_direct_loop_with_ties_and_infinities(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, bool ceil)
    {
        var rng = new Random(h * 131 + w * 7 + kh);
        foreach (bool withNaN in new[] { false, true })
        {
            // Four distinct values make ties in most windows. A NaN in one plane: that plane follows the direct loop's
            // NaN rule, the others stay on two passes.
            var x = PoolInput(rng, n * c * h * w, w, withNaN, r => TieValues[r.Next(TieValues.Length)]);

            var (expected, expectedIndices) = Pooling.MaxPool2d(x, [n, c, h, w], (kh, kw), (sh, sw), (ph, pw), (1, 1), ceil);
            var (actual, actualIndices) = Pooling.MaxPool2d(x.Select(v => (float)v).ToArray(), [n, c, h, w], (kh, kw), (sh, sw), (ph, pw), (1, 1), ceil);

            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expectedIndices.Data, actualIndices.Data);
            Assert.Equal(expected.Data.Select(v => (float)v), actual.Data);
        }
    }

    // The values alone (a frozen module's pool whose indices nobody reads) take vector max instructions down columns
    // and across stride phases: they must be the indexed pool's values everywhere, ties, infinities, whole -inf
    // windows, ceil mode's clipped last windows and NaNs (a plane with one is redone by the direct loop) included.
    [Theory]
    [MemberData(nameof(MaxPoolGeometries))]
    [InlineData(1, 3, 23, 61, 5, 5, 3, 3, 2, 2, true)]
    [InlineData(1, 2, 6, 45, 3, 7, 1, 1, 1, 3, false)]
    public void A_max_pool_without_indices_gives_the_indexed_pools_values(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, bool ceil)
    {
        var rng = new Random(h * 31 + w * 3 + kw);
        foreach (bool withNaN in new[] { false, true })
        {
            var x = PoolInput(rng, n * c * h * w, w, withNaN, r => r.Next(3) == 0 ? TieValues[r.Next(TieValues.Length)] : r.NextDouble() * 6 - 3);
            var floats = x.Select(v => (float)v).ToArray();

            var (expected, _) = Pooling.MaxPool2d(floats, [n, c, h, w], (kh, kw), (sh, sw), (ph, pw), (1, 1), ceil);
            var actual = Pooling.MaxPool2dValues(floats, [n, c, h, w], (kh, kw), (sh, sw), (ph, pw), (1, 1), ceil);

            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.Data, actual.Data);
            Assert.Equal(Pooling.MaxPool2d(x, [n, c, h, w], (kh, kw), (sh, sw), (ph, pw), (1, 1), ceil).Output.Data, Pooling.MaxPool2dValues(x, [n, c, h, w], (kh, kw), (sh, sw), (ph, pw), (1, 1), ceil).Data);
        }
    }

    [Fact]
    public void A_max_pool_without_indices_rejects_what_the_indexed_pool_rejects()
    {
        var x = new float[2 * 5 * 5];
        var tooMuchPadding = Assert.Throws<ArgumentException>(() => Pooling.MaxPool2dValues(x, [2, 5, 5], (3, 3), (1, 1), (2, 2), (1, 1), false));
        Assert.Contains("padding (2, 2) exceeds half the kernel (3, 3)", tooMuchPadding.Message);
        var tooSmall = Assert.Throws<ArgumentException>(() => Pooling.MaxPool2dValues(x, [2, 5, 5], (7, 7), (1, 1), (0, 0), (1, 1), false));
        Assert.Contains("expected an output of at least 1×1", tooSmall.Message);
    }

    [Fact]
    public void A_float_max_pool_on_random_numbers_agrees_with_the_direct_loop_on_a_resnet_stem_shape()
    {
        var rng = new Random(5);
        var x = Doubles(rng, 2 * 64 * 56 * 57).Select(v => (double)(float)v).ToArray();
        var (expected, expectedIndices) = Pooling.MaxPool2d(x, [2, 64, 56, 57], (3, 3), (2, 2), (1, 1), (1, 1), false);
        var (actual, actualIndices) = Pooling.MaxPool2d(x.Select(v => (float)v).ToArray(), [2, 64, 56, 57], (3, 3), (2, 2), (1, 1), (1, 1), false);
        Assert.Equal(expectedIndices.Data, actualIndices.Data);
        Assert.Equal(expected.Data.Select(v => (float)v), actual.Data);
    }

    [Theory]
    [InlineData(3, 3, 2, 2, 1, 1, false, true, null)]
    [InlineData(3, 3, 2, 2, 1, 1, true, false, null)]
    [InlineData(2, 3, 2, 1, 1, 1, true, true, null)]
    [InlineData(3, 2, 3, 2, 1, 0, true, true, 5)]
    [InlineData(2, 2, 2, 2, 0, 0, false, true, null)]
    public void AvgPool2d_divides_by_the_torch_divisor(int kh, int kw, int sh, int sw, int ph, int pw, bool ceil, bool countIncludePad, int? divisor)
    {
        var rng = new Random(kh * 7 + sh);
        int n = 2, c = 2, h = 7, w = 8;
        var x = Doubles(rng, n * c * h * w);
        var r = Pooling.AvgPool2d(x, [n, c, h, w], (kh, kw), (sh, sw), (ph, pw), ceil, countIncludePad, divisor);
        int oh = (int)Pooling.OutputSize(h, kh, sh, ph, 1, ceil), ow = (int)Pooling.OutputSize(w, kw, sw, pw, 1, ceil);
        Assert.Equal(new long[] { n, c, oh, ow }, r.Shape);
        for (int pl = 0; pl < n * c; pl++)
            for (int y = 0; y < oh; y++)
                for (int xo = 0; xo < ow; xo++)
                {
                    var cells = Window(y, xo, h, w, (kh, kw), (sh, sw), (ph, pw), (1, 1)).ToList();
                    double sum = cells.Sum(t => x[pl * h * w + t.Ih * w + t.Iw]);
                    // Padded window size: the window clipped to the padded extent [-pad, size + pad).
                    int hs = y * sh - ph, ws = xo * sw - pw;
                    int padded = (Math.Min(hs + kh, h + ph) - hs) * (Math.Min(ws + kw, w + pw) - ws);
                    double d = divisor ?? (countIncludePad ? padded : cells.Count);
                    int o = (pl * oh + y) * ow + xo;
                    AssertClose(cells.Count == 0 ? 0 : sum / d, r.Data[o], 1e-12, 1e-12, "avgpool", o);
                }
    }

    [Theory]
    [InlineData(7, 9, 3, 4)]
    [InlineData(5, 5, 5, 5)]
    [InlineData(2, 3, 5, 7)]
    [InlineData(10, 6, 1, 1)]
    public void Adaptive_pools_reduce_each_torch_window(int h, int w, int oh, int ow)
    {
        var rng = new Random(h * 100 + w * 10 + oh);
        var x = Doubles(rng, 3 * h * w);
        var avg = Pooling.AdaptiveAvgPool2d(x, [3, h, w], (oh, ow));
        var (mx, mi) = Pooling.AdaptiveMaxPool2d(x, [1, 3, h, w], (oh, ow));
        Assert.Equal(new long[] { 3, oh, ow }, avg.Shape);
        Assert.Equal(new long[] { 1, 3, oh, ow }, mx.Shape);
        for (int pl = 0; pl < 3; pl++)
            for (int y = 0; y < oh; y++)
                for (int xo = 0; xo < ow; xo++)
                {
                    int hs = y * h / oh, he = ((y + 1) * h + oh - 1) / oh, ws = xo * w / ow, we = ((xo + 1) * w + ow - 1) / ow;
                    var cells = new List<(double V, int I)>();
                    for (int i = hs; i < he; i++)
                        for (int j = ws; j < we; j++) cells.Add((x[pl * h * w + i * w + j], i * w + j));
                    int o = (pl * oh + y) * ow + xo;
                    AssertClose(cells.Average(t => t.V), avg.Data[o], 1e-12, 1e-12, "adaptive avg", o);
                    var best = cells.First(t => t.V == cells.Max(u => u.V));
                    Assert.Equal(best.V, mx.Data[o]);
                    Assert.Equal(best.I, mi.Data[o]);
                }
    }

    [Fact]
    public void Invalid_pooling_arguments_are_rejected_with_expectations()
    {
        var ex = Assert.Throws<ArgumentException>(() => Pooling.MaxPool2d(new float[16], [1, 1, 4, 4], (2, 2), (2, 2), (2, 0), (1, 1), false));
        Assert.Contains("expected padding <= kernel / 2", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Pooling.MaxPool2d(new float[4], [1, 1, 2, 2], (3, 3), (1, 1), (0, 0), (1, 1), false));
        Assert.Contains("output", ex2.Message);
        Assert.Throws<ArgumentException>(() => Pooling.AvgPool2d(new float[16], [1, 1, 4, 4], (2, 2), (2, 2), (0, 0), false, true, 0));
        Assert.Throws<ArgumentException>(() => Pooling.AdaptiveAvgPool2d(new float[16], [1, 4, 4], (0, 2)));
        Assert.Throws<ArgumentException>(() => Pooling.MaxPool2d(new float[16], [16], (2, 2), (2, 2), (0, 0), (1, 1), false));
    }
}

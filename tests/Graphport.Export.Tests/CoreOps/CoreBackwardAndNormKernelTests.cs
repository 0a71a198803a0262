using static Graphport.Tests.CoreOps.CoreOpCalls;

namespace Graphport.Tests.CoreOps;

/// <summary>
/// Backward ops against adjoint identities and finite differences of their forwards; batch norm with batch statistics
/// and native_dropout against their definitions.
/// </summary>
public class CoreBackwardAndNormKernelTests
{
    public static TheoryData<long[], long[], long, long, long, long, bool> ConvCases() => new()
    {
        // input shape, weight shape, stride, padding, dilation, groups, transposed
        { [2, 4, 9], [6, 2, 3], 2, 1, 1, 2, false },
        { [1, 3, 7, 6], [4, 3, 3, 2], 1, 1, 2, 1, false },
        { [2, 4, 5, 5], [4, 1, 3, 3], 2, 0, 1, 4, false },
        { [2, 4, 5], [4, 3, 3], 2, 1, 1, 1, true },
        { [1, 4, 4, 3], [4, 1, 2, 3], 2, 1, 1, 2, true },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Convolution_backward_is_the_adjoint_of_the_convolution(long[] inputShape, long[] weightShape, long stride, long padding, long dilation, long groups, bool transposed)
    {
        int spatial = inputShape.Length - 2;
        var x = Random(1, inputShape);
        var w = Random(2, weightShape);
        var s = Enumerable.Repeat(stride, spatial).ToArray();
        var p = Enumerable.Repeat(padding, spatial).ToArray();
        var d = Enumerable.Repeat(dilation, spatial).ToArray();
        var op = new long[spatial];
        var y = Op("aten::convolution", x, w, null, s, p, d, transposed, op, groups);
        var g = Random(3, Sizes(y));
        var r = Multi("aten::convolution_backward", g, x, w, new long[] { Sizes(y)[1] }, s, p, d, transposed, op, groups, new[] { true, true, true });
        // The convolution is linear in the input and in the weight: <g, conv(x, w)> = <grad_x, x> = <grad_w, w>.
        Assert.Equal(Dot(g, y), Dot(r[0], x), 1e-9);
        Assert.Equal(Dot(g, y), Dot(r[1], w), 1e-9);
        var bias = Values(g).Select((v, i) => (v, c: i / Numel(Sizes(y)[2..]) % Sizes(y)[1])).GroupBy(t => t.c).OrderBy(t => t.Key).Select(t => t.Sum(q => q.v)).ToArray();
        AssertValues(bias, [Sizes(y)[1]], r[2], DType.Float64, 1e-12, 1e-12);
        var some = Multi("aten::convolution_backward", g, x, w, null, s, p, d, transposed, op, groups, new[] { false, true, false });
        Assert.Null(some[0]);
        AssertValues(Values(r[1]), Sizes(w), some[1], DType.Float64);
        Assert.Null(some[2]);
    }

    [Fact]
    public void Convolution_backward_handles_three_spatial_dims()
    {
        // A naive 3-D convolution (stride 1, no padding) to check the gradients against.
        var x = Random(4, [1, 2, 4, 3, 5]);
        var w = Random(5, [3, 2, 2, 2, 3]);
        var (xs, ws) = (Values(x), Values(w));
        long[] os = [3, 2, 3];
        var y = new double[3 * 18];
        foreach (var o in Indices([3, .. os]))
            foreach (var k in Indices([2, 2, 2, 3]))
                y[Flat([3, .. os], o)] += ws[Flat([3, 2, 2, 2, 3], [o[0], .. k])] * xs[Flat([2, 4, 3, 5], [k[0], o[1] + k[1], o[2] + k[2], o[3] + k[3]])];
        var g = Random(6, [1, 3, .. os]);
        var r = Multi("aten::convolution_backward", g, x, w, null, new long[] { 1 }, new long[] { 0 }, new long[] { 1 }, false, new long[] { 0 }, 1L, new[] { true, true, false });
        double inner = Values(g).Zip(y).Sum(t => t.First * t.Second);
        Assert.Equal(inner, Dot(r[0], x), 1e-9);
        Assert.Equal(inner, Dot(r[1], w), 1e-9);
    }

    /// <summary>Central differences of Σ g·f(x) with respect to every element of one input.</summary>
    private static double[] NumericGradient(Func<Tensor, Tensor> f, Tensor x, Tensor g)
    {
        var xs = Values(x);
        var grad = new double[xs.Length];
        const double h = 1e-6;
        for (int i = 0; i < xs.Length; i++)
        {
            var plus = (double[])xs.Clone();
            var minus = (double[])xs.Clone();
            plus[i] += h;
            minus[i] -= h;
            grad[i] = (Dot(g, f(Tensor.FromArray(plus, Sizes(x)))) - Dot(g, f(Tensor.FromArray(minus, Sizes(x))))) / (2 * h);
        }
        return grad;
    }

    [Fact]
    public void Layer_norm_backward_matches_finite_differences()
    {
        var x = Random(7, [3, 2, 4]);
        var w = Random(8, [2, 4]);
        var b = Random(9, [2, 4]);
        long[] normalized = [2, 4];
        var outs = Multi("aten::native_layer_norm", x, normalized, w, b, 1e-5);
        var g = Random(10, [3, 2, 4]);
        var r = Multi("aten::native_layer_norm_backward", g, x, normalized, outs[1], outs[2], w, b, new[] { true, true, true });
        AssertValues(NumericGradient(t => Multi("aten::native_layer_norm", t, normalized, w, b, 1e-5)[0], x, g), [3, 2, 4], r[0], DType.Float64, 1e-6, 1e-7);
        AssertValues(NumericGradient(t => Multi("aten::native_layer_norm", x, normalized, t, b, 1e-5)[0], w, g), [2, 4], r[1], DType.Float64, 1e-6, 1e-7);
        AssertValues(NumericGradient(t => Multi("aten::native_layer_norm", x, normalized, w, t, 1e-5)[0], b, g), [2, 4], r[2], DType.Float64, 1e-6, 1e-7);
        var noWeight = Multi("aten::native_layer_norm_backward", g, x, normalized, outs[1], outs[2], null, null, new[] { true, false, false });
        AssertValues(NumericGradient(t => Multi("aten::native_layer_norm", t, normalized, null, null, 1e-5)[0], x, g), [3, 2, 4], noWeight[0], DType.Float64, 1e-6, 1e-7);
        Assert.Null(noWeight[1]);
        Assert.Null(noWeight[2]);
    }

    [Fact]
    public void Group_norm_backward_matches_finite_differences()
    {
        var x = Random(11, [2, 4, 3]);
        var w = Random(12, [4]);
        var b = Random(13, [4]);
        Tensor Forward(Tensor input, Tensor weight, Tensor bias) => Multi("aten::native_group_norm", input, weight, bias, 2L, 4L, 3L, 2L, 1e-5)[0];
        var outs = Multi("aten::native_group_norm", x, w, b, 2L, 4L, 3L, 2L, 1e-5);
        var g = Random(14, [2, 4, 3]);
        var r = Multi("aten::native_group_norm_backward", g, x, outs[1], outs[2], w, 2L, 4L, 3L, 2L, new[] { true, true, true });
        AssertValues(NumericGradient(t => Forward(t, w, b), x, g), [2, 4, 3], r[0], DType.Float64, 1e-6, 1e-7);
        AssertValues(NumericGradient(t => Forward(x, t, b), w, g), [4], r[1], DType.Float64, 1e-6, 1e-7);
        AssertValues(NumericGradient(t => Forward(x, w, t), b, g), [4], r[2], DType.Float64, 1e-6, 1e-7);
    }

    [Fact]
    public void Embedding_dense_backward_sums_rows_per_index_skipping_padding()
    {
        var g = Random(15, [2, 3, 4]);
        var indices = Tensor.FromArray(new long[] { 1, 4, 1, 0, 4, 4 }, 2, 3);
        var (gs, ix) = (Values(g), Values(indices));
        foreach (var scale in new[] { false, true })
        {
            var expected = new double[5 * 4];
            for (int n = 0; n < 6; n++)
            {
                long i = (long)ix[n];
                if (i == 0) continue;
                double count = ix.Count(v => v == i);
                for (int j = 0; j < 4; j++) expected[i * 4 + j] += gs[n * 4 + j] / (scale ? count : 1);
            }
            AssertValues(expected, [5, 4], Op("aten::embedding_dense_backward", g, indices, 5L, 0L, scale), DType.Float64, 1e-14, 1e-14);
        }
    }

    [Fact]
    public void Batch_norm_legit_normalizes_with_batch_statistics_and_updates_running_ones_in_place()
    {
        var x = Random(16, [4, 3, 5]);
        var w = Random(17, [3]);
        var b = Random(18, [3]);
        var runningMean = Random(19, [3]);
        var runningVar = Random(20, [3], DType.Float64, 0.5, 2);
        var (rm0, rv0, xs) = (Values(runningMean), Values(runningVar), Values(x));
        var r = Multi("aten::_native_batch_norm_legit", x, w, b, runningMean, runningVar, true, 0.1, 1e-5);
        var expected = new double[xs.Length];
        for (int c = 0; c < 3; c++)
        {
            var items = Indices([4, 3, 5]).Where(ix => ix[1] == c).Select(ix => Flat([4, 3, 5], ix)).ToArray();
            double mean = items.Average(i => xs[i]);
            double variance = items.Average(i => (xs[i] - mean) * (xs[i] - mean));
            double rstd = 1 / Math.Sqrt(variance + 1e-5);
            foreach (var i in items) expected[i] = (xs[i] - mean) * rstd * Values(w)[c] + Values(b)[c];
            Assert.Equal(mean, Values(r[1])[c], 1e-12);
            Assert.Equal(rstd, Values(r[2])[c], 1e-10);
            Assert.Equal(0.9 * rm0[c] + 0.1 * mean, Values(runningMean)[c], 1e-12);
            Assert.Equal(0.9 * rv0[c] + 0.1 * variance * 20 / 19, Values(runningVar)[c], 1e-12);
        }
        AssertValues(expected, [4, 3, 5], r[0], DType.Float64, 1e-10, 1e-10);

        var noStats = Multi("aten::_native_batch_norm_legit.no_stats", x, w, b, true, 0.1, 1e-5);
        AssertValues(expected, [4, 3, 5], noStats[0], DType.Float64, 1e-10, 1e-10);

        var rmBefore = Values(runningMean);
        var eval = Multi("aten::_native_batch_norm_legit", x, null, null, runningMean, runningVar, false, 0.1, 1e-5);
        Assert.Equal(rmBefore, Values(runningMean));
        Assert.Equal([0L], Sizes(eval[1]));
        var evalExpected = Indices([4, 3, 5]).Select(ix => (xs[Flat([4, 3, 5], ix)] - rmBefore[ix[1]]) / Math.Sqrt(Values(runningVar)[ix[1]] + 1e-5)).ToArray();
        AssertValues(evalExpected, [4, 3, 5], eval[0], DType.Float64, 1e-12, 1e-12);
    }

    private sealed class LegitBatchNorm : Module<Tensor, Tensor>
    {
        public readonly Buffer RunningMean = new(Torch.Zeros([3], DType.Float32));
        public readonly Buffer RunningVar = new(Torch.Ones([3], DType.Float32));

        public override Tensor Forward(Tensor x) => ((Tensor[])Torch.Ops["aten::_native_batch_norm_legit"].Call(x, null, null, RunningMean, RunningVar, true, 0.1, 1e-5)!)[0];
    }

    [Fact]
    public void Tracing_batch_norm_legit_records_the_functional_op_and_writes_the_buffers_back()
    {
        var ep = Torch.Export(new LegitBatchNorm(), [Random(21, [4, 3], DType.Float32)], strict: false);
        var targets = ep.Graph.Nodes.Where(n => n.Op is not null).Select(n => n.Op!.Name).ToList();
        Assert.Contains("aten::_native_batch_norm_legit_functional", targets);
        Assert.DoesNotContain("aten::_native_batch_norm_legit", targets);
        Assert.Equal(2, ep.GraphSignature.OutputSpecs.Count(o => o.Kind.ToString().Contains("BUFFER", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Native_dropout_keeps_with_probability_one_minus_p_and_rescales()
    {
        var x = Random(22, [200, 50], DType.Float32, 1, 2);
        Torch.ManualSeed(3);
        var r = Multi("aten::native_dropout", x, 0.3, true);
        var (xs, os, mask) = (Values(x), Values(r[0]), r[1].ToArray<bool>());
        Assert.Equal(DType.Bool, r[1].DType);
        // Kept elements are x / (1 − p) rounded to float32.
        for (int i = 0; i < xs.Length; i++) Assert.Equal((float)(mask[i] ? xs[i] / 0.7 : 0), (float)os[i]);
        Assert.InRange(mask.Count(m => m) / (double)mask.Length, 0.68, 0.72);
        var eval = Multi("aten::native_dropout", x, 0.3, false);
        Assert.Equal(xs, Values(eval[0]));
        Assert.All(eval[1].ToArray<bool>(), Assert.True);
        var all = Multi("aten::native_dropout", x, 1.0, true);
        Assert.All(Values(all[0]), v => Assert.Equal(0, v));
        Assert.All(all[1].ToArray<bool>(), Assert.False);
        Assert.Throws<ArgumentException>(() => Multi("aten::native_dropout", x, 1.5, true));
    }
}

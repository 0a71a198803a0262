using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

public class NormalizationTests
{
    [Fact]
    public void Softmax_and_log_softmax_along_any_dim_match_the_definition()
    {
        var rng = new Random(70);
        foreach (var shape in new long[][] { [1], [9], [3, 0], [4, 7], [2, 3, 5], [2, 40, 3] })
            for (int dim = -shape.Length; dim < shape.Length; dim++)
                foreach (var kind in AllKinds)
                {
                    var s = MakeDouble(rng, shape, kind, -30, 30);
                    int d = dim < 0 ? dim + shape.Length : dim;
                    var expected = new double[s.Logical.Length];
                    var expectedLog = new double[s.Logical.Length];
                    foreach (var idx in Indices(shape))
                    {
                        var row = Enumerable.Range(0, (int)shape[d]).Select(i => { var j = (long[])idx.Clone(); j[d] = i; return s.Logical[Flat(shape, j)]; }).ToArray();
                        double m = row.Max();
                        double z = row.Sum(v => Math.Exp(v - m));
                        long f = Flat(shape, idx);
                        expected[f] = Math.Exp(s.Logical[f] - m) / z;
                        expectedLog[f] = s.Logical[f] - m - Math.Log(z);
                    }
                    var o = new double[s.Logical.Length];
                    Normalization.Softmax(s.Data, s.Layout, dim, o);
                    AssertClose(expected, o, 1e-12, 1e-14, $"softmax {ShapeMath.Format(shape)} dim {dim} {kind}");
                    Normalization.LogSoftmax(s.Data, s.Layout, dim, o);
                    AssertClose(expectedLog, o, 1e-12, 1e-12, $"log_softmax {ShapeMath.Format(shape)} dim {dim} {kind}");
                    var of = new float[o.Length];
                    var xf = s.Data.Select(v => (float)v).ToArray();
                    Normalization.Softmax(xf, s.Layout, dim, of);
                    AssertClose(expected, of, 1e-4, 1e-6, $"softmax float {ShapeMath.Format(shape)} dim {dim} {kind}");
                }
    }

    [Fact]
    public void Softmax_survives_huge_and_infinite_inputs()
    {
        float[] x = [1000f, 1000f, float.NegativeInfinity, -1000f];
        var o = new float[4];
        Normalization.Softmax(x, StridedLayout.Contiguous(4), 0, o);
        Assert.Equal(new[] { 0.5f, 0.5f, 0f, 0f }, o);
        float[] allNegInf = [float.NegativeInfinity, float.NegativeInfinity];
        var o2 = new float[2];
        Normalization.LogSoftmax(allNegInf, StridedLayout.Contiguous(2), 0, o2);
        Assert.All(o2, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void LayerNorm_normalizes_the_trailing_dims_and_returns_mean_and_rstd()
    {
        var rng = new Random(71);
        foreach (var (shape, norm) in new (long[], long[])[] { ([4, 10], [10]), ([2, 3, 4, 5], [4, 5]), ([3, 64], [3, 64]), ([1, 1], [1]) })
            foreach (var kind in AllKinds)
            {
                var s = MakeDouble(rng, shape, kind, -5, 5);
                long d = ShapeMath.Numel(norm);
                var wgt = Doubles(rng, d);
                var bias = Doubles(rng, d);
                var (y, mean, rstd) = Normalization.LayerNorm(s.Data, s.Layout, norm, wgt, bias, 1e-5);
                long rows = s.Logical.Length / d;
                Assert.Equal(shape.Take(shape.Length - norm.Length).Concat(norm.Select(_ => 1L)), mean.Shape);
                for (long r = 0; r < rows; r++)
                {
                    var row = s.Logical.AsSpan((int)(r * d), (int)d).ToArray();
                    double m = row.Average(), v = row.Sum(t => (t - m) * (t - m)) / d, rs = 1 / Math.Sqrt(v + 1e-5);
                    AssertClose(m, mean.Data[r], 1e-12, 1e-12, "mean", r);
                    AssertClose(rs, rstd.Data[r], 1e-12, 1e-12, "rstd", r);
                    for (int i = 0; i < d; i++) AssertClose((row[i] - m) * rs * wgt[i] + bias[i], y.Data[r * d + i], 1e-12, 1e-12, $"layer_norm {kind}", r * d + i);
                }
                var (yf, _, _) = Normalization.LayerNorm(s.Data.Select(v => (float)v).ToArray(), s.Layout, norm, null, null, 1e-5);
                for (long r = 0; r < rows; r++)
                {
                    var row = s.Logical.AsSpan((int)(r * d), (int)d).ToArray().Select(v => (double)(float)v).ToArray();
                    double m = row.Average(), rs = 1 / Math.Sqrt(row.Sum(t => (t - m) * (t - m)) / d + 1e-5);
                    for (int i = 0; i < d; i++) AssertClose((row[i] - m) * rs, yf.Data[r * d + i], 1e-5, 1e-5, "layer_norm float", r * d + i);
                }
            }
        var ex = Assert.Throws<ArgumentException>(() => Normalization.LayerNorm(new float[6], StridedLayout.Contiguous(2, 3), [2], null, null, 1e-5));
        Assert.Contains("normalizedShape [2]", ex.Message);
    }

    // Each output element is (x − mean)·rstd, then ·weight, then +bias, every step rounded to float on its own (no fused
    // multiply-add), with mean and rstd the row's statistics in double rounded to float: what the element ops give.
    [Fact]
    public void LayerNorm_rounds_each_step_of_the_normalization_on_its_own()
    {
        var rng = new Random(73);
        foreach (int d in new[] { 7, 16, 37, 384 })
        {
            var x = Floats(rng, 3 * d, -4, 4);
            var w = Floats(rng, d);
            var b = Floats(rng, d);
            var (y, mean, rstd) = Normalization.LayerNorm(x, StridedLayout.Contiguous(3, d), [d], w, b, 1e-5);
            for (int r = 0; r < 3; r++)
                for (int i = 0; i < d; i++)
                {
                    float step = (x[r * d + i] - mean.Data[r]) * rstd.Data[r];
                    step *= w[i];
                    step += b[i];
                    Assert.True(BitConverter.SingleToInt32Bits(step) == BitConverter.SingleToInt32Bits(y.Data[r * d + i]), $"d={d} row {r} element {i}: {y.Data[r * d + i]:R}, expected {step:R}");
                }
        }
    }

    // What a frozen module's layer norm computes for rows that lie contiguous: the output alone, the same numbers.
    [Fact]
    public void LayerNorm_output_alone_is_exactly_the_full_kernels_output()
    {
        var rng = new Random(72);
        foreach (var (rows, d) in new[] { (1, 32), (3, 24), (128, 384), (5, 1), (2000, 17) })
            foreach (bool affine in new[] { true, false })
            {
                var x = Floats(rng, rows * d + 3, -4, 4);
                float[]? w = affine ? Floats(rng, d) : null, b = affine ? Floats(rng, d) : null;
                // Rows after an offset of 3: the output alone reads the span it is given.
                var (expected, _, _) = Normalization.LayerNorm(x, new StridedLayout([rows, d], [d, 1], 3), [d], w, b, 1e-5);
                var actual = Normalization.LayerNormOutput(x, 3, rows * d, d, w, b, 1e-5);
                Assert.Equal(expected.Data, actual);
            }
        Assert.Contains("not whole rows of 4", Assert.Throws<ArgumentException>(() => Normalization.LayerNormOutput<float>(new float[6], 0, 6, 4, null, null, 1e-5)).Message);
        Assert.Contains("expected 3", Assert.Throws<ArgumentException>(() => Normalization.LayerNormOutput<float>(new float[6], 0, 6, 3, new float[2], null, 1e-5)).Message);
    }

    [Fact]
    public void BatchNorm_inference_applies_running_statistics_per_channel()
    {
        var rng = new Random(72);
        long[] shape = [3, 4, 5, 6];
        foreach (var kind in AllKinds)
        {
            var s = MakeDouble(rng, shape, kind);
            var mean = Doubles(rng, 4);
            var var = Doubles(rng, 4, 0.1, 2);
            var w = Doubles(rng, 4);
            var b = Doubles(rng, 4);
            var y = Normalization.BatchNormInference(s.Data, s.Layout, mean, var, w, b, 1e-3);
            foreach (var idx in Indices(shape))
            {
                long f = Flat(shape, idx);
                int c = (int)idx[1];
                AssertClose((s.Logical[f] - mean[c]) / Math.Sqrt(var[c] + 1e-3) * w[c] + b[c], y.Data[f], 1e-12, 1e-12, $"batch_norm {kind}", f);
            }
            var yNoAffine = Normalization.BatchNormInference(s.Data.Select(v => (float)v).ToArray(), s.Layout, mean.Select(v => (float)v).ToArray(), var.Select(v => (float)v).ToArray(), null, null, 1e-3);
            foreach (var idx in Indices(shape))
            {
                long f = Flat(shape, idx);
                int c = (int)idx[1];
                AssertClose((s.Logical[f] - mean[c]) / Math.Sqrt(var[c] + 1e-3), yNoAffine.Data[f], 1e-5, 1e-5, "batch_norm float", f);
            }
        }
        var ex = Assert.Throws<ArgumentException>(() => Normalization.BatchNormInference(new float[8], StridedLayout.Contiguous(2, 4), new float[3], new float[4], null, null, 1e-5));
        Assert.Contains("runningMean has 3 elements", ex.Message);
    }

    [Fact]
    public void GroupNorm_normalizes_each_group_and_returns_its_statistics()
    {
        var rng = new Random(73);
        long[] shape = [2, 6, 3, 5];
        int groups = 3;
        var s = MakeDouble(rng, shape, LayoutKind.ColumnMajor, -4, 4);
        var w = Doubles(rng, 6);
        var b = Doubles(rng, 6);
        var (y, mean, rstd) = Normalization.GroupNorm(s.Data, s.Layout, groups, w, b, 1e-5);
        Assert.Equal(new long[] { 2, 3 }, mean.Shape);
        int block = 2 * 15;
        for (int n = 0; n < 2; n++)
            for (int g = 0; g < groups; g++)
            {
                var xs = s.Logical.AsSpan(n * 90 + g * block, block).ToArray();
                double m = xs.Average(), rs = 1 / Math.Sqrt(xs.Sum(t => (t - m) * (t - m)) / block + 1e-5);
                AssertClose(m, mean.Data[n * groups + g], 1e-12, 1e-12, "gn mean", n * groups + g);
                AssertClose(rs, rstd.Data[n * groups + g], 1e-12, 1e-12, "gn rstd", n * groups + g);
                for (int i = 0; i < block; i++)
                {
                    int c = g * 2 + i / 15;
                    AssertClose((xs[i] - m) * rs * w[c] + b[c], y.Data[n * 90 + g * block + i], 1e-12, 1e-12, "group_norm", i);
                }
            }
        var ex = Assert.Throws<ArgumentException>(() => Normalization.GroupNorm(new float[12], StridedLayout.Contiguous(1, 6, 2), 4, null, null, 1e-5));
        Assert.Contains("groups=4", ex.Message);
    }
}

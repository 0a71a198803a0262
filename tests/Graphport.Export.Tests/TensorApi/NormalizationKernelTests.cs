using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>BatchNorm (eval and train, with running statistics), LayerNorm and GroupNorm against per-group loops.</summary>
public class NormalizationKernelTests
{
    /// <summary>Mean and biased variance of the elements whose index satisfies <paramref name="inGroup"/>.</summary>
    private static (double Mean, double Var, long Count) Stats(double[] x, long[] shape, Func<long[], bool> inGroup)
    {
        var values = Indices(shape).Where(inGroup).Select(i => x[Flat(shape, i)]).ToArray();
        double m = values.Average();
        return (m, values.Sum(v => (v - m) * (v - m)) / values.Length, values.Length);
    }

    public static TheoryData<DType> FloatTypes => new() { DType.Float32, DType.Float64 };

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Batch_norm_in_eval_mode_uses_the_running_statistics(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        long[] shape = [2, 3, 4, 5];
        var x = Reference.Random(1, shape, dtype);
        var mean = Reference.Random(2, [3], dtype);
        var variance = Reference.Random(3, [3], dtype, 0.5, 2);
        var w = Reference.Random(4, [3], dtype);
        var b = Reference.Random(5, [3], dtype);
        var (xv, mv, vv, wv, bv) = (Values(x), Values(mean), Values(variance), Values(w), Values(b));
        var expected = Indices(shape).Select(i => (xv[Flat(shape, i)] - mv[i[1]]) / Math.Sqrt(vv[i[1]] + 1e-5) * wv[i[1]] + bv[i[1]]).ToArray();
        var before = Values(mean);
        AssertClose(expected, shape, Functional.BatchNorm(x, mean, variance, w, b, training: false), rtol, atol * 10, dtype);
        Assert.Equal(before, Values(mean));
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Batch_norm_in_training_mode_normalizes_with_batch_statistics_and_updates_running_ones_with_momentum(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        long[] shape = [3, 2, 4, 3];
        var x = Reference.Random(6, shape, dtype, -2, 5);
        var runningMean = Reference.Random(7, [2], dtype);
        var runningVar = Reference.Random(8, [2], dtype, 0.5, 2);
        var (xv, rm0, rv0) = (Values(x), Values(runningMean), Values(runningVar));
        var stats = Enumerable.Range(0, 2).Select(c => Stats(xv, shape, i => i[1] == c)).ToArray();
        var expected = Indices(shape).Select(i => (xv[Flat(shape, i)] - stats[i[1]].Mean) / Math.Sqrt(stats[i[1]].Var + 1e-3)).ToArray();

        var y = Functional.BatchNorm(x, runningMean, runningVar, training: true, momentum: 0.3, eps: 1e-3);

        AssertClose(expected, shape, y, rtol * 10, atol * 10, dtype);
        // Running variance takes the unbiased estimate (n / (n - 1)), as torch does.
        var newMean = stats.Select((s, c) => 0.7 * rm0[c] + 0.3 * s.Mean).ToArray();
        var newVar = stats.Select((s, c) => 0.7 * rv0[c] + 0.3 * s.Var * s.Count / (s.Count - 1)).ToArray();
        AssertClose(newMean, [2], runningMean, rtol * 10, atol * 10, dtype);
        AssertClose(newVar, [2], runningVar, rtol * 10, atol * 10, dtype);
    }

    [Fact]
    public void BatchNorm2d_in_training_counts_batches_and_in_eval_leaves_its_buffers_alone()
    {
        var bn = new BatchNorm2d(3, momentum: 0.5);
        var x = Reference.Random(9, [4, 3, 2, 2], DType.Float32, 1, 3);
        bn.Call(x);
        bn.Call(x);
        Assert.Equal(2L, bn.StateDict()["num_batches_tracked"].Item<long>());
        Assert.Equal(DType.Int64, bn.StateDict()["num_batches_tracked"].DType);
        var xv = Values(x);
        long[] shape = [4, 3, 2, 2];
        for (int c = 0; c < 3; c++)
        {
            double m = Stats(xv, shape, i => i[1] == c).Mean;
            // Two updates with momentum 0.5 from 0: 0.75 * m.
            Assert.Equal(0.75 * m, Values(bn.RunningMean)[c], 1e-5);
        }
        var mean = Values(bn.RunningMean);
        bn.Eval();
        bn.Call(x);
        Assert.Equal(mean, Values(bn.RunningMean));
        Assert.Equal(2L, bn.StateDict()["num_batches_tracked"].Item<long>());
    }

    [Fact]
    public void Batch_norm_with_the_wrong_number_of_channels_is_rejected()
    {
        var bn = new BatchNorm2d(3).Eval();
        var e = Assert.ThrowsAny<Exception>(() => ((BatchNorm2d)bn).Call(Torch.Zeros(1, 4, 2, 2)));
        Assert.Contains("should contain 4 elements not 3", e.Message);
        var e2 = Assert.ThrowsAny<Exception>(() => new BatchNorm2d(3).Call(Torch.Zeros(3, 2)));
        Assert.Contains("expected 4D input", e2.Message);
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Layer_norm_normalizes_over_the_trailing_dims(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        long[] shape = [2, 3, 4, 5];
        var x = Reference.Random(10, shape, dtype, -1, 4);
        var w = Reference.Random(11, [4, 5], dtype);
        var b = Reference.Random(12, [4, 5], dtype);
        var (xv, wv, bv) = (Values(x), Values(w), Values(b));
        var expected = Indices(shape).Select(i =>
        {
            var (m, v, _) = Stats(xv, shape, j => j[0] == i[0] && j[1] == i[1]);
            return (xv[Flat(shape, i)] - m) / Math.Sqrt(v + 1e-5) * wv[i[2] * 5 + i[3]] + bv[i[2] * 5 + i[3]];
        }).ToArray();
        AssertClose(expected, shape, Functional.LayerNorm(x, [4, 5], w, b), rtol * 10, atol * 10, dtype);

        var lastOnly = Indices(shape).Select(i =>
        {
            var (m, v, _) = Stats(xv, shape, j => j[0] == i[0] && j[1] == i[1] && j[2] == i[2]);
            return (xv[Flat(shape, i)] - m) / Math.Sqrt(v + 1e-5);
        }).ToArray();
        AssertClose(lastOnly, shape, new LayerNorm(5).Call(x.To(DType.Float32)).To(dtype), 1e-4, 1e-4);
    }

    [Fact]
    public void Layer_norm_of_a_mismatched_shape_names_the_expected_shape()
    {
        var e = Assert.ThrowsAny<Exception>(() => new LayerNorm(4).Call(Torch.Zeros(2, 5)));
        Assert.Contains("Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 5]", e.Message);
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Group_norm_normalizes_each_group_of_channels(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        long[] shape = [2, 6, 3, 2];
        var x = Reference.Random(13, shape, dtype, -2, 2);
        var w = Reference.Random(14, [6], dtype);
        var b = Reference.Random(15, [6], dtype);
        var (xv, wv, bv) = (Values(x), Values(w), Values(b));
        var expected = Indices(shape).Select(i =>
        {
            var (m, v, _) = Stats(xv, shape, j => j[0] == i[0] && j[1] / 2 == i[1] / 2);
            return (xv[Flat(shape, i)] - m) / Math.Sqrt(v + 1e-5) * wv[i[1]] + bv[i[1]];
        }).ToArray();
        AssertClose(expected, shape, Functional.GroupNorm(x, 3, w, b), rtol * 10, atol * 10, dtype);
        var module = new GroupNorm(3, 6);
        module.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = w, ["bias"] = b });
        AssertClose(expected, shape, module.Call(x.Float()), 1e-4, 1e-4);
    }

    [Fact]
    public void Group_norm_needs_channels_divisible_by_groups()
    {
        var e = Assert.ThrowsAny<Exception>(() => Functional.GroupNorm(Torch.Zeros(1, 5, 2, 2), 2));
        Assert.Contains("Expected number of channels in input to be divisible by num_groups", e.Message);
    }
}

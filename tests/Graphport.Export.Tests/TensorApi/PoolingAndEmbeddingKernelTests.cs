using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>MaxPool2d / AvgPool2d / AdaptiveAvgPool2d windows and Embedding lookups against loops over the definition.</summary>
public class PoolingAndEmbeddingKernelTests
{
    private static long OutSize(long input, long k, long s, long p, long d, bool ceil)
    {
        long num = input + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0);
        long o = num / s + 1;
        if (ceil && (o - 1) * s >= input + p) o--;
        return o;
    }

    /// <summary>Visits each output position of a 2-D window op and folds the in-bounds window elements.</summary>
    private static double[] Pool(double[] x, long[] shape, long k, long s, long p, long d, bool ceil, Func<List<double>, long, double> fold, out long[] outShape)
    {
        long n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        long oh = OutSize(h, k, s, p, d, ceil), ow = OutSize(w, k, s, p, d, ceil);
        outShape = [n, c, oh, ow];
        var y = new double[n * c * oh * ow];
        for (long b = 0; b < n * c; b++)
            for (long i = 0; i < oh; i++)
                for (long j = 0; j < ow; j++)
                {
                    var window = new List<double>();
                    long padded = 0;
                    for (long ki = 0; ki < k; ki++)
                        for (long kj = 0; kj < k; kj++)
                        {
                            long yi = i * s - p + ki * d, xj = j * s - p + kj * d;
                            // Count positions inside the padded input (count_include_pad's divisor).
                            if (yi < h + p && xj < w + p) padded++;
                            if (yi < 0 || yi >= h || xj < 0 || xj >= w) continue;
                            window.Add(x[(b * h + yi) * w + xj]);
                        }
                    y[(b * oh + i) * ow + j] = fold(window, padded);
                }
        return y;
    }

    public static TheoryData<long, long, long, long, bool, DType> MaxPoolCases => new()
    {
        { 2, 2, 0, 1, false, DType.Float32 },
        { 3, 2, 1, 1, false, DType.Float64 },
        { 3, 2, 1, 1, true, DType.Float32 },
        { 2, 1, 0, 2, false, DType.Float64 },
        { 3, 3, 0, 1, true, DType.Float32 },
    };

    [Theory]
    [MemberData(nameof(MaxPoolCases))]
    public void Max_pool_takes_the_window_maximum(long k, long s, long p, long d, bool ceil, DType dtype)
    {
        long[] shape = [2, 3, 7, 8];
        var x = Reference.Random(1, shape, dtype);
        var expected = Pool(Values(x), shape, k, s, p, d, ceil, (win, _) => win.Max(), out var outShape);
        AssertClose(expected, outShape, Functional.MaxPool2d(x, [k, k], [s, s], [p, p], [d, d], ceil), 0, 0, dtype);
    }

    [Fact]
    public void MaxPool2d_module_defaults_its_stride_to_the_kernel_size()
    {
        var x = Reference.Random(2, [1, 2, 6, 6]);
        var expected = Pool(Values(x), [1, 2, 6, 6], 3, 3, 0, 1, false, (w, _) => w.Max(), out var shape);
        AssertClose(expected, shape, new MaxPool2d(3).Call(x), 0, 0);
    }

    [Theory]
    [InlineData(2, 2, 0, true, DType.Float32)]
    [InlineData(3, 2, 1, true, DType.Float64)]
    [InlineData(3, 2, 1, false, DType.Float64)]
    [InlineData(3, 1, 1, false, DType.Float32)]
    public void Avg_pool_divides_by_the_window_with_or_without_padding(long k, long s, long p, bool countIncludePad, DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        long[] shape = [2, 2, 7, 6];
        var x = Reference.Random(3, shape, dtype);
        var expected = Pool(Values(x), shape, k, s, p, 1, false, (w, padded) => w.Sum() / (countIncludePad ? padded : w.Count), out var outShape);
        AssertClose(expected, outShape, Functional.AvgPool2d(x, [k, k], [s, s], [p, p], countIncludePad: countIncludePad), rtol, atol, dtype);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 5)]
    [InlineData(7, 6)]
    public void Adaptive_avg_pool_averages_torchs_floor_ceil_bins(long oh, long ow)
    {
        long[] shape = [2, 3, 7, 6];
        var x = Reference.Random(4, shape, DType.Float64);
        var xv = Values(x);
        var expected = new double[2 * 3 * oh * ow];
        for (long b = 0; b < 6; b++)
            for (long i = 0; i < oh; i++)
                for (long j = 0; j < ow; j++)
                {
                    // Bin i covers [floor(i * H / oh), ceil((i + 1) * H / oh)).
                    long h0 = i * 7 / oh, h1 = ((i + 1) * 7 + oh - 1) / oh;
                    long w0 = j * 6 / ow, w1 = ((j + 1) * 6 + ow - 1) / ow;
                    double s = 0;
                    for (long a = h0; a < h1; a++)
                        for (long c = w0; c < w1; c++) s += xv[(b * 7 + a) * 6 + c];
                    expected[(b * oh + i) * ow + j] = s / ((h1 - h0) * (w1 - w0));
                }
        AssertClose(expected, [2, 3, oh, ow], new AdaptiveAvgPool2d(oh, ow).Call(x), 1e-12, 1e-12);
    }

    [Fact]
    public void Functional_pools_default_their_stride_to_the_kernel_size()
    {
        var x = Reference.Random(7, [1, 2, 6, 6]);
        var max = Pool(Values(x), [1, 2, 6, 6], 2, 2, 0, 1, false, (w, _) => w.Max(), out var shape);
        AssertClose(max, shape, Functional.MaxPool2d(x, [2, 2]), 0, 0);
        var avg = Pool(Values(x), [1, 2, 6, 6], 3, 3, 0, 1, false, (w, _) => w.Average(), out var avgShape);
        AssertClose(avg, avgShape, Functional.AvgPool2d(x, [3, 3]), 1e-5, 1e-6);
    }

    [Fact]
    public void Pooling_errors_name_the_problem()
    {
        var e1 = Assert.ThrowsAny<Exception>(() => Functional.MaxPool2d(Torch.Zeros(1, 1, 4, 4), [2, 2], padding: [2, 2]));
        Assert.Contains("pad should be at most half of effective kernel size", e1.Message);
        var e2 = Assert.ThrowsAny<Exception>(() => Functional.MaxPool2d(Torch.Zeros(1, 1, 2, 2), [3, 3]));
        Assert.Contains("Output size is too small", e2.Message);
        var e3 = Assert.ThrowsAny<Exception>(() => Functional.AvgPool2d(Torch.Zeros(4, 4), [2, 2]));
        Assert.Contains("3D or 4D", e3.Message);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Embedding_gathers_rows_for_any_index_shape(DType dtype)
    {
        var weight = Reference.Random(5, [10, 4], dtype);
        var wv = Values(weight);
        var idx = Reference.RandomInts(6, [2, 3], 0, 10);
        var iv = Values(idx);
        var expected = Indices([2, 3, 4]).Select(i => wv[(long)iv[i[0] * 3 + i[1]] * 4 + i[2]]).ToArray();
        AssertClose(expected, [2, 3, 4], Functional.Embedding(idx, weight), 0, 0, dtype);
        AssertClose(expected, [2, 3, 4], Functional.Embedding(idx.Int(), weight), 0, 0, dtype);
    }

    [Fact]
    public void Embedding_module_zeroes_its_padding_row_and_looks_up_rows()
    {
        var emb = new Embedding(6, 3, paddingIdx: 2);
        Assert.All(Values(emb.Weight[2]), v => Assert.Equal(0.0, v));
        var r = emb.Call(Torch.Tensor(new long[] { 2, 5, 5 }));
        Assert.Equal([3L, 3L], Sizes(r));
        Assert.Equal(Values(emb.Weight[5]), Values(r[1]));
        Assert.All(Values(r[0]), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Embedding_rejects_float_indices_and_out_of_range_indices()
    {
        var weight = Torch.Zeros(5, 2);
        var e1 = Assert.ThrowsAny<Exception>(() => Functional.Embedding(Torch.Zeros(3), weight));
        Assert.Contains("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int", e1.Message);
        var e2 = Assert.ThrowsAny<Exception>(() => Functional.Embedding(Torch.Tensor(new long[] { 1, 5 }), weight));
        Assert.Contains("index 5 at position 1 is out of range", e2.Message);
    }
}

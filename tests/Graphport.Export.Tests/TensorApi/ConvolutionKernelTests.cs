using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>Conv2d / ConvTranspose2d / Conv1d through Functional, against the convolution's definition written as loops.</summary>
public class ConvolutionKernelTests
{
    private static double[] Conv2dReference(double[] x, long[] xs, double[] w, long[] ws, double[]? bias, long[] stride, long[] pad, long[] dil, long groups, out long[] outShape)
    {
        long n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], kh = ws[2], kw = ws[3];
        long oh = (h + 2 * pad[0] - dil[0] * (kh - 1) - 1) / stride[0] + 1;
        long ow = (wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) / stride[1] + 1;
        long cg = c / groups, og = o / groups;
        outShape = [n, o, oh, ow];
        var y = new double[n * o * oh * ow];
        for (long b = 0; b < n; b++)
            for (long oc = 0; oc < o; oc++)
                for (long i = 0; i < oh; i++)
                    for (long j = 0; j < ow; j++)
                    {
                        double s = bias?[oc] ?? 0;
                        long g = oc / og;
                        for (long ic = 0; ic < cg; ic++)
                            for (long ki = 0; ki < kh; ki++)
                                for (long kj = 0; kj < kw; kj++)
                                {
                                    long yi = i * stride[0] - pad[0] + ki * dil[0], xj = j * stride[1] - pad[1] + kj * dil[1];
                                    if (yi < 0 || yi >= h || xj < 0 || xj >= wd) continue;
                                    s += x[((b * c + g * cg + ic) * h + yi) * wd + xj] * w[((oc * cg + ic) * kh + ki) * kw + kj];
                                }
                        y[((b * o + oc) * oh + i) * ow + j] = s;
                    }
        return y;
    }

    public static TheoryData<string, DType> Configurations()
    {
        var data = new TheoryData<string, DType>();
        foreach (var name in new[] { "plain", "stride2", "padding", "dilation", "asymmetric", "groups2", "depthwise" })
        {
            data.Add(name, DType.Float32);
            data.Add(name, DType.Float64);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Conv2d_matches_the_definition(string config, DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        (long c, long o, long[] k, long[] stride, long[] pad, long[] dil, long groups) = config switch
        {
            "plain" => (3L, 4L, new long[] { 3, 3 }, new long[] { 1, 1 }, new long[] { 0, 0 }, new long[] { 1, 1 }, 1L),
            "stride2" => (3, 5, [3, 3], [2, 2], [1, 1], [1, 1], 1),
            "padding" => (2, 3, [5, 5], [1, 1], [2, 2], [1, 1], 1),
            "dilation" => (2, 2, [3, 3], [1, 1], [2, 2], [2, 2], 1),
            "asymmetric" => (3, 2, [2, 3], [2, 1], [0, 1], [1, 2], 1),
            "groups2" => (4, 6, [3, 3], [1, 1], [1, 1], [1, 1], 2),
            _ => (4, 4, [3, 3], [1, 1], [1, 1], [1, 1], 4),
        };
        var x = Reference.Random(1, [2, c, 9, 8], dtype);
        var w = Reference.Random(2, [o, c / groups, k[0], k[1]], dtype);
        var b = Reference.Random(3, [o], dtype);
        var expected = Conv2dReference(Values(x), [2, c, 9, 8], Values(w), Sizes(w), Values(b), stride, pad, dil, groups, out var shape);
        AssertClose(expected, shape, Functional.Conv2d(x, w, b, stride, pad, dil, groups), rtol, atol * 10, dtype);
        var noBias = Conv2dReference(Values(x), [2, c, 9, 8], Values(w), Sizes(w), null, stride, pad, dil, groups, out _);
        AssertClose(noBias, shape, Functional.Conv2d(x, w, null, stride, pad, dil, groups), rtol, atol * 10, dtype);
    }

    [Fact]
    public void Conv2d_reads_a_non_contiguous_input_in_logical_order()
    {
        var x = Reference.Random(4, [1, 7, 6, 2]).Permute(0, 3, 1, 2); // [1, 2, 7, 6] channels-last storage
        var w = Reference.Random(5, [3, 2, 3, 3]);
        var expected = Conv2dReference(Values(x), [1, 2, 7, 6], Values(w), [3, 2, 3, 3], null, [1, 1], [1, 1], [1, 1], 1, out var shape);
        AssertClose(expected, shape, Functional.Conv2d(x, w, padding: [1, 1]), 1e-4, 1e-4);
    }

    [Fact]
    public void Conv2d_module_uses_its_own_parameters()
    {
        var conv = new Conv2d(3, 4, 3, stride: 2, padding: 1, groups: 1);
        var x = Reference.Random(6, [2, 3, 8, 8]);
        var expected = Conv2dReference(Values(x), [2, 3, 8, 8], Values(conv.Weight), Sizes(conv.Weight), Values(conv.Bias!), [2, 2], [1, 1], [1, 1], 1, out var shape);
        AssertClose(expected, shape, conv.Call(x), 1e-4, 1e-4);
    }

    /// <summary>Transposed convolution as the scatter of each input pixel through the kernel.</summary>
    private static double[] ConvTranspose2dReference(double[] x, long[] xs, double[] w, long[] ws, double[]? bias, long stride, long pad, long outPad, long groups, out long[] outShape)
    {
        long n = xs[0], cin = xs[1], h = xs[2], wd = xs[3], coutG = ws[1], k = ws[2];
        long oh = (h - 1) * stride - 2 * pad + (k - 1) + outPad + 1, ow = (wd - 1) * stride - 2 * pad + (k - 1) + outPad + 1;
        long cinG = cin / groups, cout = coutG * groups;
        outShape = [n, cout, oh, ow];
        var y = new double[n * cout * oh * ow];
        for (long b = 0; b < n; b++)
            for (long oc = 0; oc < cout; oc++)
                for (long i = 0; i < oh * ow; i++) y[(b * cout + oc) * oh * ow + i] = bias?[oc] ?? 0;
        for (long b = 0; b < n; b++)
            for (long ic = 0; ic < cin; ic++)
            {
                long g = ic / cinG;
                for (long i = 0; i < h; i++)
                    for (long j = 0; j < wd; j++)
                        for (long oc = 0; oc < coutG; oc++)
                            for (long ki = 0; ki < k; ki++)
                                for (long kj = 0; kj < k; kj++)
                                {
                                    long yi = i * stride - pad + ki, yj = j * stride - pad + kj;
                                    if (yi < 0 || yi >= oh || yj < 0 || yj >= ow) continue;
                                    y[((b * cout + g * coutG + oc) * oh + yi) * ow + yj] += x[((b * cin + ic) * h + i) * wd + j] * w[((ic * coutG + oc) * k + ki) * k + kj];
                                }
            }
        return y;
    }

    [Theory]
    [InlineData(1, 0, 0, 1, DType.Float32)]
    [InlineData(2, 1, 1, 1, DType.Float32)]
    [InlineData(2, 0, 0, 2, DType.Float64)]
    [InlineData(3, 1, 2, 1, DType.Float64)]
    public void ConvTranspose2d_matches_the_scatter_definition(long stride, long pad, long outPad, long groups, DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        var x = Reference.Random(7, [2, 4, 5, 4], dtype);
        var w = Reference.Random(8, [4, 6 / groups, 3, 3], dtype);
        var b = Reference.Random(9, [6], dtype);
        var expected = ConvTranspose2dReference(Values(x), [2, 4, 5, 4], Values(w), Sizes(w), Values(b), stride, pad, outPad, groups, out var shape);
        var r = Functional.ConvTranspose2d(x, w, b, [stride, stride], [pad, pad], [outPad, outPad], groups);
        AssertClose(expected, shape, r, rtol, atol * 10, dtype);
    }

    [Fact]
    public void ConvTranspose2d_module_doubles_the_resolution_with_stride_2()
    {
        var up = new ConvTranspose2d(4, 2, 2, stride: 2);
        var x = Reference.Random(10, [1, 4, 3, 5]);
        var r = up.Call(x);
        Assert.Equal([1L, 2, 6, 10], Sizes(r));
    }

    [Fact]
    public void Conv1d_matches_a_2d_conv_with_a_unit_height()
    {
        var x = Reference.Random(11, [2, 3, 10], DType.Float64);
        var w = Reference.Random(12, [4, 3, 3], DType.Float64);
        var expected = Conv2dReference(Values(x), [2, 3, 1, 10], Values(w), [4, 3, 1, 3], null, [1, 2], [0, 1], [1, 1], 1, out _);
        AssertClose(expected, [2, 4, 5], Functional.Conv1d(x, w, stride: 2, padding: 1), 1e-12, 1e-12);
    }

    [Fact]
    public void Channel_mismatch_and_bad_arguments_fail_with_torchs_messages()
    {
        var e1 = Assert.ThrowsAny<Exception>(() => Functional.Conv2d(Torch.Zeros(1, 3, 8, 8), Torch.Zeros(4, 2, 3, 3)));
        Assert.Contains("expected input[1, 3, 8, 8] to have 2 channels, but got 3 channels instead", e1.Message);
        var e2 = Assert.ThrowsAny<Exception>(() => new Conv2d(3, 4, 3).Call(Torch.Zeros(1, 2, 8, 8)));
        Assert.Contains("to have 3 channels, but got 2 channels instead", e2.Message);
        var e3 = Assert.ThrowsAny<Exception>(() => Functional.Conv2d(Torch.Zeros(1, 2, 2, 2), Torch.Zeros(1, 2, 3, 3)));
        Assert.Contains("Kernel size can't be greater than actual input size", e3.Message);
        var e4 = Assert.ThrowsAny<Exception>(() => Functional.Conv2d(Torch.Zeros(8, 8), Torch.Zeros(1, 2, 3, 3)));
        Assert.Contains("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [8, 8]", e4.Message);
        var e5 = Assert.ThrowsAny<Exception>(() => Functional.Conv2d(Torch.Zeros([1L, 2, 5, 5], DType.Float64), Torch.Zeros(1, 2, 3, 3)));
        Assert.Contains("Input type (Double) and weight type (Float) should be the same", e5.Message);
        var e6 = Assert.ThrowsAny<Exception>(() => new Conv2d(3, 4, 3, groups: 2));
        Assert.Contains("must be divisible by groups", e6.Message);
    }
}

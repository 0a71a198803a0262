using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>Conv3d / ConvTranspose3d through Functional and nn layers, unbatched inputs of every rank, and half precision.</summary>
public class Convolution3dKernelTests
{
    /// <summary>Conv3d from its definition: y[b, o, z, y, x] = bias[o] + Σ x[b, g·cg + c, z·s − p + k·d, ...] · w[o, c, k...].</summary>
    private static double[] Conv3dReference(double[] x, long[] xs, double[] w, long[] ws, double[]? bias, long[] stride, long[] pad, long[] dil, long groups, out long[] outShape)
    {
        long n = xs[0], c = xs[1], o = ws[0], cg = c / groups, og = o / groups;
        var ins = xs[2..];
        var k = ws[2..];
        var outs = Enumerable.Range(0, 3).Select(i => (ins[i] + 2 * pad[i] - dil[i] * (k[i] - 1) - 1) / stride[i] + 1).ToArray();
        outShape = [n, o, .. outs];
        var y = new double[Numel(outShape)];
        foreach (var idx in Indices(outShape))
        {
            long b = idx[0], oc = idx[1], g = oc / og;
            double s = bias?[oc] ?? 0;
            for (long ic = 0; ic < cg; ic++)
                foreach (var tap in Indices(k))
                {
                    var at = Enumerable.Range(0, 3).Select(i => idx[2 + i] * stride[i] - pad[i] + tap[i] * dil[i]).ToArray();
                    if (Enumerable.Range(0, 3).Any(i => at[i] < 0 || at[i] >= ins[i])) continue;
                    s += x[Flat(xs, [b, g * cg + ic, .. at])] * w[Flat(ws, [oc, ic, .. tap])];
                }
            y[Flat(outShape, idx)] = s;
        }
        return y;
    }

    public static TheoryData<string, DType> Configurations()
    {
        var data = new TheoryData<string, DType>();
        foreach (var name in new[] { "plain", "stride2", "dilation", "asymmetric", "groups2", "depthwise", "pointwise" })
        {
            data.Add(name, DType.Float32);
            data.Add(name, DType.Float64);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Conv3d_matches_the_definition(string config, DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        (long c, long o, long[] k, long[] stride, long[] pad, long[] dil, long groups) = config switch
        {
            "plain" => (3L, 4L, new long[] { 3, 3, 3 }, new long[] { 1, 1, 1 }, new long[] { 0, 0, 0 }, new long[] { 1, 1, 1 }, 1L),
            "stride2" => (3, 5, [3, 3, 3], [2, 2, 2], [1, 1, 1], [1, 1, 1], 1),
            "dilation" => (2, 2, [3, 3, 3], [1, 1, 1], [2, 2, 2], [2, 2, 2], 1),
            "asymmetric" => (3, 2, [2, 3, 1], [2, 1, 3], [0, 1, 0], [1, 2, 1], 1),
            "groups2" => (4, 6, [3, 3, 3], [1, 1, 1], [1, 1, 1], [1, 1, 1], 2),
            "depthwise" => (4, 4, [3, 3, 3], [1, 2, 1], [1, 1, 1], [1, 1, 1], 4),
            _ => (4, 6, [1, 1, 1], [1, 1, 1], [0, 0, 0], [1, 1, 1], 1),
        };
        long[] xs = [2, c, 5, 7, 6];
        var x = Reference.Random(1, xs, dtype);
        var w = Reference.Random(2, [o, c / groups, .. k], dtype);
        var b = Reference.Random(3, [o], dtype);
        var expected = Conv3dReference(Values(x), xs, Values(w), Sizes(w), Values(b), stride, pad, dil, groups, out var shape);
        AssertClose(expected, shape, Functional.Conv3d(x, w, b, stride, pad, dil, groups), rtol, atol * 10, dtype);
        var noBias = Conv3dReference(Values(x), xs, Values(w), Sizes(w), null, stride, pad, dil, groups, out _);
        AssertClose(noBias, shape, Functional.Conv3d(x, w, null, stride, pad, dil, groups), rtol, atol * 10, dtype);
    }

    [Theory]
    [InlineData(DType.Float16, 2e-3, 2e-2)]
    [InlineData(DType.BFloat16, 1e-2, 1e-1)]
    public void Half_precision_conv3d_computes_in_float_and_rounds_once(DType dtype, double rtol, double atol)
    {
        var x = Reference.Random(4, [1, 3, 4, 5, 6], dtype, -1, 1);
        var w = Reference.Random(5, [4, 3, 3, 3, 3], dtype, -1, 1);
        var b = Reference.Random(6, [4], dtype, -1, 1);
        var expected = Conv3dReference(Values(x), [1, 3, 4, 5, 6], Values(w), Sizes(w), Values(b), [1, 1, 1], [1, 1, 1], [1, 1, 1], 1, out var shape);
        AssertClose(expected, shape, Functional.Conv3d(x, w, b, padding: [1, 1, 1]), rtol, atol, dtype);
        var t = Functional.ConvTranspose3d(x, Reference.Random(7, [3, 2, 2, 2, 2], dtype), stride: [2, 2, 2]);
        Assert.Equal(dtype, t.DType);
        Assert.Equal([1L, 2, 8, 10, 12], Sizes(t));
    }

    [Fact]
    public void ConvTranspose3d_is_the_adjoint_of_conv3d()
    {
        // <conv3d(x, w), y> = <x, conv_transpose3d(y, w)> for the same stride, padding and dilation.
        var x = Reference.Random(8, [2, 4, 5, 6, 8], DType.Float64);
        var w = Reference.Random(9, [6, 2, 3, 2, 3], DType.Float64);
        long[] stride = [2, 1, 2], pad = [1, 0, 1], dil = [1, 2, 1];
        var y = Functional.Conv3d(x, w, null, stride, pad, dil, groups: 2);
        var g = Reference.Random(10, Sizes(y), DType.Float64);
        // Output padding restores the input sizes that the strided forward conv rounded away.
        var outPad = Enumerable.Range(0, 3).Select(i => Sizes(x)[2 + i] - ((Sizes(y)[2 + i] - 1) * stride[i] - 2 * pad[i] + dil[i] * (Sizes(w)[2 + i] - 1) + 1)).ToArray();
        var back = Functional.ConvTranspose3d(g, w, null, stride, pad, outPad, groups: 2, dilation: dil);
        Assert.Equal(Sizes(x), Sizes(back));
        double lhs = Values(y).Zip(Values(g)).Sum(p => p.First * p.Second), rhs = Values(x).Zip(Values(back)).Sum(p => p.First * p.Second);
        Assert.Equal(lhs, rhs, 1e-9);
    }

    [Fact]
    public void Conv3d_and_ConvTranspose3d_modules_use_their_own_parameters()
    {
        var conv = new Conv3d(3, 4, 3, stride: 2, padding: 1);
        var x = Reference.Random(11, [2, 3, 6, 7, 8]);
        var expected = Conv3dReference(Values(x), [2, 3, 6, 7, 8], Values(conv.Weight), Sizes(conv.Weight), Values(conv.Bias!), [2, 2, 2], [1, 1, 1], [1, 1, 1], 1, out var shape);
        AssertClose(expected, shape, conv.Call(x), 1e-4, 1e-4);
        Assert.Equal([4L, 3, 3, 3, 3], Sizes(conv.Weight));
        Assert.Equal("Conv3d(3, 4, kernel_size=(3, 3, 3), stride=(2, 2, 2), padding=(1, 1, 1))", conv.ToString());
        var up = new ConvTranspose3d(4, 2, 2, stride: 2);
        Assert.Equal([2L, 2, 8, 8, 10], Sizes(up.Call(Reference.Random(12, [2, 4, 4, 4, 5]))));
        Assert.Equal("ConvTranspose3d(4, 2, kernel_size=(2, 2, 2), stride=(2, 2, 2))", up.ToString());
    }

    public static TheoryData<string> UnbatchedCalls => new() { "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d" };

    /// <summary>torch's conv*d and conv_transpose*d take [C, spatial...] as a batch of one and drop the batch dim again.</summary>
    [Theory]
    [MemberData(nameof(UnbatchedCalls))]
    public void Unbatched_input_gives_the_batch_of_one_result_without_the_batch_dim(string call)
    {
        int rank = call[^2] - '0';
        bool transposed = call.StartsWith("conv_transpose", StringComparison.Ordinal);
        var spatial = new long[] { 5, 6, 7 }[..rank];
        var x = Reference.Random(13, [4, .. spatial]);
        var w = Reference.Random(14, transposed ? [4, 3, .. Enumerable.Repeat(3L, rank)] : [6, 2, .. Enumerable.Repeat(3L, rank)]);
        var b = Reference.Random(15, [6]);
        long[] Per(long v) => Enumerable.Repeat(v, rank).ToArray();
        Tensor Run(Tensor input) => call switch
        {
            "conv1d" => Functional.Conv1d(input, w, b, 2, 1, 1, 2),
            "conv2d" => Functional.Conv2d(input, w, b, Per(2), Per(1), Per(1), 2),
            "conv3d" => Functional.Conv3d(input, w, b, Per(2), Per(1), Per(1), 2),
            "conv_transpose1d" => Functional.ConvTranspose1d(input, w, b, 2, 1, 1, 2),
            "conv_transpose2d" => Functional.ConvTranspose2d(input, w, b, Per(2), Per(1), Per(1), 2),
            _ => Functional.ConvTranspose3d(input, w, b, Per(2), Per(1), Per(1), 2),
        };
        var batched = Run(x.Unsqueeze(0));
        var unbatched = Run(x);
        Assert.Equal(Sizes(batched)[1..], Sizes(unbatched));
        Assert.Equal(6, Sizes(unbatched)[0]);
        AssertClose(batched.Squeeze(0), unbatched, 0, 0);
    }

    [Fact]
    public void Wrong_ranks_fail_with_torchs_messages()
    {
        var e1 = Assert.ThrowsAny<Exception>(() => Functional.Conv3d(Torch.Zeros(2, 8, 8), Torch.Zeros(1, 2, 3, 3, 3)));
        Assert.Contains("Expected 4D (unbatched) or 5D (batched) input to conv3d, but got input of size: [2, 8, 8]", e1.Message);
        var e2 = Assert.ThrowsAny<Exception>(() => Functional.ConvTranspose3d(Torch.Zeros(1, 1, 2, 8, 8, 8), Torch.Zeros(2, 1, 3, 3, 3)));
        Assert.Contains("Expected 4D (unbatched) or 5D (batched) input to conv_transpose3d", e2.Message);
        // aten.convolution itself takes only batched input, as in torch: the conv*d composites add the batch dim.
        var e3 = Assert.ThrowsAny<Exception>(() => Torch.Ops["aten::convolution"].Call([Torch.Zeros(2, 4, 5, 5), Torch.Zeros(1, 2, 3, 3, 3), null,
            new long[] { 1, 1, 1 }, new long[] { 0, 0, 0 }, new long[] { 1, 1, 1 }, false, new long[] { 0, 0, 0 }, 1L]));
        Assert.Contains("Expected 5-dimensional input for 5-dimensional weight [1, 2, 3, 3, 3], but got 4-dimensional input of size [2, 4, 5, 5] instead", e3.Message);
    }
}

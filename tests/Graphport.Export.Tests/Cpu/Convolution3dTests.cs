using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

/// <summary>3-D convolution (plain and transposed) and unbatched inputs of every rank, against loops over the definition.</summary>
public class Convolution3dTests
{
    /// <summary>A convolution's geometry per spatial dim (depth, height, width), as the reference reads it.</summary>
    private sealed record Spec(int N, int Cin, int[] In, int Cout, int[] Kernel, int[] Stride, int[] Pad, int[] Dil, int[] OutPad, int Groups, bool Bias, bool Transposed)
    {
        public int[] Out => Enumerable.Range(0, 3).Select(i => Transposed
            ? (In[i] - 1) * Stride[i] - 2 * Pad[i] + Dil[i] * (Kernel[i] - 1) + OutPad[i] + 1
            : (In[i] + 2 * Pad[i] - Dil[i] * (Kernel[i] - 1) - 1) / Stride[i] + 1).ToArray();

        public long[] InputShape => [N, Cin, .. In.Select(v => (long)v)];

        public long[] WeightShape => Transposed ? [Cin, Cout / Groups, .. Kernel.Select(v => (long)v)] : [Cout, Cin / Groups, .. Kernel.Select(v => (long)v)];

        public long[] OutputShape => [N, Cout, .. Out.Select(v => (long)v)];
    }

    /// <summary>
    /// The convolution sum, written once for both directions: every (input position, kernel tap) pair whose output
    /// position lands inside adds x·w there, with out = (in·stride − pad + tap·dil) for transposed and
    /// in = (out·stride − pad + tap·dil) for plain convolution.
    /// </summary>
    private static double[] Reference(Spec s, double[] x, double[] w, double[]? bias)
    {
        var o = s.Out;
        int cinG = s.Cin / s.Groups, coutG = s.Cout / s.Groups;
        var y = new double[s.N * s.Cout * o[0] * o[1] * o[2]];
        long Y(int b, int c, int d, int h, int ww) => (((long)(b * s.Cout + c) * o[0] + d) * o[1] + h) * o[2] + ww;
        long X(int b, int c, int d, int h, int ww) => (((long)(b * s.Cin + c) * s.In[0] + d) * s.In[1] + h) * s.In[2] + ww;
        long W(int first, int second, int kd, int kh, int kw) => (((long)first * (s.Transposed ? coutG : cinG) + second) * s.Kernel[0] + kd) * s.Kernel[1] * s.Kernel[2] + kh * s.Kernel[2] + kw;
        // "from" is the position the loop runs over (plain: output; transposed: input), "to" the one a tap reaches.
        var from = s.Transposed ? s.In : o;
        var to = s.Transposed ? o : s.In;
        for (int b = 0; b < s.N; b++)
            for (int g = 0; g < s.Groups; g++)
                for (int ci = 0; ci < cinG; ci++)
                    for (int co = 0; co < coutG; co++)
                        for (int fd = 0; fd < from[0]; fd++)
                            for (int fh = 0; fh < from[1]; fh++)
                                for (int fw = 0; fw < from[2]; fw++)
                                    for (int kd = 0; kd < s.Kernel[0]; kd++)
                                        for (int kh = 0; kh < s.Kernel[1]; kh++)
                                            for (int kw = 0; kw < s.Kernel[2]; kw++)
                                            {
                                                int td = fd * s.Stride[0] - s.Pad[0] + kd * s.Dil[0];
                                                int th = fh * s.Stride[1] - s.Pad[1] + kh * s.Dil[1];
                                                int tw = fw * s.Stride[2] - s.Pad[2] + kw * s.Dil[2];
                                                if (td < 0 || td >= to[0] || th < 0 || th >= to[1] || tw < 0 || tw >= to[2]) continue;
                                                int cin = g * cinG + ci, cout = g * coutG + co;
                                                if (s.Transposed)
                                                    y[Y(b, cout, td, th, tw)] += x[X(b, cin, fd, fh, fw)] * w[W(cin, co, kd, kh, kw)];
                                                else
                                                    y[Y(b, cout, fd, fh, fw)] += x[X(b, cin, td, th, tw)] * w[W(cout, ci, kd, kh, kw)];
                                            }
        if (bias != null)
            for (int i = 0; i < y.Length; i++) y[i] += bias[i / (o[0] * o[1] * o[2]) % s.Cout];
        return y;
    }

    private static Spec Parse(string spec, bool transposed)
    {
        var v = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        int[] Three(int at) => v[at..(at + 3)];
        return transposed
            ? new Spec(v[0], v[1], Three(2), v[5] * v[21], Three(6), Three(9), Three(12), Three(18), Three(15), v[21], v[22] == 1, true)
            : new Spec(v[0], v[1], Three(2), v[5], Three(6), Three(9), Three(12), Three(15), [0, 0, 0], v[18], v[19] == 1, false);
    }

    public static TheoryData<string> ConvCases => new()
    {
        // n c  d  h  w  o  kd kh kw  sd sh sw  pd ph pw  dd dh dw  groups bias
        "2 3  5  6  7  4  3 3 3  1 1 1  1 1 1  1 1 1  1 1",
        "1 4  6  7  5  6  3 2 3  2 1 2  1 0 1  1 1 1  2 0",
        "1 2  7  7  7  3  3 3 3  1 1 1  2 2 2  2 2 2  1 1",
        "2 6  4  5  6  6  3 3 3  1 2 1  1 1 1  1 1 1  6 1",
        "1 8  3  4  5 16  1 1 1  1 1 1  0 0 0  1 1 1  1 1",
        "1 8  3  4  5  4  1 1 1  1 1 1  0 0 0  1 1 1  2 0",
        "1 3  9 10 11  2  5 3 4  3 2 3  2 1 0  1 2 1  1 1",
        "1 4  1  1  1  2  1 1 1  1 1 1  0 0 0  1 1 1  2 1",
        "1 2  2  3  9  2  2 3 1  1 1 4  0 1 0  1 1 1  1 0",
        "0 3  4  4  4  2  3 3 3  1 1 1  1 1 1  1 1 1  1 1",
        // Column blocks that split output rows, with stride 1 and with stride 2 along W.
        "1 8  5 17 19  8  3 3 3  1 1 1  1 1 1  1 1 1  1 1",
        "1 8  5 17 39  8  3 3 3  1 1 2  1 1 1  1 1 1  1 1",
        // Many channels, few positions: one large GEMM.
        "1 64 3  4  4 64  3 3 3  1 1 1  1 1 1  1 1 1  1 1",
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv3d_matches_the_direct_sum_in_float_and_double(string spec) => CheckBothPrecisions(spec, Parse(spec, transposed: false));

    public static TheoryData<string> TransposedCases => new()
    {
        // n cin d h w  coutG  kd kh kw  sd sh sw  pd ph pw  opd oph opw  dd dh dw  groups bias
        "2 4  3 4 5   3  2 2 2  2 2 2  0 0 0  0 0 0  1 1 1  1 1",
        "1 4  3 3 4   2  3 3 3  2 2 2  1 1 1  1 1 1  1 1 1  2 0",
        "1 3  4 3 5   2  3 2 3  1 2 1  1 0 1  0 1 0  2 1 2  1 1",
        "2 2  3 4 3   3  4 3 3  3 1 2  1 1 0  2 0 1  1 1 1  1 1",
        "1 8  2 5 6   4  1 1 1  1 1 1  0 0 0  0 0 0  1 1 1  2 1",
        "1 2  3 3 3   2  3 3 3  1 1 1  0 0 0  1 1 1  2 2 2  1 0",
        // Taps that never overlap, with gaps, output padding and groups.
        "1 4  3 2 3   2  1 2 2  2 3 2  0 0 0  1 2 0  1 1 1  2 1",
        // Several blocks of output channels per (batch, group).
        "1 32 6 12 12 16 4 4 4  2 2 2  1 1 1  0 0 0  1 1 1  1 1",
    };

    [Theory]
    [MemberData(nameof(TransposedCases))]
    public void ConvTranspose3d_matches_the_scatter_sum_in_float_and_double(string spec) => CheckBothPrecisions(spec, Parse(spec, transposed: true));

    private static void CheckBothPrecisions(string spec, Spec s)
    {
        // A seed from the spec's characters (string.GetHashCode differs from run to run).
        var rng = new Random(spec.Aggregate(17, (h, ch) => unchecked(h * 31 + ch)) & 0xFFFF);
        var x = Doubles(rng, s.N * s.Cin * s.In.Aggregate(1, (a, b) => a * b), -1, 1);
        var w = Doubles(rng, s.WeightShape.Aggregate(1L, (a, b) => a * b), -1, 1);
        var bias = s.Bias ? Doubles(rng, s.Cout) : null;
        var expected = Reference(s, x, w, bias);
        var d = Run(s, x, w, bias);
        Assert.Equal(s.OutputShape, d.Shape);
        AssertClose(expected, d.Data, 1e-12, 1e-12, $"double {spec}");
        var f = Run(s, x.Select(v => (float)v).ToArray(), w.Select(v => (float)v).ToArray(), bias?.Select(v => (float)v).ToArray());
        Assert.Equal(s.OutputShape, f.Shape);
        AssertClose(expected, f.Data, 1e-5, 1e-5, $"float {spec}");
    }

    private static Dense<T> Run<T>(Spec s, T[] x, T[] w, T[]? bias) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        (int, int, int) T3(int[] v) => (v[0], v[1], v[2]);
        return s.Transposed
            ? Convolution.ConvTranspose3d(x, s.InputShape, w, s.WeightShape, bias, T3(s.Stride), T3(s.Pad), T3(s.OutPad), s.Groups, T3(s.Dil))
            : Convolution.Conv3d(x, s.InputShape, w, s.WeightShape, bias, T3(s.Stride), T3(s.Pad), T3(s.Dil), s.Groups);
    }

    [Fact]
    public void Compute_takes_one_value_for_all_spatial_dims_and_picks_the_rank_from_the_weight()
    {
        var s = Parse("1 4  5 6 7  6  3 3 3  2 2 2  1 1 1  2 2 2  2 1", transposed: false);
        var rng = new Random(7);
        var x = Doubles(rng, 4 * 5 * 6 * 7);
        var w = Doubles(rng, 6 * 2 * 27);
        var bias = Doubles(rng, 6);
        var r = Convolution.Compute(x, s.InputShape, w, s.WeightShape, bias, [2], [1], [2], false, [0], 2);
        Assert.Equal(s.OutputShape, r.Shape);
        AssertClose(Reference(s, x, w, bias), r.Data, 1e-12, 1e-12, "compute 3-d");
        var t = Parse("1 4  3 3 4  2  3 3 3  2 2 2  1 1 1  1 1 1  1 1 1  2 0", transposed: true);
        var wt = Doubles(rng, 4 * 2 * 27);
        var rt = Convolution.Compute(x[..(4 * 3 * 3 * 4)], t.InputShape, wt, t.WeightShape, null, [2], [1], [1], true, [1], 2);
        AssertClose(Reference(t, x[..(4 * 3 * 3 * 4)], wt, null), rt.Data, 1e-12, 1e-12, "compute transposed 3-d");
    }

    /// <summary>Unbatched [C, spatial...] inputs give [O, spatial...]: the batch-of-one result without its batch dim.</summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void Unbatched_input_gives_the_batch_of_one_result_without_the_batch_dim(int rank, bool transposed)
    {
        var rng = new Random(100 + rank);
        long[] spatial = new long[] { 5, 6, 7 }[..rank];
        long[] kernel = new long[] { 3, 2, 3 }[..rank];
        long[] weightShape = [transposed ? 4 : 6, transposed ? 3 : 2, .. kernel];
        var x = Doubles(rng, 4 * spatial.Aggregate(1L, (a, b) => a * b));
        var w = Doubles(rng, weightShape.Aggregate(1L, (a, b) => a * b));
        var bias = Doubles(rng, 6);
        int[] stride = Enumerable.Repeat(2, rank).ToArray(), padding = Enumerable.Repeat(1, rank).ToArray(), ones = Enumerable.Repeat(1, rank).ToArray();
        int[] outputPadding = Enumerable.Repeat(transposed ? 1 : 0, rank).ToArray();
        var batched = Convolution.Compute(x, [1, 4, .. spatial], w, weightShape, bias, stride, padding, ones, transposed, outputPadding, 2);
        var unbatched = Convolution.Compute(x, [4, .. spatial], w, weightShape, bias, stride, padding, ones, transposed, outputPadding, 2);
        Assert.Equal(batched.Shape[1..], unbatched.Shape);
        Assert.Equal(6, unbatched.Shape[0]);
        Assert.Equal(batched.Data, unbatched.Data);
    }

    [Fact]
    public void The_rank_specific_entry_points_accept_unbatched_input()
    {
        var rng = new Random(5);
        var x = Doubles(rng, 3 * 4 * 5 * 6);
        var w = Doubles(rng, 2 * 3 * 2 * 2 * 2);
        var b3 = Convolution.Conv3d(x, [1, 3, 4, 5, 6], w, [2, 3, 2, 2, 2], null, (1, 1, 1), (0, 0, 0), (1, 1, 1), 1);
        var u3 = Convolution.Conv3d(x, [3, 4, 5, 6], w, [2, 3, 2, 2, 2], null, (1, 1, 1), (0, 0, 0), (1, 1, 1), 1);
        Assert.Equal(new long[] { 2, 3, 4, 5 }, u3.Shape);
        Assert.Equal(b3.Data, u3.Data);
        var wt = Doubles(rng, 3 * 2 * 2 * 2 * 2);
        var bt = Convolution.ConvTranspose3d(x, [1, 3, 4, 5, 6], wt, [3, 2, 2, 2, 2], null, (2, 2, 2), (0, 0, 0), (0, 0, 0), 1, (1, 1, 1));
        var ut = Convolution.ConvTranspose3d(x, [3, 4, 5, 6], wt, [3, 2, 2, 2, 2], null, (2, 2, 2), (0, 0, 0), (0, 0, 0), 1, (1, 1, 1));
        Assert.Equal(new long[] { 2, 8, 10, 12 }, ut.Shape);
        Assert.Equal(bt.Data, ut.Data);
        var u2 = Convolution.ConvTranspose2d(x[..(3 * 4 * 5)], [3, 4, 5], wt[..(3 * 2 * 2 * 2)], [3, 2, 2, 2], null, (1, 1), (0, 0), (0, 0), 1, (1, 1));
        Assert.Equal(new long[] { 2, 5, 6 }, u2.Shape);
        var u1 = Convolution.ConvTranspose1d(x[..(3 * 4)], [3, 4], wt[..(3 * 2 * 2)], [3, 2, 2], null, 2, 0, 1, 1, 1);
        Assert.Equal(new long[] { 2, 9 }, u1.Shape);
    }

    [Fact]
    public void Bad_3d_arguments_are_reported_with_the_expected_value()
    {
        var e1 = Assert.Throws<ArgumentException>(() => Convolution.Conv3d(new float[4 * 5 * 5], [4, 5, 5], new float[2 * 4 * 27], [2, 4, 3, 3, 3], null, (1, 1, 1), (0, 0, 0), (1, 1, 1), 1));
        Assert.Equal("Conv3d: input has shape [4, 5, 5]; expected 5 dims [N, C, D, H, W] or 4 dims [C, D, H, W] (Parameter 'inputShape')", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => Convolution.Conv3d(new float[4 * 8], [1, 4, 2, 2, 2], new float[2 * 4 * 27], [2, 4, 3, 3, 3], null, (1, 1, 1), (0, 0, 0), (1, 1, 1), 1));
        Assert.Equal("Conv3d: input spatial size 2×2×2 (padded by 0×0×0) is smaller than the dilated kernel 3×3×3; expected an output of at least 1×1×1, got 0×0×0 (Parameter 'inputShape')", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Convolution.ConvTranspose3d(new float[8], [1, 1, 2, 2, 2], new float[8], [1, 1, 2, 2, 2], null, (2, 1, 2), (0, 0, 0), (0, 1, 0), 1, (1, 1, 1)));
        Assert.Equal("ConvTranspose3d: outputPadding (0, 1, 0) must be non-negative and smaller than either stride (2, 1, 2) or dilation (1, 1, 1); expected e.g. outputPadding < stride (Parameter 'outputPadding')", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => Convolution.Compute(new float[8], [1, 1, 2, 2, 2], new float[8], [1, 1, 2, 2, 2], null, [1, 1], [0], [1], false, [0], 1));
        Assert.Equal("Conv3d: stride has 2 values (1, 1); expected 1 or 3, one per spatial dim (Parameter 'stride')", e4.Message);
        var e5 = Assert.Throws<ArgumentException>(() => Convolution.Compute(new float[8], [1, 1, 2, 2, 2, 1], new float[8], [1, 1, 2, 2, 2, 1], null, [1], [0], [1], false, [0], 1));
        Assert.Contains("expected 3 to 5 dims", e5.Message);
        var e6 = Assert.Throws<ArgumentException>(() => Convolution.Conv3d(new float[6 * 8], [1, 6, 2, 2, 2], new float[4 * 3], [4, 3, 1, 1, 1], null, (1, 1, 1), (0, 0, 0), (0, 1, 1), 2));
        Assert.Equal("Conv3d: dilation (0, 1, 1) has a non-positive value; expected dilation >= 1 (Parameter 'dilation')", e6.Message);
    }
}

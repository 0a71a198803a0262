using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

public class ConvolutionTests
{
    /// <summary>Direct 7-loop convolution in double.</summary>
    internal static double[] NaiveConv2d(double[] x, int n, int c, int h, int w, double[] wt, int o, int kh, int kw, double[]? bias,
        int sh, int sw, int ph, int pw, int dh, int dw, int groups, out int oh, out int ow)
    {
        oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        int cg = c / groups, og = o / groups;
        var y = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
            {
                int g = oc / og;
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double s = bias?[oc] ?? 0;
                        for (int ic = 0; ic < cg; ic++)
                            for (int ki = 0; ki < kh; ki++)
                                for (int kj = 0; kj < kw; kj++)
                                {
                                    int ih = i * sh - ph + ki * dh, iw = j * sw - pw + kj * dw;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                    s += x[((b * c + g * cg + ic) * h + ih) * w + iw] * wt[((oc * cg + ic) * kh + ki) * kw + kj];
                                }
                        y[((b * o + oc) * oh + i) * ow + j] = s;
                    }
            }
        return y;
    }

    /// <summary>Transposed convolution by scattering each input pixel through the kernel, straight from the definition.</summary>
    private static double[] NaiveConvTranspose2d(double[] x, int n, int cin, int h, int w, double[] wt, int coutG, int kh, int kw, double[]? bias,
        int sh, int sw, int ph, int pw, int oph, int opw, int dh, int dw, int groups, out int oh, out int ow)
    {
        oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
        ow = (w - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
        int cinG = cin / groups, cout = coutG * groups;
        var y = new double[n * cout * oh * ow];
        for (int b = 0; b < n; b++)
            for (int ic = 0; ic < cin; ic++)
            {
                int g = ic / cinG;
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                        for (int oc = 0; oc < coutG; oc++)
                            for (int ki = 0; ki < kh; ki++)
                                for (int kj = 0; kj < kw; kj++)
                                {
                                    int yi = i * sh - ph + ki * dh, yj = j * sw - pw + kj * dw;
                                    if (yi < 0 || yi >= oh || yj < 0 || yj >= ow) continue;
                                    y[((b * cout + g * coutG + oc) * oh + yi) * ow + yj] += x[((b * cin + ic) * h + i) * w + j] * wt[((ic * coutG + oc) * kh + ki) * kw + kj];
                                }
            }
        if (bias != null)
            for (int b = 0; b < n; b++)
                for (int oc = 0; oc < cout; oc++)
                    for (int p = 0; p < oh * ow; p++) y[(b * cout + oc) * oh * ow + p] += bias[oc];
        return y;
    }

    public static TheoryData<string> ConvCases => new()
    {
        // n c h w o kh kw sh sw ph pw dh dw groups bias
        "2 3 9 11 4 3 3 1 1 1 1 1 1 1 1",
        "1 4 8 8 6 3 3 2 2 1 1 1 1 2 0",
        "2 6 7 9 6 3 3 1 1 1 1 1 1 6 1",
        "1 5 10 7 5 3 5 2 1 1 2 1 1 5 1",
        "1 4 9 9 4 3 3 1 1 2 2 2 2 4 0",
        "2 8 5 6 16 1 1 1 1 0 0 1 1 1 1",
        "1 8 5 6 4 1 1 1 1 0 0 1 1 2 1",
        "1 3 12 12 2 5 5 3 2 2 1 1 2 1 1",
        "1 1 1 1 1 1 1 1 1 0 0 1 1 1 0",
        "0 3 5 5 2 3 3 1 1 1 1 1 1 1 1",
        "1 16 24 24 32 3 3 1 1 1 1 1 1 1 1",
        "1 4 6 8 8 2 3 1 2 0 1 1 1 4 1",
        // Depthwise rows in registers: horizontal stride 1 and 2 (even and odd columns), 3×3 and 5×5, padding that
        // reaches past the last vector, vertical dilation, rows of several vectors with a ragged tail.
        "2 5 9 41 5 3 3 2 2 1 1 1 1 5 1",
        "1 6 40 40 6 5 5 1 1 2 2 1 1 6 1",
        "1 3 21 37 3 5 5 2 2 2 2 1 1 3 0",
        "1 4 11 19 4 3 3 1 2 1 1 2 1 4 1",
        "2 2 7 7 2 5 5 1 1 4 4 1 1 2 1",
        "1 3 6 50 3 2 4 2 1 0 3 1 1 3 1",
        // The ring of input rows: a kernel taller than the image, a vertical stride past the kernel's height (rows
        // loaded and never read), 1×1 at stride 2, and a batch of channels sharing one task's ring.
        "1 3 2 20 3 5 5 1 1 2 2 1 1 3 1",
        "1 2 10 20 2 1 3 3 1 0 1 1 1 2 1",
        "2 4 9 33 4 1 1 2 2 0 0 1 1 4 1",
        "3 7 13 45 7 3 3 2 2 1 1 3 1 7 1",
        // Wide rows: W-strided kernels read stride phases (vectorized for stride 2), 1-wide ones gather directly; 12 and
        // 20 output channels leave a ragged weight panel next to the ones read in place.
        "1 3 38 70 12 7 7 2 2 3 3 1 1 1 1",
        "1 8 20 67 20 1 1 2 2 0 0 1 1 1 1",
        "2 6 17 66 10 3 3 2 2 1 1 2 2 1 0",
        "1 5 9 65 8 3 3 3 3 1 1 1 1 1 1",
        // Stride 1 with output rows as wide as input rows: each tap is one shifted copy, blocks starting mid-row.
        "1 32 30 13 24 3 3 1 1 1 1 1 1 1 1",
        "1 6 10 13 8 3 3 1 1 2 2 2 2 1 1",
        "1 4 8 12 8 3 5 1 1 1 2 1 1 1 0",
        "1 3 4 5 8 5 5 1 1 2 2 1 1 1 1",
        // The product reads its rows from the padded, phase-split input at each tap's shift: batches, dilation without
        // padding, groups with a 5×3 kernel, 96 outputs on a small plane, 4 outputs (the skinny product), several
        // position blocks with a ragged last one, a 1-row image; a grouped 1×1 stride-2 layer writes the output directly.
        "2 16 15 17 24 3 3 1 1 1 1 1 1 1 1",
        "1 16 20 20 12 3 3 1 1 0 0 2 2 1 0",
        "1 32 9 40 20 5 3 1 1 2 1 1 1 2 1",
        "1 12 16 16 96 3 3 1 1 1 1 1 1 1 1",
        "1 8 40 45 4 3 3 1 1 1 1 1 1 1 1",
        "1 10 33 50 7 3 3 1 1 1 1 1 1 1 0",
        "1 16 1 300 8 1 3 1 1 0 1 1 1 1 1",
        "2 12 9 14 6 1 1 2 2 0 0 1 1 3 1",
        "1 20 30 30 130 3 3 1 1 1 1 1 1 1 0",
        "1 16 20 20 100 1 1 2 2 0 0 1 1 1 1",
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_matches_direct_convolution_in_float_and_double(string spec)
    {
        var v = spec.Split(' ').Select(int.Parse).ToArray();
        int n = v[0], c = v[1], h = v[2], w = v[3], o = v[4], kh = v[5], kw = v[6], sh = v[7], sw = v[8], ph = v[9], pw = v[10], dh = v[11], dw = v[12], groups = v[13];
        bool hasBias = v[14] == 1;
        // Random numbers each run (a string's hash differs between processes); the seed is in every message.
        int seed = spec.GetHashCode() & 0xFFFF;
        var rng = new Random(seed);
        var x = Doubles(rng, n * c * h * w, -1, 1);
        var wt = Doubles(rng, o * (c / groups) * kh * kw, -1, 1);
        var bias = hasBias ? Doubles(rng, o) : null;
        var expected = NaiveConv2d(x, n, c, h, w, wt, o, kh, kw, bias, sh, sw, ph, pw, dh, dw, groups, out int oh, out int ow);
        var rd = Convolution.Conv2d(x, [n, c, h, w], wt, [o, c / groups, kh, kw], bias, (sh, sw), (ph, pw), (dh, dw), groups);
        Assert.Equal(new long[] { n, o, oh, ow }, rd.Shape);
        AssertClose(expected, rd.Data, 1e-12, 1e-12, $"conv2d double {spec} (seed {seed})");
        var xf = x.Select(a => (float)a).ToArray();
        var wf = wt.Select(a => (float)a).ToArray();
        var rf = Convolution.Conv2d(xf, [n, c, h, w], wf, [o, c / groups, kh, kw], bias?.Select(a => (float)a).ToArray(), (sh, sw), (ph, pw), (dh, dw), groups);
        double tol = FloatSumTolerance(c / groups * kh * kw);
        AssertClose(expected, rf.Data, tol, tol, $"conv2d float {spec} (seed {seed})");
    }

    [Fact]
    public void Conv1d_equals_conv2d_with_unit_height_and_accepts_unbatched_input()
    {
        var rng = new Random(60);
        var x = Doubles(rng, 2 * 4 * 19);
        var wt = Doubles(rng, 6 * 2 * 3);
        var bias = Doubles(rng, 6);
        var r = Convolution.Conv1d(x, [2, 4, 19], wt, [6, 2, 3], bias, 2, 1, 2, 2);
        var expected = NaiveConv2d(x, 2, 4, 1, 19, wt, 6, 1, 3, bias, 1, 2, 0, 1, 1, 2, 2, out _, out int ow);
        Assert.Equal(new long[] { 2, 6, ow }, r.Shape);
        AssertClose(expected, r.Data, 1e-12, 1e-12, "conv1d");
        var u = Convolution.Conv1d(x[..(4 * 19)], [4, 19], wt, [6, 2, 3], bias, 2, 1, 2, 2);
        Assert.Equal(new long[] { 6, ow }, u.Shape);
        AssertClose(expected.AsSpan(0, 6 * ow), u.Data, 1e-12, 1e-12, "conv1d unbatched");
    }

    public static TheoryData<string> TransposedCases => new()
    {
        // n cin h w coutG kh kw sh sw ph pw oph opw dh dw groups bias
        "2 4 5 6 3 2 2 2 2 0 0 0 0 1 1 1 1",
        "1 4 4 4 2 3 3 2 2 1 1 1 1 1 1 2 0",
        "1 3 6 5 2 3 3 1 1 1 1 0 0 1 1 1 1",
        "2 2 3 4 3 4 3 3 2 1 0 2 1 1 1 1 1",
        "1 2 4 4 2 3 3 1 1 0 0 0 0 2 2 1 0",
        "1 8 16 16 8 2 2 2 2 0 0 0 0 1 1 1 1",
        // Taps that never overlap (stride >= kernel, no padding or dilation), split by input rows: gaps a stride wider
        // than the kernel leaves, output padding, groups, and enough rows for several tasks.
        "1 6 7 9 2 2 3 3 3 0 0 2 1 1 1 3 1",
        "2 24 40 40 24 2 2 2 2 0 0 1 0 1 1 1 0",
        "1 4 33 8 1 1 1 2 2 0 0 0 0 1 1 1 1",
        // k2 s2, each row's two taps interleaved eight pairs at a time: 13 columns (a vector and a tail), an output
        // column of padding past them, no bias.
        "1 5 6 13 3 2 2 2 2 0 0 0 1 1 1 1 0",
    };

    [Theory]
    [MemberData(nameof(TransposedCases))]
    public void ConvTranspose2d_matches_scatter_definition(string spec)
    {
        var v = spec.Split(' ').Select(int.Parse).ToArray();
        int n = v[0], cin = v[1], h = v[2], w = v[3], coutG = v[4], kh = v[5], kw = v[6], sh = v[7], sw = v[8], ph = v[9], pw = v[10], oph = v[11], opw = v[12], dh = v[13], dw = v[14], groups = v[15];
        int seed = spec.GetHashCode() & 0xFFFF;
        var rng = new Random(seed);
        var x = Doubles(rng, n * cin * h * w, -1, 1);
        var wt = Doubles(rng, cin * coutG * kh * kw, -1, 1);
        var bias = v[16] == 1 ? Doubles(rng, coutG * groups) : null;
        var expected = NaiveConvTranspose2d(x, n, cin, h, w, wt, coutG, kh, kw, bias, sh, sw, ph, pw, oph, opw, dh, dw, groups, out int oh, out int ow);
        var r = Convolution.ConvTranspose2d(x, [n, cin, h, w], wt, [cin, coutG, kh, kw], bias, (sh, sw), (ph, pw), (oph, opw), groups, (dh, dw));
        Assert.Equal(new long[] { n, coutG * groups, oh, ow }, r.Shape);
        AssertClose(expected, r.Data, 1e-12, 1e-12, $"conv_transpose2d {spec} (seed {seed})");
        var rf = Convolution.ConvTranspose2d(x.Select(a => (float)a).ToArray(), [n, cin, h, w], wt.Select(a => (float)a).ToArray(), [cin, coutG, kh, kw], bias?.Select(a => (float)a).ToArray(), (sh, sw), (ph, pw), (oph, opw), groups, (dh, dw));
        double tol = FloatSumTolerance(cin / groups * kh * kw);
        AssertClose(expected, rf.Data, tol, tol, $"conv_transpose2d float {spec} (seed {seed})");
    }

    [Fact]
    public void Output_size_formulas_match_torch()
    {
        Assert.Equal(112, Convolution.OutputSize(224, 7, 2, 3, 1));
        Assert.Equal(4, Convolution.OutputSize(9, 3, 2, 1, 2));
        Assert.Equal(32, Convolution.TransposedOutputSize(16, 2, 2, 0, 0, 1));
        Assert.Equal(8, Convolution.TransposedOutputSize(4, 3, 2, 1, 1, 1));
    }

    [Fact]
    public void Bad_arguments_are_reported_with_the_expected_value()
    {
        var ex = Assert.Throws<ArgumentException>(() => Convolution.Conv2d(new float[1 * 4 * 5 * 5], [1, 4, 5, 5], new float[2 * 3 * 3 * 3], [2, 3, 3, 3], null, (1, 1), (0, 0), (1, 1), 1));
        Assert.Equal("Conv2d: weight has 3 input channels per group but input has 4 channels and groups=1; expected weight.shape[1] == 4 (Parameter 'weightShape')", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Convolution.Conv2d(new float[1 * 4 * 2 * 2], [1, 4, 2, 2], new float[2 * 4 * 3 * 3], [2, 4, 3, 3], null, (1, 1), (0, 0), (1, 1), 1));
        Assert.Contains("smaller than the dilated kernel", ex2.Message);
        var ex3 = Assert.Throws<ArgumentException>(() => Convolution.Conv2d(new float[1 * 4 * 5 * 5], [1, 4, 5, 5], new float[2 * 4 * 3 * 3], [2, 4, 3, 3], new float[3], (1, 1), (0, 0), (1, 1), 1));
        Assert.Contains("bias has 3 elements", ex3.Message);
        var ex4 = Assert.Throws<ArgumentException>(() => Convolution.ConvTranspose2d(new float[16], [1, 1, 4, 4], new float[9], [1, 1, 3, 3], null, (2, 2), (0, 0), (2, 2), 1, (1, 1)));
        Assert.Contains("outputPadding", ex4.Message);
        Assert.Throws<ArgumentException>(() => Convolution.Conv2d(new float[16], [1, 1, 4, 4], new float[9], [1, 1, 3, 3], null, (0, 1), (0, 0), (1, 1), 1));
    }
}

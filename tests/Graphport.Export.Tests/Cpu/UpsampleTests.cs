using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

public class UpsampleTests
{
    [Fact]
    public void Nearest_indices_follow_torch_float_formula_and_special_cases()
    {
        Assert.Equal(new long[] { 0, 0, 1, 1, 2, 2 }, UpsampleKernels.NearestIndices(3, 6, null));
        Assert.Equal(new long[] { 0, 1, 2 }, UpsampleKernels.NearestIndices(3, 3, null));
        // 5 → 3: scale 5/3, floor(0), floor(1.67), floor(3.33)
        Assert.Equal(new long[] { 0, 1, 3 }, UpsampleKernels.NearestIndices(5, 3, null));
        // 3 → 7 with scale_factor 2.5 given: s = 1/2.5 = 0.4 → floor(0, .4, .8, 1.2, 1.6, 2.0, 2.4)
        Assert.Equal(new long[] { 0, 0, 0, 1, 1, 2, 2 }, UpsampleKernels.NearestIndices(3, 7, 2.5));
        // 3 → 7 from the sizes: s = 3/7
        Assert.Equal(new long[] { 0, 0, 0, 1, 1, 2, 2 }, UpsampleKernels.NearestIndices(3, 7, null));
        Assert.Equal(7, UpsampleKernels.OutputSizeFromScale(3, 2.5));
    }

    [Fact]
    public void Linear_taps_match_align_corners_and_half_pixel_formulas()
    {
        var t = UpsampleKernels.LinearTaps<double>(4, 8, alignCorners: false, null);
        for (int o = 0; o < 8; o++)
        {
            double src = Math.Max(0, (o + 0.5) * 0.5 - 0.5);
            long i0 = (long)Math.Floor(src);
            Assert.Equal(i0, t[o].I0);
            Assert.Equal(Math.Min(i0 + 1, 3), t[o].I1);
            Assert.Equal(src - i0, t[o].W1, 1e-12);
            Assert.Equal(1 - (src - i0), t[o].W0, 1e-12);
        }
        var a = UpsampleKernels.LinearTaps<double>(4, 7, alignCorners: true, null);
        for (int o = 0; o < 7; o++)
        {
            double src = o * 3.0 / 6.0;
            Assert.Equal((long)Math.Floor(src), a[o].I0);
            Assert.Equal(src - Math.Floor(src), a[o].W1, 1e-12);
        }
        Assert.Equal((3L, 3L), (a[6].I0, a[6].I1));
        var one = UpsampleKernels.LinearTaps<float>(5, 1, alignCorners: true, null);
        Assert.Equal((0L, 1L, 1f, 0f), one[0]);
        var scaled = UpsampleKernels.LinearTaps<double>(3, 7, alignCorners: false, 2.5);
        Assert.Equal(Math.Max(0, (6 + 0.5) / 2.5 - 0.5) - 2, scaled[6].W1, 1e-12);
    }

    [Theory]
    [InlineData(5, 13)]
    [InlineData(3, 8)]
    [InlineData(2, 3)]
    public void A_float_2x_nearest_upsample_repeats_every_element_bit_for_bit(int h, int w)
    {
        var rng = new Random(h * 100 + w);
        var x = Floats(rng, 2 * 3 * h * w);
        // Signed zeros and a NaN are copied as they are, not computed.
        (x[0], x[1], x[^1]) = (-0f, float.NaN, -0f);
        var near = UpsampleKernels.Nearest2d(x, [2, 3, h, w], (2 * h, 2 * w), null);
        for (int p = 0; p < 6; p++)
            for (int y = 0; y < 2 * h; y++)
                for (int xo = 0; xo < 2 * w; xo++)
                    Assert.Equal(BitConverter.SingleToInt32Bits(x[p * h * w + y / 2 * w + xo / 2]), BitConverter.SingleToInt32Bits(near.Data[(p * 2 * h + y) * 2 * w + xo]));
    }

    [Theory]
    [InlineData(5, 13)]
    [InlineData(4, 8)]
    [InlineData(1, 3)]
    public void Adding_a_2x_upsample_in_one_pass_gives_the_upsample_then_the_add(int h, int w)
    {
        var rng = new Random(h * 31 + w);
        var x = Floats(rng, 2 * 3 * h * w);
        var y = Floats(rng, 2 * 3 * 4 * h * w);
        var up = UpsampleKernels.Nearest2d(x, [2, 3, h, w], (2 * h, 2 * w), null).Data;
        var expected = y.Zip(up, (a, b) => a + b).ToArray();

        var fused = new float[y.Length];
        UpsampleKernels.AddNearest2x(x, [2, 3, h, w], y, fused);

        Assert.Equal(expected, fused);
    }

    [Fact]
    public void Adding_a_2x_upsample_names_a_tensor_of_the_wrong_size()
    {
        var e = Assert.Throws<ArgumentException>(() => UpsampleKernels.AddNearest2x(new float[12], [1, 1, 3, 4], new float[40], new float[48]));
        Assert.Contains("y", e.Message);
        Assert.Contains("48", e.Message);
        Assert.Throws<ArgumentException>(() => UpsampleKernels.AddNearest2x(new float[4], [4], new float[16], new float[16]));
    }

    [Theory]
    [InlineData(3, 4, 6, 8)]
    [InlineData(5, 5, 3, 7)]
    [InlineData(1, 1, 4, 2)]
    [InlineData(4, 6, 4, 6)]
    public void Nearest2d_and_bilinear2d_interpolate_with_those_taps(int h, int w, int oh, int ow)
    {
        var rng = new Random(h * 1000 + w * 100 + oh * 10 + ow);
        var x = Doubles(rng, 2 * 3 * h * w);
        var near = UpsampleKernels.Nearest2d(x, [2, 3, h, w], (oh, ow), null);
        var ri = UpsampleKernels.NearestIndices(h, oh, null);
        var ci = UpsampleKernels.NearestIndices(w, ow, null);
        Assert.Equal(new long[] { 2, 3, oh, ow }, near.Shape);
        for (int p = 0; p < 6; p++)
            for (int y = 0; y < oh; y++)
                for (int xo = 0; xo < ow; xo++)
                    Assert.Equal(x[p * h * w + ri[y] * w + ci[xo]], near.Data[(p * oh + y) * ow + xo]);
        foreach (bool align in new[] { false, true })
        {
            var bil = UpsampleKernels.Bilinear2d(x, [2, 3, h, w], (oh, ow), align, null);
            var rt = UpsampleKernels.LinearTaps<double>(h, oh, align, null);
            var ct = UpsampleKernels.LinearTaps<double>(w, ow, align, null);
            for (int p = 0; p < 6; p++)
                for (int y = 0; y < oh; y++)
                    for (int xo = 0; xo < ow; xo++)
                    {
                        double At(long i, long j) => x[p * h * w + i * w + j];
                        var (r0, r1, a0, a1) = rt[y];
                        var (c0, c1, b0, b1) = ct[xo];
                        double e = a0 * (b0 * At(r0, c0) + b1 * At(r0, c1)) + a1 * (b0 * At(r1, c0) + b1 * At(r1, c1));
                        AssertClose(e, bil.Data[(p * oh + y) * ow + xo], 1e-12, 1e-12, $"bilinear align={align}", (p * oh + y) * ow + xo);
                    }
            var bf = UpsampleKernels.Bilinear2d(x.Select(v => (float)v).ToArray(), [6, h, w], (oh, ow), align, null);
            AssertClose(bil.Data, bf.Data, 1e-5, 1e-5, "bilinear float");
        }
    }

    [Fact]
    public void Scale_factors_set_the_output_size_and_drive_the_index_mapping()
    {
        var rng = new Random(90);
        var x = Floats(rng, 1 * 2 * 3 * 3);
        var r = UpsampleKernels.Nearest2d(x, [1, 2, 3, 3], null, (2.5, 2.0));
        Assert.Equal(new long[] { 1, 2, 7, 6 }, r.Shape);
        var rows = UpsampleKernels.NearestIndices(3, 7, 2.5);
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 7; y++)
                for (int xo = 0; xo < 6; xo++)
                    Assert.Equal(x[c * 9 + rows[y] * 3 + xo / 2], r.Data[(c * 7 + y) * 6 + xo]);
        Assert.Throws<ArgumentException>(() => UpsampleKernels.Nearest2d(x, [1, 2, 3, 3], null, null));
        Assert.Throws<ArgumentException>(() => UpsampleKernels.Bilinear2d(x, [18], (2, 2), false, null));
    }
}

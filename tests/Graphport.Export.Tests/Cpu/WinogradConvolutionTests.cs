using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

/// <summary>
/// Float32 3×3 convolutions at stride 1 with a Winograd-prepared weight (<see cref="WinogradWeight"/>), as frozen
/// modules run ResNet's and U-Net's: the F(2×2, 3×3) transforms and 16 products give the convolution's definition to
/// float32 rounding on every map size, padding and batch; shapes the path does not suit run the usual way.
/// </summary>
public class WinogradConvolutionTests
{
    public static TheoryData<string> Cases => new()
    {
        // n c h w o ph pw bias
        // ResNet-18's 28×28 layer in miniature channels, and its 56×56 one: tiles split over the cores.
        "1 32 28 28 64 1 1 1",
        "1 64 56 56 64 1 1 0",
        // Odd maps (a last row and column of tiles half outside), a batch, rectangles.
        "2 32 9 7 48 1 1 1",
        "3 16 13 6 16 1 1 0",
        // No padding (a 3×4 output), padding 2 (the output larger than the input), one-sided padding.
        "1 32 5 6 16 0 0 1",
        "2 16 12 12 32 2 2 1",
        "1 16 2 3 16 1 0 1",
        // The smallest maps: a 1×1 input padded to a 1×1 output, and a 2×2 one to 2×2 (one tile each).
        "1 16 1 1 32 1 1 1",
        "4 48 2 2 16 1 1 0",
        // Channels padded with zero channels to multiples of 16: PP-OCR's 96→24 head, and odd counts both ways.
        "1 96 20 20 24 1 1 1",
        "2 24 9 9 40 1 1 1",
        "1 3 7 7 5 1 1 0",
        // On several cores a transformed weight over 512 KiB on few tiles is split between the cores rather than the
        // tiles (ResNet's 7×7 layers): an odd map, a batch of maps, padding on one axis with padded channels.
        "1 128 9 9 128 1 1 1",
        "3 128 6 5 128 1 1 0",
        "1 112 7 7 100 2 0 1",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_winograd_weight_gives_the_convolutions_definition(string spec)
    {
        var v = spec.Split(' ').Select(int.Parse).ToArray();
        int n = v[0], c = v[1], h = v[2], w = v[3], o = v[4], ph = v[5], pw = v[6];
        int seed = spec.GetHashCode() & 0xFFFF;
        var rng = new Random(seed);
        var x = Doubles(rng, n * c * h * w, -1, 1);
        var wt = Doubles(rng, o * c * 9, -1, 1);
        var bias = v[7] == 1 ? Doubles(rng, o) : null;
        var expected = ConvolutionTests.NaiveConv2d(x, n, c, h, w, wt, o, 3, 3, bias, 1, 1, ph, pw, 1, 1, 1, out int oh, out int ow);
        var actual = Winograd(x, [n, c, h, w], wt, [o, c, 3, 3], bias, [ph, pw]);

        Assert.Equal(new long[] { n, o, oh, ow }, actual.Shape);
        // Sums of up to 9·C products of numbers in [-1, 1]: float32 rounding of the transforms and the product.
        AssertClose(expected, actual.Data, 1e-5, 2e-5 * Math.Sqrt(9 * c), $"Winograd {spec} (seed {seed})");
        // And they were Winograd's numbers, rounded otherwise than the direct product's (on a machine without AVX2 the
        // direct product's: the transforms are written in its vectors).
        var direct = Convolution.Compute(x.Select(a => (float)a).ToArray(), [n, c, h, w], wt.Select(a => (float)a).ToArray(), [o, c, 3, 3],
            bias?.Select(a => (float)a).ToArray(), [1], [ph, pw], [1], false, [0], 1);
        if (VectorMath.IsAccelerated) Assert.NotEqual(direct.Data, actual.Data);
        else Assert.Equal(direct.Data, actual.Data);
    }

    [Fact]
    public void Random_shapes_and_numbers_give_the_definition()
    {
        var rng = new Random(2024);
        for (int trial = 0; trial < 24; trial++)
        {
            int n = rng.Next(1, 4), c = rng.Next(1, 70), o = rng.Next(1, 70), h = rng.Next(1, 20), w = rng.Next(1, 20), ph = rng.Next(0, 3), pw = rng.Next(0, 3);
            if (h + 2 * ph < 3 || w + 2 * pw < 3) continue;
            var x = Doubles(rng, n * c * h * w, -2, 2);
            var wt = Doubles(rng, o * c * 9, -1, 1);
            var bias = rng.Next(2) == 0 ? Doubles(rng, o) : null;
            var expected = ConvolutionTests.NaiveConv2d(x, n, c, h, w, wt, o, 3, 3, bias, 1, 1, ph, pw, 1, 1, 1, out _, out _);
            var actual = Winograd(x, [n, c, h, w], wt, [o, c, 3, 3], bias, [ph, pw]);
            AssertClose(expected, actual.Data, 1e-5, 4e-5 * Math.Sqrt(9 * c), $"trial {trial}: n={n} c={c} o={o} {h}×{w} padding ({ph}, {pw})");
        }
    }

    [Fact]
    public void An_unbatched_input_gives_the_batched_result_without_its_batch_dim()
    {
        var rng = new Random(5);
        var x = Floats(rng, 32 * 10 * 10, -1, 1);
        var wt = Floats(rng, 16 * 32 * 9, -1, 1);
        long[] weightShape = [16, 32, 3, 3];
        var prepared = WinogradWeight.Prepare(wt, weightShape);

        var unbatched = Convolution.Compute(x, [32, 10, 10], wt, weightShape, null, [1], [1], [1], false, [0], 1, prepared);
        var batched = Convolution.Compute(x, [1, 32, 10, 10], wt, weightShape, null, [1], [1], [1], false, [0], 1, prepared);

        Assert.Equal(new long[] { 16, 10, 10 }, unbatched.Shape);
        Assert.Equal(batched.Data, unbatched.Data);
    }

    [Fact]
    public void A_nan_in_the_input_reaches_every_output_whose_window_holds_it()
    {
        var rng = new Random(9);
        const int c = 16, side = 8;
        var x = Floats(rng, c * side * side, -1, 1);
        x[3 * side * side + 4 * side + 5] = float.NaN;
        var wt = Floats(rng, 16 * c * 9, -1, 1);
        var result = Convolution.Compute(x, [1, c, side, side], wt, [16, c, 3, 3], null, [1], [1], [1], false, [0], 1, WinogradWeight.Prepare(wt, [16, c, 3, 3]));

        for (int oc = 0; oc < 16; oc++)
            for (int y = 3; y <= 5; y++)
                for (int xx = 4; xx <= 6; xx++)
                    Assert.True(float.IsNaN(result.Data[(oc * side + y) * side + xx]), $"output ({oc}, {y}, {xx}) reads the NaN but is {result.Data[(oc * side + y) * side + xx]}");
    }

    [Fact]
    public void Calls_the_path_does_not_suit_or_a_weight_prepared_for_another_shape_run_the_usual_way()
    {
        var rng = new Random(11);
        var x = Floats(rng, 2 * 32 * 9 * 9, -1, 1);
        var wt = Floats(rng, 32 * 32 * 9, -1, 1);
        var other = Floats(rng, 32 * 32 * 9, -1, 1);
        long[] inputShape = [2, 32, 9, 9], weightShape = [32, 32, 3, 3];
        var prepared = WinogradWeight.Prepare(other, weightShape);

        // Stride 2 and dilation 2: the prepared weight (of other numbers) is not used, so the call's own weight counts.
        Assert.Equal(Convolution.Compute(x, inputShape, wt, weightShape, null, [2], [1], [1], false, [0], 1).Data,
            Convolution.Compute(x, inputShape, wt, weightShape, null, [2], [1], [1], false, [0], 1, prepared).Data);
        Assert.Equal(Convolution.Compute(x, inputShape, wt, weightShape, null, [1], [2], [2], false, [0], 1).Data,
            Convolution.Compute(x, inputShape, wt, weightShape, null, [1], [2], [2], false, [0], 1, prepared).Data);
        // A grouped weight of another shape, and float64 numbers.
        Assert.Equal(Convolution.Compute(x, inputShape, wt[..(32 * 16 * 9)], [32, 16, 3, 3], null, [1], [1], [1], false, [0], 2).Data,
            Convolution.Compute(x, inputShape, wt[..(32 * 16 * 9)], [32, 16, 3, 3], null, [1], [1], [1], false, [0], 2, prepared).Data);
        var xd = x.Select(a => (double)a).ToArray();
        var wd = wt.Select(a => (double)a).ToArray();
        Assert.Equal(Convolution.Compute(xd, inputShape, wd, weightShape, null, [1], [1], [1], false, [0], 1).Data,
            Convolution.Compute(xd, inputShape, wd, weightShape, null, [1], [1], [1], false, [0], 1, prepared).Data);
    }

    [Theory]
    [InlineData(new long[] { 64, 64, 3, 3 }, 1, 1, 1, true)]
    [InlineData(new long[] { 16, 32, 3, 3 }, 1, 1, 1, true)]
    [InlineData(new long[] { 24, 96, 3, 3 }, 1, 1, 1, true)]
    [InlineData(new long[] { 64, 64, 3, 3 }, 1, 2, 1, false)]
    [InlineData(new long[] { 64, 64, 3, 3 }, 1, 1, 2, false)]
    [InlineData(new long[] { 64, 32, 3, 3 }, 2, 1, 1, false)]
    [InlineData(new long[] { 64, 64, 5, 5 }, 1, 1, 1, false)]
    // Channels padded to multiples of 16: 24 → 32 and 40 → 48 add a third and a fifth to the products, 3 → 16 and
    // 8 → 16 five and four times what they were.
    [InlineData(new long[] { 64, 24, 3, 3 }, 1, 1, 1, true)]
    [InlineData(new long[] { 40, 64, 3, 3 }, 1, 1, 1, true)]
    [InlineData(new long[] { 16, 3, 3, 3 }, 1, 1, 1, false)]
    [InlineData(new long[] { 8, 8, 3, 3 }, 1, 1, 1, false)]
    // Too few channels for the products' saving to repay the transforms: 16→16; 16→32 is enough.
    [InlineData(new long[] { 16, 16, 3, 3 }, 1, 1, 1, false)]
    [InlineData(new long[] { 32, 16, 3, 3 }, 1, 1, 1, true)]
    public void Only_ungrouped_3x3_kernels_at_stride_1_with_enough_channels_near_multiples_of_16_suit_the_path(long[] shape, int groups, int stride, int dilation, bool suits) =>
        Assert.Equal(suits && VectorMath.IsAccelerated, WinogradWeight.Suits(shape, groups, (stride, stride), (dilation, dilation)));

    [Fact]
    public void Preparing_a_weight_that_is_not_a_3x3_kernels_names_the_shape_expected()
    {
        var e = Assert.Throws<ArgumentException>(() => WinogradWeight.Prepare(new float[16 * 16 * 25], [16, 16, 5, 5]));
        Assert.Contains("[16, 16, 5, 5]", e.Message);
        Assert.Contains("[O, C, 3, 3]", e.Message);
        var tooShort = Assert.Throws<ArgumentException>(() => WinogradWeight.Prepare(new float[100], [16, 16, 3, 3]));
        Assert.Contains("100", tooShort.Message);
    }

    private static Dense<float> Winograd(double[] x, long[] inputShape, double[] wt, long[] weightShape, double[]? bias, int[] padding)
    {
        var wf = wt.Select(a => (float)a).ToArray();
        return Convolution.Compute(x.Select(a => (float)a).ToArray(), inputShape, wf, weightShape, bias?.Select(a => (float)a).ToArray(),
            [1], padding, [1], false, [0], 1, WinogradWeight.Prepare(wf, weightShape));
    }
}

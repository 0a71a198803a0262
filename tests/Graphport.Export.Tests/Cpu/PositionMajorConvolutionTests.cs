using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

/// <summary>
/// Convolutions with a prepared weight (<see cref="PositionMajorWeight{T}"/>), as frozen modules run their small output
/// maps: the product over output positions gives what the definition gives, and shapes it does not suit, or a weight
/// prepared for another shape, run the usual way.
/// </summary>
public class PositionMajorConvolutionTests
{
    public static TheoryData<string> Cases => new()
    {
        // n c h w o kh kw sh sw ph pw dh dw bias
        // ResNet's last stage in miniature: 7×7, 3×3 padded, and the stride-2 layer that leads into it.
        "1 64 7 7 64 3 3 1 1 1 1 1 1 1",
        "1 32 14 14 64 3 3 2 2 1 1 1 1 0",
        // Batches (the rows of all images in one product), rectangular maps and kernels, dilation, no padding.
        "3 16 9 11 32 3 3 1 1 1 1 1 1 1",
        "2 24 12 10 32 5 3 1 2 2 1 1 1 0",
        "1 16 13 13 96 3 3 1 1 2 2 2 2 1",
        "2 40 8 8 32 2 2 1 1 0 0 1 1 1",
        // A 20×20 map, the largest that qualifies; and kernels wider than the padded input in one direction.
        "1 8 20 20 32 3 3 1 1 1 1 1 1 1",
        "1 12 3 20 64 3 5 1 1 1 0 1 1 1",
        // 1×1 kernels on a 7×7 map: stride 1 (the channels-last input is the rows) and a stride-2 downsampling.
        "2 96 7 7 64 1 1 1 1 0 0 1 1 1",
        "1 64 13 13 128 1 1 2 2 0 0 1 1 0",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_prepared_weight_gives_the_convolutions_definition_in_float_and_double(string spec)
    {
        var v = spec.Split(' ').Select(int.Parse).ToArray();
        int n = v[0], c = v[1], h = v[2], w = v[3], o = v[4], kh = v[5], kw = v[6], sh = v[7], sw = v[8], ph = v[9], pw = v[10], dh = v[11], dw = v[12];
        // Random numbers each run (a string's hash differs between processes); the seed is in every message.
        int seed = spec.GetHashCode() & 0xFFFF;
        var rng = new Random(seed);
        var x = Doubles(rng, n * c * h * w, -1, 1);
        var wt = Doubles(rng, o * c * kh * kw, -1, 1);
        var bias = v[13] == 1 ? Doubles(rng, o) : null;
        long[] weightShape = [o, c, kh, kw];
        var expected = ConvolutionTests.NaiveConv2d(x, n, c, h, w, wt, o, kh, kw, bias, sh, sw, ph, pw, dh, dw, 1, out int oh, out int ow);
        Assert.True(Convolution.PositionMajorSuits((long)oh * ow, kh * kw, c, o), $"{spec} should take the position-major path");

        // Prepared without knowing the map, and for the map it has (at most 64 positions: shallower k blocks).
        foreach (long positions in new long[] { 0, (long)oh * ow })
        {
            var rd = Convolution.Compute(x, [n, c, h, w], wt, weightShape, bias, [sh, sw], [ph, pw], [dh, dw], false, [0], 1, PositionMajorWeight<double>.Prepare(wt, weightShape, positions));
            Assert.Equal(new long[] { n, o, oh, ow }, rd.Shape);
            AssertClose(expected, rd.Data, 1e-12, 1e-12, $"position-major double {spec}, prepared for {positions} positions (seed {seed})");

            var wf = wt.Select(a => (float)a).ToArray();
            var rf = Convolution.Compute(x.Select(a => (float)a).ToArray(), [n, c, h, w], wf, weightShape, bias?.Select(a => (float)a).ToArray(), [sh, sw], [ph, pw], [dh, dw], false, [0], 1,
                PositionMajorWeight<float>.Prepare(wf, weightShape, positions));
            double tol = FloatSumTolerance(c * kh * kw);
            AssertClose(expected, rf.Data, tol, tol, $"position-major float {spec}, prepared for {positions} positions (seed {seed})");
        }
    }

    [Fact]
    public void A_batch_too_large_for_one_product_is_taken_a_few_images_at_a_time()
    {
        // 30 images of 256 positions × 576 inputs each: more rows than one product holds (2^22 elements).
        const int n = 30, c = 64, s = 16, o = 32;
        var rng = new Random(41);
        var x = Floats(rng, n * c * s * s, -1, 1);
        var wt = Floats(rng, o * c * 9, -1, 1);
        var bias = Floats(rng, o);
        long[] inputShape = [n, c, s, s], weightShape = [o, c, 3, 3];

        var plain = Convolution.Compute(x, inputShape, wt, weightShape, bias, [1], [1], [1], false, [0], 1);
        var prepared = Convolution.Compute(x, inputShape, wt, weightShape, bias, [1], [1], [1], false, [0], 1, PositionMajorWeight<float>.Prepare(wt, weightShape));

        Assert.Equal(plain.Shape, prepared.Shape);
        double peak = plain.Data.Max(Math.Abs);
        for (int i = 0; i < plain.Data.Length; i++)
            Assert.True(Math.Abs(plain.Data[i] - prepared.Data[i]) <= 1e-5 * peak, $"element {i} (image {i / (o * s * s)}): {prepared.Data[i]}, expected {plain.Data[i]}");
    }

    [Fact]
    public void An_unbatched_input_gives_the_batched_result_without_its_batch_dim()
    {
        var rng = new Random(47);
        var x = Floats(rng, 48 * 9 * 9, -1, 1);
        var wt = Floats(rng, 64 * 48 * 9, -1, 1);
        long[] weightShape = [64, 48, 3, 3];
        var prepared = PositionMajorWeight<float>.Prepare(wt, weightShape);

        var unbatched = Convolution.Compute(x, [48, 9, 9], wt, weightShape, null, [2], [1], [1], false, [0], 1, prepared);
        var batched = Convolution.Compute(x, [1, 48, 9, 9], wt, weightShape, null, [2], [1], [1], false, [0], 1, prepared);

        Assert.Equal(new long[] { 64, 5, 5 }, unbatched.Shape);
        Assert.Equal(batched.Data, unbatched.Data);
    }

    [Theory]
    // A 1×1 kernel on a 14×14 map, 24 output channels (not whole 32-wide tiles), a 21×21 map, 8 inputs per position;
    // a 1×1 kernel on a 7×7 map, a 3×3 one on 20×20.
    [InlineData(64, 64, 1, 14, false)]
    [InlineData(64, 24, 3, 7, false)]
    [InlineData(64, 64, 3, 21, false)]
    [InlineData(2, 32, 2, 7, false)]
    [InlineData(64, 64, 1, 7, true)]
    [InlineData(64, 64, 3, 20, true)]
    public void Only_small_maps_with_whole_column_tiles_and_several_taps_suit_the_position_major_path(int c, int o, int k, int side, bool suits) =>
        Assert.Equal(suits, Convolution.PositionMajorSuits(side * side, k * k, c, o));

    [Fact]
    public void A_weight_prepared_for_another_shape_or_a_grouped_convolution_is_not_used()
    {
        var rng = new Random(43);
        var x = Floats(rng, 2 * 32 * 8 * 8, -1, 1);
        var wt = Floats(rng, 32 * 32 * 9, -1, 1);
        var other = Floats(rng, 32 * 32 * 9, -1, 1);
        long[] inputShape = [2, 32, 8, 8];

        // Prepared from different numbers in the shape [32, 32, 3, 3] but handed with a [32, 16, 3, 3] grouped weight:
        // the call's own weight is what counts.
        var grouped = Convolution.Compute(x, inputShape, wt[..(32 * 16 * 9)], [32, 16, 3, 3], null, [1], [1], [1], false, [0], 2,
            PositionMajorWeight<float>.Prepare(other, [32, 32, 3, 3]));
        var groupedPlain = Convolution.Compute(x, inputShape, wt[..(32 * 16 * 9)], [32, 16, 3, 3], null, [1], [1], [1], false, [0], 2);
        Assert.Equal(groupedPlain.Data, grouped.Data);

        var mismatched = Convolution.Compute(x, inputShape, wt, [32, 32, 3, 3], null, [1], [1], [1], false, [0], 1, PositionMajorWeight<float>.Prepare(other[..(32 * 32 * 4)], [32, 32, 2, 2]));
        Assert.Equal(Convolution.Compute(x, inputShape, wt, [32, 32, 3, 3], null, [1], [1], [1], false, [0], 1).Data, mismatched.Data);
    }

    [Fact]
    public void Preparing_a_weight_that_is_not_a_2d_convolutions_names_the_shape_expected()
    {
        var e = Assert.Throws<ArgumentException>(() => PositionMajorWeight<float>.Prepare(new float[24], [2, 3, 4]));
        Assert.Contains("[2, 3, 4]", e.Message);
        Assert.Contains("[O, C, kH, kW]", e.Message);
        var tooShort = Assert.Throws<ArgumentException>(() => PositionMajorWeight<float>.Prepare(new float[10], [2, 3, 2, 2]));
        Assert.Contains("10", tooShort.Message);
    }
}

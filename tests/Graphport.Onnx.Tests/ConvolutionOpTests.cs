using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>Conv and ConvTranspose with weights as initializers, as exporters write them, across their geometry attributes.</summary>
public class ConvolutionOpTests
{
    [Fact]
    public void Conv_1x1_with_bias_mixes_channels()
    {
        AssertConvMatchesOrt(seed: 41, "Conv", x: [1, 4, 5, 5], w: [6, 4, 1, 1], bias: true);
    }

    [Fact]
    public void Conv_3x3_stride_2_pad_1_without_bias()
    {
        AssertConvMatchesOrt(seed: 42, "Conv", x: [2, 3, 7, 7], w: [4, 3, 3, 3], bias: false,
            OnnxAttr.Ints("kernel_shape", 3, 3), OnnxAttr.Ints("pads", 1, 1, 1, 1), OnnxAttr.Ints("strides", 2, 2));
    }

    [Fact]
    public void Conv_with_group_equal_to_channels_is_depthwise()
    {
        AssertConvMatchesOrt(seed: 43, "Conv", x: [1, 4, 6, 6], w: [4, 1, 3, 3], bias: true,
            OnnxAttr.Int("group", 4), OnnxAttr.Ints("pads", 1, 1, 1, 1));
    }

    [Fact]
    public void Conv_with_two_groups_splits_the_channels()
    {
        AssertConvMatchesOrt(seed: 44, "Conv", x: [1, 4, 5, 5], w: [6, 2, 3, 3], bias: false, OnnxAttr.Int("group", 2));
    }

    [Fact]
    public void Conv_with_dilation_2_spreads_the_kernel()
    {
        AssertConvMatchesOrt(seed: 45, "Conv", x: [1, 3, 9, 9], w: [2, 3, 3, 3], bias: true, OnnxAttr.Ints("dilations", 2, 2));
    }

    [Fact]
    public void Conv_with_asymmetric_pads()
    {
        // ONNX pads are [top, left, bottom, right]: more padding before than after in height, the reverse in width.
        AssertConvMatchesOrt(seed: 46, "Conv", x: [1, 2, 6, 7], w: [3, 2, 3, 3], bias: false, OnnxAttr.Ints("pads", 2, 0, 0, 1));
    }

    [Fact]
    public void Conv_with_auto_pad_same_upper_puts_the_odd_pad_at_the_end()
    {
        // Input 8, kernel 3, stride 2: output 4 needs 1 pad in total, which SAME_UPPER puts after the input.
        AssertConvMatchesOrt(seed: 47, "Conv", x: [1, 2, 8, 8], w: [3, 2, 3, 3], bias: true,
            OnnxAttr.String("auto_pad", "SAME_UPPER"), OnnxAttr.Ints("strides", 2, 2));
    }

    [Fact]
    public void Conv_1d_over_a_sequence()
    {
        AssertConvMatchesOrt(seed: 48, "Conv", x: [2, 3, 10], w: [4, 3, 3], bias: true, OnnxAttr.Ints("pads", 1, 1), OnnxAttr.Ints("strides", 2));
    }

    [Fact]
    public void ConvTranspose_stride_2_upsamples()
    {
        // Weights are [C_in, C_out / group, kH, kW]; output (3 - 1) * 2 + 3 = 7.
        AssertConvMatchesOrt(seed: 49, "ConvTranspose", x: [1, 4, 3, 3], w: [4, 2, 3, 3], bias: true, OnnxAttr.Ints("strides", 2, 2));
    }

    [Fact]
    public void ConvTranspose_with_pads_and_output_padding_doubles_the_size()
    {
        // (3 - 1) * 2 - 2 + 3 + 1 = 6: the usual decoder layer, output_padding adding the row and column pads took away.
        AssertConvMatchesOrt(seed: 50, "ConvTranspose", x: [2, 4, 3, 3], w: [4, 3, 3, 3], bias: false,
            OnnxAttr.Ints("strides", 2, 2), OnnxAttr.Ints("pads", 1, 1, 1, 1), OnnxAttr.Ints("output_padding", 1, 1));
    }

    [Fact]
    public void Conv_3d_over_a_volume_with_strides_pads_and_dilations()
    {
        // ONNX 3-D pads are [d_begin, h_begin, w_begin, d_end, h_end, w_end].
        AssertConvMatchesOrt(seed: 51, "Conv", x: [1, 3, 7, 8, 9], w: [4, 3, 3, 3, 3], bias: true,
            OnnxAttr.Ints("strides", 2, 1, 2), OnnxAttr.Ints("pads", 1, 1, 1, 1, 1, 1), OnnxAttr.Ints("dilations", 1, 2, 1));
    }

    [Fact]
    public void Conv_3d_with_groups_and_asymmetric_pads()
    {
        AssertConvMatchesOrt(seed: 52, "Conv", x: [2, 4, 5, 6, 5], w: [6, 2, 3, 2, 3], bias: false,
            OnnxAttr.Int("group", 2), OnnxAttr.Ints("pads", 1, 0, 2, 0, 1, 0));
    }

    [Fact]
    public void Conv_3d_depthwise()
    {
        AssertConvMatchesOrt(seed: 53, "Conv", x: [1, 4, 5, 6, 7], w: [4, 1, 3, 3, 3], bias: true,
            OnnxAttr.Int("group", 4), OnnxAttr.Ints("pads", 1, 1, 1, 1, 1, 1));
    }

    [Fact]
    public void ConvTranspose_3d_stride_2_with_pads_and_output_padding_doubles_the_volume()
    {
        // (3 - 1) * 2 - 2 + 3 + 1 = 6 in depth and height, (4 - 1) * 2 - 2 + 3 + 1 = 8 in width.
        AssertConvMatchesOrt(seed: 54, "ConvTranspose", x: [1, 4, 3, 3, 4], w: [4, 2, 3, 3, 3], bias: true,
            OnnxAttr.Ints("strides", 2, 2, 2), OnnxAttr.Ints("pads", 1, 1, 1, 1, 1, 1), OnnxAttr.Ints("output_padding", 1, 1, 1));
    }

    [Fact]
    public void ConvTranspose_3d_with_groups_and_dilations()
    {
        AssertConvMatchesOrt(seed: 55, "ConvTranspose", x: [2, 4, 2, 3, 4], w: [4, 3, 2, 2, 2], bias: false,
            OnnxAttr.Int("group", 2), OnnxAttr.Ints("strides", 1, 2, 1), OnnxAttr.Ints("dilations", 2, 1, 2));
    }

    private static void AssertConvMatchesOrt(int seed, string op, long[] x, long[] w, bool bias, params OnnxAttr[] attributes)
    {
        var random = new Random(seed);
        // Conv weights are [C_out, C_in / group, ...], ConvTranspose's [C_in, C_out / group, ...] (no bias with groups here).
        var outChannels = op == "Conv" ? w[0] : w[1];
        var builder = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, x.Cast<object>().ToArray())
            .Initializer("w", RandomData.Floats(random, (int)w.Aggregate(1L, (a, b) => a * b)), w);
        if (bias) builder.Initializer("b", RandomData.Floats(random, (int)outChannels), outChannels);
        var model = builder
            .Node(op, bias ? ["x", "w", "b"] : ["x", "w"], ["y"], attributes)
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, x));
    }
}

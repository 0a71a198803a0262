using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>MaxPool, AveragePool and GlobalAveragePool: padding, ceil mode and what a padded cell counts for.</summary>
public class PoolingOpTests
{
    [Fact]
    public void MaxPool_3x3_stride_2_pad_1()
    {
        AssertPoolMatchesOrt(seed: 51, "MaxPool", x: [1, 2, 7, 7],
            OnnxAttr.Ints("kernel_shape", 3, 3), OnnxAttr.Ints("strides", 2, 2), OnnxAttr.Ints("pads", 1, 1, 1, 1));
    }

    [Fact]
    public void MaxPool_with_ceil_mode_keeps_the_partial_last_window()
    {
        // Input 8, kernel 3, stride 2: floor gives 3 windows, ceil 4 (the last one covers rows 6 and 7 only).
        AssertPoolMatchesOrt(seed: 52, "MaxPool", x: [1, 2, 8, 8],
            OnnxAttr.Ints("kernel_shape", 3, 3), OnnxAttr.Ints("strides", 2, 2), OnnxAttr.Int("ceil_mode", 1));
    }

    [Fact]
    public void MaxPool_pads_with_minus_infinity_not_zero()
    {
        // All inputs negative: a zero pad would win every border window.
        var random = new Random(53);
        var model = PoolModel("MaxPool", [1, 1, 4, 4], OnnxAttr.Ints("kernel_shape", 2, 2), OnnxAttr.Ints("pads", 1, 1, 1, 1), OnnxAttr.Ints("strides", 2, 2));
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [1, 1, 4, 4], -3f, -1f));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void AveragePool_count_include_pad_decides_the_border_divisor(long countIncludePad)
    {
        AssertPoolMatchesOrt(seed: 54, "AveragePool", x: [1, 2, 5, 5],
            OnnxAttr.Ints("kernel_shape", 3, 3), OnnxAttr.Ints("pads", 1, 1, 1, 1), OnnxAttr.Int("count_include_pad", countIncludePad));
    }

    [Fact]
    public void AveragePool_with_a_3x2_kernel_and_3x2_stride()
    {
        AssertPoolMatchesOrt(seed: 55, "AveragePool", x: [2, 2, 9, 8], OnnxAttr.Ints("kernel_shape", 3, 2), OnnxAttr.Ints("strides", 3, 2));
    }

    [Fact]
    public void GlobalAveragePool_averages_each_channel_to_1x1()
    {
        AssertPoolMatchesOrt(seed: 56, "GlobalAveragePool", x: [2, 3, 5, 4]);
    }

    private static void AssertPoolMatchesOrt(int seed, string op, long[] x, params OnnxAttr[] attributes)
    {
        var random = new Random(seed);
        AssertMatchesOrt(PoolModel(op, x, attributes), ModelInput.Floats("x", random, x));
    }

    private static byte[] PoolModel(string op, long[] x, params OnnxAttr[] attributes) => new OnnxModelBuilder(17)
        .Input("x", ElemType.Float, x.Cast<object>().ToArray())
        .Node(op, ["x"], ["y"], attributes)
        .Output("y", ElemType.Float)
        .Build();
}

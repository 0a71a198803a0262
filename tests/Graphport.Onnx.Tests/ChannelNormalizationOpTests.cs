using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// Normalizations ATen has no single op for (LRN, GroupNormalization, MeanVarianceNormalization, LpNormalization)
/// and the smaller ops imported beside them (Hardmax, Shrink, EyeLike, ReverseSequence), each against ONNX Runtime
/// on random inputs.
/// </summary>
public class ChannelNormalizationOpTests
{
    [Theory]
    [InlineData(5, 1e-4f, 0.75f, 1f)]   // AlexNet's
    [InlineData(3, 2e-2f, 0.5f, 2f)]
    [InlineData(1, 1f, 1f, 1f)]
    public void LRN_divides_by_the_sum_of_squares_over_neighbouring_channels(int size, float alpha, float beta, float bias)
    {
        var random = new Random(300 + size);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 7, 3, 4)
            .Node("LRN", ["x"], ["y"], OnnxAttr.Int("size", size), OnnxAttr.Float("alpha", alpha), OnnxAttr.Float("beta", beta), OnnxAttr.Float("bias", bias))
            .Output("y", ElemType.Float, [2, 7, 3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 7, 3, 4], -3f, 3f));
    }

    [Fact]
    public void LRN_over_a_symbolic_batch_and_size_follows_the_input()
    {
        var random = new Random(310);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, "n", 6, "h", 4)
            .Node("LRN", ["x"], ["y"], OnnxAttr.Int("size", 3))
            .Output("y", ElemType.Float, ["n", 6, "h", 4])
            .Build();
        var module = Import(model).Module();
        foreach (var (n, h) in new[] { (1L, 5L), (3L, 9L) })
        {
            var x = ModelInput.Floats("x", random, [n, 6, h, 4]);
            AssertRunMatchesOrt(module, model, [x], Tolerance.Float32, $"n={n}, h={h}");
        }
    }

    [Theory]
    [InlineData(21, 2)]
    [InlineData(21, 6)]
    [InlineData(18, 3)]
    public void GroupNormalization_normalizes_each_group_then_scales_per_channel_or_per_group(int opset, int groups)
    {
        var random = new Random(320 + opset + groups);
        int scaleLength = opset >= 21 ? 6 : groups;
        var model = new OnnxModelBuilder(opset)
            .Input("x", ElemType.Float, 2, 6, 3, 5)
            .Initializer("scale", RandomData.Floats(random, scaleLength, 0.5f, 2f), scaleLength)
            .Initializer("bias", RandomData.Floats(random, scaleLength), scaleLength)
            .Node("GroupNormalization", ["x", "scale", "bias"], ["y"], OnnxAttr.Int("num_groups", groups), OnnxAttr.Float("epsilon", 1e-3f))
            .Output("y", ElemType.Float, [2, 6, 3, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 6, 3, 5]));
    }

    [Fact]
    public void GroupNormalization_with_groups_that_do_not_divide_the_channels_is_refused_by_name()
    {
        var random = new Random(330);
        var model = new OnnxModelBuilder(21)
            .Input("x", ElemType.Float, 1, 6, 4)
            .Initializer("scale", RandomData.Floats(random, 6), 6)
            .Initializer("bias", RandomData.Floats(random, 6), 6)
            .Node("GroupNormalization", ["x", "scale", "bias"], ["y"], OnnxAttr.Int("num_groups", 4))
            .Output("y", ElemType.Float, [1, 6, 4])
            .Build();
        var error = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("splits 6 channels into 4 groups", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(new long[] { 1, 2 })]
    [InlineData(new long[] { -1 })]
    public void MeanVarianceNormalization_centres_and_scales_over_the_axes(long[]? axes)
    {
        // Over the last axis each group is two values, some of them close: the variance must not cancel to noise.
        var random = new Random(340 + (axes?.Length ?? 0));
        OnnxAttr[] attributes = axes is null ? [] : [OnnxAttr.Ints("axes", axes)];
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4, 5, 2)
            .Node("MeanVarianceNormalization", ["x"], ["y"], attributes)
            .Output("y", ElemType.Float, [3, 4, 5, 2])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4, 5, 2]));
    }

    [Theory]
    [InlineData(1, -1)]
    [InlineData(2, -1)]
    [InlineData(2, 1)]
    public void LpNormalization_divides_by_the_norm_along_the_axis(int p, int axis)
    {
        var random = new Random(350 + p + axis);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4, 5)
            .Node("LpNormalization", ["x"], ["y"], OnnxAttr.Int("p", p), OnnxAttr.Int("axis", axis))
            .Output("y", ElemType.Float, [3, 4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.AwayFromZero("x", random, [3, 4, 5]));
    }

    [Theory]
    [InlineData(13, -1)]
    [InlineData(13, 1)]
    [InlineData(11, 1)]   // before opset 13: along the rows of the input as a [2, 4·5] matrix
    public void Hardmax_marks_the_first_largest_value_along_the_axis(int opset, int axis)
    {
        var random = new Random(360 + opset + axis);
        // Values from a few levels, so ties occur and the first of the largest must be the one marked.
        var data = Enumerable.Range(0, 40).Select(_ => (float)random.Next(0, 4)).ToArray();
        var model = new OnnxModelBuilder(opset)
            .Input("x", ElemType.Float, 2, 4, 5)
            .Node("Hardmax", ["x"], ["y"], OnnxAttr.Int("axis", axis))
            .Output("y", ElemType.Float, [2, 4, 5])
            .Build();
        AssertMatchesOrt(model, new ModelInput("x", data, [2, 4, 5]));
    }

    [Theory]
    [InlineData(0.5f, 0f)]
    [InlineData(1.5f, 1.5f)]
    public void Shrink_moves_values_outside_the_band_towards_zero_and_zeroes_the_rest(float lambd, float bias)
    {
        var random = new Random(370 + (int)(lambd * 10));
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 4, 6)
            .Node("Shrink", ["x"], ["y"], OnnxAttr.Float("lambd", lambd), OnnxAttr.Float("bias", bias))
            .Output("y", ElemType.Float, [4, 6])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 6], -3f, 3f));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(2, null)]
    [InlineData(-1, (int)ElemType.Int64)]
    public void EyeLike_puts_ones_on_the_kth_diagonal_of_a_matrix_shaped_as_the_input(int k, int? dtype)
    {
        var random = new Random(380 + k);
        OnnxAttr[] attributes = dtype is int d ? [OnnxAttr.Int("k", k), OnnxAttr.Int("dtype", d)] : [OnnxAttr.Int("k", k)];
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 4, 6)
            .Node("EyeLike", ["x"], ["y"], attributes)
            .Output("y", dtype is int e ? (ElemType)e : ElemType.Float, [4, 6])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 6]));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void ReverseSequence_reverses_each_batch_entry_up_to_its_length(int timeAxis, int batchAxis)
    {
        var random = new Random(390 + timeAxis);
        long[] shape = timeAxis == 0 ? [5, 4, 3] : [4, 5, 3];
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, shape.Cast<object?>().ToArray())
            .Input("lens", ElemType.Int64, 4)
            .Node("ReverseSequence", ["x", "lens"], ["y"], OnnxAttr.Int("time_axis", timeAxis), OnnxAttr.Int("batch_axis", batchAxis))
            .Output("y", ElemType.Float, shape.Cast<object?>().ToArray())
            .Build();
        // Lengths are data: the full length, one step, none reversed past the first, and a middle one.
        AssertMatchesOrt(model, ModelInput.Floats("x", random, shape), ModelInput.Longs("lens", [5, 1, 2, 3], 4));
    }
}

using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>BatchNormalization in inference form (running statistics as initializers) and LayerNormalization.</summary>
public class NormalizationOpTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(1e-3f)]
    public void BatchNormalization_applies_running_statistics_per_channel(float? epsilon)
    {
        var random = new Random(61);
        OnnxAttr[] attributes = epsilon is float e ? [OnnxAttr.Float("epsilon", e)] : [];
        var model = new OnnxModelBuilder(15)
            .Input("x", ElemType.Float, 2, 3, 4, 4)
            .Initializer("scale", RandomData.Floats(random, 3, 0.5f, 2f), 3)
            .Initializer("bias", RandomData.Floats(random, 3), 3)
            .Initializer("mean", RandomData.Floats(random, 3), 3)
            // Small variances make epsilon matter, so a dropped or default epsilon shows.
            .Initializer("var", RandomData.Floats(random, 3, 0.001f, 0.5f), 3)
            .Node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["y"], attributes)
            .Output("y", ElemType.Float, [2, 3, 4, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4, 4]));
    }

    [Fact]
    public void BatchNormalization_of_a_2d_input_normalizes_features()
    {
        var random = new Random(62);
        var model = new OnnxModelBuilder(15)
            .Input("x", ElemType.Float, 4, 3)
            .Initializer("scale", RandomData.Floats(random, 3, 0.5f, 2f), 3)
            .Initializer("bias", RandomData.Floats(random, 3), 3)
            .Initializer("mean", RandomData.Floats(random, 3), 3)
            .Initializer("var", RandomData.Floats(random, 3, 0.1f, 2f), 3)
            .Node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["y"])
            .Output("y", ElemType.Float, [4, 3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 3]));
    }

    [Fact]
    public void LayerNormalization_over_the_last_axis_with_scale_and_bias()
    {
        var random = new Random(63);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 2, 5, 8)
            .Initializer("gamma", RandomData.Floats(random, 8, 0.5f, 2f), 8)
            .Initializer("beta", RandomData.Floats(random, 8), 8)
            .Node("LayerNormalization", ["x", "gamma", "beta"], ["y"], OnnxAttr.Int("axis", -1), OnnxAttr.Float("epsilon", 1e-12f))
            .Output("y", ElemType.Float, [2, 5, 8])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 5, 8]));
    }

    [Fact]
    public void LayerNormalization_over_the_last_two_axes_without_bias()
    {
        var random = new Random(64);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Initializer("gamma", RandomData.Floats(random, 12, 0.5f, 2f), 3, 4)
            .Node("LayerNormalization", ["x", "gamma"], ["y"], OnnxAttr.Int("axis", 1))
            .Output("y", ElemType.Float, [2, 3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }
}

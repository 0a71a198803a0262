using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// Softsign, Mish, Selu, Celu and ThresholdedRelu with their attributes, and Clip at opset 13 with one bound
/// missing or with bounds that are graph inputs rather than constants.
/// </summary>
public class ExtraActivationOpTests
{
    [Fact]
    public void Softsign_divides_by_one_plus_the_magnitude()
    {
        var random = new Random(231);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 4, 5)
            .Node("Softsign", ["x"], ["y"])
            .Output("y", ElemType.Float, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5], -10f, 10f));
    }

    [Fact]
    public void Mish_at_opset_18_is_x_times_tanh_of_softplus()
    {
        // [-30, 30) crosses softplus's threshold of 20, where ATen switches to the identity.
        var random = new Random(232);
        var model = new OnnxModelBuilder(18)
            .Input("x", ElemType.Float, 4, 5)
            .Node("Mish", ["x"], ["y"])
            .Output("y", ElemType.Float, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5], -30f, 30f));
    }

    [Fact]
    public void Selu_defaults_to_the_self_normalizing_alpha_and_gamma()
    {
        var random = new Random(233);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 4, 5)
            .Node("Selu", ["x"], ["y"])
            .Output("y", ElemType.Float, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5], -4f, 4f));
    }

    [Fact]
    public void Selu_uses_custom_alpha_and_gamma()
    {
        var random = new Random(234);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 4, 5)
            .Node("Selu", ["x"], ["y"], OnnxAttr.Float("alpha", 2f), OnnxAttr.Float("gamma", 0.5f))
            .Output("y", ElemType.Float, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5], -4f, 4f));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1f)]
    [InlineData(2f)]
    public void Celu_at_opset_12_scales_the_negative_exponential_by_alpha(float? alpha)
    {
        var random = new Random(235);
        OnnxAttr[] attributes = alpha is float a ? [OnnxAttr.Float("alpha", a)] : [];
        var model = new OnnxModelBuilder(12)
            .Input("x", ElemType.Float, 4, 5)
            .Node("Celu", ["x"], ["y"], attributes)
            .Output("y", ElemType.Float, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5], -5f, 5f));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.5f)]
    public void ThresholdedRelu_zeroes_everything_up_to_alpha(float? alpha)
    {
        var random = new Random(236);
        OnnxAttr[] attributes = alpha is float a ? [OnnxAttr.Float("alpha", a)] : [];
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 4, 5)
            .Node("ThresholdedRelu", ["x"], ["y"], attributes)
            .Output("y", ElemType.Float, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5], -3f, 3f));
    }

    [Fact]
    public void Clip_at_opset_13_with_only_min_leaves_the_high_end_open()
    {
        var random = new Random(237);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Initializer("min", [-0.5f])
            .Node("Clip", ["x", "min"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4], -10f, 10f));
    }

    [Fact]
    public void Clip_at_opset_13_with_only_max_leaves_the_low_end_open()
    {
        var random = new Random(238);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Initializer("max", [0.75f])
            .Node("Clip", ["x", "", "max"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4], -10f, 10f));
    }

    [Fact]
    public void Clip_at_opset_13_with_min_and_max_as_graph_inputs_clamps_to_the_traced_bounds()
    {
        var random = new Random(239);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Input("min", ElemType.Float)
            .Input("max", ElemType.Float)
            .Node("Clip", ["x", "min", "max"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4], -3f, 3f), Scalar("min", -1.25f), Scalar("max", 0.5f));
    }

    [Fact]
    public void Clip_at_opset_13_with_only_a_traced_min()
    {
        var random = new Random(240);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Input("min", ElemType.Float)
            .Node("Clip", ["x", "min"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4], -3f, 3f), Scalar("min", 0.25f));
    }

    [Fact]
    public void Clip_at_opset_13_with_only_a_traced_max()
    {
        var random = new Random(241);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Input("max", ElemType.Float)
            .Node("Clip", ["x", "", "max"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4], -3f, 3f), Scalar("max", -0.25f));
    }

    [Fact]
    public void Clip_with_traced_bounds_follows_new_bound_values_after_import()
    {
        // One import, two runs: the bounds are inputs of the program, not values frozen at import.
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Input("min", ElemType.Float)
            .Input("max", ElemType.Float)
            .Node("Clip", ["x", "min", "max"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        var module = Import(model).Module();
        var random = new Random(242);
        foreach (var (lo, hi) in new[] { (-1f, 1f), (0.5f, 2.5f) })
            AssertRunMatchesOrt(module, model, [ModelInput.Floats("x", random, [3, 4], -3f, 3f), Scalar("min", lo), Scalar("max", hi)], Tolerance.Float32, $"bounds [{lo}, {hi}]");
    }

    private static ModelInput Scalar(string name, float value) => new(name, new[] { value }, []);
}

using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>Activations whose attributes or optional inputs change the result: Clip, HardSigmoid, LeakyRelu, Softmax.</summary>
public class ActivationOpTests
{
    [Fact]
    public void Clip_at_opset_11_reads_min_and_max_from_inputs()
    {
        var random = new Random(21);
        var model = new OnnxModelBuilder(11)
            .Input("x", ElemType.Float, 3, 4)
            .Initializer("min", [-0.5f])
            .Initializer("max", [0.75f])
            .Node("Clip", ["x", "min", "max"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4]));
    }

    [Fact]
    public void Clip_at_opset_11_with_only_max_leaves_the_low_end_open()
    {
        var random = new Random(22);
        var model = new OnnxModelBuilder(11)
            .Input("x", ElemType.Float, 3, 4)
            .Initializer("max", [6f])
            .Node("Clip", ["x", "", "max"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4], -10f, 10f));
    }

    [Fact]
    public void Clip_at_opset_6_reads_min_and_max_attributes()
    {
        var random = new Random(23);
        var model = new OnnxModelBuilder(6)
            .Input("x", ElemType.Float, 3, 4)
            .Node("Clip", ["x"], ["y"], OnnxAttr.Float("min", -0.25f), OnnxAttr.Float("max", 0.5f))
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4]));
    }

    [Fact]
    public void HardSigmoid_defaults_to_alpha_0_2_and_beta_0_5()
    {
        var random = new Random(24);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 4, 5)
            .Node("HardSigmoid", ["x"], ["y"])
            .Output("y", ElemType.Float, [4, 5])
            .Build();
        // [-4, 4) reaches both saturations (the defaults saturate outside [-2.5, 2.5]).
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5], -4f, 4f));
    }

    [Fact]
    public void HardSigmoid_uses_custom_alpha_and_beta()
    {
        var random = new Random(25);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 4, 5)
            .Node("HardSigmoid", ["x"], ["y"], OnnxAttr.Float("alpha", 1f / 6f), OnnxAttr.Float("beta", 0.25f))
            .Output("y", ElemType.Float, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5], -6f, 6f));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.2f)]
    public void LeakyRelu_scales_negatives_by_alpha(float? alpha)
    {
        var random = new Random(26);
        OnnxAttr[] attributes = alpha is float a ? [OnnxAttr.Float("alpha", a)] : [];
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 4, 5)
            .Node("LeakyRelu", ["x"], ["y"], attributes)
            .Output("y", ElemType.Float, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(0)]
    public void Softmax_at_opset_13_normalizes_along_one_axis(long axis)
    {
        var random = new Random(27);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Node("Softmax", ["x"], ["y"], OnnxAttr.Int("axis", axis))
            .Output("y", ElemType.Float, [2, 3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4], -4f, 4f));
    }

    [Fact]
    public void Softmax_at_opset_11_flattens_from_the_axis_on()
    {
        // Before opset 13 the input is coerced to 2-D at axis: axis 1 of [2, 3, 4] normalizes over all 12 trailing
        // elements together, not over dim 1 alone.
        var random = new Random(28);
        var model = new OnnxModelBuilder(11)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Node("Softmax", ["x"], ["y"], OnnxAttr.Int("axis", 1))
            .Output("y", ElemType.Float, [2, 3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4], -4f, 4f));
    }

    [Fact]
    public void Softmax_at_opset_11_defaults_to_axis_1()
    {
        var random = new Random(29);
        var model = new OnnxModelBuilder(11)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Node("Softmax", ["x"], ["y"])
            .Output("y", ElemType.Float, [2, 3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4], -4f, 4f));
    }
}

using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>Elementwise arithmetic, math functions, casts and comparisons: each a one-node model checked against ONNX Runtime.</summary>
public class PointwiseOpTests
{
    [Theory]
    [InlineData("Add", new long[] { 2, 3, 4 }, new long[] { 2, 3, 4 })]
    [InlineData("Add", new long[] { 2, 3, 4 }, new long[] { 4 })]
    [InlineData("Add", new long[] { 2, 3, 4 }, new long[] { 3, 1 })]
    [InlineData("Add", new long[] { 2, 1, 4 }, new long[] { 1, 3, 1 })]
    [InlineData("Add", new long[] { 2, 3 }, new long[] { })]
    [InlineData("Sub", new long[] { 2, 3, 4 }, new long[] { 3, 1 })]
    [InlineData("Sub", new long[] { 4 }, new long[] { 2, 3, 4 })]
    [InlineData("Mul", new long[] { 2, 3, 4 }, new long[] { 4 })]
    [InlineData("Mul", new long[] { 2, 1, 4 }, new long[] { 1, 3, 1 })]
    [InlineData("Div", new long[] { 2, 3, 4 }, new long[] { 2, 3, 4 })]
    [InlineData("Div", new long[] { 2, 3, 4 }, new long[] { 3, 1 })]
    [InlineData("Div", new long[] { }, new long[] { 2, 3 })]
    public void Binary_arithmetic_broadcasts_like_numpy(string op, long[] aShape, long[] bShape)
    {
        var random = new Random(11);
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, aShape.Cast<object>().ToArray())
            .Input("b", ElemType.Float, bShape.Cast<object>().ToArray())
            .Node(op, ["a", "b"], ["y"])
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("a", random, aShape), ModelInput.AwayFromZero("b", random, bShape));
    }

    [Fact]
    public void Add_of_an_initializer_bias_broadcasts_over_the_batch()
    {
        var random = new Random(12);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 2, 5)
            .Initializer("bias", RandomData.Floats(random, 5), 5)
            .Node("Add", ["x", "bias"], ["y"])
            .Output("y", ElemType.Float, [2, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 5]));
    }

    [Fact]
    public void Pow_by_a_scalar_initializer_two_squares()
    {
        var random = new Random(13);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Initializer("two", [2f])
            .Node("Pow", ["x", "two"], ["y"])
            .Output("y", ElemType.Float, [2, 3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Fact]
    public void Pow_by_a_tensor_exponent_broadcasts()
    {
        var random = new Random(14);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 2, 3)
            .Input("e", ElemType.Float, 3)
            .Node("Pow", ["x", "e"], ["y"])
            .Output("y", ElemType.Float, [2, 3])
            .Build();
        // A positive base: a fractional power of a negative number is NaN on both sides and proves nothing.
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3], 0.5f, 2f), ModelInput.Floats("e", random, [3], -2f, 2f));
    }

    [Theory]
    [InlineData("Sqrt", true)]
    [InlineData("Erf", false)]
    [InlineData("Tanh", false)]
    [InlineData("Sigmoid", false)]
    [InlineData("Relu", false)]
    [InlineData("Exp", false)]
    [InlineData("Log", true)]
    [InlineData("Neg", false)]
    [InlineData("Abs", false)]
    [InlineData("Identity", false)]
    public void Unary_math_matches_onnx_runtime(string op, bool positiveInput)
    {
        var random = new Random(15);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 3, 4, 5)
            .Node(op, ["x"], ["y"])
            .Output("y", ElemType.Float, [3, 4, 5])
            .Build();
        var x = positiveInput ? ModelInput.Floats("x", random, [3, 4, 5], 0.01f, 4f) : ModelInput.Floats("x", random, [3, 4, 5], -3f, 3f);
        AssertMatchesOrt(model, x);
    }

    [Fact]
    public void Cast_of_float_to_int64_truncates_toward_zero()
    {
        var random = new Random(16);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 4, 5)
            .Node("Cast", ["x"], ["y"], OnnxAttr.Int("to", (long)ElemType.Int64))
            .Output("y", ElemType.Int64, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5], -50f, 50f));
    }

    [Fact]
    public void Cast_of_int64_to_float_keeps_the_values()
    {
        var random = new Random(17);
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Int64, 3, 4)
            .Node("Cast", ["x"], ["y"], OnnxAttr.Int("to", (long)ElemType.Float))
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("x", random, [3, 4], -100000, 100000));
    }

    [Fact]
    public void Where_selects_between_broadcast_operands()
    {
        var random = new Random(18);
        var model = new OnnxModelBuilder(17)
            .Input("c", ElemType.Bool, 2, 3, 4)
            .Input("a", ElemType.Float, 2, 3, 4)
            .Input("b", ElemType.Float, 4)
            .Node("Where", ["c", "a", "b"], ["y"])
            .Output("y", ElemType.Float, [2, 3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Bools("c", random, [2, 3, 4]), ModelInput.Floats("a", random, [2, 3, 4]), ModelInput.Floats("b", random, [4]));
    }

    [Fact]
    public void Equal_of_int64_tensors_broadcasts_to_a_bool_mask()
    {
        var random = new Random(19);
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Int64, 3, 4)
            .Input("b", ElemType.Int64, 4)
            .Node("Equal", ["a", "b"], ["y"])
            .Output("y", ElemType.Bool, [3, 4])
            .Build();
        // Values in [0, 3) so that about a third of the pairs are equal and both answers occur.
        AssertMatchesOrt(model, ModelInput.Longs("a", random, [3, 4], 0, 3), ModelInput.Longs("b", random, [4], 0, 3));
    }

    [Fact]
    public void Equal_then_Where_masks_a_float_tensor()
    {
        var random = new Random(20);
        var model = new OnnxModelBuilder(17)
            .Input("ids", ElemType.Int64, 2, 6)
            .Input("x", ElemType.Float, 2, 6)
            .Initializer("pad", [0L])
            .Initializer("neg", [-10000f])
            .Node("Equal", ["ids", "pad"], ["is_pad"])
            .Node("Where", ["is_pad", "neg", "x"], ["y"])
            .Output("y", ElemType.Float, [2, 6])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("ids", random, [2, 6], 0, 3), ModelInput.Floats("x", random, [2, 6]));
    }

    [Fact]
    public void Dropout_in_inference_passes_its_input_through()
    {
        // No training_mode input: inference, so the ratio is ignored and nothing is zeroed or rescaled.
        var random = new Random(101);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Initializer("ratio", [0.3f])
            .Node("Dropout", ["x", "ratio"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4]));
    }
}

using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>Ops that change how elements are laid out or read shapes: Reshape, Flatten, (Un)Squeeze, Transpose, Expand, Shape, ConstantOfShape.</summary>
public class ShapeOpTests
{
    [Theory]
    [InlineData(new long[] { 0, -1 })]
    [InlineData(new long[] { 0, 2, -1, 2 })]
    [InlineData(new long[] { -1 })]
    [InlineData(new long[] { 4, 0, 2 })]
    public void Reshape_copies_0_dims_and_infers_the_minus_1_dim(long[] shape)
    {
        var random = new Random(91);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Initializer("shape", shape, shape.Length)
            .Node("Reshape", ["x", "shape"], ["y"])
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Flatten_makes_a_matrix_split_at_the_axis(long axis)
    {
        var random = new Random(92);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4, 5)
            .Node("Flatten", ["x"], ["y"], OnnxAttr.Int("axis", axis))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4, 5]));
    }

    [Fact]
    public void Unsqueeze_at_opset_11_reads_axes_from_its_attribute()
    {
        var random = new Random(93);
        var model = new OnnxModelBuilder(11)
            .Input("x", ElemType.Float, 2, 3)
            .Node("Unsqueeze", ["x"], ["y"], OnnxAttr.Ints("axes", 0, 3))
            .Output("y", ElemType.Float, [1, 2, 3, 1])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3]));
    }

    [Fact]
    public void Unsqueeze_at_opset_13_reads_axes_from_its_second_input()
    {
        // Axes index the output's rank: -1 of a rank-4 result is 3.
        var random = new Random(94);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3)
            .Initializer("axes", [1L, -1L], 2)
            .Node("Unsqueeze", ["x", "axes"], ["y"])
            .Output("y", ElemType.Float, [2, 1, 3, 1])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3]));
    }

    [Fact]
    public void Squeeze_at_opset_11_reads_axes_from_its_attribute()
    {
        var random = new Random(95);
        var model = new OnnxModelBuilder(11)
            .Input("x", ElemType.Float, 2, 1, 3, 1)
            .Node("Squeeze", ["x"], ["y"], OnnxAttr.Ints("axes", 1))
            .Output("y", ElemType.Float, [2, 3, 1])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 1, 3, 1]));
    }

    [Fact]
    public void Squeeze_at_opset_13_reads_axes_from_its_second_input()
    {
        var random = new Random(96);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 1, 3, 1)
            .Initializer("axes", [-1L], 1)
            .Node("Squeeze", ["x", "axes"], ["y"])
            .Output("y", ElemType.Float, [2, 1, 3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 1, 3, 1]));
    }

    [Fact]
    public void Squeeze_without_axes_drops_every_size_1_dim()
    {
        var random = new Random(97);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 1, 3, 1)
            .Node("Squeeze", ["x"], ["y"])
            .Output("y", ElemType.Float, [2, 3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 1, 3, 1]));
    }

    [Fact]
    public void Transpose_permutes_dims()
    {
        var random = new Random(98);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4, 5)
            .Node("Transpose", ["x"], ["y"], OnnxAttr.Ints("perm", 0, 2, 1, 3))
            .Output("y", ElemType.Float, [2, 4, 3, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4, 5]));
    }

    [Fact]
    public void Transpose_without_perm_reverses_the_dims()
    {
        var random = new Random(99);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Node("Transpose", ["x"], ["y"])
            .Output("y", ElemType.Float, [4, 3, 2])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Theory]
    [InlineData(new long[] { 3, 1 }, new long[] { 2, 1, 4 })]
    [InlineData(new long[] { 3, 4 }, new long[] { 1, 1 })]
    [InlineData(new long[] { 1 }, new long[] { 2, 3 })]
    public void Expand_broadcasts_the_input_and_the_shape_both_ways(long[] input, long[] shape)
    {
        var random = new Random(100);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, input.Cast<object>().ToArray())
            .Initializer("shape", shape, shape.Length)
            .Node("Expand", ["x", "shape"], ["y"])
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, input));
    }

    [Fact]
    public void Shape_gives_the_dims_as_int64()
    {
        var random = new Random(101);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Node("Shape", ["x"], ["y"])
            .Output("y", ElemType.Int64, [3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Fact]
    public void Shape_at_opset_15_slices_by_start_and_end()
    {
        var random = new Random(102);
        var model = new OnnxModelBuilder(15)
            .Input("x", ElemType.Float, 2, 3, 4, 5)
            .Node("Shape", ["x"], ["y"], OnnxAttr.Int("start", 1), OnnxAttr.Int("end", -1))
            .Output("y", ElemType.Int64, [2])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4, 5]));
    }

    [Fact]
    public void ConstantOfShape_fills_the_shape_of_another_tensor_with_its_value()
    {
        var random = new Random(103);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3)
            .Node("Shape", ["x"], ["s"])
            .Node("ConstantOfShape", ["s"], ["c"], OnnxAttr.Tensor("value", [1.5f], 1))
            .Node("Add", ["x", "c"], ["y"])
            .Output("y", ElemType.Float, [2, 3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3]));
    }

    [Fact]
    public void ConstantOfShape_without_a_value_is_float_zeros()
    {
        var random = new Random(104);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3)
            .Node("Shape", ["x"], ["s"])
            .Node("ConstantOfShape", ["s"], ["y"])
            .Output("y", ElemType.Float, [2, 3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3]));
    }

    [Fact]
    public void ConstantOfShape_with_an_int64_value_is_int64()
    {
        var random = new Random(105);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 4, 2)
            .Node("Shape", ["x"], ["s"])
            .Node("ConstantOfShape", ["s"], ["y"], OnnxAttr.Tensor("value", [7L], 1))
            .Output("y", ElemType.Int64, [4, 2])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 2]));
    }
}

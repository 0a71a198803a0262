using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>ReduceMean and ReduceSum: axes as an attribute (before opset 18 / 13) or as an input, keepdims on and off.</summary>
public class ReductionOpTests
{
    [Theory]
    [InlineData(new long[] { 1 }, 1)]
    [InlineData(new long[] { 1 }, 0)]
    [InlineData(new long[] { -1 }, 1)]
    [InlineData(new long[] { 0, 2 }, 0)]
    public void ReduceMean_at_opset_13_reads_axes_from_its_attribute(long[] axes, long keepdims)
    {
        var random = new Random(71);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Node("ReduceMean", ["x"], ["y"], OnnxAttr.Ints("axes", axes), OnnxAttr.Int("keepdims", keepdims))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Fact]
    public void ReduceMean_keeps_dims_by_default()
    {
        var random = new Random(72);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Node("ReduceMean", ["x"], ["y"], OnnxAttr.Ints("axes", -1))
            .Output("y", ElemType.Float, [2, 3, 1])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Fact]
    public void ReduceMean_at_opset_18_reads_axes_from_its_second_input()
    {
        var random = new Random(73);
        var model = new OnnxModelBuilder(18)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Initializer("axes", [-1L], 1)
            .Node("ReduceMean", ["x", "axes"], ["y"])
            .Output("y", ElemType.Float, [2, 3, 1])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void ReduceSum_at_opset_13_reads_axes_from_its_second_input(long keepdims)
    {
        var random = new Random(74);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Initializer("axes", [1L, 2L], 2)
            .Node("ReduceSum", ["x", "axes"], ["y"], OnnxAttr.Int("keepdims", keepdims))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Fact]
    public void ReduceSum_without_axes_reduces_everything()
    {
        var random = new Random(75);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Node("ReduceSum", ["x"], ["y"])
            .Output("y", ElemType.Float, [1, 1, 1])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Fact]
    public void ReduceSum_of_int64_is_exact()
    {
        var random = new Random(76);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Int64, 3, 5)
            .Initializer("axes", [0L], 1)
            .Node("ReduceSum", ["x", "axes"], ["y"], OnnxAttr.Int("keepdims", 0))
            .Output("y", ElemType.Int64, [5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("x", random, [3, 5], -1000, 1000));
    }
}

using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>Ops that run along an axis: ReduceL1, CumSum (exclusive and reverse) and TopK (values and indices).</summary>
public class ScanOpTests
{
    [Theory]
    [InlineData(new long[] { 1 }, 1)]
    [InlineData(new long[] { 1 }, 0)]
    [InlineData(new long[] { -1 }, 1)]
    [InlineData(new long[] { 0, 2 }, 0)]
    public void ReduceL1_at_opset_13_reads_axes_from_its_attribute(long[] axes, long keepdims)
    {
        var random = new Random(261);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Node("ReduceL1", ["x"], ["y"], OnnxAttr.Ints("axes", axes), OnnxAttr.Int("keepdims", keepdims))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Fact]
    public void ReduceL1_without_axes_reduces_everything()
    {
        var random = new Random(262);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Node("ReduceL1", ["x"], ["y"], OnnxAttr.Int("keepdims", 0))
            .Output("y", ElemType.Float, [])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Fact]
    public void ReduceL1_at_opset_18_reads_axes_from_its_second_input()
    {
        var random = new Random(263);
        var model = new OnnxModelBuilder(18)
            .Input("x", ElemType.Float, 2, 3, 4)
            .Initializer("axes", [1L], 1)
            .Node("ReduceL1", ["x", "axes"], ["y"], OnnxAttr.Int("keepdims", 0))
            .Output("y", ElemType.Float, [2, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4]));
    }

    [Theory]
    [InlineData(0L, 0L, 1L)]
    [InlineData(1L, 0L, 1L)]
    [InlineData(0L, 1L, 1L)]
    [InlineData(1L, 1L, 1L)]
    [InlineData(0L, 0L, -1L)]
    [InlineData(1L, 1L, 0L)]
    public void CumSum_of_float_reads_its_axis_input_and_honours_exclusive_and_reverse(long exclusive, long reverse, long axis)
    {
        var random = new Random(264);
        var model = CumSumModel(ElemType.Float, axis, exclusive, reverse);
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 5, 4]));
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(1L, 0L)]
    [InlineData(0L, 1L)]
    [InlineData(1L, 1L)]
    public void CumSum_of_int64_is_exact_in_every_mode(long exclusive, long reverse)
    {
        var random = new Random(265);
        var model = CumSumModel(ElemType.Int64, 1, exclusive, reverse);
        AssertMatchesOrt(model, ModelInput.Longs("x", random, [3, 5, 4], -1000, 1000));
    }

    [Fact]
    public void CumSum_without_attributes_is_the_inclusive_forward_sum()
    {
        var random = new Random(266);
        var model = new OnnxModelBuilder(14)
            .Input("x", ElemType.Float, 3, 5)
            .Initializer("axis", [0L])
            .Node("CumSum", ["x", "axis"], ["y"])
            .Output("y", ElemType.Float, [3, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 5]));
    }

    [Theory]
    [InlineData(1L, -1L)]
    [InlineData(0L, -1L)]
    [InlineData(1L, 1L)]
    [InlineData(0L, 1L)]
    public void TopK_gives_values_and_indices_along_the_axis(long largest, long axis)
    {
        // Distinct random floats: no ties, so the indices are well defined.
        var random = new Random(267);
        var model = new OnnxModelBuilder(11)
            .Input("x", ElemType.Float, 2, 6, 7)
            .Initializer("k", [3L], 1)
            .Node("TopK", ["x", "k"], ["values", "indices"], OnnxAttr.Int("axis", axis), OnnxAttr.Int("largest", largest))
            .Output("values", ElemType.Float)
            .Output("indices", ElemType.Int64)
            .Build();
        AssertMatchesOrt(model, Distinct("x", random, [2, 6, 7]));
    }

    [Fact]
    public void TopK_defaults_to_the_largest_along_the_last_axis()
    {
        var random = new Random(268);
        var model = new OnnxModelBuilder(11)
            .Input("x", ElemType.Float, 4, 9)
            .Initializer("k", [4L], 1)
            .Node("TopK", ["x", "k"], ["values", "indices"])
            .Output("values", ElemType.Float, [4, 4])
            .Output("indices", ElemType.Int64, [4, 4])
            .Build();
        AssertMatchesOrt(model, Distinct("x", random, [4, 9]));
    }

    [Fact]
    public void TopK_of_int64_is_exact()
    {
        var random = new Random(269);
        var data = Enumerable.Range(-20, 40).Select(v => (long)v).OrderBy(_ => random.Next()).ToArray();
        var model = new OnnxModelBuilder(11)
            .Input("x", ElemType.Int64, 5, 8)
            .Initializer("k", [2L], 1)
            .Node("TopK", ["x", "k"], ["values", "indices"], OnnxAttr.Int("axis", 0))
            .Output("values", ElemType.Int64, [2, 8])
            .Output("indices", ElemType.Int64, [2, 8])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("x", data, 5, 8));
    }

    private static byte[] CumSumModel(ElemType type, long axis, long exclusive, long reverse) => new OnnxModelBuilder(14)
        .Input("x", type, 3, 5, 4)
        .Initializer("axis", [axis])
        .Node("CumSum", ["x", "axis"], ["y"], OnnxAttr.Int("exclusive", exclusive), OnnxAttr.Int("reverse", reverse))
        .Output("y", type, [3, 5, 4])
        .Build();

    /// <summary>A seeded permutation of evenly spaced floats: every value distinct, so TopK never meets a tie.</summary>
    private static ModelInput Distinct(string name, Random random, long[] shape)
    {
        int count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        var data = Enumerable.Range(0, count).Select(i => (float)(i - count / 2) * 0.25f).OrderBy(_ => random.Next()).ToArray();
        return new ModelInput(name, data, shape);
    }
}

using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>Ops that cut tensors apart or put them together: Slice, Concat, Split, Tile, Pad.</summary>
public class SliceJoinOpTests
{
    [Fact]
    public void Slice_with_steps_negative_starts_and_an_end_past_the_dim()
    {
        // Exporters write "to the end" as INT64_MAX; dim 0 takes rows 1 and 3, dim 2 takes 3..5 (-4 to -1).
        var random = new Random(111);
        var model = SliceModel(starts: [1, -4], ends: [long.MaxValue, -1], axes: [0, 2], steps: [2, 1]);
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [5, 6, 7]));
    }

    [Fact]
    public void Slice_with_a_negative_step_walks_backwards()
    {
        // INT64_MIN as end with a negative step means "through index 0", as exporters write x[::-2].
        var random = new Random(112);
        var model = SliceModel(starts: [-1], ends: [long.MinValue], axes: [1], steps: [-2]);
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [5, 6, 7]));
    }

    [Fact]
    public void Slice_without_axes_and_steps_cuts_every_leading_dim()
    {
        var random = new Random(113);
        var model = SliceModel(starts: [0, 1], ends: [3, 100], axes: null, steps: null);
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [5, 6, 7]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void Concat_joins_three_inputs(long axis)
    {
        var random = new Random(114);
        long[] a = axis == 1 ? [2, 1, 3] : [2, 4, 1];
        long[] b = axis == 1 ? [2, 4, 3] : [2, 4, 5];
        long[] c = axis == 1 ? [2, 2, 3] : [2, 4, 2];
        var model = new OnnxModelBuilder(13)
            .Input("a", ElemType.Float, a.Cast<object>().ToArray())
            .Input("b", ElemType.Float, b.Cast<object>().ToArray())
            .Input("c", ElemType.Float, c.Cast<object>().ToArray())
            .Node("Concat", ["a", "b", "c"], ["y"], OnnxAttr.Int("axis", axis))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("a", random, a), ModelInput.Floats("b", random, b), ModelInput.Floats("c", random, c));
    }

    [Fact]
    public void Concat_of_int64_vectors_builds_a_shape()
    {
        var random = new Random(115);
        var model = new OnnxModelBuilder(13)
            .Input("a", ElemType.Int64, 2)
            .Initializer("b", [-1L, 4L], 2)
            .Node("Concat", ["a", "b"], ["y"], OnnxAttr.Int("axis", 0))
            .Output("y", ElemType.Int64, [4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("a", random, [2], 1, 9));
    }

    [Fact]
    public void Split_at_opset_13_reads_sizes_from_its_second_input()
    {
        var random = new Random(116);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 6, 3)
            .Initializer("split", [2L, 4L], 2)
            .Node("Split", ["x", "split"], ["y0", "y1"], OnnxAttr.Int("axis", 1))
            .Output("y0", ElemType.Float, [2, 2, 3])
            .Output("y1", ElemType.Float, [2, 4, 3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 6, 3]));
    }

    [Fact]
    public void Split_without_sizes_divides_equally_among_the_outputs()
    {
        var random = new Random(117);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 6)
            .Node("Split", ["x"], ["q", "k", "v"], OnnxAttr.Int("axis", -1))
            .Output("q", ElemType.Float, [2, 3, 2])
            .Output("k", ElemType.Float, [2, 3, 2])
            .Output("v", ElemType.Float, [2, 3, 2])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 6]));
    }

    [Fact]
    public void Split_at_opset_11_reads_sizes_from_its_attribute()
    {
        var random = new Random(118);
        var model = new OnnxModelBuilder(11)
            .Input("x", ElemType.Float, 3, 4)
            .Node("Split", ["x"], ["y0", "y1"], OnnxAttr.Int("axis", 0), OnnxAttr.Ints("split", 1, 2))
            .Output("y0", ElemType.Float, [1, 4])
            .Output("y1", ElemType.Float, [2, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4]));
    }

    [Theory]
    [InlineData(new long[] { 2, 3 }, new long[] { 2, 3 })]
    [InlineData(new long[] { 2, 1, 3 }, new long[] { 1, 4, 2 })]
    public void Tile_repeats_along_each_dim(long[] input, long[] repeats)
    {
        var random = new Random(119);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, input.Cast<object>().ToArray())
            .Initializer("repeats", repeats, repeats.Length)
            .Node("Tile", ["x", "repeats"], ["y"])
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, input));
    }

    [Fact]
    public void Pad_constant_with_a_value_pads_begins_then_ends()
    {
        // ONNX pads list every dim's begin, then every dim's end: [0, 0, 1, 2, 0, 0, 2, 1] pads H by (1, 2), W by (2, 1).
        var random = new Random(120);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 1, 2, 3, 4)
            .Initializer("pads", [0L, 0L, 1L, 2L, 0L, 0L, 2L, 1L], 8)
            .Initializer("value", [0.5f])
            .Node("Pad", ["x", "pads", "value"], ["y"], OnnxAttr.String("mode", "constant"))
            .Output("y", ElemType.Float, [1, 2, 6, 7])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [1, 2, 3, 4]));
    }

    [Fact]
    public void Pad_without_a_value_pads_with_zeros()
    {
        var random = new Random(121);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3)
            .Initializer("pads", [1L, 0L, 0L, 2L], 4)
            .Node("Pad", ["x", "pads"], ["y"])
            .Output("y", ElemType.Float, [3, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3]));
    }

    [Fact]
    public void Pad_with_negative_pads_crops()
    {
        var random = new Random(122);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 4, 5)
            .Initializer("pads", [-1L, 1L, 0L, -2L], 4)
            .Node("Pad", ["x", "pads"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5]));
    }

    [Theory]
    [InlineData("reflect")]
    [InlineData("edge")]
    public void Pad_reflect_and_edge_pad_the_last_dim_of_a_4d_tensor(string mode)
    {
        // ATen's reflection and replication pads take one or two leading dims; ONNX takes any number of them.
        var random = new Random(123);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 2, 7)
            .Initializer("pads", [0L, 0L, 0L, 3L, 0L, 0L, 0L, 2L], 8)
            .Node("Pad", ["x", "pads"], ["y"], OnnxAttr.String("mode", mode))
            .Output("y", ElemType.Float, [2, 3, 2, 12])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 2, 7]));
    }

    [Fact]
    public void Pad_reflect_pads_a_1d_tensor()
    {
        var random = new Random(124);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 6)
            .Initializer("pads", [2L, 4L], 2)
            .Node("Pad", ["x", "pads"], ["y"], OnnxAttr.String("mode", "reflect"))
            .Output("y", ElemType.Float, [12])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [6]));
    }

    private static byte[] SliceModel(long[] starts, long[] ends, long[]? axes, long[]? steps)
    {
        var builder = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 5, 6, 7)
            .Initializer("starts", starts, starts.Length)
            .Initializer("ends", ends, ends.Length);
        var inputs = new List<string> { "x", "starts", "ends" };
        if (axes is not null)
        {
            builder.Initializer("axes", axes, axes.Length);
            inputs.Add("axes");
        }
        if (steps is not null)
        {
            builder.Initializer("steps", steps, steps.Length);
            inputs.Add("steps");
        }
        return builder.Node("Slice", inputs.ToArray(), ["y"]).Output("y", ElemType.Float).Build();
    }
}

using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// A detector's ops against ONNX Runtime: NonMaxSuppression on random, heavily overlapping boxes (two images and three
/// classes, corner boxes given either corner first and center boxes, with and without a score threshold and cap; the
/// selected rows feed a Gather as a detector's post-processing does, and the number of rows is the data's), and
/// RoiAlign over regions inside, across and beyond the feature map (both coordinate modes, fixed and adaptive sampling)
/// and MaxRoiPool.
/// </summary>
public class DetectionOpTests
{
    public static TheoryData<long, long, float, float?, long> Variants() => new()
    {
        { 0, 5, 0.5f, null, 30 },
        { 0, 100, 0.3f, 0.4f, 30 },
        { 1, 3, 0.6f, 0.2f, 25 },
        { 0, 8, 0.0f, null, 12 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void NonMaxSuppression_selects_what_onnx_runtime_selects(long centerPointBox, long maxPerClass, float iou, float? score, long boxes)
    {
        var random = new Random((int)(centerPointBox * 100 + maxPerClass + boxes));
        var builder = new OnnxModelBuilder(13)
            .Input("boxes", ElemType.Float, 2, boxes, 4)
            .Input("scores", ElemType.Float, 2, 3, boxes)
            .Initializer("max", new[] { maxPerClass }, 1)
            .Initializer("iou", new[] { iou }, 1);
        if (score is float s) builder = builder.Initializer("score", new[] { s }, 1);
        string[] inputs = score is null ? ["boxes", "scores", "max", "iou"] : ["boxes", "scores", "max", "iou", "score"];
        var model = builder
            .Node("NonMaxSuppression", inputs, ["selected"], OnnxAttr.Int("center_point_box", centerPointBox))
            // The selected box of each row, as a detector's post-processing gathers it.
            .Initializer("box_column", new[] { 2L })
            .Node("Gather", ["selected", "box_column"], ["box_index"], OnnxAttr.Int("axis", 1))
            .Node("Gather", ["boxes", "box_index"], ["picked"], OnnxAttr.Int("axis", 1))
            .Output("selected", ElemType.Int64)
            .Output("picked", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, new ModelInput("boxes", Boxes(random, (int)boxes, centerPointBox == 1), [2, boxes, 4]), ModelInput.Floats("scores", random, [2, 3, boxes], 0f, 1f));
    }

    [Theory]
    [InlineData(16, "half_pixel", 0L)]
    [InlineData(16, "output_half_pixel", 2L)]
    [InlineData(10, null, 0L)]
    public void RoiAlign_pools_each_region_as_onnx_runtime_does(long opset, string? transform, long samplingRatio)
    {
        var random = new Random((int)opset + (int)samplingRatio + (transform?.Length ?? 0));
        var attributes = new List<OnnxAttr> { OnnxAttr.Int("output_height", 3), OnnxAttr.Int("output_width", 4), OnnxAttr.Int("sampling_ratio", samplingRatio), OnnxAttr.Float("spatial_scale", 0.5f) };
        if (transform is not null) attributes.Add(OnnxAttr.String("coordinate_transformation_mode", transform));
        var model = new OnnxModelBuilder(opset)
            .Input("x", ElemType.Float, 2, 3, 12, 10)
            .Input("rois", ElemType.Float, 6, 4)
            .Input("batch", ElemType.Int64, 6)
            .Node("RoiAlign", ["x", "rois", "batch"], ["y"], [.. attributes])
            .Output("y", ElemType.Float)
            .Build();
        var rois = new float[6 * 4];
        for (int i = 0; i < 6; i++)
        {
            float x1 = (float)random.NextDouble() * 24 - 2, y1 = (float)random.NextDouble() * 24 - 2;
            float[] box = [x1, y1, x1 + (float)random.NextDouble() * 14, y1 + (float)random.NextDouble() * 14];
            box.CopyTo(rois, 4 * i);
        }
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 12, 10]), new ModelInput("rois", rois, [6, 4]), new ModelInput("batch", new long[] { 0, 1, 1, 0, 1, 0 }, [6]));
    }

    [Fact]
    public void MaxRoiPool_takes_each_bins_maximum_as_onnx_runtime_does()
    {
        var random = new Random(91);
        var model = new OnnxModelBuilder(12)
            .Input("x", ElemType.Float, 2, 3, 12, 10)
            .Input("rois", ElemType.Float, 5, 5)
            .Node("MaxRoiPool", ["x", "rois"], ["y"], OnnxAttr.Ints("pooled_shape", 3, 2), OnnxAttr.Float("spatial_scale", 0.5f))
            .Output("y", ElemType.Float)
            .Build();
        var rois = new float[5 * 5];
        for (int i = 0; i < 5; i++)
        {
            float x1 = (float)random.NextDouble() * 20, y1 = (float)random.NextDouble() * 20;
            float[] row = [i % 2, x1, y1, x1 + (float)random.NextDouble() * 12, y1 + (float)random.NextDouble() * 12];
            row.CopyTo(rois, 5 * i);
        }
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 12, 10]), new ModelInput("rois", rois, [5, 5]));
    }

    [Fact]
    public void A_threshold_that_comes_from_data_is_refused_by_name()
    {
        var model = new OnnxModelBuilder(13)
            .Input("boxes", ElemType.Float, 1, 4, 4)
            .Input("scores", ElemType.Float, 1, 1, 4)
            .Input("iou", ElemType.Float, 1)
            .Initializer("max", new[] { 2L }, 1)
            .Node("NonMaxSuppression", ["boxes", "scores", "max", "iou"], ["selected"])
            .Output("selected", ElemType.Int64)
            .Build();
        var error = Assert.ThrowsAny<Exception>(() => Import(model));
        Assert.Contains("iou_threshold (input 3) from data", error.Message, StringComparison.Ordinal);
    }

    // Boxes on a 20x20 field, most overlapping: corners in either order ([y1, x1, y2, x2]) or [xc, yc, w, h].
    private static float[] Boxes(Random random, int count, bool center)
    {
        var values = new float[2 * count * 4];
        for (int i = 0; i < 2 * count; i++)
        {
            float y = (float)random.NextDouble() * 20, x = (float)random.NextDouble() * 20, h = 1 + (float)random.NextDouble() * 6, w = 1 + (float)random.NextDouble() * 6;
            float[] box = center ? [x, y, w, h] : random.Next(2) == 0 ? [y, x, y + h, x + w] : [y + h, x + w, y, x];
            box.CopyTo(values, 4 * i);
        }
        return values;
    }
}

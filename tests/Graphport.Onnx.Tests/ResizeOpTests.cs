using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>Resize: nearest and linear modes, the coordinate transformations that decide where samples fall, scales or sizes.</summary>
public class ResizeOpTests
{
    [Fact]
    public void Resize_nearest_asymmetric_floor_by_scale_2_repeats_pixels()
    {
        AssertResizeMatchesOrt(seed: 131, x: [1, 2, 3, 4], scales: [1, 1, 2, 2],
            OnnxAttr.String("mode", "nearest"), OnnxAttr.String("coordinate_transformation_mode", "asymmetric"), OnnxAttr.String("nearest_mode", "floor"));
    }

    [Fact]
    public void Resize_linear_half_pixel_by_scale_2()
    {
        AssertResizeMatchesOrt(seed: 132, x: [1, 2, 3, 4], scales: [1, 1, 2, 2],
            OnnxAttr.String("mode", "linear"), OnnxAttr.String("coordinate_transformation_mode", "half_pixel"));
    }

    [Fact]
    public void Resize_linear_align_corners_by_scale_2()
    {
        AssertResizeMatchesOrt(seed: 133, x: [2, 2, 3, 4], scales: [1, 1, 2, 2],
            OnnxAttr.String("mode", "linear"), OnnxAttr.String("coordinate_transformation_mode", "align_corners"));
    }

    [Fact]
    public void Resize_nearest_with_default_modes_halves_by_scale()
    {
        // Defaults: half_pixel maps output x to source 2x + 0.5, which round_prefer_floor takes to 2x: every other
        // pixel from the first, the same pixels ATen's nearest picks (ORT gives 0, 2, 4 for 0..5).
        AssertResizeMatchesOrt(seed: 134, x: [1, 2, 4, 6], scales: [1, 1, 0.5f, 0.5f], OnnxAttr.String("mode", "nearest"));
    }

    [Fact]
    public void Resize_linear_to_explicit_sizes_with_a_non_integer_scale()
    {
        var random = new Random(135);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 1, 2, 3, 5)
            .Initializer("sizes", [1L, 2L, 5L, 7L], 4)
            .Node("Resize", ["x", "", "", "sizes"], ["y"], OnnxAttr.String("mode", "linear"))
            .Output("y", ElemType.Float, [1, 2, 5, 7])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [1, 2, 3, 5]));
    }

    [Fact]
    public void Resize_at_opset_11_reads_scales_after_an_empty_roi()
    {
        // Opset 11 has no optional roi: exporters pass an empty tensor, which must not be read as scales.
        var random = new Random(136);
        var model = new OnnxModelBuilder(11)
            .Input("x", ElemType.Float, 1, 2, 3, 4)
            .Initializer("roi", Array.Empty<float>(), 0)
            .Initializer("scales", [1f, 1f, 2f, 2f], 4)
            .Node("Resize", ["x", "roi", "scales"], ["y"],
                OnnxAttr.String("mode", "nearest"), OnnxAttr.String("coordinate_transformation_mode", "asymmetric"), OnnxAttr.String("nearest_mode", "floor"))
            .Output("y", ElemType.Float, [1, 2, 6, 8])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [1, 2, 3, 4]));
    }

    [Fact]
    public void Resize_at_opset_18_with_axes_scales_only_height_and_width()
    {
        var random = new Random(137);
        var model = new OnnxModelBuilder(18)
            .Input("x", ElemType.Float, 1, 2, 3, 4)
            .Initializer("scales", [2f, 3f], 2)
            .Node("Resize", ["x", "", "scales"], ["y"], OnnxAttr.Ints("axes", 2, 3),
                OnnxAttr.String("mode", "nearest"), OnnxAttr.String("coordinate_transformation_mode", "asymmetric"), OnnxAttr.String("nearest_mode", "floor"))
            .Output("y", ElemType.Float, [1, 2, 6, 12])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [1, 2, 3, 4]));
    }

    [Fact]
    public void An_antialiased_resize_is_refused_rather_than_computed_without_the_filter()
    {
        var model = new OnnxModelBuilder(18)
            .Input("x", ElemType.Float, 1, 1, 8, 8)
            .Initializer("scales", [1f, 1f, 0.5f, 0.5f], 4)
            .NamedNode("shrink", "Resize", ["x", "", "scales"], ["y"], OnnxAttr.String("mode", "linear"), OnnxAttr.Int("antialias", 1))
            .Output("y", ElemType.Float, [1, 1, 4, 4])
            .Build();
        var e = Assert.Throws<Graphport.Onnx.OnnxImportException>(() => Import(model));
        Assert.Contains("'shrink' (Resize)", e.Message);
        Assert.Contains("antialias", e.Message);
    }

    private static void AssertResizeMatchesOrt(int seed, long[] x, float[] scales, params OnnxAttr[] attributes)
    {
        var random = new Random(seed);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, x.Cast<object>().ToArray())
            .Initializer("scales", scales, scales.Length)
            .Node("Resize", ["x", "", "scales"], ["y"], attributes)
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, x));
    }
}

using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>DepthToSpace (DCR and CRD), SpaceToDepth and Trilu (upper or lower, with and without a diagonal offset).</summary>
public class LayoutOpTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("DCR")]
    [InlineData("CRD")]
    public void DepthToSpace_with_blocksize_2_moves_depth_into_space_in_each_mode(string? mode)
    {
        var random = new Random(291);
        var attributes = new List<OnnxAttr> { OnnxAttr.Int("blocksize", 2) };
        if (mode is not null) attributes.Add(OnnxAttr.String("mode", mode));
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 8, 3, 4)
            .Node("DepthToSpace", ["x"], ["y"], [.. attributes])
            .Output("y", ElemType.Float, [2, 2, 6, 8])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 8, 3, 4]));
    }

    [Fact]
    public void SpaceToDepth_with_blocksize_2_moves_space_into_depth()
    {
        var random = new Random(292);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 3, 4, 6)
            .Node("SpaceToDepth", ["x"], ["y"], OnnxAttr.Int("blocksize", 2))
            .Output("y", ElemType.Float, [2, 12, 2, 3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 4, 6]));
    }

    [Fact]
    public void SpaceToDepth_then_DepthToSpace_in_DCR_mode_round_trips()
    {
        var random = new Random(293);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 1, 2, 4, 4)
            .Node("SpaceToDepth", ["x"], ["d"], OnnxAttr.Int("blocksize", 2))
            .Node("DepthToSpace", ["d"], ["y"], OnnxAttr.Int("blocksize", 2), OnnxAttr.String("mode", "DCR"))
            .Output("y", ElemType.Float, [1, 2, 4, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [1, 2, 4, 4]));
    }

    [Fact]
    public void DepthToSpace_and_SpaceToDepth_follow_a_symbolic_batch()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, "batch", 8, "h", "w")
            .Node("DepthToSpace", ["x"], ["s"], OnnxAttr.Int("blocksize", 2), OnnxAttr.String("mode", "CRD"))
            .Node("SpaceToDepth", ["s"], ["y"], OnnxAttr.Int("blocksize", 2))
            .Output("y", ElemType.Float, ["batch", 8, "h", "w"])
            .Build();
        var options = new OnnxImportOptions { DimSizes = { ["batch"] = 2, ["h"] = 3, ["w"] = 4 } };
        var module = Import(model, options).Module();
        var random = new Random(294);
        foreach (var (batch, h, w) in new[] { (3L, 3L, 4L), (1L, 5L, 2L) })
            AssertRunMatchesOrt(module, model, [ModelInput.Floats("x", random, [batch, 8, h, w])], Tolerance.Float32, $"batch {batch}, {h}x{w}");
    }

    [Theory]
    [InlineData(1L, null)]
    [InlineData(0L, null)]
    [InlineData(null, null)]
    [InlineData(1L, 1L)]
    [InlineData(1L, -2L)]
    [InlineData(0L, 2L)]
    [InlineData(0L, -1L)]
    public void Trilu_at_opset_14_keeps_one_triangle_of_each_matrix(long? upper, long? k)
    {
        // A batch of non-square matrices, so an off-by-transpose would show.
        var random = new Random(295);
        OnnxAttr[] attributes = upper is long u ? [OnnxAttr.Int("upper", u)] : [];
        var builder = new OnnxModelBuilder(14).Input("x", ElemType.Float, 2, 4, 5);
        if (k is long offset) builder.Initializer("k", [offset]);
        var model = builder
            .Node("Trilu", k is null ? ["x"] : ["x", "k"], ["y"], attributes)
            .Output("y", ElemType.Float, [2, 4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 4, 5]));
    }

    [Fact]
    public void Trilu_of_int64_keeps_the_lower_triangle_exactly()
    {
        var random = new Random(296);
        var model = new OnnxModelBuilder(14)
            .Input("x", ElemType.Int64, 5, 3)
            .Initializer("k", [-1L])
            .Node("Trilu", ["x", "k"], ["y"], OnnxAttr.Int("upper", 0))
            .Output("y", ElemType.Int64, [5, 3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("x", random, [5, 3], -100, 100));
    }
}

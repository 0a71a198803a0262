using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// Symbolic input dims stay symbolic through the import: one imported program runs at sizes other than the example
/// sizes, including through the Shape → Gather → Unsqueeze → Concat → Reshape chains transformer exporters write.
/// </summary>
public class SymbolicShapeTests
{
    [Fact]
    public void Reshape_to_heads_through_shape_ops_follows_the_batch_and_sequence_sizes()
    {
        var model = HeadSplitModel();
        var options = new OnnxImportOptions { DimSizes = { ["batch"] = 2, ["sequence"] = 5 } };
        var module = Import(model, options).Module();
        var random = new Random(141);
        foreach (var (batch, sequence) in new[] { (3L, 7L), (4L, 6L) })
            AssertRunMatchesOrt(module, model, [ModelInput.Floats("x", random, [batch, sequence, 8])], Tolerance.Float32, $"batch {batch}, sequence {sequence}");
    }

    [Fact]
    public void An_unnamed_dynamic_dim_takes_its_example_size_from_input_and_axis()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, null, 4)
            .Initializer("w", RandomData.Floats(new Random(142), 12), 4, 3)
            .Node("MatMul", ["x", "w"], ["y"])
            .Output("y", ElemType.Float, [null, 3])
            .Build();
        var options = new OnnxImportOptions { DimSizes = { ["x:0"] = 3 } };
        var module = Import(model, options).Module();
        var random = new Random(143);
        foreach (var rows in new[] { 3L, 5L })
            AssertRunMatchesOrt(module, model, [ModelInput.Floats("x", random, [rows, 4])], Tolerance.Float32, $"{rows} rows");
    }

    [Fact]
    public void Static_shapes_fix_every_dim_at_its_example_size()
    {
        var model = HeadSplitModel();
        var options = new OnnxImportOptions { DimSizes = { ["batch"] = 2, ["sequence"] = 5 }, StaticShapes = true };
        var module = Import(model, options).Module();
        var random = new Random(144);
        AssertRunMatchesOrt(module, model, [ModelInput.Floats("x", random, [2, 5, 8])], Tolerance.Float32, "at the example sizes");
        var other = ModelInput.Floats("x", random, [3, 5, 8]).ToTensor();
        Assert.ThrowsAny<ArgumentException>(() => module.Invoke(other));
    }

    /// <summary>
    /// [batch, sequence, 8] → [batch, 2, sequence, 4], the head split of a MiniLM-style attention layer, written the
    /// way torch.onnx writes x.view(x.size(0), x.size(1), 2, 4).transpose(1, 2).
    /// </summary>
    private static byte[] HeadSplitModel() => new OnnxModelBuilder(13)
        .Input("x", ElemType.Float, "batch", "sequence", 8)
        .Initializer("zero", [0L])
        .Initializer("one", [1L])
        .Initializer("axes0", [0L], 1)
        .Node("Shape", ["x"], ["shape"])
        .Node("Gather", ["shape", "zero"], ["b"], OnnxAttr.Int("axis", 0))
        .Node("Gather", ["shape", "one"], ["n"], OnnxAttr.Int("axis", 0))
        .Node("Unsqueeze", ["b", "axes0"], ["b1"])
        .Node("Unsqueeze", ["n", "axes0"], ["n1"])
        .Node("Constant", [], ["heads"], OnnxAttr.Tensor("value", [2L], 1))
        .Node("Constant", [], ["head_dim"], OnnxAttr.Tensor("value", [4L], 1))
        .Node("Concat", ["b1", "n1", "heads", "head_dim"], ["new_shape"], OnnxAttr.Int("axis", 0))
        .Node("Reshape", ["x", "new_shape"], ["split"])
        .Node("Transpose", ["split"], ["y"], OnnxAttr.Ints("perm", 0, 2, 1, 3))
        .Output("y", ElemType.Float, ["batch", 2, "sequence", 4])
        .Build();
}

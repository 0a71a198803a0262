using Graphport.Onnx;

namespace Graphport.Tests.Onnx;

/// <summary>What the importer says about models it cannot take: unknown ops, and bytes that are not an ONNX model at all.</summary>
public class ImportErrorTests
{
    [Fact]
    public void An_unknown_op_type_fails_naming_the_op_and_the_node()
    {
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 2, 3)
            .Node("Relu", ["x"], ["r"])
            .NamedNode("my_foo_node", "FooBar", ["r"], ["y"])
            .Output("y", ElemType.Float, [2, 3])
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => OrtComparison.Import(model));
        Assert.Contains("FooBar", e.Message);
        Assert.Contains("my_foo_node", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_bytes_are_not_a_valid_onnx_model(int seed)
    {
        var bytes = new byte[1000];
        new Random(seed).NextBytes(bytes);
        AssertNotOnnx(bytes, $"random{seed}.onnx");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void A_truncated_model_is_not_a_valid_onnx_model(double keep)
    {
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 2, 3)
            .Initializer("w", RandomData.Floats(new Random(151), 12), 3, 4)
            .Node("MatMul", ["x", "w"], ["y"])
            .Output("y", ElemType.Float, [2, 4])
            .Build();
        // Cut inside the graph or the opset import that follows it, so some length prefix promises missing bytes.
        var cut = model[..(int)(model.Length * keep)];
        Assert.True(cut.Length < model.Length);
        AssertNotOnnx(cut, "truncated.onnx");
    }

    [Fact]
    public void An_empty_file_is_not_a_valid_onnx_model()
    {
        AssertNotOnnx([], "empty.onnx");
    }

    [Fact]
    public void A_missing_file_fails_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"graphport-missing-{Guid.NewGuid():N}.onnx");
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(path));
        Assert.Contains(path, e.Message);
    }

    private static void AssertNotOnnx(byte[] bytes, string sourceName)
    {
        var e = Record.Exception(() => OnnxImporter.Import(OnnxModel.Parse(bytes, sourceName)));
        Assert.NotNull(e);
        // A reader that walks off the buffer fails with these; the user needs to hear what is wrong with the file instead.
        Assert.False(e is IndexOutOfRangeException or NullReferenceException or ArgumentOutOfRangeException or OverflowException or InvalidCastException,
            $"{e.GetType().Name} instead of a clear error: {e}");
        Assert.Contains("not a valid ONNX model", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(sourceName, e.Message);
    }
}

using Graphport.Client;
using Graphport.Onnx;
using Graphport.Tests.Onnx;

namespace Graphport.Cli.Tests;

/// <summary>GraphportClient.ImportOnnxAsync: an ONNX file becomes a served program version that says where it came from.</summary>
public sealed class OnnxClientImportTests : IDisposable
{
    private readonly TempHome home = new();

    public OnnxClientImportTests() => Directory.CreateDirectory(home.Path);

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task An_imported_model_is_served_at_any_batch_and_its_version_names_the_file()
    {
        var random = new Random(77);
        var weights = Enumerable.Range(0, 6 * 2).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        string path = Path.Combine(home.Path, "tiny.onnx");
        File.WriteAllBytes(path, new OnnxModelBuilder(opset: 13) { ProducerName = "handmade" }
            .Input("x", ElemType.Float, "batch", 6L)
            .Initializer("w", weights, 6, 2)
            .Node("MatMul", ["x", "w"], ["m"])
            .Node("Tanh", ["m"], ["y"])
            .Output("y", ElemType.Float, ["batch", 2L])
            .Build());

        await using var client = await GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions { DataDirectory = home.Path, Environment = _ => null });
        var stored = await client.ImportOnnxAsync("tiny", path);

        var info = Assert.Single(await client.ListProgramsAsync(), p => p.Name == "tiny");
        Assert.Equal("onnx:tiny.onnx (handmade, opset 13)", info.Latest!.Origin);
        foreach (int batch in new[] { 1, 7 })
        {
            var x = Torch.Randn(batch, 6);
            var served = Assert.Single(await client.InvokeAsync(stored, [x]));
            var expected = x.Matmul(Torch.Tensor(weights).Reshape([6, 2])).Tanh();
            Assert.True(served.AllClose(expected, 1e-5, 1e-6), $"batch {batch}: served {served} expected {expected}");
        }
    }

    [Fact]
    public async Task A_model_with_an_unsupported_op_fails_in_the_caller_and_stores_nothing()
    {
        string path = Path.Combine(home.Path, "odd.onnx");
        File.WriteAllBytes(path, new OnnxModelBuilder(opset: 13)
            .Input("x", ElemType.Float, 2L).Node("FooBar", ["x"], ["y"]).Output("y", ElemType.Float, [2L]).Build());

        await using var client = await GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions { DataDirectory = home.Path, Environment = _ => null });
        var e = await Assert.ThrowsAsync<OnnxImportException>(() => client.ImportOnnxAsync("odd", path));
        Assert.Contains("FooBar", e.Message);
        Assert.DoesNotContain(await client.ListProgramsAsync(), p => p.Name == "odd");
    }
}

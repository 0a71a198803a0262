using System.Buffers.Binary;
using Graphport.Onnx;

namespace Graphport.Tests.Onnx;

/// <summary>
/// Large models keep their weights in a file next to the .onnx (external data): loaded from its path, such a model
/// imports to the same program as one with the weights inline; a missing or short data file is named in the error.
/// </summary>
public sealed class ExternalDataTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("graphport-onnx-external-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly float[] Weights = RandomData.Floats(new Random(901), 8 * 3);
    private static readonly float[] Bias = RandomData.Floats(new Random(902), 3);

    private static OnnxModelBuilder Body(OnnxModelBuilder builder) => builder
        .Input("x", ElemType.Float, "n", 8L)
        .Node("MatMul", ["x", "w"], ["m"])
        .Node("Add", ["m", "b"], ["y"])
        .Output("y", ElemType.Float, ["n", 3L]);

    private static byte[] Bytes(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    /// <summary>The model with both weights in weights.bin (bias after 16 bytes of padding), written to the folder.</summary>
    private string WriteExternalModel(bool writeData = true, int truncateBy = 0)
    {
        var model = Body(new OnnxModelBuilder(13)
            .ExternalInitializer("w", Weights, "weights.bin", 0, 8, 3)
            .ExternalInitializer("b", Bias, "weights.bin", Weights.Length * 4 + 16, 3)).Build();
        string path = Path.Combine(folder, "external.onnx");
        File.WriteAllBytes(path, model);
        if (writeData)
        {
            var data = Bytes(Weights).Concat(new byte[16]).Concat(Bytes(Bias)).ToArray();
            File.WriteAllBytes(Path.Combine(folder, "weights.bin"), data[..(data.Length - truncateBy)]);
        }
        return path;
    }

    [Fact]
    public void Weights_in_an_external_file_import_to_the_same_program_as_inline_weights()
    {
        var inline = OnnxImporter.Import(OnnxModel.Parse(Body(new OnnxModelBuilder(13).Initializer("w", Weights, 8, 3).Initializer("b", Bias, 3)).Build()));
        var external = OnnxImporter.Import(WriteExternalModel());

        Assert.Equal(inline.StateDict["w"].ToArray<float>(), external.StateDict["w"].ToArray<float>());
        Assert.Equal(Bias, external.StateDict["b"].ToArray<float>());
        var x = ModelInput.Floats("x", new Random(903), [5, 8]).ToTensor();
        Assert.True(external.Module().Call(x).AllClose(inline.Module().Call(x), 0, 0));
    }

    [Fact]
    public void A_missing_data_file_is_named_in_the_error()
    {
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(WriteExternalModel(writeData: false)));
        Assert.Contains("weights.bin", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void A_data_file_too_short_for_a_tensor_is_reported_as_incomplete()
    {
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(WriteExternalModel(truncateBy: 4)));
        Assert.Contains("'b'", e.Message);
        Assert.Contains("incomplete", e.Message);
    }

    [Fact]
    public void Parsed_bytes_cannot_find_external_data_and_say_to_load_from_the_path()
    {
        string path = WriteExternalModel();
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(OnnxModel.Parse(File.ReadAllBytes(path))));
        Assert.Contains("OnnxModel.Load", e.Message);
    }
}

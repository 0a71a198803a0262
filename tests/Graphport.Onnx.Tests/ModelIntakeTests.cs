using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// The way in: reading a model's header, importing from a path, both protobuf encodings of repeated fields, and the
/// signature of the imported program.
/// </summary>
public class ModelIntakeTests
{
    [Fact]
    public void Parse_reads_ir_version_producer_and_opset()
    {
        var model = OnnxModel.Parse(ReluModel(opset: 15));
        Assert.Equal(8, model.IrVersion);
        Assert.Equal("graphport-tests", model.ProducerName);
        Assert.Equal(15, model.Opset);
        Assert.Equal(["Relu"], model.Graph.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void Packed_repeated_fields_import_like_unpacked_ones()
    {
        var random = new Random(161);
        var weights = RandomData.Floats(random, 2 * 3 * 3 * 3);
        foreach (var packed in new[] { false, true })
        {
            var model = new OnnxModelBuilder(17) { PackRepeated = packed }
                .Input("x", ElemType.Float, 1, 3, 6, 6)
                .Initializer("w", weights, 2, 3, 3, 3)
                .Node("Conv", ["x", "w"], ["y"], OnnxAttr.Ints("pads", 1, 1, 1, 1), OnnxAttr.Ints("strides", 2, 2))
                .Output("y", ElemType.Float, [1, 2, 3, 3])
                .Build();
            AssertMatchesOrt(model, [ModelInput.Floats("x", random, [1, 3, 6, 6])], Tolerance.Float32);
        }
    }

    [Fact]
    public void Import_from_a_path_matches_onnx_runtime()
    {
        var bytes = ReluModel(opset: 17);
        var path = Path.Combine(Path.GetTempPath(), $"graphport-relu-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, bytes);
        try
        {
            var module = OnnxImporter.Import(path).Module();
            AssertRunMatchesOrt(module, bytes, [ModelInput.Floats("x", new Random(162), [2, 3])], Tolerance.Float32);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_imported_program_takes_graph_inputs_not_initializers_in_order()
    {
        var random = new Random(163);
        var model = new OnnxModelBuilder(17)
            .Initializer("w", RandomData.Floats(random, 12), 4, 3)
            .Input("b", ElemType.Float, 3)
            .Input("x", ElemType.Float, 2, 4)
            .Node("MatMul", ["x", "w"], ["xw"])
            .Node("Sub", ["xw", "b"], ["y"])
            .Node("Neg", ["x"], ["z"])
            .Output("z", ElemType.Float, [2, 4])
            .Output("y", ElemType.Float, [2, 3])
            .Build();
        // Inputs b then x, outputs z then y: reversed against the order the nodes use them, so a swap shows.
        AssertMatchesOrt(model, ModelInput.Floats("b", random, [3]), ModelInput.Floats("x", random, [2, 4]));
    }

    private static byte[] ReluModel(long opset) => new OnnxModelBuilder(opset)
        .Input("x", ElemType.Float, 2, 3)
        .Node("Relu", ["x"], ["y"])
        .Output("y", ElemType.Float, [2, 3])
        .Build();
}

using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// What an imported program looks like to its user: weights as named parameters, running statistics as buffers,
/// nodes that point back at the ONNX node they came from, symbolic dims in the range constraints, a .pt2 round trip
/// that computes the same, and option mistakes refused by name.
/// </summary>
public class ImportedProgramTests
{
    /// <summary>Conv → BatchNormalization → Relu → Flatten → Gemm over a symbolic batch, with torch-style weight names.</summary>
    private static byte[] ConvNet()
    {
        var random = new Random(501);
        return new OnnxModelBuilder(13)
            .Input("image", ElemType.Float, "batch", 2, 4, 4)
            .Initializer("conv.weight", RandomData.Floats(random, 3 * 2 * 3 * 3), 3, 2, 3, 3)
            .Initializer("bn.weight", RandomData.Floats(random, 3, 0.5f, 1.5f), 3)
            .Initializer("bn.bias", RandomData.Floats(random, 3), 3)
            .Initializer("bn.running_mean", RandomData.Floats(random, 3), 3)
            .Initializer("bn.running_var", RandomData.Floats(random, 3, 0.5f, 2f), 3)
            .Initializer("fc.weight", RandomData.Floats(random, 5 * 48), 5, 48)
            .Initializer("fc.bias", RandomData.Floats(random, 5), 5)
            .NamedNode("conv1", "Conv", ["image", "conv.weight"], ["c"], OnnxAttr.Ints("pads", 1, 1, 1, 1))
            .NamedNode("bn1", "BatchNormalization", ["c", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"], ["n"])
            .NamedNode("relu1", "Relu", ["n"], ["r"])
            .NamedNode("flat", "Flatten", ["r"], ["f"])
            .NamedNode("fc", "Gemm", ["f", "fc.weight", "fc.bias"], ["logits"], OnnxAttr.Int("transB", 1))
            .Output("logits", ElemType.Float, ["batch", 5])
            .Build();
    }

    [Fact]
    public void Weights_become_parameters_and_running_statistics_buffers_under_their_onnx_names()
    {
        var program = Import(ConvNet());
        Assert.Equal(["conv.weight", "bn.weight", "bn.bias", "fc.weight", "fc.bias"], program.GraphSignature.Parameters);
        Assert.Equal(["bn.running_mean", "bn.running_var"], program.GraphSignature.Buffers);
        Assert.Equal(["image"], program.GraphSignature.UserInputs);
        Assert.Equal([3L, 2, 3, 3], program.StateDict["conv.weight"].Shape.ToLongs());
    }

    [Fact]
    public void Each_aten_node_names_the_onnx_node_it_came_from()
    {
        var program = Import(ConvNet(), new OnnxImportOptions());
        var convolution = Assert.Single(program.Graph.Nodes, n => n.Target?.ToString()?.Contains("convolution") == true);
        Assert.NotNull(convolution.Source);
        Assert.Equal("model.onnx", convolution.Source!.File);
        Assert.Equal(1, convolution.Source.Line);
        Assert.Contains("conv1", convolution.Source.Method);
        Assert.Contains("Conv(image, conv.weight)", convolution.Source.Code);
        Assert.Contains("# File: model.onnx:5 in 'fc' (Gemm)", program.ToString());
    }

    [Fact]
    public void The_symbolic_batch_shows_in_the_range_constraints_and_any_batch_runs()
    {
        var model = ConvNet();
        var program = Import(model, new OnnxImportOptions { DimSizes = { ["batch"] = 3 } });
        Assert.Single(program.RangeConstraints);
        Assert.Contains("s0", program.ToString());
        var module = program.Module();
        var random = new Random(502);
        foreach (long batch in new[] { 1L, 4L, 9L })
            AssertRunMatchesOrt(module, model, [ModelInput.Floats("image", random, [batch, 2, 4, 4])], Tolerance.Float32, $"batch {batch}");
    }

    [Fact]
    public void An_imported_program_survives_a_pt2_round_trip()
    {
        var model = ConvNet();
        var stream = new MemoryStream();
        Import(model).Save(stream);
        stream.Position = 0;
        var loaded = ExportedProgram.Load(stream, "convnet.pt2");
        Assert.Equal(["conv.weight", "bn.weight", "bn.bias", "fc.weight", "fc.bias"], loaded.GraphSignature.Parameters);
        AssertRunMatchesOrt(loaded.Module(), model, [ModelInput.Floats("image", new Random(503), [6, 2, 4, 4])], Tolerance.Float32, "after Save/Load");
    }

    [Fact]
    public void Decomposing_an_imported_program_keeps_its_results()
    {
        var model = ConvNet();
        var decomposed = Import(model).RunDecompositions();
        AssertRunMatchesOrt(decomposed.Module(), model, [ModelInput.Floats("image", new Random(504), [2, 2, 4, 4])], Tolerance.Float32, "decomposed");
    }

    [Fact]
    public void A_dim_size_for_a_name_the_model_does_not_have_is_refused_with_the_open_dims()
    {
        var e = Assert.Throws<OnnxImportException>(() => Import(ConvNet(), new OnnxImportOptions { DimSizes = { ["batchsize"] = 4 } }));
        Assert.Contains("'batchsize'", e.Message);
        Assert.Contains("batch (image:0)", e.Message);
    }

    [Fact]
    public void A_dim_size_for_a_fixed_axis_is_refused()
    {
        var e = Assert.Throws<OnnxImportException>(() => Import(ConvNet(), new OnnxImportOptions { DimSizes = { ["image:1"] = 4 } }));
        Assert.Contains("fixes that dim at 2", e.Message);
    }

    [Fact]
    public void Weights_held_in_constant_nodes_are_lifted_as_parameters()
    {
        var random = new Random(505);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, "n", 4)
            .NamedNode("w_const", "Constant", [], ["w"], OnnxAttr.Tensor("value", RandomData.Floats(random, 12), 4, 3))
            .NamedNode("eps_const", "Constant", [], ["eps"], OnnxAttr.Float("value_float", 0.25f))
            .Node("MatMul", ["x", "w"], ["m"])
            .Node("Add", ["m", "eps"], ["y"])
            .Output("y", ElemType.Float, ["n", 3])
            .Build();
        var program = Import(model);
        Assert.Equal(["w"], program.GraphSignature.Parameters);
        Assert.Contains("0.25", program.ToString());
        AssertMatchesOrt(model, ModelInput.Floats("x", new Random(506), [5, 4]));
    }
}

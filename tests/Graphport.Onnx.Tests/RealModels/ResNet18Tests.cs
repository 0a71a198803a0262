using Xunit.Abstractions;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// ResNet-18 as CNTK exported it (opset 8: Conv, BatchNormalization, MaxPool, AveragePool, 60 MB of initializers),
/// imported and run on the CPU interpreter against ONNX Runtime at its fixed input [1, 3, 224, 224].
/// </summary>
public sealed class ResNet18Tests(ResNet18Tests.Model model, ITestOutputHelper log) : IClassFixture<ResNet18Tests.Model>
{
    public sealed class Model() : ImportedRealModel(
        () => RealModelFiles.ResNet18,
        [SeededInputs.Image("Input247", new Random(18), 1, 3, 224, 224)]);

    [Fact]
    public void Imported_resnet18_matches_onnx_runtime_on_a_random_image()
    {
        var program = model.Program;
        log.WriteLine($"import: {model.ImportTime.TotalMilliseconds:F0} ms");
        var result = ImportedRealModel.Timed(log, "CPU interpreter", () => ImportedRealModel.Invoke(program, model.Inputs));
        log.WriteLine(PeakRelativeMatch.Assert("ResNet-18", model.Expected, result));
    }

    [Fact]
    public void Decomposed_resnet18_still_matches_onnx_runtime()
    {
        var decomposed = ImportedRealModel.Timed(log, "RunDecompositions", () => model.Program.RunDecompositions());
        var result = ImportedRealModel.Timed(log, "CPU interpreter", () => ImportedRealModel.Invoke(decomposed, model.Inputs));
        log.WriteLine(PeakRelativeMatch.Assert("ResNet-18 after RunDecompositions", model.Expected, result));
    }

    [Fact]
    public void Printed_resnet18_program_calls_aten_convolution()
    {
        string printed = model.Program.ToString();
        Assert.Contains("aten.convolution.default", printed);
    }
}

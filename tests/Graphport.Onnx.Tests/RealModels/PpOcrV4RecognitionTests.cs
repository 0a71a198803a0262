using Graphport.Onnx;
using Xunit.Abstractions;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// PaddleOCR's PP-OCRv4 text recogniser (opset 9: a convolutional backbone, then an SVTR attention neck built from
/// MatMul, Softmax and casts, and a 6625-way Softmax per column), imported with static shapes at 1 × 3 × 48 × 320.
/// </summary>
public sealed class PpOcrV4RecognitionTests(ITestOutputHelper log)
{
    [Fact]
    public void Imported_ppocrv4_recognition_with_static_shapes_matches_onnx_runtime_at_48x320()
    {
        string path = RealModelFiles.PpOcrV4Recognition;
        var options = new OnnxImportOptions
        {
            StaticShapes = true,
            DimSizes = { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 320 },
        };
        Assert.Equal(options.DimSizes.Keys.Order(), ImportedRealModel.SymbolicDims(path, "x").Order());
        ModelInput[] inputs = [SeededInputs.Image("x", new Random(48), 1, 3, 48, 320)];

        var program = ImportedRealModel.Timed(log, "import", () => OnnxImporter.Import(path, options));
        var expected = ImportedRealModel.Timed(log, "ONNX Runtime", () => OrtReference.Run(File.ReadAllBytes(path), inputs));
        var result = ImportedRealModel.Timed(log, "CPU interpreter", () => ImportedRealModel.Invoke(program, inputs));
        log.WriteLine(PeakRelativeMatch.Assert("PP-OCRv4 rec", expected, result));
    }
}

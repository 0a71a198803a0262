using Graphport.Onnx;
using Xunit.Abstractions;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// PaddleOCR's PP-OCRv4 text detector (opset 11: depthwise and grouped Conv, HardSigmoid, Resize, ConvTranspose,
/// weights in Constant nodes), run against ONNX Runtime on a random page of strokes: imported with static shapes at
/// 1 × 3 × 320 × 320, and imported with its height and width symbolic, then run at other page sizes.
/// </summary>
public sealed class PpOcrV4DetectionTests(ITestOutputHelper log)
{
    [Fact]
    public void Imported_ppocrv4_detection_with_static_shapes_matches_onnx_runtime_at_320x320()
    {
        string path = RealModelFiles.PpOcrV4Detection;
        var options = new OnnxImportOptions
        {
            StaticShapes = true,
            DimSizes = { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 320, ["p2o.DynamicDimension.2"] = 320 },
        };
        Assert.Equal(options.DimSizes.Keys.Order(), ImportedRealModel.SymbolicDims(path, "x").Order());
        // On noise the detector finds no text and every output sits near 1e-7, where ONNX Runtime's approximate
        // sigmoid is off by about 2^-24 absolute; a page of strokes gives a real probability map to compare.
        ModelInput[] inputs = [SeededInputs.TextPage("x", new Random(4), 320, 320)];

        var program = ImportedRealModel.Timed(log, "import", () => OnnxImporter.Import(path, options));
        var expected = ImportedRealModel.Timed(log, "ONNX Runtime", () => OrtReference.Run(File.ReadAllBytes(path), inputs));
        var result = ImportedRealModel.Timed(log, "CPU interpreter", () => ImportedRealModel.Invoke(program, inputs));
        log.WriteLine(PeakRelativeMatch.Assert("PP-OCRv4 det", expected, result));
    }

    [Fact]
    public void Imported_ppocrv4_detection_with_symbolic_height_and_width_matches_onnx_runtime_at_other_page_sizes()
    {
        string path = RealModelFiles.PpOcrV4Detection;
        // The stride-32 pyramid needs example sizes that survive five halvings; the program then takes any multiple of 32.
        var options = new OnnxImportOptions { DimSizes = { ["p2o.DynamicDimension.1"] = 320, ["p2o.DynamicDimension.2"] = 320 } };
        var program = ImportedRealModel.Timed(log, "import", () => OnnxImporter.Import(path, options));
        Assert.Equal(3, program.RangeConstraints.Count);
        var bytes = File.ReadAllBytes(path);
        var random = new Random(5);
        foreach (var (height, width) in new[] { (128, 96), (64, 224) })
        {
            ModelInput[] inputs = [SeededInputs.TextPage("x", random, height, width)];
            var expected = OrtReference.Run(bytes, inputs);
            var result = ImportedRealModel.Timed(log, $"CPU interpreter at {height}x{width}", () => ImportedRealModel.Invoke(program, inputs));
            log.WriteLine(PeakRelativeMatch.Assert($"PP-OCRv4 det at {height}x{width}", expected, result));
        }
    }
}

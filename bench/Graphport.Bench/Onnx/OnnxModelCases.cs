using Graphport.Onnx;
using Graphport.Tests.Onnx;
using Graphport.Tests.Onnx.RealModels;

namespace Graphport.Bench;

/// <summary>
/// The five real models at the input sizes models.md timed ONNX Runtime with, Silero VAD v5 on one 16 kHz chunk, an LSTM layer over 100 steps (BuiltRecurrentModel) and a dynamic-quantized feed-forward block (BuiltQuantizedModel), with the seeds of their tests in
/// tests/Graphport.Onnx.Tests/RealModels. Default run counts keep the whole benchmark near a minute on 2 cores (under 3 on a loaded one).
/// </summary>
public static class OnnxModelCases
{
    private const long MiniLMVocabulary = 30522;

    public static IReadOnlyList<OnnxModelCase> All { get; } =
    [
        new("ResNet18", "1×3×224×224", () => RealModelFiles.ResNet18, () => null,
            () => [SeededInputs.Image("Input247", new Random(18), 1, 3, 224, 224)], DefaultRuns: 30),
        new("MiniLM", "1×128 tokens", () => RealModelFiles.MiniLM,
            () => new OnnxImportOptions { DimSizes = { ["batch"] = 1, ["sequence"] = 128 } },
            () => SeededInputs.BertTokens(new Random(384), batch: 1, sequence: 128, MiniLMVocabulary), DefaultRuns: 30),
        new("PP-OCRv4-det", "1×3×640×640 static", () => RealModelFiles.PpOcrV4Detection,
            () => new OnnxImportOptions
            {
                StaticShapes = true,
                DimSizes = { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 640, ["p2o.DynamicDimension.2"] = 640 },
            },
            () => [SeededInputs.TextPage("x", new Random(4), 640, 640)], DefaultRuns: 20),
        new("PP-OCRv4-rec", "1×3×48×320 static", () => RealModelFiles.PpOcrV4Recognition,
            () => new OnnxImportOptions
            {
                StaticShapes = true,
                DimSizes = { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 320 },
            },
            () => [SeededInputs.Image("x", new Random(48), 1, 3, 48, 320)], DefaultRuns: 30),
        new("hello_deepa", "1×25×96", () => RealModelFiles.HelloDeepa, () => null,
            () => [SeededInputs.Normal("onnx::Flatten_0", new Random(25), 1, 25, 96)], DefaultRuns: 1000),
        new("Silero-VAD-v5", "1×576 at 16 kHz", () => RealModelFiles.SileroVadV5,
            () => new OnnxImportOptions
            {
                StaticShapes = true,
                DimSizes = { ["input:0"] = 1, ["input:1"] = 576, ["state:1"] = 1 },
                InputValues = { ["sr"] = [16000] },
            },
            () => [SeededInputs.Audio("input", new Random(16), 0, 576), SeededInputs.Normal("state", new Random(17), 2, 1, 128), ModelInput.Longs("sr", [16000L])],
            DefaultRuns: 1000),
        new("LSTM-128", "100 steps × 64 (built)", () => BuiltRecurrentModel.File, () => null,
            () => [SeededInputs.Normal("x", new Random(100), BuiltRecurrentModel.Steps, BuiltRecurrentModel.Batch, BuiltRecurrentModel.InputSize)], DefaultRuns: 200),
        new("DynQuant-FFN", "128 × 384 (built)", () => BuiltQuantizedModel.File, () => null,
            () => [SeededInputs.Normal("x", new Random(385), BuiltQuantizedModel.Tokens, BuiltQuantizedModel.Width)], DefaultRuns: 100),
    ];

    /// <summary>The cases named on the command line, or all of them when none are.</summary>
    public static IReadOnlyList<OnnxModelCase> Select(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return All;
        var unknown = names.Where(n => All.All(c => !string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown ONNX model(s) {string.Join(", ", unknown)}; known: {string.Join(", ", All.Select(c => c.Name))}.");
        return All.Where(c => names.Any(n => string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
    }
}

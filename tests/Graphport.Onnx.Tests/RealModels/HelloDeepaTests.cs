using Xunit.Abstractions;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// openWakeWord's "hello deepa" classifier (opset 13: Flatten, Gemm, layer norms spelt out as ReduceMean/Pow/Sqrt,
/// Sigmoid), imported and run against ONNX Runtime on one window of 25 × 96 standard normal features.
/// </summary>
public sealed class HelloDeepaTests(HelloDeepaTests.Model model, ITestOutputHelper log) : IClassFixture<HelloDeepaTests.Model>
{
    public sealed class Model() : ImportedRealModel(
        () => RealModelFiles.HelloDeepa,
        [SeededInputs.Normal("onnx::Flatten_0", new Random(25), 1, 25, 96)]);

    [Fact]
    public void Imported_hello_deepa_matches_onnx_runtime_on_random_features()
    {
        var program = model.Program;
        log.WriteLine($"import: {model.ImportTime.TotalMilliseconds:F0} ms");
        var result = ImportedRealModel.Timed(log, "CPU interpreter", () => ImportedRealModel.Invoke(program, model.Inputs));
        log.WriteLine(PeakRelativeMatch.Assert("hello_deepa", model.Expected, result));
    }

    [Fact]
    public void Decomposed_hello_deepa_still_matches_onnx_runtime()
    {
        var decomposed = ImportedRealModel.Timed(log, "RunDecompositions", () => model.Program.RunDecompositions());
        var result = ImportedRealModel.Timed(log, "CPU interpreter", () => ImportedRealModel.Invoke(decomposed, model.Inputs));
        log.WriteLine(PeakRelativeMatch.Assert("hello_deepa after RunDecompositions", model.Expected, result));
    }
}

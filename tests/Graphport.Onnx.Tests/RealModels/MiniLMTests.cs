using Graphport.Onnx;
using Xunit.Abstractions;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// all-MiniLM-L6-v2 (opset 13, six BERT layers whose shapes are computed in the graph: Shape, Gather, Concat,
/// Reshape), imported once with symbolic 'batch' and 'sequence' and run against ONNX Runtime at two sizes.
/// </summary>
public sealed class MiniLMTests(MiniLMTests.Model model, ITestOutputHelper log) : IClassFixture<MiniLMTests.Model>
{
    private const long Vocabulary = 30522;

    public sealed class Model() : ImportedRealModel(
        () => RealModelFiles.MiniLM,
        SeededInputs.BertTokens(new Random(384), batch: 2, sequence: 16, Vocabulary),
        new OnnxImportOptions { DimSizes = { ["batch"] = 2, ["sequence"] = 16 } });

    [Fact]
    public void Imported_minilm_matches_onnx_runtime_at_batch_2_sequence_16()
    {
        var program = model.Program;
        log.WriteLine($"import: {model.ImportTime.TotalMilliseconds:F0} ms");
        var result = ImportedRealModel.Timed(log, "CPU interpreter", () => ImportedRealModel.Invoke(program, model.Inputs));
        log.WriteLine(PeakRelativeMatch.Assert("MiniLM 2×16", model.Expected, result));
    }

    [Fact]
    public void Same_imported_minilm_matches_onnx_runtime_at_batch_3_sequence_12()
    {
        // A size the import never saw: only a program whose batch and sequence stayed symbolic can run it.
        var inputs = SeededInputs.BertTokens(new Random(12), batch: 3, sequence: 12, Vocabulary);
        var expected = OrtReference.Run(File.ReadAllBytes(model.Path), inputs);
        var result = ImportedRealModel.Timed(log, "CPU interpreter", () => ImportedRealModel.Invoke(model.Program, inputs));
        log.WriteLine(PeakRelativeMatch.Assert("MiniLM 3×12 (imported at 2×16)", expected, result));
    }
}

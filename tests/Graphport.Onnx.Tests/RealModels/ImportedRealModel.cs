using System.Diagnostics;
using Graphport.Onnx;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// A class fixture for the tests of one real model: the model imported once and ONNX Runtime's outputs for one
/// seeded input set, both computed on first use so a test's duration shows what it cost, and shared by the class's
/// tests (a 60 MB import per test would blow the suite's time budget).
/// </summary>
public abstract class ImportedRealModel
{
    private readonly Lazy<string> path;
    private readonly Lazy<ExportedProgram> program;
    private readonly Lazy<IReadOnlyList<OrtOutput>> expected;

    protected ImportedRealModel(Func<string> locate, ModelInput[] inputs, OnnxImportOptions? options = null)
    {
        Inputs = inputs;
        path = new(locate);
        program = new(() =>
        {
            var clock = Stopwatch.StartNew();
            var imported = OnnxImporter.Import(Path, options);
            ImportTime = clock.Elapsed;
            return imported;
        });
        expected = new(() => OrtReference.Run(File.ReadAllBytes(Path), Inputs));
    }

    /// <summary>The model file, fetched on first use.</summary>
    public string Path => path.Value;

    public ModelInput[] Inputs { get; }

    public ExportedProgram Program => program.Value;

    /// <summary>How long the import took (valid once <see cref="Program"/> has been read).</summary>
    public TimeSpan ImportTime { get; private set; }

    /// <summary>ONNX Runtime's outputs for <see cref="Inputs"/>.</summary>
    public IReadOnlyList<OrtOutput> Expected => expected.Value;

    /// <summary>Runs <paramref name="program"/> on the CPU interpreter with <paramref name="inputs"/> as fresh tensors.</summary>
    public static object? Invoke(ExportedProgram program, IEnumerable<ModelInput> inputs) =>
        program.Module().Invoke(inputs.Select(i => (object?)i.ToTensor()).ToArray());

    /// <summary>Runs <paramref name="action"/> and says in the test log how long it took.</summary>
    public static T Timed<T>(ITestOutputHelper log, string step, Func<T> action)
    {
        var clock = Stopwatch.StartNew();
        var result = action();
        log.WriteLine($"{step}: {clock.Elapsed.TotalMilliseconds:F0} ms");
        return result;
    }

    /// <summary>
    /// The symbolic dimension names of <paramref name="input"/> as ONNX Runtime reads them, so a test can check that
    /// the names it gives <see cref="OnnxImportOptions.DimSizes"/> are the model's own (a misspelt one would be ignored).
    /// </summary>
    public static IReadOnlyList<string> SymbolicDims(string modelPath, string input)
    {
        using var session = new InferenceSession(modelPath);
        return session.InputMetadata[input].SymbolicDimensions.Where(d => d.Length > 0).ToList();
    }
}

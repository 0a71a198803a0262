using Graphport.Onnx;
using Graphport.Tests.Onnx;

namespace Graphport.Bench;

/// <summary>
/// One real model of shared/reference/models.md as the ONNX benchmark runs it: where the file comes from, the import
/// options that fix its open dims at the benchmark's input size, the seeded inputs, and how many timed runs of our
/// interpreter fit the default time budget.
/// </summary>
public sealed record OnnxModelCase(string Name, string InputLabel, Func<string> Locate, Func<OnnxImportOptions?> Options, Func<ModelInput[]> Inputs, int DefaultRuns);

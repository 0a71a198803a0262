using System.Globalization;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// Whole-network agreement with ONNX Runtime: same outputs, same shapes, and the largest |ours - ort| at most
/// <see cref="Tolerance"/> times the output's largest |ort|. Through dozens of layers rounding differences grow
/// with the activations' scale, not with each element's, so an element-wise rtol would fail on values that merely
/// happen to sit near zero. A failure names the worst element by its index, both values and the ratio.
/// </summary>
internal static class PeakRelativeMatch
{
    public const double Tolerance = 1e-4;

    /// <summary>Asserts <paramref name="ours"/> (the program's result) matches; returns one line per output for the test log.</summary>
    public static string Assert(string what, IReadOnlyList<OrtOutput> expected, object? ours)
    {
        var actual = ProgramOutputs.InOrder(ours, expected.Select(e => e.Name).ToList());
        Xunit.Assert.True(expected.Count == actual.Count,
            $"{what}: ONNX Runtime gives {expected.Count} outputs ({string.Join(", ", expected.Select(e => e.Name))}), the imported program {actual.Count}.");
        var report = new List<string>();
        for (int o = 0; o < expected.Count; o++)
        {
            var e = expected[o];
            var name = $"{what}, output '{e.Name}'";
            var shape = actual[o].Shape.ToLongs();
            Xunit.Assert.True(e.Shape.SequenceEqual(shape),
                $"{name}: ONNX Runtime gives shape [{string.Join(", ", e.Shape)}], the imported program [{string.Join(", ", shape)}].");
            Xunit.Assert.True(e.Data is float[], $"{name}: ONNX Runtime gives {e.ElemType}; these models have float outputs.");
            var reference = (float[])e.Data;
            var ours32 = actual[o].ToArray<float>();

            var error = PeakRelativeError.Of(reference, ours32);
            var (peak, worstDiff, worst, ratio) = (error.Peak, error.WorstDifference, error.WorstIndex, error.Ratio);
            string detail = string.Create(CultureInfo.InvariantCulture,
                $"{name} {FormatShape(shape)}: worst element [{string.Join(", ", ProgramOutputs.Unravel(worst, shape))}] ours {ours32[worst]:R}, ONNX Runtime {reference[worst]:R}, " +
                $"|diff| {worstDiff:E3} = {ratio:E3} × peak |ort| {peak:G5} (tolerance {Tolerance:E0})");
            Xunit.Assert.True(ratio <= Tolerance, $"Mismatch: {detail}");
            report.Add(detail);
        }
        return string.Join(Environment.NewLine, report);
    }

    private static string FormatShape(long[] shape) => $"[{string.Join(", ", shape)}]";
}

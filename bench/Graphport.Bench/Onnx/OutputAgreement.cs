using Graphport.Tests.Onnx;

namespace Graphport.Bench;

/// <summary>
/// How far our outputs are from ONNX Runtime's, measured as the real-model tests measure it (the linked
/// PeakRelativeError and ProgramOutputs, without the tests' asserts): the worst peak-relative error over the outputs.
/// </summary>
public static class OutputAgreement
{
    /// <summary>The tests' tolerance; the table flags a model whose error is above it.</summary>
    public const double Tolerance = 1e-4;

    public static double PeakRelativeError(string model, IReadOnlyList<FloatOutput> expected, object? ours)
    {
        var actual = ProgramOutputs.InOrder(ours, expected.Select(e => e.Name).ToList());
        if (actual.Count != expected.Count)
            throw new InvalidOperationException($"{model}: ONNX Runtime gives {expected.Count} outputs, the imported program {actual.Count}.");
        double worst = 0;
        for (int o = 0; o < expected.Count; o++)
        {
            var e = expected[o];
            var shape = actual[o].Shape.ToLongs();
            if (!e.Shape.SequenceEqual(shape))
                throw new InvalidOperationException(
                    $"{model}, output '{e.Name}': ONNX Runtime gives shape [{string.Join(", ", e.Shape)}], the imported program [{string.Join(", ", shape)}].");
            worst = Math.Max(worst, Tests.Onnx.PeakRelativeError.Of(e.Data, actual[o].ToArray<float>()).Ratio);
        }
        return worst;
    }
}

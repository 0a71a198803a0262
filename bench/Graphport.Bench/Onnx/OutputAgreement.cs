using System.Collections;
using System.Runtime.CompilerServices;

namespace Graphport.Bench;

/// <summary>
/// How far our outputs are from ONNX Runtime's, as the real-model tests measure it (PeakRelativeMatch, which asserts
/// with xunit and so is not linked here): the largest |ours - ort| over all elements, divided by the output's largest
/// |ort|, worst over the outputs. Through dozens of layers rounding grows with the activations' scale.
/// </summary>
public static class OutputAgreement
{
    /// <summary>The tests' tolerance; the table flags a model whose error is above it.</summary>
    public const double Tolerance = 1e-4;

    public static double PeakRelativeError(string model, IReadOnlyList<FloatOutput> expected, object? ours)
    {
        var actual = Outputs(ours, expected);
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
            var data = actual[o].ToArray<float>();
            double peak = 0, diff = 0;
            for (int i = 0; i < data.Length; i++)
            {
                peak = Math.Max(peak, Math.Abs((double)e.Data[i]));
                double d = Math.Abs((double)data[i] - e.Data[i]);
                diff = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(diff, d);
            }
            worst = Math.Max(worst, peak > 0 ? diff / peak : diff);
        }
        return worst;
    }

    /// <summary>The program's result in ONNX Runtime's output order: by name from a mapping, else in sequence.</summary>
    private static List<Tensor> Outputs(object? result, IReadOnlyList<FloatOutput> expected)
    {
        if (result is IDictionary named && expected.All(e => named.Contains(e.Name)))
            return expected.Select(e => named[e.Name] as Tensor ?? throw new InvalidOperationException($"Output '{e.Name}' is not a tensor.")).ToList();
        var tensors = new List<Tensor>();
        void Walk(object? item)
        {
            switch (item)
            {
                case Tensor t: tensors.Add(t); break;
                case IDictionary d:
                    foreach (var x in d.Values) Walk(x);
                    break;
                case ITuple tuple:
                    for (int i = 0; i < tuple.Length; i++) Walk(tuple[i]);
                    break;
                case IEnumerable sequence:
                    foreach (var x in sequence) Walk(x);
                    break;
                default:
                    throw new InvalidOperationException($"The imported program returned {item?.GetType().Name ?? "null"} where a tensor was expected.");
            }
        }
        Walk(result);
        return tensors;
    }
}

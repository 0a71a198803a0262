using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;

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
        var actual = Outputs(ours, expected);
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

            double peak = 0, worstDiff = -1;
            int worst = 0;
            for (int i = 0; i < reference.Length; i++)
            {
                peak = Math.Max(peak, Math.Abs((double)reference[i]));
                double diff = Math.Abs((double)ours32[i] - reference[i]);
                // A NaN on either side is the worst possible element.
                if (double.IsNaN(diff)) diff = double.PositiveInfinity;
                if (diff > worstDiff) (worstDiff, worst) = (diff, i);
            }
            double ratio = peak > 0 ? worstDiff / peak : worstDiff;
            string detail = string.Create(CultureInfo.InvariantCulture,
                $"{name} {FormatShape(shape)}: worst element [{string.Join(", ", Unravel(worst, shape))}] ours {ours32[worst]:R}, ONNX Runtime {reference[worst]:R}, " +
                $"|diff| {worstDiff:E3} = {ratio:E3} × peak |ort| {peak:G5} (tolerance {Tolerance:E0})");
            Xunit.Assert.True(ratio <= Tolerance, $"Mismatch: {detail}");
            report.Add(detail);
        }
        return string.Join(Environment.NewLine, report);
    }

    /// <summary>The program's result as ONNX Runtime's output order: by name from a mapping, else in sequence.</summary>
    private static List<Tensor> Outputs(object? result, IReadOnlyList<OrtOutput> expected)
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

    private static string FormatShape(long[] shape) => $"[{string.Join(", ", shape)}]";

    private static long[] Unravel(int flat, long[] shape)
    {
        var index = new long[shape.Length];
        long rest = flat;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] == 0) continue;
            index[d] = rest % shape[d];
            rest /= shape[d];
        }
        return index;
    }
}

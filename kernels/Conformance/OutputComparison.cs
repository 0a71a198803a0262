namespace Graphport.Kernels.Conformance;

/// <summary>
/// A backend's outputs against the CPU interpreter's (the device kit's checks, <c>graphport compile --check</c>), the
/// way the backend op tests compare them: shapes equal, max |actual - expected| in float64, and the scale
/// max(max |expected|, 1) the tolerance is relative to. Every tensor output counts; NaN on both sides is equal, NaN on
/// one side never passes.
/// </summary>
public sealed record OutputComparison(bool ShapesMatch, double MaxDiff, double Scale, string? Problem)
{
    public double Relative => MaxDiff / Scale;

    public bool Passes(double tolerance) => ShapesMatch && Problem is null && !double.IsNaN(MaxDiff) && MaxDiff <= tolerance * Scale;

    public static OutputComparison Of(IReadOnlyList<object?> expected, IReadOnlyList<object?> actual)
    {
        if (expected.Count != actual.Count) return new(false, double.NaN, 1, $"{actual.Count} outputs, expected {expected.Count}");
        double worst = 0, scale = 1;
        for (int i = 0; i < expected.Count; i++)
        {
            if (expected[i] is not Tensor want)
            {
                if (!Equals(expected[i], actual[i])) return new(true, double.NaN, scale, $"output {i}: {actual[i]}, expected {expected[i]}");
                continue;
            }
            if (actual[i] is not Tensor got) return new(false, double.NaN, scale, $"output {i} is {actual[i]?.GetType().Name ?? "null"}, expected a tensor");
            var wantShape = want.Shape.ToLongs();
            var gotShape = got.Shape.ToLongs();
            if (!wantShape.SequenceEqual(gotShape))
                return new(false, double.NaN, scale, $"output {i} has shape [{string.Join(", ", gotShape)}], expected [{string.Join(", ", wantShape)}]");
            var w = want.Contiguous().ToArray<double>();
            var g = got.Contiguous().ToArray<double>();
            for (int k = 0; k < w.Length; k++)
            {
                if (double.IsNaN(g[k]) && !double.IsNaN(w[k])) return new(true, double.NaN, scale, $"output {i} has NaN at element {k} where the interpreter has {w[k]}");
                if (double.IsFinite(w[k])) scale = Math.Max(scale, Math.Abs(w[k]));
                if (g[k].Equals(w[k])) continue; // equal, both NaN, or the same infinity
                worst = Math.Max(worst, Math.Abs(g[k] - w[k]));
            }
        }
        return new(true, worst, scale, null);
    }
}

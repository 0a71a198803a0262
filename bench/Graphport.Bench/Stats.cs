namespace Graphport.Bench;

/// <summary>
/// Median and percentiles of a sample with linear interpolation between order statistics (numpy's default),
/// the same rule bench/torch/export_time.py implements, so both sides summarize runs alike.
/// </summary>
public static class Stats
{
    public static double Percentile(IReadOnlyList<double> samples, double q)
    {
        if (samples.Count == 0) throw new ArgumentException("No samples.", nameof(samples));
        if (q is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(q), $"q must be in [0, 1], got {q}.");
        var sorted = samples.Order().ToArray();
        double position = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(position);
        int hi = (int)Math.Ceiling(position);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
    }

    public static double Median(IReadOnlyList<double> samples) => Percentile(samples, 0.5);
}

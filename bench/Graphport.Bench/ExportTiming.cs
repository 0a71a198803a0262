namespace Graphport.Bench;

/// <summary>
/// The timed exports of one model in one mode, the untimed-in-the-median first export (FirstMs), and what the
/// verification found.
/// </summary>
public sealed record ExportTiming(string Model, bool Strict, int Nodes, double FirstMs, IReadOnlyList<double> SamplesMs, double? MaxAbsDiff, double? OutputScale)
{
    /// <summary>Key in the torch results JSON: the model for strict, "Model/non-strict" otherwise.</summary>
    public string Key => Strict ? Model : $"{Model}/non-strict";

    public double MedianMs => Stats.Median(SamplesMs);
    public double P10Ms => Stats.Percentile(SamplesMs, 0.1);
    public double P90Ms => Stats.Percentile(SamplesMs, 0.9);
}

namespace Graphport.Bench;

/// <summary>
/// One model's results: import time, our interpreter's and ONNX Runtime's timed runs (one intra-op thread, and ORT's
/// default thread count), and how far our outputs are from each ORT session's.
/// </summary>
public sealed record OnnxTiming(
    string Model,
    string Input,
    int Nodes,
    double ImportMs,
    double FirstRunMs,
    IReadOnlyList<double> OursMs,
    IReadOnlyList<double> OrtOneThreadMs,
    IReadOnlyList<double> OrtDefaultThreadsMs,
    double ErrorVsOrtOneThread,
    double ErrorVsOrtDefaultThreads)
{
    public double OursMedianMs => Stats.Median(OursMs);
    public double OrtOneThreadMedianMs => Stats.Median(OrtOneThreadMs);
    public double OrtDefaultThreadsMedianMs => Stats.Median(OrtDefaultThreadsMs);

    /// <summary>The worse of the two agreement checks.</summary>
    public double MaxError => Math.Max(ErrorVsOrtOneThread, ErrorVsOrtDefaultThreads);
}

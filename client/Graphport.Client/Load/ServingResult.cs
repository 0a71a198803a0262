namespace Graphport.Client;

/// <summary>What one configuration measured: requests served per second and each request's client-side latency.</summary>
public sealed record ServingResult(string Label, int Requests, double Seconds, double P50Ms, double P99Ms, double MeanBatch)
{
    public double Throughput => Requests / Seconds;
}

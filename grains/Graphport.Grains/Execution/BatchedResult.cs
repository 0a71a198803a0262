namespace Graphport.Grains;

/// <summary>A request's own outputs, how long it waited, how long its run took, and how many requests that run served.</summary>
public sealed record BatchedResult(Tensor[] Outputs, double QueueMs, double ComputeMs, int BatchSize);

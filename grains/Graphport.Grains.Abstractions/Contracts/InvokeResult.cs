namespace Graphport.Grains;

/// <summary>A program's outputs, with where and how fast they were computed (queue and compute time in ms).</summary>
[GenerateSerializer, Immutable, Alias("Graphport.InvokeResult")]
public sealed record InvokeResult(
    [property: Id(0)] TensorData[] Outputs,
    [property: Id(1)] double QueueMs,
    [property: Id(2)] double ComputeMs,
    [property: Id(3)] string Backend,
    [property: Id(4)] string Device,
    [property: Id(5)] string Silo);

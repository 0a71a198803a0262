namespace Graphport.Grains;

/// <summary>An executor's state: the backend and device it compiled for, where it runs, what loading cost, and how many requests and runs it served (warm-up excluded).</summary>
[GenerateSerializer, Immutable, Alias("Graphport.ExecutorStatus")]
public sealed record ExecutorStatus(
    [property: Id(0)] ProgramRef Program,
    [property: Id(1)] bool Ready,
    [property: Id(2)] string Backend,
    [property: Id(3)] string Device,
    [property: Id(4)] string Silo,
    [property: Id(5)] double LoadMs,
    [property: Id(6)] double CompileMs,
    [property: Id(7)] double WarmupMs,
    [property: Id(8)] long Invocations,
    [property: Id(9)] string? Error = null,
    [property: Id(10)] long BackendRuns = 0)
{
    /// <summary>Requests served per backend run: above 1 when dynamic batching combined requests.</summary>
    public double RequestsPerRun => BackendRuns == 0 ? 0 : Invocations / (double)BackendRuns;
}

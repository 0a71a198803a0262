namespace Graphport.Grains;

/// <summary>A zoo batch's progress: one row per model (finished when every row passed or failed), and the silo running the batch.</summary>
[GenerateSerializer, Immutable, Alias("Graphport.ZooProgress")]
public sealed record ZooProgress(
    [property: Id(0)] string BatchId,
    [property: Id(1)] ZooModelStatus[] Models,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset? FinishedAt,
    [property: Id(4)] int Resumes,
    [property: Id(5)] string? Silo = null)
{
    public int Total => Models.Length;

    public int Completed => Models.Count(m => m.IsFinished);

    public bool IsFinished => Models.All(m => m.IsFinished);

    public bool AllPassed => Models.All(m => m.State == ZooModelState.Passed);
}

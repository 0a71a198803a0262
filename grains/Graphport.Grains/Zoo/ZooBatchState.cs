namespace Graphport.Grains;

/// <summary>A zoo batch's persisted state: the request, one row per model, and how often it was resumed.</summary>
[GenerateSerializer, Alias("Graphport.ZooBatchState")]
public sealed class ZooBatchState
{
    [Id(0)]
    public ZooExportRequest? Request { get; set; }

    [Id(1)]
    public List<ZooModelStatus> Models { get; set; } = [];

    [Id(2)]
    public DateTimeOffset StartedAt { get; set; }

    [Id(3)]
    public DateTimeOffset? FinishedAt { get; set; }

    [Id(4)]
    public int Resumes { get; set; }
}

using Graphport.Grains;

namespace Graphport.Client;

/// <summary>Which zoo models to export and check, and how: batch sizes, tolerance, parallelism.</summary>
public sealed record ZooSelection(IReadOnlyList<string> Models)
{
    /// <summary>Every model of the zoo.</summary>
    public static ZooSelection All { get; } = new(Array.Empty<string>());

    public static ZooSelection Of(params string[] models) => new(models);

    public long ExampleBatch { get; init; } = 2;

    public long RunBatch { get; init; } = 3;

    public double Tolerance { get; init; } = 1e-4;

    public int MaxParallel { get; init; } = 2;

    public ZooExportRequest ToRequest() => new([.. Models], ExampleBatch, RunBatch, Tolerance, MaxParallel);
}

namespace Graphport.Grains;

/// <summary>
/// A batch of zoo models to export, decompose, deploy and check: <see cref="Models"/> empty means every model;
/// each is exported at <see cref="ExampleBatch"/> and run at <see cref="RunBatch"/> against eager, passing when
/// the largest difference is within <see cref="Tolerance"/> (absolute, scaled up for large outputs).
/// </summary>
[GenerateSerializer, Immutable, Alias("Graphport.ZooExportRequest")]
public sealed record ZooExportRequest(
    [property: Id(0)] string[] Models,
    [property: Id(1)] long ExampleBatch = 2,
    [property: Id(2)] long RunBatch = 3,
    [property: Id(3)] double Tolerance = 1e-4,
    [property: Id(4)] int MaxParallel = 2);

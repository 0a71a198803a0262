namespace Graphport.Grains;

/// <summary>One model's row of a zoo batch: state, programs made, op count, timings, max error, error text.</summary>
[GenerateSerializer, Immutable, Alias("Graphport.ZooModelStatus")]
public sealed record ZooModelStatus(
    [property: Id(0)] string Model,
    [property: Id(1)] ZooModelState State,
    [property: Id(2)] int Attempts = 0,
    [property: Id(3)] ProgramRef? Exported = null,
    [property: Id(4)] ProgramRef? Decomposed = null,
    [property: Id(5)] int Ops = 0,
    [property: Id(6)] double ExportMs = 0,
    [property: Id(7)] double DecomposeMs = 0,
    [property: Id(8)] double RunMs = 0,
    [property: Id(9)] double? MaxError = null,
    [property: Id(10)] string? Error = null,
    [property: Id(11)] string? Silo = null)
{
    public bool IsFinished => State is ZooModelState.Passed or ZooModelState.Failed;
}

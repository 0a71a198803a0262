namespace Graphport.Grains;

/// <summary>
/// One dynamic dimension of an export input, as data (the engine's Dim): dimension index, name, optional bounds.
/// Dims with the same name are one symbol, so sizes declared equal by sharing a Dim stay equal on the wire.
/// </summary>
[GenerateSerializer, Immutable, Alias("Graphport.DimSpec")]
public sealed record DimSpec(
    [property: Id(0)] int Dim,
    [property: Id(1)] string Name,
    [property: Id(2)] long? Min = null,
    [property: Id(3)] long? Max = null,
    [property: Id(4)] DimSpecKind Kind = DimSpecKind.Named);

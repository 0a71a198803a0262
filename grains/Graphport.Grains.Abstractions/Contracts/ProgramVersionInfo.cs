namespace Graphport.Grains;

/// <summary>What a stored program version is: where it came from, its size, inputs and shape ranges.</summary>
[GenerateSerializer, Immutable, Alias("Graphport.ProgramVersionInfo")]
public sealed record ProgramVersionInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] int Version,
    [property: Id(2)] ProgramVersionKind Kind,
    [property: Id(3)] string Origin,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] int OpCount,
    [property: Id(6)] int NodeCount,
    [property: Id(7)] ProgramInputInfo[] Inputs,
    [property: Id(8)] SymbolRange[] RangeConstraints,
    [property: Id(9)] int WeightCount,
    [property: Id(10)] long WeightBytes,
    [property: Id(11)] int? DerivedFrom = null,
    [property: Id(12)] string? Table = null)
{
    public ProgramRef Ref => new(Name, Version);
}

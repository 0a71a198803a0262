namespace Graphport.Grains;

/// <summary>One version as the ProgramGrain keeps it: its description, how it was made, and where its bytes are.</summary>
[GenerateSerializer, Immutable, Alias("Graphport.StoredProgramVersion")]
public sealed record StoredProgramVersion(
    [property: Id(0)] ProgramVersionInfo Info,
    [property: Id(1)] ProgramPayload Payload,
    [property: Id(2)] ProgramProvenance Provenance);

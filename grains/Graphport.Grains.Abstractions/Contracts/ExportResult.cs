namespace Graphport.Grains;

/// <summary>The stored program version an export produced, and how long tracing took.</summary>
[GenerateSerializer, Immutable, Alias("Graphport.ExportResult")]
public sealed record ExportResult([property: Id(0)] ProgramRef Program, [property: Id(1)] ProgramVersionInfo Info, [property: Id(2)] double ExportMs);

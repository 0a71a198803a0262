namespace Graphport.Grains;

/// <summary>The version a decomposition produced; <see cref="Reused"/> when an earlier run had made it already.</summary>
[GenerateSerializer, Immutable, Alias("Graphport.DecompositionResult")]
public sealed record DecompositionResult(
    [property: Id(0)] ProgramRef Program,
    [property: Id(1)] ProgramVersionInfo Info,
    [property: Id(2)] double DecomposeMs,
    [property: Id(3)] bool Reused);

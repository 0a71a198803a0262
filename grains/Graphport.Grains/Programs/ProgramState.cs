namespace Graphport.Grains;

/// <summary>A ProgramGrain's persisted state: its versions in order (descriptions and blob ids only, never weights).</summary>
[GenerateSerializer, Alias("Graphport.ProgramState")]
public sealed class ProgramState
{
    [Id(0)]
    public List<StoredProgramVersion> Versions { get; set; } = [];
}

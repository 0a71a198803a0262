namespace Graphport.Grains;

/// <summary>How a program version came to be.</summary>
[GenerateSerializer, Alias("Graphport.ProgramVersionKind")]
public enum ProgramVersionKind
{
    Exported,
    Decomposed,
    Uploaded,
}

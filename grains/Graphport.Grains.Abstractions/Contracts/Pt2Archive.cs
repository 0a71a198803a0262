namespace Graphport.Grains;

/// <summary>
/// One stored version as a .pt2 archive (the bytes ExportedProgram.Save and torch.export.save write, which
/// ExportedProgram.Load and torch.export.load read), with the version it is: asking for "name" gets the latest.
/// </summary>
[GenerateSerializer, Immutable, Alias("Graphport.Pt2Archive")]
public sealed record Pt2Archive([property: Id(0)] ProgramRef Program, [property: Id(1)] byte[] Bytes);

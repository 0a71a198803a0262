namespace Graphport.Grains;

/// <summary>A program made from its provenance, with the eager module it was traced from.</summary>
public sealed record BuiltProgram(Module Module, ExportedProgram Program);

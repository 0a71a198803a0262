namespace Graphport.Grains;

/// <summary>
/// A program as a codec writes it: one graph document and the weights as separate named byte arrays (raw,
/// little-endian), so the weights can go to the content-addressed store on their own.
/// </summary>
public sealed record EncodedProgram(string Format, byte[] Graph, IReadOnlyDictionary<string, byte[]> Weights);

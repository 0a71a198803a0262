namespace Graphport.Grains;

/// <summary>
/// Where a version's content lives: the program codec's graph document and the printed graph as blobs, and one
/// blob per weight. Grain state holds only these ids; the bytes are in the blob store.
/// </summary>
[GenerateSerializer, Immutable, Alias("Graphport.ProgramPayload")]
public sealed record ProgramPayload(
    [property: Id(0)] string Format,
    [property: Id(1)] string GraphBlobId,
    [property: Id(2)] string GraphTextBlobId,
    [property: Id(3)] NamedBlob[] Weights);

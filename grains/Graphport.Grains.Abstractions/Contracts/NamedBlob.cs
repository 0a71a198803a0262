namespace Graphport.Grains;

/// <summary>A named artifact in the content-addressed blob store ("state/fc1.weight" → sha256:...).</summary>
[GenerateSerializer, Immutable, Alias("Graphport.NamedBlob")]
public sealed record NamedBlob([property: Id(0)] string Name, [property: Id(1)] string BlobId, [property: Id(2)] long Bytes);

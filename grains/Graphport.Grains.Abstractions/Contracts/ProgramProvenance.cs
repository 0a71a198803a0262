namespace Graphport.Grains;

/// <summary>
/// How a program was made, as data: its source ("zoo:resnet18", "module:NAME", "upload"), the example batch or
/// input specs it was traced with, strictness, and the decomposition tables applied after export, in order.
/// An upload may say where the program came from (<see cref="Origin"/>, "onnx:resnet18.onnx"); versions stored
/// before there was such a field read it as null.
/// </summary>
[GenerateSerializer, Immutable, Alias("Graphport.ProgramProvenance")]
public sealed record ProgramProvenance(
    [property: Id(0)] string Source,
    [property: Id(1)] ExportInput[]? Inputs,
    [property: Id(2)] long ExampleBatch,
    [property: Id(3)] bool Strict,
    [property: Id(4)] string[] Tables,
    [property: Id(5)] string? RequestKey = null,
    [property: Id(6)] string? Origin = null)
{
    public const string UploadSource = "upload";

    public static ProgramProvenance Uploaded { get; } = new(UploadSource, null, 0, Strict: false, []);

    /// <summary>An upload, with where the client says it came from (see <see cref="UploadRequest.Origin"/>).</summary>
    public static ProgramProvenance ForUpload(string? origin) => Uploaded with { Origin = origin };

    public static ProgramProvenance ForExport(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ProgramProvenance(request.Source, request.Inputs, request.ExampleBatch, request.Strict, [], request.RequestKey);
    }

    /// <summary>The same program followed by one more decomposition.</summary>
    /// <remarks>The request key stays with the exported version: decompositions are deduplicated by (version, table).</remarks>
    public ProgramProvenance Then(string table) => this with { Tables = [.. Tables, table], RequestKey = null };

    public bool IsZoo => Source.StartsWith(ExportRequest.ZooPrefix, StringComparison.Ordinal);

    /// <summary>A line for people: "zoo:resnet18 (batch 2, strict)"; an upload's origin, or "uploaded" when it gave none.</summary>
    public string Describe()
    {
        if (Source == UploadSource) return Origin ?? "uploaded";
        string how = IsZoo ? $"batch {ExampleBatch}, {(Strict ? "strict" : "non-strict")}" : Strict ? "strict" : "non-strict";
        return $"{Source} ({how})";
    }
}

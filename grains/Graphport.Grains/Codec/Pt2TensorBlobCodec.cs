namespace Graphport.Grains;

/// <summary>
/// Stores a program as its .pt2 archive taken apart (<see cref="TensorRecordArchive"/>): the graph document is the
/// archive with its tensor records emptied (graph JSON, payload configs with every tensor's dtype, shape and
/// record), and each tensor record is a weight of its own, so the content store keeps equal tensors once across
/// versions and programs (a decomposed version adds no weight bytes). Decoding puts the records back and reads the
/// archive, so loading never traces again and <see cref="JoinArchive"/> gives the archive as it was saved.
/// </summary>
public sealed class Pt2TensorBlobCodec : IProgramCodec
{
    public const string FormatName = "pt2/2";

    public string Format => FormatName;

    public EncodedProgram Encode(ExportedProgram program, ProgramProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(provenance);
        var split = TensorRecordArchive.Split(Pt2ProgramCodec.Archive(program), "the program being stored");
        return new EncodedProgram(FormatName, split.Skeleton, split.Records);
    }

    public ExportedProgram Decode(EncodedProgram encoded) =>
        Pt2ProgramCodec.Read(JoinArchive(encoded), "the stored program", GraphportErrorKind.StorageFailed);

    /// <summary>The stored version's .pt2 archive, its tensor records back in place.</summary>
    public static byte[] JoinArchive(EncodedProgram encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Format != FormatName)
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"A program stored as '{encoded.Format}' cannot be read by the {FormatName} codec.");
        try
        {
            return TensorRecordArchive.Join(encoded.Graph, encoded.Weights, "the stored program");
        }
        catch (InvalidDataException e)
        {
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"The stored program cannot be put back together: {e.Message}");
        }
    }

    public string DescribeWeight(byte[] graph, string weightName)
    {
        try
        {
            var tensors = TensorRecordArchive.TensorsOf(graph, weightName, "the stored program");
            return tensors.Count == 0 ? $"record {weightName}" : $"{string.Join(", ", tensors)} (record {weightName})";
        }
        catch (InvalidDataException)
        {
            return $"record {weightName}";
        }
    }
}

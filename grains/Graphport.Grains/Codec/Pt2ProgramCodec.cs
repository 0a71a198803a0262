namespace Graphport.Grains;

/// <summary>
/// Stores a program as its .pt2 archive (ExportedProgram.Save: torch.export's JSON schema with the weights in the
/// archive), so any program can be stored, uploaded ones included, and loading never traces anything again.
/// The archive is one blob, weights included, so no tensor is shared with other versions: versions stored that way
/// are still read, while new ones are written by <see cref="Pt2TensorBlobCodec"/>, which stores each tensor once.
/// </summary>
public sealed class Pt2ProgramCodec : IProgramCodec
{
    public const string FormatName = "pt2/1";

    public string Format => FormatName;

    public EncodedProgram Encode(ExportedProgram program, ProgramProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(provenance);
        return new EncodedProgram(FormatName, Archive(program), new Dictionary<string, byte[]>(StringComparer.Ordinal));
    }

    /// <summary>The program's .pt2 archive, as <see cref="ExportedProgram.Save(Stream)"/> writes it.</summary>
    public static byte[] Archive(ExportedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        using var buffer = new MemoryStream();
        program.Save(buffer);
        return buffer.ToArray();
    }

    public ExportedProgram Decode(EncodedProgram encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Format != FormatName)
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"A program stored as '{encoded.Format}' cannot be read by the {FormatName} codec.");
        return Read(encoded.Graph, "the stored program", GraphportErrorKind.StorageFailed);
    }

    /// <summary>
    /// Reads archive bytes; a damaged archive becomes a GraphportException of <paramref name="damagedKind"/>
    /// (StorageFailed for what the cluster stored, InvalidRequest for what a client sent), an unknown operator InvalidRequest.
    /// </summary>
    public static ExportedProgram Read(byte[] archive, string displayName, GraphportErrorKind damagedKind)
    {
        ArgumentNullException.ThrowIfNull(archive);
        try
        {
            using var stream = new MemoryStream(archive, writable: false);
            return ExportedProgram.Load(stream, displayName);
        }
        catch (InvalidDataException e)
        {
            throw new GraphportException(damagedKind, $"{displayName} is not a readable .pt2 archive: {e.Message}");
        }
        catch (ExportException e)
        {
            throw new GraphportException(GraphportErrorKind.InvalidRequest, $"{displayName} cannot be loaded on this silo: {e.Message}");
        }
    }
}

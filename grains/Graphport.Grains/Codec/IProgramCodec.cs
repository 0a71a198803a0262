namespace Graphport.Grains;

/// <summary>
/// Turns programs into a graph document plus weight blobs and back. The cluster picks one codec in
/// <see cref="GrainServiceCollectionExtensions"/>; the .pt2 codec (ExportedProgram.Save/Load: torch's JSON schema,
/// raw weights) replaces <see cref="RecipeProgramCodec"/> there once the engine has it, and stored versions keep
/// their <see cref="EncodedProgram.Format"/> so either can be read back by the codec that wrote it.
/// </summary>
public interface IProgramCodec
{
    /// <summary>Written into every stored version ("graphport-recipe/1").</summary>
    string Format { get; }

    /// <summary>Encodes a program; <paramref name="provenance"/> is how it was made (a codec may ignore it).</summary>
    EncodedProgram Encode(ExportedProgram program, ProgramProvenance provenance);

    /// <summary>Decodes a program; damaged or stale documents throw GraphportException (StorageFailed).</summary>
    ExportedProgram Decode(EncodedProgram encoded);

    /// <summary>
    /// Names what a stored weight holds (its tensors), for errors about a missing or damaged weight blob; codecs
    /// whose weight names are the tensor names keep this default.
    /// </summary>
    string DescribeWeight(byte[] graph, string weightName) => weightName;
}

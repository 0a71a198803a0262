namespace Graphport;

/// <summary>
/// A .pt2 archive taken apart into its tensor payload records and the rest (the "skeleton": graph JSON, payload
/// configs, bookkeeping records, with each payload record left empty in its place), so a store can keep each
/// tensor's bytes once however many programs hold them. <see cref="Join"/> writes the original archive again,
/// byte for byte when it came from <see cref="ExportedProgram.Save(Stream)"/>.
/// </summary>
/// <param name="Skeleton">The archive with every payload record emptied; its configs say each record's dtype and shape.</param>
/// <param name="Records">Payload bytes by record name relative to the root (data/weights/weight_0, data/constants/tensor_0, ...).</param>
public sealed record TensorRecordArchive(byte[] Skeleton, IReadOnlyDictionary<string, byte[]> Records)
{
    /// <summary>Splits an archive; a damaged one raises <see cref="InvalidDataException"/> naming <paramref name="displayName"/>.</summary>
    public static TensorRecordArchive Split(byte[] archive, string displayName)
    {
        ArgumentNullException.ThrowIfNull(archive);
        using var reader = new Serialization.ArchiveReader(new MemoryStream(archive, writable: false), displayName);
        var payloads = Serialization.TensorRecordNames.Of(reader);
        var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var skeleton = new MemoryStream();
        var writer = new Serialization.AlignedZipWriter(skeleton, reader.Root);
        foreach (string name in reader.RecordNames)
        {
            if (payloads.ContainsKey(name))
            {
                records[name] = reader.ReadBytes(name, Array.MaxLength);
                writer.Write(name, []);
            }
            else
            {
                writer.Write(name, reader.ReadBytes(name));
            }
        }
        writer.Finish();
        return new TensorRecordArchive(skeleton.ToArray(), records);
    }

    /// <summary>
    /// Puts the payload records back into the skeleton. Every payload record the skeleton's configs name must be
    /// given, so a lost tensor can never load as zeros.
    /// </summary>
    public static byte[] Join(byte[] skeleton, IReadOnlyDictionary<string, byte[]> records, string displayName)
    {
        ArgumentNullException.ThrowIfNull(skeleton);
        ArgumentNullException.ThrowIfNull(records);
        using var reader = new Serialization.ArchiveReader(new MemoryStream(skeleton, writable: false), displayName);
        var payloads = Serialization.TensorRecordNames.Of(reader);
        foreach (string name in records.Keys)
        {
            if (!payloads.ContainsKey(name))
                throw new InvalidDataException($"{displayName} has no tensor record {name} to fill; its configs name {string.Join(", ", payloads.Keys)}.");
        }
        using var archive = new MemoryStream();
        var writer = new Serialization.AlignedZipWriter(archive, reader.Root);
        foreach (string name in reader.RecordNames)
        {
            if (payloads.TryGetValue(name, out var tensors))
            {
                if (!records.TryGetValue(name, out var bytes))
                    throw new InvalidDataException($"{displayName}: the bytes of tensor record {name} ({string.Join(", ", tensors)}) are missing.");
                writer.Write(name, bytes);
            }
            else
            {
                writer.Write(name, reader.ReadBytes(name));
            }
        }
        writer.Finish();
        return archive.ToArray();
    }

    /// <summary>The tensors (state-dict or constant names) a payload record holds, for messages about that record.</summary>
    public static IReadOnlyList<string> TensorsOf(byte[] skeleton, string record, string displayName)
    {
        ArgumentNullException.ThrowIfNull(skeleton);
        using var reader = new Serialization.ArchiveReader(new MemoryStream(skeleton, writable: false), displayName);
        return Serialization.TensorRecordNames.Of(reader).TryGetValue(record, out var tensors) ? tensors : [];
    }
}

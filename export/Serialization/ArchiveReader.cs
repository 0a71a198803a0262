using System.IO.Compression;
using System.Text;

namespace Graphport.Serialization;

/// <summary>
/// Reads the records of a .pt2 archive by their names relative to the root folder (taken from the first entry,
/// as PyTorch's reader does). Every failure — not a zip, truncated, a record missing, a checksum that does not
/// match — becomes an <see cref="InvalidDataException"/> that names the archive and the record.
/// </summary>
internal sealed class ArchiveReader : IDisposable
{
    private const int ChunkSize = 1 << 20;

    private readonly ZipArchive zip;
    private readonly Dictionary<string, ZipArchiveEntry> entries = new(StringComparer.Ordinal);
    private readonly long archiveLength;

    public ArchiveReader(Stream stream, string displayName)
    {
        DisplayName = displayName;
        archiveLength = stream.Length;
        zip = Open(stream, displayName);
        try
        {
            if (zip.Entries.Count == 0) throw new InvalidDataException($"{displayName} is an empty zip file, not a .pt2 archive.");
            string first = zip.Entries[0].FullName;
            int slash = first.IndexOf('/');
            if (slash <= 0)
                throw new InvalidDataException($"{displayName} is not a .pt2 archive: its first record \"{first}\" is not inside a root folder (a .pt2 archive keeps every record under one folder named after the file).");
            Root = first[..slash];
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.StartsWith(Root + "/", StringComparison.Ordinal))
                    entries[entry.FullName[(Root.Length + 1)..]] = entry;
            }
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private static ZipArchive Open(Stream stream, string displayName)
    {
        try
        {
            var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            try
            {
                // The central directory is read lazily; read it here, where its damage can be reported as such.
                _ = archive.Entries.Count;
                return archive;
            }
            catch
            {
                archive.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException or NotSupportedException)
        {
            throw new InvalidDataException($"{displayName} is not a readable .pt2 archive (a zip file is expected; it may be damaged or truncated): {e.Message}", e);
        }
    }

    public string DisplayName { get; }

    /// <summary>The folder every record lives under (the saved file's name without extension).</summary>
    public string Root { get; }

    public IEnumerable<string> RecordNames => entries.Keys;

    public bool Has(string name) => entries.ContainsKey(name);

    public long LengthOf(string name) => Entry(name).Length;

    public string ReadText(string name, long maxLength = 1L << 30) => Encoding.UTF8.GetString(ReadBytes(name, maxLength));

    public byte[] ReadBytes(string name, long maxLength = 1L << 30)
    {
        var entry = Entry(name);
        if (entry.Length > maxLength)
            throw new InvalidDataException($"{DisplayName}: record {name} is {entry.Length} bytes, more than the {maxLength} bytes such a record may have.");
        var buffer = new byte[entry.Length];
        Read(name, (offset, count) => buffer.AsSpan((int)offset, count));
        return buffer;
    }

    /// <summary>
    /// Streams a record into memory the caller provides, chunk by chunk (weights may exceed 2 GiB, more than one
    /// span can hold), and checks its CRC.
    /// </summary>
    /// <param name="target">Returns the span to fill for the given record offset and chunk length.</param>
    public void Read(string name, Func<long, int, Span<byte>> target)
    {
        var entry = Entry(name);
        long length = entry.Length;
        uint crc = 0;
        try
        {
            using var source = entry.Open();
            long offset = 0;
            while (offset < length)
            {
                int count = (int)Math.Min(ChunkSize, length - offset);
                var span = target(offset, count);
                source.ReadExactly(span);
                crc = Crc32.Append(crc, span);
                offset += count;
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException)
        {
            throw new InvalidDataException($"{DisplayName}: record {name} could not be read completely ({length} bytes expected); the archive is damaged or truncated: {e.Message}", e);
        }
        if (crc != entry.Crc32)
            throw new InvalidDataException($"{DisplayName}: record {name} is damaged: its CRC-32 is {crc:x8} but the archive says {entry.Crc32:x8}.");
    }

    private ZipArchiveEntry Entry(string name)
    {
        if (!entries.TryGetValue(name, out var entry))
            throw new InvalidDataException($"{DisplayName} has no record {Root}/{name}; a .pt2 archive written by torch.export.save or Graphport has one.");
        // A stored record cannot be longer than the file; a larger claim means a damaged directory (and would
        // otherwise make us allocate whatever it says).
        if (entry.Length < 0 || entry.CompressedLength > archiveLength || entry.Length > Math.Max(archiveLength, 1) * 1032L)
            throw new InvalidDataException($"{DisplayName}: record {name} claims {entry.Length} bytes, which this {archiveLength}-byte archive cannot hold; the archive is damaged.");
        return entry;
    }

    public void Dispose() => zip.Dispose();
}

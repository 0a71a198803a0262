using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Graphport.Serialization;

namespace Graphport.Tests.Serialization;

/// <summary>Reads and rewrites the records of a saved archive, for tests that look inside it or damage it.</summary>
internal static class ArchiveContents
{
    /// <summary>Every record, by its full name (root folder included), in archive order.</summary>
    public static List<(string Name, byte[] Data)> Records(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Select(e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return (e.FullName, m.ToArray());
        }).ToList();
    }

    public static string Text(string path, string name) => Encoding.UTF8.GetString(Records(path).Single(r => r.Name == name).Data);

    /// <summary>Writes a new archive from (possibly edited) records; null data drops a record.</summary>
    public static void Rewrite(string path, Func<string, byte[], byte[]?> edit)
    {
        var records = Records(path);
        string root = records[0].Name[..records[0].Name.IndexOf('/')];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        var writer = new AlignedZipWriter(stream, root);
        foreach (var (name, data) in records)
        {
            var edited = edit(name, data);
            if (edited is not null) writer.Write(name[(root.Length + 1)..], edited);
        }
        writer.Finish();
    }

    /// <summary>Where each record's data starts in the file, from the local headers.</summary>
    public static List<(string Name, long DataOffset)> DataOffsets(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var result = new List<(string, long)>();
        int pos = 0;
        while (pos + 30 <= bytes.Length && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos)) == 0x04034b50)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 18));
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos + 26));
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos + 28));
            string name = Encoding.UTF8.GetString(bytes, pos + 30, nameLength);
            int data = pos + 30 + nameLength + extraLength;
            result.Add((name, data));
            pos = data + (int)size;
        }
        return result;
    }
}

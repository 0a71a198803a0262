using System.Buffers.Binary;
using System.Text;

namespace Graphport.Serialization;

/// <summary>
/// Writes a zip the way PyTorch's archive writer does: every record stored uncompressed, under one root folder,
/// with its data starting on a 64-byte boundary (padding goes into an "FB" extra field of the local header), so a
/// reader can map weights straight from the file. Sizes or offsets past 4 GiB switch the record to ZIP64.
/// Records are streamed: the header is written first and its CRC patched when the data is complete.
/// </summary>
internal sealed class AlignedZipWriter
{
    public const int Alignment = 64;

    private const uint LocalHeaderSignature = 0x04034b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const ushort Zip64ExtraId = 0x0001;
    private const ushort PaddingExtraId = 0x4246; // the bytes 'F','B'
    private const ushort DosDate1980 = (0 << 9) | (1 << 5) | 1; // fixed timestamp: archives are reproducible

    private readonly Stream stream;
    private readonly string root;
    private readonly long zip64Threshold;
    private readonly List<Record> records = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private Record? open;
    private bool finished;

    private sealed class Record(string name, byte[] nameBytes, long headerOffset, long length, bool zip64)
    {
        public string Name { get; } = name;
        public byte[] NameBytes { get; } = nameBytes;
        public long HeaderOffset { get; } = headerOffset;
        public long Length { get; } = length;
        public bool Zip64 { get; } = zip64;
        public long CrcPosition { get; init; }
        public long DataStart { get; init; }
        public long Written { get; set; }
        public uint Crc { get; set; }
    }

    /// <param name="stream">A writable, seekable stream positioned at its start.</param>
    /// <param name="root">The folder every record goes under (the archive file's name without extension).</param>
    /// <param name="zip64Threshold">Sizes and offsets at or above this use ZIP64 fields; lowered only by tests.</param>
    public AlignedZipWriter(Stream stream, string root, long zip64Threshold = uint.MaxValue)
    {
        if (!stream.CanWrite || !stream.CanSeek) throw new ArgumentException("The archive stream must be writable and seekable.", nameof(stream));
        this.stream = stream;
        this.root = root;
        this.zip64Threshold = zip64Threshold;
    }

    /// <summary>Names of the records written so far, relative to the root folder.</summary>
    public IEnumerable<string> RecordNames => records.Select(r => r.Name);

    public bool HasRecord(string name) => names.Contains(name);

    public void Write(string name, ReadOnlySpan<byte> data)
    {
        Begin(name, data.Length);
        Append(data);
        End();
    }

    public void WriteText(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    /// <summary>Starts a record of exactly <paramref name="length"/> bytes; send them with <see cref="Append"/>, then <see cref="End"/>.</summary>
    public void Begin(string name, long length)
    {
        if (open is not null) throw new InvalidOperationException($"Record {open.Name} is still being written.");
        if (finished) throw new InvalidOperationException("The archive is finished.");
        if (!names.Add(name)) throw new InvalidOperationException($"The archive already has a record named {name}.");
        byte[] nameBytes = Encoding.UTF8.GetBytes($"{root}/{name}");
        if (nameBytes.Length > ushort.MaxValue) throw new ArgumentException($"Record name {name} is too long for a zip archive.", nameof(name));
        long headerOffset = stream.Position;
        bool zip64 = length >= zip64Threshold;
        int zip64ExtraLength = zip64 ? 4 + 16 : 0;
        long dataStartUnpadded = headerOffset + 30 + nameBytes.Length + zip64ExtraLength + 4;
        int padding = (int)((Alignment - dataStartUnpadded % Alignment) % Alignment);

        Span<byte> header = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(header[0..], LocalHeaderSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], zip64 ? (ushort)45 : (ushort)20);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], Flags(nameBytes));
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], 0); // stored
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], DosDate1980);
        BinaryPrimitives.WriteUInt32LittleEndian(header[14..], 0); // CRC, patched in End
        uint size32 = zip64 ? uint.MaxValue : (uint)length;
        BinaryPrimitives.WriteUInt32LittleEndian(header[18..], size32);
        BinaryPrimitives.WriteUInt32LittleEndian(header[22..], size32);
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)(zip64ExtraLength + 4 + padding));
        stream.Write(header);
        stream.Write(nameBytes);
        if (zip64)
        {
            Span<byte> extra = stackalloc byte[20];
            BinaryPrimitives.WriteUInt16LittleEndian(extra[0..], Zip64ExtraId);
            BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], 16);
            BinaryPrimitives.WriteInt64LittleEndian(extra[4..], length);
            BinaryPrimitives.WriteInt64LittleEndian(extra[12..], length);
            stream.Write(extra);
        }
        Span<byte> pad = stackalloc byte[4 + Alignment];
        BinaryPrimitives.WriteUInt16LittleEndian(pad[0..], PaddingExtraId);
        BinaryPrimitives.WriteUInt16LittleEndian(pad[2..], (ushort)padding);
        pad.Slice(4, padding).Fill((byte)'Z');
        stream.Write(pad[..(4 + padding)]);
        open = new Record(name, nameBytes, headerOffset, length, zip64) { CrcPosition = headerOffset + 14, DataStart = stream.Position };
    }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        var record = open ?? throw new InvalidOperationException("No record is open.");
        if (record.Written + chunk.Length > record.Length)
            throw new InvalidOperationException($"Record {record.Name} was declared as {record.Length} bytes, but more were written.");
        stream.Write(chunk);
        record.Crc = Crc32.Append(record.Crc, chunk);
        record.Written += chunk.Length;
    }

    public void End()
    {
        var record = open ?? throw new InvalidOperationException("No record is open.");
        if (record.Written != record.Length)
            throw new InvalidOperationException($"Record {record.Name} was declared as {record.Length} bytes, but {record.Written} were written.");
        long end = stream.Position;
        stream.Position = record.CrcPosition;
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, record.Crc);
        stream.Write(crc);
        stream.Position = end;
        records.Add(record);
        open = null;
    }

    /// <summary>Writes the central directory; until then the stream is not a readable zip. Nothing can be added afterwards.</summary>
    public void Finish()
    {
        if (finished) return;
        if (open is not null) throw new InvalidOperationException($"Record {open.Name} was not ended.");
        finished = true;
        long directoryStart = stream.Position;
        foreach (var r in records) WriteCentralHeader(r);
        long directoryEnd = stream.Position;
        long directorySize = directoryEnd - directoryStart;
        bool zip64End = records.Count >= ushort.MaxValue || directoryStart >= zip64Threshold || directorySize >= zip64Threshold;
        if (zip64End)
        {
            Span<byte> end64 = stackalloc byte[56];
            BinaryPrimitives.WriteUInt32LittleEndian(end64[0..], Zip64EndSignature);
            BinaryPrimitives.WriteInt64LittleEndian(end64[4..], 44);
            BinaryPrimitives.WriteUInt16LittleEndian(end64[12..], 45);
            BinaryPrimitives.WriteUInt16LittleEndian(end64[14..], 45);
            BinaryPrimitives.WriteUInt32LittleEndian(end64[16..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(end64[20..], 0);
            BinaryPrimitives.WriteInt64LittleEndian(end64[24..], records.Count);
            BinaryPrimitives.WriteInt64LittleEndian(end64[32..], records.Count);
            BinaryPrimitives.WriteInt64LittleEndian(end64[40..], directorySize);
            BinaryPrimitives.WriteInt64LittleEndian(end64[48..], directoryStart);
            stream.Write(end64);
            Span<byte> locator = stackalloc byte[20];
            BinaryPrimitives.WriteUInt32LittleEndian(locator[0..], Zip64LocatorSignature);
            BinaryPrimitives.WriteUInt32LittleEndian(locator[4..], 0);
            BinaryPrimitives.WriteInt64LittleEndian(locator[8..], directoryEnd);
            BinaryPrimitives.WriteUInt32LittleEndian(locator[16..], 1);
            stream.Write(locator);
        }
        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end[0..], EndOfCentralDirectorySignature);
        BinaryPrimitives.WriteUInt16LittleEndian(end[4..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(end[6..], 0);
        ushort count16 = zip64End ? ushort.MaxValue : (ushort)records.Count;
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], count16);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], count16);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], zip64End ? uint.MaxValue : (uint)directorySize);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], zip64End ? uint.MaxValue : (uint)directoryStart);
        BinaryPrimitives.WriteUInt16LittleEndian(end[20..], 0);
        stream.Write(end);
        stream.Flush();
    }

    private void WriteCentralHeader(Record r)
    {
        bool bigSize = r.Length >= zip64Threshold;
        bool bigOffset = r.HeaderOffset >= zip64Threshold;
        int extraFields = (bigSize ? 2 : 0) + (bigOffset ? 1 : 0);
        int extraLength = extraFields == 0 ? 0 : 4 + 8 * extraFields;
        bool zip64 = extraFields > 0 || r.Zip64;
        Span<byte> header = stackalloc byte[46];
        BinaryPrimitives.WriteUInt32LittleEndian(header[0..], CentralHeaderSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], zip64 ? (ushort)45 : (ushort)20);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], zip64 ? (ushort)45 : (ushort)20);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], Flags(r.NameBytes));
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[14..], DosDate1980);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], r.Crc);
        uint size32 = bigSize ? uint.MaxValue : (uint)r.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], size32);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], size32);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)r.NameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[30..], (ushort)extraLength);
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[36..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[38..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[42..], bigOffset ? uint.MaxValue : (uint)r.HeaderOffset);
        stream.Write(header);
        stream.Write(r.NameBytes);
        if (extraLength > 0)
        {
            Span<byte> extra = stackalloc byte[28];
            BinaryPrimitives.WriteUInt16LittleEndian(extra[0..], Zip64ExtraId);
            BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)(8 * extraFields));
            int at = 4;
            if (bigSize)
            {
                BinaryPrimitives.WriteInt64LittleEndian(extra[at..], r.Length);
                BinaryPrimitives.WriteInt64LittleEndian(extra[(at + 8)..], r.Length);
                at += 16;
            }
            if (bigOffset)
            {
                BinaryPrimitives.WriteInt64LittleEndian(extra[at..], r.HeaderOffset);
                at += 8;
            }
            stream.Write(extra[..at]);
        }
    }

    // Bit 11 says the name is UTF-8; plain ASCII names leave it clear, as most writers do.
    private static ushort Flags(byte[] nameBytes) => nameBytes.Any(b => b > 127) ? (ushort)0x0800 : (ushort)0;
}

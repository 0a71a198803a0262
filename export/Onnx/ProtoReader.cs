using System.Buffers.Binary;
using System.Text;

namespace Graphport.Onnx;

/// <summary>
/// Reads the protobuf wire format field by field. ONNX files are plain protobuf messages; reading the few
/// messages we need by hand keeps the engine free of a protobuf runtime and of generated code.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> data;
    private int position;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
        position = 0;
    }

    public readonly bool AtEnd => position >= data.Length;

    /// <summary>Reads the next field's key: its number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).</summary>
    public (int Field, int WireType) ReadKey()
    {
        ulong key = ReadVarint();
        int field = (int)(key >> 3);
        if (field <= 0) throw Malformed($"a field number of {field}");
        return (field, (int)(key & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length) throw Malformed("a varint cut off by the end of the data");
            byte b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw Malformed("a varint longer than 10 bytes");
    }

    public long ReadInt64() => (long)ReadVarint();

    public float ReadFloat() => BitConverter.Int32BitsToSingle((int)ReadFixed32());

    public uint ReadFixed32()
    {
        if (position + 4 > data.Length) throw Malformed("a 4-byte field cut off by the end of the data");
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(data[position..]);
        position += 4;
        return v;
    }

    public ulong ReadFixed64()
    {
        if (position + 8 > data.Length) throw Malformed("an 8-byte field cut off by the end of the data");
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(data[position..]);
        position += 8;
        return v;
    }

    /// <summary>The bytes of a length-delimited field (a sub-message, a string, bytes or a packed array).</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(data.Length - position)) throw Malformed($"a {length}-byte field with only {data.Length - position} byte(s) left");
        var slice = data.Slice(position, (int)length);
        position += (int)length;
        return slice;
    }

    /// <summary>Where a length-delimited field lies in this reader's data, so callers can slice memory instead of copying.</summary>
    public (int Offset, int Length) ReadRange()
    {
        var bytes = ReadBytes();
        return (position - bytes.Length, bytes.Length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Skips a field this reader does not use.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: ReadFixed64(); break;
            case 2: ReadBytes(); break;
            case 5: ReadFixed32(); break;
            default: throw Malformed($"wire type {wireType}, which protobuf does not define (groups are not used by ONNX)");
        }
    }

    /// <summary>A repeated int64 field: packed (wire type 2) or one value per key (wire type 0).</summary>
    public void ReadInt64s(int wireType, List<long> into)
    {
        if (wireType == 0)
        {
            into.Add(ReadInt64());
            return;
        }
        var packed = new ProtoReader(ReadBytes());
        while (!packed.AtEnd) into.Add(packed.ReadInt64());
    }

    /// <summary>A repeated float field: packed or one value per key.</summary>
    public void ReadFloats(int wireType, List<float> into)
    {
        if (wireType == 5)
        {
            into.Add(ReadFloat());
            return;
        }
        var packed = ReadBytes();
        if (packed.Length % 4 != 0) throw Malformed("a packed float array whose length is not a multiple of 4");
        for (int i = 0; i < packed.Length; i += 4) into.Add(BinaryPrimitives.ReadSingleLittleEndian(packed[i..]));
    }

    /// <summary>A repeated double field: packed or one value per key.</summary>
    public void ReadDoubles(int wireType, List<double> into)
    {
        if (wireType == 1)
        {
            into.Add(BitConverter.Int64BitsToDouble((long)ReadFixed64()));
            return;
        }
        var packed = ReadBytes();
        if (packed.Length % 8 != 0) throw Malformed("a packed double array whose length is not a multiple of 8");
        for (int i = 0; i < packed.Length; i += 8) into.Add(BinaryPrimitives.ReadDoubleLittleEndian(packed[i..]));
    }

    public void Expect(int wireType, int expected, string what)
    {
        if (wireType != expected) throw Malformed($"{what} with wire type {wireType} (expected {expected})");
    }

    private readonly OnnxFormatException Malformed(string what) =>
        new($"found {what} at byte {position}");
}

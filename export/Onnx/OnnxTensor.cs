using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Graphport.Onnx;

/// <summary>
/// A TensorProto: an initializer, a Constant node's value or a tensor attribute. The data stays where the file
/// holds it (raw bytes, typed arrays, or an external file) until <see cref="ToTensor"/> copies it into a tensor.
/// </summary>
public sealed class OnnxTensor
{
    internal OnnxTensor(string name, OnnxDataType dataType, long[] dims)
    {
        Name = name;
        DataType = dataType;
        Dims = dims;
    }

    public string Name { get; internal set; }

    public OnnxDataType DataType { get; }

    public IReadOnlyList<long> Dims { get; }

    public long ElementCount => Dims.Aggregate(1L, (a, b) => a * b);

    internal ReadOnlyMemory<byte> Raw { get; set; }

    internal bool HasRaw { get; set; }

    internal List<float> Floats { get; } = [];

    internal List<long> Int64s { get; } = [];

    /// <summary>int32_data: also carries int8/uint8/int16/bool/float16/bfloat16 values, one per entry.</summary>
    internal List<long> Int32s { get; } = [];

    internal List<double> Doubles { get; } = [];

    internal Dictionary<string, string> External { get; } = new(StringComparer.Ordinal);

    /// <summary>The folder of the .onnx file, for tensors stored in external data files.</summary>
    internal string? BaseDirectory { get; set; }

    public override string ToString() => $"{Name}: {DataType.Describe()}[{string.Join(", ", Dims)}]";

    /// <summary>Copies the data into a new contiguous tensor of the matching dtype.</summary>
    public Tensor ToTensor()
    {
        var dtype = DataType.ToDType() ?? throw new OnnxImportException(
            $"Tensor '{Name}' holds {DataType.Describe()} elements, which Graphport tensors cannot hold (supported: float32, float64, float16, bfloat16, int64, int32, int8, uint8, bool).");
        long count = ElementCount;
        if (count > Array.MaxLength) throw new OnnxImportException($"Tensor '{Name}' has {count} elements, more than one CPU storage holds ({Array.MaxLength}).");
        var storage = Storage.Allocate(dtype, count);
        int n = (int)count;
        if (External.Count > 0) FillFromBytes(storage, ReadExternal(n * dtype.ElementSize()), n);
        else if (HasRaw) FillFromBytes(storage, Raw.Span, n);
        else FillFromTyped(storage, n);
        var sizes = Dims.ToArray();
        var strides = new long[sizes.Length];
        long stride = 1;
        for (int d = sizes.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= sizes[d];
        }
        return new Tensor(storage, sizes, strides, 0);
    }

    private void FillFromBytes(Storage storage, ReadOnlySpan<byte> bytes, int n)
    {
        int itemSize = storage.DType.ElementSize();
        if (bytes.Length != (long)n * itemSize)
            throw new OnnxImportException($"Tensor '{Name}' declares shape [{string.Join(", ", Dims)}] of {DataType.Describe()} ({(long)n * itemSize} bytes) but holds {bytes.Length} bytes of data; the model file is damaged.");
        // ONNX stores raw data little-endian, the layout of every CLR array on the platforms .NET runs on here.
        if (!BitConverter.IsLittleEndian) throw new OnnxImportException("Reading ONNX raw tensor data needs a little-endian machine.");
        switch (storage.Data)
        {
            case float[] f: bytes.CopyTo(MemoryMarshal.AsBytes(f.AsSpan())); break;
            case double[] d: bytes.CopyTo(MemoryMarshal.AsBytes(d.AsSpan())); break;
            case Half[] h: bytes.CopyTo(MemoryMarshal.AsBytes(h.AsSpan())); break;
            case BFloat16[] b: bytes.CopyTo(MemoryMarshal.AsBytes(b.AsSpan())); break;
            case long[] l: bytes.CopyTo(MemoryMarshal.AsBytes(l.AsSpan())); break;
            case int[] i: bytes.CopyTo(MemoryMarshal.AsBytes(i.AsSpan())); break;
            case sbyte[] s: bytes.CopyTo(MemoryMarshal.AsBytes(s.AsSpan())); break;
            case byte[] u: bytes.CopyTo(u); break;
            case bool[] flags:
                for (int k = 0; k < n; k++) flags[k] = bytes[k] != 0;
                break;
        }
    }

    private void FillFromTyped(Storage storage, int n)
    {
        int available = storage.DType switch
        {
            DType.Float32 => Floats.Count,
            DType.Float64 => Doubles.Count,
            DType.Int64 => Int64s.Count,
            _ => Int32s.Count,
        };
        if (available != n)
            throw new OnnxImportException($"Tensor '{Name}' declares shape [{string.Join(", ", Dims)}] ({n} elements) but holds {available} value(s); the model file is damaged.");
        switch (storage.Data)
        {
            case float[] f: Floats.CopyTo(f); break;
            case double[] d: Doubles.CopyTo(d); break;
            case long[] l: Int64s.CopyTo(l); break;
            case int[] i: for (int k = 0; k < n; k++) i[k] = (int)Int32s[k]; break;
            case sbyte[] s: for (int k = 0; k < n; k++) s[k] = (sbyte)Int32s[k]; break;
            case byte[] u: for (int k = 0; k < n; k++) u[k] = (byte)Int32s[k]; break;
            case bool[] b: for (int k = 0; k < n; k++) b[k] = Int32s[k] != 0; break;
            // float16 and bfloat16 values travel as their 16 bits in int32_data.
            case Half[] h: for (int k = 0; k < n; k++) h[k] = BitConverter.UInt16BitsToHalf((ushort)Int32s[k]); break;
            case BFloat16[] bf:
                Span<byte> two = stackalloc byte[2];
                for (int k = 0; k < n; k++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)Int32s[k]);
                    bf[k] = MemoryMarshal.Read<BFloat16>(two);
                }
                break;
        }
    }

    private byte[] ReadExternal(long expected)
    {
        if (!External.TryGetValue("location", out var location) || string.IsNullOrEmpty(location))
            throw new OnnxImportException($"Tensor '{Name}' is stored in external data but names no location.");
        if (BaseDirectory is null)
            throw new OnnxImportException($"Tensor '{Name}' is stored in the external file '{location}'; load the model from its path (OnnxModel.Load) so the file can be found next to it.");
        string path = Path.GetFullPath(Path.Combine(BaseDirectory, location));
        if (!File.Exists(path)) throw new OnnxImportException($"Tensor '{Name}' is stored in '{path}', which does not exist. Keep the external data file next to the .onnx file.");
        long offset = External.TryGetValue("offset", out var o) ? long.Parse(o, System.Globalization.CultureInfo.InvariantCulture) : 0;
        long length = External.TryGetValue("length", out var l) ? long.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : expected;
        using var stream = File.OpenRead(path);
        if (offset + length > stream.Length)
            throw new OnnxImportException($"Tensor '{Name}' needs bytes {offset}..{offset + length} of '{path}', which has {stream.Length}; the external data file is incomplete.");
        var buffer = new byte[length];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }
}

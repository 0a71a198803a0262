using System.Runtime.InteropServices;

namespace Graphport.Grains;

/// <summary>
/// A tensor on the wire: torch's dtype name ("float32"), sizes, and the elements' little-endian bytes in
/// row-major order. Built from and turned back into engine tensors; a malformed one is refused with the reason.
/// </summary>
[GenerateSerializer, Immutable, Alias("Graphport.TensorData")]
public sealed record TensorData([property: Id(0)] string DType, [property: Id(1)] long[] Shape, [property: Id(2)] byte[] Data)
{
    public static TensorData FromTensor(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.IsFake) throw new ArgumentException("A traced (fake) tensor has no data to send; pass a real tensor.", nameof(tensor));
        RequireLittleEndian();
        var shape = tensor.Shape.Select(s => (long)s).ToArray();
        byte[] data = tensor.DType switch
        {
            Graphport.DType.Float32 => Bytes(tensor.ToArray<float>()),
            Graphport.DType.Float64 => Bytes(tensor.ToArray<double>()),
            Graphport.DType.Float16 => Bytes(tensor.ToArray<Half>()),
            Graphport.DType.BFloat16 => Bytes(tensor.ToArray<BFloat16>()),
            Graphport.DType.Int64 => Bytes(tensor.ToArray<long>()),
            Graphport.DType.Int32 => Bytes(tensor.ToArray<int>()),
            Graphport.DType.Int8 => Bytes(tensor.ToArray<sbyte>()),
            Graphport.DType.UInt8 => Bytes(tensor.ToArray<byte>()),
            Graphport.DType.Bool => Bytes(tensor.ToArray<bool>()),
            Graphport.DType.Complex64 => Bytes(tensor.ToArray<ComplexFloat>()),
            Graphport.DType.Complex128 => Bytes(tensor.ToArray<System.Numerics.Complex>()),
            _ => throw new ArgumentException($"Tensors of dtype {tensor.DType} cannot be sent.", nameof(tensor)),
        };
        return new TensorData(WireName(tensor.DType), shape, data);
    }

    /// <summary>Rebuilds the tensor; throws ArgumentException naming what is inconsistent (dtype, sizes, byte count).</summary>
    public Tensor ToTensor()
    {
        RequireLittleEndian();
        var dtype = ParseDType(DType);
        if (Shape is null) throw new ArgumentException("Tensor data has no shape.");
        if (Data is null) throw new ArgumentException("Tensor data has no bytes.");
        long expected;
        try
        {
            long numel = 1;
            foreach (long size in Shape)
            {
                if (size < 0) throw new ArgumentException($"Tensor shape [{string.Join(", ", Shape)}] has a negative size.");
                numel = checked(numel * size);
            }
            expected = checked(numel * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"Tensor shape [{string.Join(", ", Shape)}] has more elements than any tensor can hold.");
        }
        if (Data.LongLength != expected)
            throw new ArgumentException($"Tensor data of dtype {DType} and shape [{string.Join(", ", Shape)}] needs {expected} bytes, but {Data.LongLength} were sent.");
        Array values = dtype switch
        {
            Graphport.DType.Float32 => Values<float>(),
            Graphport.DType.Float64 => Values<double>(),
            Graphport.DType.Float16 => Values<Half>(),
            Graphport.DType.BFloat16 => Values<BFloat16>(),
            Graphport.DType.Int64 => Values<long>(),
            Graphport.DType.Int32 => Values<int>(),
            Graphport.DType.Int8 => Values<sbyte>(),
            Graphport.DType.UInt8 => Values<byte>(),
            Graphport.DType.Complex64 => Values<ComplexFloat>(),
            Graphport.DType.Complex128 => Values<System.Numerics.Complex>(),
            _ => Values<bool>(),
        };
        return Tensor.FromArray(values, Shape);
    }

    /// <summary>Accepts torch's names ("float32", "torch.float32", "int64") and the short ones ("f32", "i64").</summary>
    public static DType ParseDType(string? name)
    {
        string qualified = name?.StartsWith("torch.", StringComparison.Ordinal) == true ? name : "torch." + name;
        if (DTypeInfo.TryParseTorchName(qualified, out var dtype) || DTypeInfo.TryParseShortName(name, out dtype)) return dtype;
        throw new ArgumentException($"Unknown dtype '{name}'. Use one of: {string.Join(", ", Enum.GetValues<DType>().Select(WireName))}.");
    }

    /// <summary>torch's dtype name without the "torch." prefix, as inference protocols spell it ("float32").</summary>
    public static string WireName(DType dtype) => dtype.TorchName()["torch.".Length..];

    public override string ToString() => $"{DType}[{string.Join(", ", Shape)}]";

    private T[] Values<T>() where T : struct
    {
        // Unsafe.SizeOf is the size in memory (a bool is one byte); Marshal.SizeOf would give bool as a 4-byte Win32 BOOL.
        var result = new T[Data.Length / System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
        Data.AsSpan().CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        if (typeof(T) == typeof(bool)) CheckBooleans(Data);
        return result;
    }

    private static void CheckBooleans(byte[] data)
    {
        // A bool is one byte, 0 or 1; anything else would be a bool that is neither true nor false.
        if (data.AsSpan().IndexOfAnyExcept((byte)0, (byte)1) is int bad and >= 0)
            throw new ArgumentException($"Boolean tensor data holds byte {data[bad]} at element {bad}; only 0 and 1 are booleans.");
    }

    private static byte[] Bytes<T>(T[] values) where T : struct => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Tensor transfer assumes a little-endian machine.");
    }
}

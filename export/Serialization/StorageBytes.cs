using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Graphport.Serialization;

/// <summary>
/// A storage's elements as raw little-endian bytes, a window at a time: the archive keeps weights in exactly
/// this form, and a storage can exceed 2 GiB, more than one span reaches.
/// </summary>
internal static class StorageBytes
{
    public static long Length(Storage storage) => storage.Length * storage.DType.ElementSize();

    /// <summary>The bytes [byteOffset, byteOffset + byteCount); both must be multiples of the element size.</summary>
    public static Span<byte> Window(Storage storage, long byteOffset, int byteCount)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException(".pt2 weights are little-endian; saving and loading them needs a little-endian machine.");
        var data = storage.Data;
        return storage.DType switch
        {
            DType.Float32 => Slice((float[])data, byteOffset, byteCount),
            DType.Float64 => Slice((double[])data, byteOffset, byteCount),
            DType.Float16 => Slice((Half[])data, byteOffset, byteCount),
            DType.BFloat16 => Slice((BFloat16[])data, byteOffset, byteCount),
            DType.Int64 => Slice((long[])data, byteOffset, byteCount),
            DType.Int32 => Slice((int[])data, byteOffset, byteCount),
            DType.Int8 => Slice((sbyte[])data, byteOffset, byteCount),
            DType.UInt8 => Slice((byte[])data, byteOffset, byteCount),
            DType.Bool => Slice((bool[])data, byteOffset, byteCount),
            // Both complex elements are (real, imaginary) pairs in memory, as c10::complex stores them.
            DType.Complex64 => Slice((ComplexFloat[])data, byteOffset, byteCount),
            DType.Complex128 => Slice((System.Numerics.Complex[])data, byteOffset, byteCount),
            _ => throw new NotSupportedException($"Storage of {storage.DType} cannot be saved."),
        };
    }

    private static Span<byte> Slice<T>(T[] array, long byteOffset, int byteCount) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        return MemoryMarshal.AsBytes(array.AsSpan(checked((int)(byteOffset / size)), byteCount / size));
    }

    /// <summary>A bool must be 0 or 1 in memory; any other stored byte is read as true, as torch does.</summary>
    public static void NormalizeBools(Storage storage)
    {
        if (storage.Data is not bool[] bools) return;
        var bytes = MemoryMarshal.AsBytes(bools.AsSpan());
        for (int i = 0; i < bytes.Length; i++)
            if (bytes[i] > 1) bytes[i] = 1;
    }
}

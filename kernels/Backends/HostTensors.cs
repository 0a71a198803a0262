using System.Runtime.InteropServices;

namespace Graphport.Kernels.Backends;

/// <summary>Tensors to and from raw little-endian bytes (what device buffers and staging memory hold).</summary>
public static class HostTensors
{
    public static void WriteBytes(Tensor tensor, Span<byte> destination)
    {
        var contiguous = tensor.Contiguous();
        var data = contiguous.Storage.Data;
        long offset = contiguous.StorageOffset;
        long count = (long)contiguous.Numel();
        int size = Codegen.DTypeSizes.Of(tensor.DType);
        var source = data switch
        {
            float[] a => MemoryMarshal.AsBytes(a.AsSpan((int)offset, (int)count)),
            double[] a => MemoryMarshal.AsBytes(a.AsSpan((int)offset, (int)count)),
            Half[] a => MemoryMarshal.AsBytes(a.AsSpan((int)offset, (int)count)),
            BFloat16[] a => MemoryMarshal.AsBytes(a.AsSpan((int)offset, (int)count)),
            long[] a => MemoryMarshal.AsBytes(a.AsSpan((int)offset, (int)count)),
            int[] a => MemoryMarshal.AsBytes(a.AsSpan((int)offset, (int)count)),
            sbyte[] a => MemoryMarshal.AsBytes(a.AsSpan((int)offset, (int)count)),
            byte[] a => a.AsSpan((int)offset, (int)count),
            bool[] a => MemoryMarshal.AsBytes(a.AsSpan((int)offset, (int)count)),
            _ => throw new NotSupportedException(data.GetType().Name),
        };
        if (source.Length != count * size || destination.Length < source.Length)
            throw new ArgumentException($"A {tensor.DType} tensor of {count} elements needs {count * size} bytes; the destination has {destination.Length}.");
        source.CopyTo(destination);
    }

    public static Tensor ReadBytes(ReadOnlySpan<byte> source, DType dtype, long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var storage = Storage.Allocate(dtype, count);
        var bytes = source[..(int)(count * Codegen.DTypeSizes.Of(dtype))];
        switch (storage.Data)
        {
            case float[] a: bytes.CopyTo(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case double[] a: bytes.CopyTo(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case Half[] a: bytes.CopyTo(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case BFloat16[] a: bytes.CopyTo(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case long[] a: bytes.CopyTo(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case int[] a: bytes.CopyTo(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case sbyte[] a: bytes.CopyTo(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case byte[] a: bytes.CopyTo(a); break;
            case bool[] a: bytes.CopyTo(MemoryMarshal.AsBytes(a.AsSpan())); break;
        }
        return Tensor.FromArray(storage.Data, shape);
    }
}

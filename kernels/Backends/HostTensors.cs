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
            ComplexFloat[] a => MemoryMarshal.AsBytes(a.AsSpan((int)offset, (int)count)),
            System.Numerics.Complex[] a => MemoryMarshal.AsBytes(a.AsSpan((int)offset, (int)count)),
            _ => throw new NotSupportedException(data.GetType().Name),
        };
        if (source.Length != count * size || destination.Length < source.Length)
            throw new ArgumentException($"A {tensor.DType} tensor of {count} elements needs {count * size} bytes; the destination has {destination.Length}.");
        StagingCopy.Copy(source, destination);
    }

    public static Tensor ReadBytes(ReadOnlySpan<byte> source, DType dtype, long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var bytes = source[..checked((int)(count * Codegen.DTypeSizes.Of(dtype)))];
        // Every element is overwritten by the copy, so the array is not zeroed first (a batch's outputs are megabytes).
        Array data = dtype switch
        {
            DType.Float32 => Filled<float>(bytes),
            DType.Float64 => Filled<double>(bytes),
            DType.Float16 => Filled<Half>(bytes),
            DType.BFloat16 => Filled<BFloat16>(bytes),
            DType.Int64 => Filled<long>(bytes),
            DType.Int32 => Filled<int>(bytes),
            DType.Int8 => Filled<sbyte>(bytes),
            DType.UInt8 => Filled<byte>(bytes),
            DType.Complex64 => Filled<ComplexFloat>(bytes),
            DType.Complex128 => Filled<System.Numerics.Complex>(bytes),
            _ => Filled<bool>(bytes),
        };
        return Tensor.FromArray(data, shape);
    }

    private static T[] Filled<T>(ReadOnlySpan<byte> bytes) where T : struct
    {
        var array = GC.AllocateUninitializedArray<T>(bytes.Length / System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        StagingCopy.Copy(bytes, MemoryMarshal.AsBytes(array.AsSpan()));
        return array;
    }
}

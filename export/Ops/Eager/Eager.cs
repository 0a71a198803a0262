namespace Graphport.Operators;

/// <summary>Small eager helpers shared by kernels: allocation from meta, contiguous copies, writes into views.</summary>
internal static partial class Eager
{
    public static Tensor Allocate(TensorMeta meta) => Tensor.Empty(meta.DType, meta.Shape.Select(s => (long)s).ToArray());

    public static Tensor Allocate(DType dtype, long[] shape) => Tensor.Empty(dtype, shape);

    /// <summary>
    /// t as a new row-major tensor of <paramref name="dtype"/> (_to_copy), converted in one pass into an array the
    /// run's buffers may hand out again: converting into a temporary and copying that into a zeroed output took three
    /// passes and two allocations.
    /// </summary>
    public static Tensor ConvertedCopy(Tensor t, DType dtype)
    {
        long n = t.NumelLong;
        if (n > Array.MaxLength) return Allocate(dtype, t.Sizes);  // Storage.Allocate's error names the limit
        Array data = dtype switch
        {
            DType.Float32 => Cpu.RunBuffers.Allocate<float>(n, clear: false),
            DType.Float64 => Cpu.RunBuffers.Allocate<double>(n, clear: false),
            DType.Float16 => Cpu.RunBuffers.Allocate<Half>(n, clear: false),
            DType.BFloat16 => Cpu.RunBuffers.Allocate<BFloat16>(n, clear: false),
            DType.Int64 => Cpu.RunBuffers.Allocate<long>(n, clear: false),
            DType.Int32 => Cpu.RunBuffers.Allocate<int>(n, clear: false),
            DType.Int8 => Cpu.RunBuffers.Allocate<sbyte>(n, clear: false),
            DType.UInt8 => Cpu.RunBuffers.Allocate<byte>(n, clear: false),
            DType.Complex64 => Cpu.RunBuffers.Allocate<ComplexFloat>(n, clear: false),
            DType.Complex128 => Cpu.RunBuffers.Allocate<System.Numerics.Complex>(n, clear: false),
            _ => Cpu.RunBuffers.Allocate<bool>(n, clear: false),
        };
        Cpu.Cast.Convert(t.Storage.Data, LayoutOf(t), data);
        return new Tensor(Storage.Wrap(data), t.Sizes, Tensor.ContiguousStrides(t.Sizes), 0);
    }

    public static Tensor Contiguous(Tensor t)
    {
        if (t.IsContiguous() && t.offset == 0 && t.Storage.Length == t.NumelLong) return t;
        var result = Tensor.Empty(t.DType, t.Sizes);
        CopyInto(result, t);
        return result;
    }

    /// <summary>Writes <paramref name="src"/> (broadcast to dst's shape, converted to dst's dtype) into dst's memory.</summary>
    public static void CopyInto(Tensor dst, Tensor src)
    {
        var shape = dst.Sizes;
        var broadcast = ShapeRules.Broadcast(dst.Shape.AsArray(), src.Shape.AsArray());
        if (broadcast.Length != shape.Length || !broadcast.Select(s => (long)s).SequenceEqual(shape))
            throw new ArgumentException($"output with shape [{string.Join(", ", shape)}] doesn't match the broadcast shape [{string.Join(", ", broadcast)}]");
        var srcLayout = new Cpu.StridedLayout(shape, BroadcastStrides(src, shape), src.offset);
        var dstLayout = new Cpu.StridedLayout(shape, dst.strides, dst.offset);
        Array source = src.Storage.Data;
        if (src.DType != dst.DType && !ReferenceEquals(src.Storage, dst.Storage) && dst.IsContiguous() && dst.offset == 0)
        {
            Cpu.Cast.Convert(source, srcLayout, dst.Storage.Data);  // row-major from the start: convert in place
            return;
        }
        if (src.DType != dst.DType || ReferenceEquals(src.Storage, dst.Storage))
        {
            // Convert (or, when both share storage, snapshot) the source into a contiguous buffer of the destination's type.
            var converted = Cpu.Cast.Allocate(dst.DType, Cpu.ShapeMath.Numel(shape));
            Cpu.Cast.Convert(source, srcLayout, converted);
            source = converted;
            srcLayout = Cpu.StridedLayout.Contiguous(shape);
        }
        CopySameType(source, srcLayout, dst.Storage.Data, dstLayout);
    }

    private static void CopySameType(Array src, Cpu.StridedLayout srcLayout, Array dst, Cpu.StridedLayout dstLayout)
    {
        switch (src)
        {
            case float[] s: Cpu.StridedCopy.Copy(s, srcLayout, (float[])dst, dstLayout); break;
            case double[] s: Cpu.StridedCopy.Copy(s, srcLayout, (double[])dst, dstLayout); break;
            case long[] s: Cpu.StridedCopy.Copy(s, srcLayout, (long[])dst, dstLayout); break;
            case int[] s: Cpu.StridedCopy.Copy(s, srcLayout, (int[])dst, dstLayout); break;
            case bool[] s: Cpu.StridedCopy.Copy(s, srcLayout, (bool[])dst, dstLayout); break;
            case Half[] s: Cpu.StridedCopy.Copy(s, srcLayout, (Half[])dst, dstLayout); break;
            case BFloat16[] s: Cpu.StridedCopy.Copy(s, srcLayout, (BFloat16[])dst, dstLayout); break;
            case sbyte[] s: Cpu.StridedCopy.Copy(s, srcLayout, (sbyte[])dst, dstLayout); break;
            case byte[] s: Cpu.StridedCopy.Copy(s, srcLayout, (byte[])dst, dstLayout); break;
            case ComplexFloat[] s: Cpu.StridedCopy.Copy(s, srcLayout, (ComplexFloat[])dst, dstLayout); break;
            case System.Numerics.Complex[] s: Cpu.StridedCopy.Copy(s, srcLayout, (System.Numerics.Complex[])dst, dstLayout); break;
            default: throw new NotSupportedException($"Cannot copy arrays of {src.GetType().Name}.");
        }
    }

    /// <summary>Strides that read <paramref name="t"/> as if expanded to <paramref name="shape"/> (0 on broadcast dims).</summary>
    public static long[] BroadcastStrides(Tensor t, long[] shape)
    {
        var result = new long[shape.Length];
        int lead = shape.Length - t.Ndim;
        for (int i = 0; i < shape.Length; i++)
        {
            int src = i - lead;
            result[i] = src < 0 || t.sizes[src] == 1 && shape[i] != 1 ? 0 : t.strides[src];
        }
        return result;
    }
}

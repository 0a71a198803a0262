namespace Graphport.Ops;

/// <summary>Small eager helpers shared by kernels: allocation from meta, contiguous copies, writes into views.</summary>
internal static partial class Eager
{
    public static Tensor Allocate(TensorMeta meta) => Tensor.Empty(meta.DType, meta.Shape.Select(s => (long)s).ToArray());

    public static Tensor Allocate(DType dtype, long[] shape) => Tensor.Empty(dtype, shape);

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
        var srcStrides = BroadcastStrides(src, shape);
        StridedLoops.Copy(src.Storage, src.offset, srcStrides, dst.Storage, dst.offset, dst.strides, shape);
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

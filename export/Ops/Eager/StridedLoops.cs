namespace Graphport.Ops;

/// <summary>Element-by-element strided traversal for dtype conversion and copies between arbitrary layouts.</summary>
internal static class StridedLoops
{
    public static void Copy(Storage src, long srcOffset, long[] srcStrides, Storage dst, long dstOffset, long[] dstStrides, long[] shape)
    {
        long numel = shape.Aggregate(1L, (a, b) => a * b);
        if (numel == 0) return;
        if (src.DType == dst.DType)
        {
            switch (src.Data)
            {
                case float[] s: CopySame(s, srcOffset, srcStrides, (float[])dst.Data, dstOffset, dstStrides, shape); return;
                case double[] s: CopySame(s, srcOffset, srcStrides, (double[])dst.Data, dstOffset, dstStrides, shape); return;
                case long[] s: CopySame(s, srcOffset, srcStrides, (long[])dst.Data, dstOffset, dstStrides, shape); return;
                case int[] s: CopySame(s, srcOffset, srcStrides, (int[])dst.Data, dstOffset, dstStrides, shape); return;
                case bool[] s: CopySame(s, srcOffset, srcStrides, (bool[])dst.Data, dstOffset, dstStrides, shape); return;
                case Half[] s: CopySame(s, srcOffset, srcStrides, (Half[])dst.Data, dstOffset, dstStrides, shape); return;
                case BFloat16[] s: CopySame(s, srcOffset, srcStrides, (BFloat16[])dst.Data, dstOffset, dstStrides, shape); return;
                case sbyte[] s: CopySame(s, srcOffset, srcStrides, (sbyte[])dst.Data, dstOffset, dstStrides, shape); return;
                case byte[] s: CopySame(s, srcOffset, srcStrides, (byte[])dst.Data, dstOffset, dstStrides, shape); return;
            }
        }
        var index = new long[shape.Length];
        for (long n = 0; n < numel; n++)
        {
            long si = srcOffset, di = dstOffset;
            for (int d = 0; d < shape.Length; d++)
            {
                si += index[d] * srcStrides[d];
                di += index[d] * dstStrides[d];
            }
            if (dst.DType.IsFloatingPoint() || src.DType.IsFloatingPoint() && dst.DType == DType.Bool) dst.SetDouble(di, src.GetDouble(si));
            else dst.SetDouble(di, src.GetInt64(si));
            Increment(index, shape);
        }
    }

    private static void CopySame<T>(T[] src, long srcOffset, long[] srcStrides, T[] dst, long dstOffset, long[] dstStrides, long[] shape)
    {
        int rank = shape.Length;
        if (rank == 0)
        {
            dst[dstOffset] = src[srcOffset];
            return;
        }
        long inner = shape[rank - 1], si = srcStrides[rank - 1], di = dstStrides[rank - 1];
        long outer = 1;
        for (int d = 0; d < rank - 1; d++) outer *= shape[d];
        var index = new long[Math.Max(rank - 1, 0)];
        var outerShape = shape[..(rank - 1)];
        for (long o = 0; o < outer; o++)
        {
            long s0 = srcOffset, d0 = dstOffset;
            for (int d = 0; d < rank - 1; d++)
            {
                s0 += index[d] * srcStrides[d];
                d0 += index[d] * dstStrides[d];
            }
            if (si == 1 && di == 1) Array.Copy(src, s0, dst, d0, inner);
            else
                for (long i = 0; i < inner; i++) dst[d0 + i * di] = src[s0 + i * si];
            Increment(index, outerShape);
        }
    }

    public static void Increment(long[] index, long[] shape)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (++index[d] < shape[d]) return;
            index[d] = 0;
        }
    }
}

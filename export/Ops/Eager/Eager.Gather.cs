using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Dtype-agnostic data movement for indexing kernels: elements move in their storage type (no conversion), so
/// every dtype, Half and int32 included, is copied exactly.
/// </summary>
internal static partial class Eager
{
    /// <summary>A new contiguous tensor holding the elements <paramref name="view"/> selects from x's storage.</summary>
    public static Tensor Materialize(Tensor x, StridedLayout view)
    {
        var result = Tensor.Empty(x.DType, view.Shape);
        CopySameType(x.Storage.Data, view, result.Storage.Data, StridedLayout.Contiguous(view.Shape));
        return result;
    }

    /// <summary>The storage offset of each element of <paramref name="t"/>, in row-major logical order.</summary>
    public static long[] ElementOffsets(Tensor t)
    {
        var sizes = t.Sizes;
        var offsets = new long[t.NumelLong];
        if (offsets.Length == 0) return offsets;
        var index = new long[sizes.Length];
        long current = t.offset;
        for (long n = 0; n < offsets.LongLength; n++)
        {
            offsets[n] = current;
            for (int d = sizes.Length - 1; d >= 0; d--)
            {
                current += t.strides[d];
                if (++index[d] < sizes[d]) break;
                current -= t.strides[d] * sizes[d];
                index[d] = 0;
            }
        }
        return offsets;
    }

    /// <summary>A contiguous tensor of <paramref name="shape"/> whose element i is x's storage element offsets[i].</summary>
    public static Tensor GatherElements(Tensor x, long[] offsets, long[] shape)
    {
        var result = Tensor.Empty(x.DType, shape);
        GatherTyped(x.Storage.Data, offsets, result.Storage.Data);
        return result;
    }

    private static void GatherTyped(Array src, long[] offsets, Array dst)
    {
        switch (src)
        {
            case float[] s: Gather(s, offsets, (float[])dst); break;
            case double[] s: Gather(s, offsets, (double[])dst); break;
            case long[] s: Gather(s, offsets, (long[])dst); break;
            case int[] s: Gather(s, offsets, (int[])dst); break;
            case bool[] s: Gather(s, offsets, (bool[])dst); break;
            case Half[] s: Gather(s, offsets, (Half[])dst); break;
            case BFloat16[] s: Gather(s, offsets, (BFloat16[])dst); break;
            case sbyte[] s when s.GetType() == typeof(sbyte[]): Gather(s, offsets, (sbyte[])dst); break;
            case byte[] s: Gather(s, offsets, (byte[])dst); break;
            case ComplexFloat[] s: Gather(s, offsets, (ComplexFloat[])dst); break;
            case System.Numerics.Complex[] s: Gather(s, offsets, (System.Numerics.Complex[])dst); break;
            default: throw new NotSupportedException($"Cannot gather arrays of {src.GetType().Name}.");
        }
    }

    private static void Gather<T>(T[] src, long[] offsets, T[] dst)
    {
        for (long i = 0; i < offsets.LongLength; i++) dst[i] = src[offsets[i]];
    }

    /// <summary>
    /// Writes values' elements (row-major, already of dst's dtype and numel = positions.Length) into dst's storage at
    /// <paramref name="positions"/>, in order (a later write to the same position wins), or adds them with accumulate.
    /// </summary>
    public static void ScatterElements(Tensor dst, long[] positions, Tensor values, bool accumulate)
    {
        var v = Contiguous(values.DType == dst.DType ? values : Aten.CallKw(Aten.ToCopy, [values], ("dtype", dst.DType)));
        switch (dst.Storage.Data)
        {
            case float[] d: Scatter(d, positions, (float[])v.Storage.Data, accumulate); break;
            case double[] d: Scatter(d, positions, (double[])v.Storage.Data, accumulate); break;
            case long[] d: Scatter(d, positions, (long[])v.Storage.Data, accumulate); break;
            case int[] d: Scatter(d, positions, (int[])v.Storage.Data, accumulate); break;
            case Half[] d: Scatter(d, positions, (Half[])v.Storage.Data, accumulate); break;
            case BFloat16[] d: ScatterBFloat16(d, positions, (BFloat16[])v.Storage.Data, accumulate); break;
            case sbyte[] d when d.GetType() == typeof(sbyte[]): Scatter(d, positions, (sbyte[])v.Storage.Data, accumulate); break;
            case byte[] d: Scatter(d, positions, (byte[])v.Storage.Data, accumulate); break;
            case System.Numerics.Complex[] d: Scatter(d, positions, (System.Numerics.Complex[])v.Storage.Data, accumulate); break;
            case ComplexFloat[] d:
            {
                var s = (ComplexFloat[])v.Storage.Data;
                for (long i = 0; i < positions.LongLength; i++)
                    d[positions[i]] = accumulate ? (ComplexFloat)((System.Numerics.Complex)d[positions[i]] + s[i]) : s[i];
                break;
            }
            case bool[] d:
            {
                var s = (bool[])v.Storage.Data;
                for (long i = 0; i < positions.LongLength; i++) d[positions[i]] = accumulate ? d[positions[i]] | s[i] : s[i];
                break;
            }
            default: throw new NotSupportedException($"Cannot scatter into arrays of {dst.Storage.Data.GetType().Name}.");
        }
    }

    private static void Scatter<T>(T[] dst, long[] positions, T[] src, bool accumulate) where T : System.Numerics.INumberBase<T>
    {
        if (accumulate)
            for (long i = 0; i < positions.LongLength; i++) dst[positions[i]] = unchecked(dst[positions[i]] + src[i]);
        else
            for (long i = 0; i < positions.LongLength; i++) dst[positions[i]] = src[i];
    }

    private static void ScatterBFloat16(BFloat16[] dst, long[] positions, BFloat16[] src, bool accumulate)
    {
        for (long i = 0; i < positions.LongLength; i++)
            dst[positions[i]] = accumulate ? (BFloat16)((float)dst[positions[i]] + (float)src[i]) : src[i];
    }
}

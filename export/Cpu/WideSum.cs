using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graphport.Cpu;

/// <summary>Float32 sums accumulated in float64 vector lanes, so long reductions match a double reference to ~1e-7 relative.</summary>
internal static class WideSum
{
    public static double Sum(ReadOnlySpan<float> x)
    {
        int i = 0, n = x.Length;
        double total = 0;
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            ref float r = ref MemoryMarshal.GetReference(x);
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                var (lo, hi) = Vector256.Widen(v);
                acc0 += lo;
                acc1 += hi;
            }
            total = Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++) total += x[i];
        return total;
    }

    /// <summary>Σ (x − mean)² in double.</summary>
    public static double SumSquaredDeviation(ReadOnlySpan<float> x, double mean)
    {
        int i = 0, n = x.Length;
        double total = 0;
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            var m = Vector256.Create(mean);
            ref float r = ref MemoryMarshal.GetReference(x);
            for (; i + 8 <= n; i += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref r, (nuint)i));
                lo -= m;
                hi -= m;
                acc0 += lo * lo;
                acc1 += hi * hi;
            }
            total = Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++)
        {
            double d = x[i] - mean;
            total += d * d;
        }
        return total;
    }

    public static double SumSquaredDeviation(ReadOnlySpan<double> x, double mean)
    {
        using var tmp = new Scratch<double>(x.Length);
        TensorPrimitives.Subtract(x, mean, tmp.Span);
        return TensorPrimitives.SumOfSquares<double>(tmp.Span);
    }

    /// <summary>Generic entry: float sums widen, double sums use TensorPrimitives directly.</summary>
    public static double Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, INumberBase<T>
    {
        if (typeof(T) == typeof(float)) return Sum(MemoryMarshal.Cast<T, float>(x));
        if (typeof(T) == typeof(double)) return TensorPrimitives.Sum(MemoryMarshal.Cast<T, double>(x));
        return double.CreateTruncating(TensorPrimitives.Sum(x));
    }

    public static double SumSquaredDeviation<T>(ReadOnlySpan<T> x, double mean) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return SumSquaredDeviation(MemoryMarshal.Cast<T, float>(x), mean);
        return SumSquaredDeviation(MemoryMarshal.Cast<T, double>(x), mean);
    }

    /// <summary>acc[i] += x[i], widening float rows into a double accumulator.</summary>
    public static void AccumulateRow<T>(ReadOnlySpan<T> x, Span<double> acc) where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            TensorPrimitives.Add(acc, MemoryMarshal.Cast<T, double>(x), acc);
            return;
        }
        var xf = MemoryMarshal.Cast<T, float>(x);
        int i = 0, n = xf.Length;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float r = ref MemoryMarshal.GetReference(xf);
            ref double ra = ref MemoryMarshal.GetReference(acc);
            for (; i + 8 <= n; i += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref r, (nuint)i));
                (Vector256.LoadUnsafe(ref ra, (nuint)i) + lo).StoreUnsafe(ref ra, (nuint)i);
                (Vector256.LoadUnsafe(ref ra, (nuint)(i + 4)) + hi).StoreUnsafe(ref ra, (nuint)(i + 4));
            }
        }
        for (; i < n; i++) acc[i] += xf[i];
    }
}

using System.Numerics;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

/// <summary>
/// Level-1 operations on contiguous runs of doubles (rows of a row-major matrix), which the factorizations arrange
/// their inner loops around so that every hot loop reads and writes memory in order and fills vector lanes.
/// </summary>
internal static class VectorKernels
{
    /// <summary>Σ x[i]·y[i] over the common length.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = Math.Min(x.Length, y.Length), i = 0;
        double sum = 0;
        int width = Vector<double>.Count;
        if (Vector.IsHardwareAccelerated && n >= 2 * width)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double yr = ref MemoryMarshal.GetReference(y);
            // Two accumulators hide the add latency; one would serialise every step on the previous sum.
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            for (; i + 2 * width <= n; i += 2 * width)
            {
                acc0 += Vector.LoadUnsafe(ref xr, (nuint)i) * Vector.LoadUnsafe(ref yr, (nuint)i);
                acc1 += Vector.LoadUnsafe(ref xr, (nuint)(i + width)) * Vector.LoadUnsafe(ref yr, (nuint)(i + width));
            }
            sum = Vector.Sum(acc0 + acc1);
        }
        for (; i < n; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>y += alpha·x over the common length.</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = Math.Min(x.Length, y.Length), i = 0;
        if (alpha == 0) return;
        int width = Vector<double>.Count;
        if (Vector.IsHardwareAccelerated && n >= width)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double yr = ref MemoryMarshal.GetReference(y);
            var a = new Vector<double>(alpha);
            for (; i + width <= n; i += width)
                (Vector.LoadUnsafe(ref yr, (nuint)i) + a * Vector.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        }
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    /// <summary>x *= alpha.</summary>
    public static void Scale(double alpha, Span<double> x)
    {
        int n = x.Length, i = 0;
        int width = Vector<double>.Count;
        if (Vector.IsHardwareAccelerated && n >= width)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            var a = new Vector<double>(alpha);
            for (; i + width <= n; i += width)
                (a * Vector.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref xr, (nuint)i);
        }
        for (; i < n; i++) x[i] *= alpha;
    }

    /// <summary>Plane rotation of two rows: (x, y) ← (c·x + s·y, c·y − s·x).</summary>
    public static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        int n = Math.Min(x.Length, y.Length), i = 0;
        int width = Vector<double>.Count;
        if (Vector.IsHardwareAccelerated && n >= width)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double yr = ref MemoryMarshal.GetReference(y);
            var cv = new Vector<double>(c);
            var sv = new Vector<double>(s);
            for (; i + width <= n; i += width)
            {
                var xv = Vector.LoadUnsafe(ref xr, (nuint)i);
                var yv = Vector.LoadUnsafe(ref yr, (nuint)i);
                (cv * xv + sv * yv).StoreUnsafe(ref xr, (nuint)i);
                (cv * yv - sv * xv).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            double xi = x[i], yi = y[i];
            x[i] = c * xi + s * yi;
            y[i] = c * yi - s * xi;
        }
    }

    /// <summary>
    /// Euclidean norm of count elements spaced stride apart. Squares are summed directly when no element is near the
    /// overflow or underflow edge; otherwise the elements are scaled by the largest magnitude first.
    /// </summary>
    public static double Norm2(ReadOnlySpan<double> x, int stride, int count)
    {
        double largest = 0;
        for (int i = 0; i < count; i++)
        {
            double v = Math.Abs(x[i * stride]);
            if (double.IsNaN(v)) return v;
            if (v > largest) largest = v;
        }
        if (largest == 0 || !double.IsFinite(largest)) return largest;
        double sum = 0;
        if (largest > 1e-150 && largest < 1e150)
        {
            for (int i = 0; i < count; i++)
            {
                double v = x[i * stride];
                sum += v * v;
            }
            return Math.Sqrt(sum);
        }
        // Dividing, not multiplying by 1/largest: the reciprocal of a subnormal overflows.
        for (int i = 0; i < count; i++)
        {
            double v = x[i * stride] / largest;
            sum += v * v;
        }
        return largest * Math.Sqrt(sum);
    }

    /// <summary>Exchanges the contents of two equally long runs.</summary>
    public static void Swap(Span<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) (x[i], y[i]) = (y[i], x[i]);
    }

    /// <summary>Largest |x[i]|, NaN if any element is NaN.</summary>
    public static double MaxAbs(ReadOnlySpan<double> x)
    {
        double largest = 0;
        foreach (double v in x)
        {
            double a = Math.Abs(v);
            if (double.IsNaN(a)) return a;
            if (a > largest) largest = a;
        }
        return largest;
    }
}

using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graphport.Cpu;

/// <summary>
/// Dot products and row updates for the kernels that call them thousands of times a second on short spans (the skinny
/// GEMMs of a small model's linear layers), float32 compiled optimized from its first call whatever the app's settings,
/// in <see cref="IFloatVector{TVector}"/> registers as <see cref="VectorMath"/> is. System.Numerics.Tensors'
/// TensorPrimitives run their generic vector code unoptimized at first on a machine with AVX-512 (their precompiled
/// code is not used there), each Vector512 load and add a call, unless the app compiles methods with loops optimized
/// from the start (TieredCompilationQuickJitForLoops=false, as this repository's apps do): in an app without it a
/// 40-node model took 70 µs a call instead of 8 for its first 4-5 seconds. Other types keep TensorPrimitives.
/// </summary>
internal static class OptimizedSpans
{
    /// <summary>Σ x[i]·y[i] over x's length (y at least as long), in four vector accumulators for float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length < x.Length) throw new ArgumentException($"Dot: y has {y.Length} elements, fewer than x's {x.Length}", nameof(y));
        if (typeof(T) != typeof(float) || !VectorMath.IsAccelerated) return TensorPrimitives.Dot(x, y[..x.Length]);
        var xf = MemoryMarshal.Cast<T, float>(x);
        var yf = MemoryMarshal.Cast<T, float>(y);
        float sum = VectorMath.Use512 ? Dot<Vector512<float>, FloatVector512>(xf, yf) : Dot<Vector256<float>, FloatVector256>(xf, yf);
        return Unsafe.As<float, T>(ref sum);
    }

    /// <summary>
    /// Four dot products of x with y0..y3 (each at least as long as x) into sums[0..3], each the very number
    /// <see cref="Dot{T}"/> gives: a matrix-vector product's columns four at a time read x once for all four, where
    /// one at a time two loads fed each multiply-add and the load ports, not the arithmetic, set the pace.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y0, ReadOnlySpan<T> y1, ReadOnlySpan<T> y2, ReadOnlySpan<T> y3, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sums.Length < 4) throw new ArgumentException($"Dot4: sums has {sums.Length} elements; expected 4", nameof(sums));
        // Sixteen accumulators and the x vector need the 32 registers of AVX-512; with 16 they would spill.
        if (typeof(T) != typeof(float) || !VectorMath.IsAccelerated || !VectorMath.Use512)
        {
            (sums[0], sums[1], sums[2], sums[3]) = (Dot(x, y0), Dot(x, y1), Dot(x, y2), Dot(x, y3));
            return;
        }
        int n = x.Length;
        if (y0.Length < n || y1.Length < n || y2.Length < n || y3.Length < n)
            throw new ArgumentException($"Dot4: a y has fewer elements than x's {n}", nameof(y0));
        Dot4<Vector512<float>, FloatVector512>(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y0), MemoryMarshal.Cast<T, float>(y1),
            MemoryMarshal.Cast<T, float>(y2), MemoryMarshal.Cast<T, float>(y3), MemoryMarshal.Cast<T, float>(sums));
    }

    /// <summary>y[i] += a·x[i] over x's length (y at least as long), fused (rounded once) for float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy<T>(T a, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length < x.Length) throw new ArgumentException($"Axpy: y has {y.Length} elements, fewer than x's {x.Length}", nameof(y));
        var target = y[..x.Length];
        if (typeof(T) != typeof(float) || !VectorMath.IsAccelerated)
        {
            TensorPrimitives.MultiplyAdd(x, a, target, target);
            return;
        }
        var xf = MemoryMarshal.Cast<T, float>(x);
        var yf = MemoryMarshal.Cast<T, float>(target);
        float af = Unsafe.As<T, float>(ref a);
        if (VectorMath.Use512) Axpy<Vector512<float>, FloatVector512>(af, xf, yf);
        else Axpy<Vector256<float>, FloatVector256>(af, xf, yf);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot<TVector, TOps>(ReadOnlySpan<float> x, ReadOnlySpan<float> y) where TVector : struct where TOps : IFloatVector<TVector>
    {
        ref float xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, w = TOps.Width, i = 0;
        float sum = 0;
        if (n >= w)
        {
            TVector s0 = TOps.Create(0f), s1 = s0, s2 = s0, s3 = s0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                s0 = TOps.FusedMultiplyAdd(TOps.Load(ref Unsafe.Add(ref xr, i)), TOps.Load(ref Unsafe.Add(ref yr, i)), s0);
                s1 = TOps.FusedMultiplyAdd(TOps.Load(ref Unsafe.Add(ref xr, i + w)), TOps.Load(ref Unsafe.Add(ref yr, i + w)), s1);
                s2 = TOps.FusedMultiplyAdd(TOps.Load(ref Unsafe.Add(ref xr, i + 2 * w)), TOps.Load(ref Unsafe.Add(ref yr, i + 2 * w)), s2);
                s3 = TOps.FusedMultiplyAdd(TOps.Load(ref Unsafe.Add(ref xr, i + 3 * w)), TOps.Load(ref Unsafe.Add(ref yr, i + 3 * w)), s3);
            }
            for (; i <= n - w; i += w) s0 = TOps.FusedMultiplyAdd(TOps.Load(ref Unsafe.Add(ref xr, i)), TOps.Load(ref Unsafe.Add(ref yr, i)), s0);
            sum = TOps.Sum(TOps.Add(TOps.Add(s0, s1), TOps.Add(s2, s3)));
        }
        for (; i < n; i++) sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), sum);
        return sum;
    }

    // Each column's sum in the order Dot<TVector, TOps> adds it: four accumulators over blocks of four vectors, single
    // vectors into the first, the accumulators added pairwise, then the scalar tail.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4<TVector, TOps>(ReadOnlySpan<float> x, ReadOnlySpan<float> y0, ReadOnlySpan<float> y1, ReadOnlySpan<float> y2, ReadOnlySpan<float> y3, Span<float> sums)
        where TVector : struct where TOps : IFloatVector<TVector>
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float r0 = ref MemoryMarshal.GetReference(y0), r1 = ref MemoryMarshal.GetReference(y1);
        ref float r2 = ref MemoryMarshal.GetReference(y2), r3 = ref MemoryMarshal.GetReference(y3);
        int n = x.Length, w = TOps.Width, i = 0;
        float d0 = 0, d1 = 0, d2 = 0, d3 = 0;
        if (n >= w)
        {
            TVector zero = TOps.Create(0f);
            TVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, b0 = zero, b1 = zero, b2 = zero, b3 = zero;
            TVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, e0 = zero, e1 = zero, e2 = zero, e3 = zero;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                TVector x0 = TOps.Load(ref Unsafe.Add(ref xr, i)), x1 = TOps.Load(ref Unsafe.Add(ref xr, i + w));
                TVector x2 = TOps.Load(ref Unsafe.Add(ref xr, i + 2 * w)), x3 = TOps.Load(ref Unsafe.Add(ref xr, i + 3 * w));
                a0 = TOps.FusedMultiplyAdd(x0, TOps.Load(ref Unsafe.Add(ref r0, i)), a0);
                b0 = TOps.FusedMultiplyAdd(x0, TOps.Load(ref Unsafe.Add(ref r1, i)), b0);
                c0 = TOps.FusedMultiplyAdd(x0, TOps.Load(ref Unsafe.Add(ref r2, i)), c0);
                e0 = TOps.FusedMultiplyAdd(x0, TOps.Load(ref Unsafe.Add(ref r3, i)), e0);
                a1 = TOps.FusedMultiplyAdd(x1, TOps.Load(ref Unsafe.Add(ref r0, i + w)), a1);
                b1 = TOps.FusedMultiplyAdd(x1, TOps.Load(ref Unsafe.Add(ref r1, i + w)), b1);
                c1 = TOps.FusedMultiplyAdd(x1, TOps.Load(ref Unsafe.Add(ref r2, i + w)), c1);
                e1 = TOps.FusedMultiplyAdd(x1, TOps.Load(ref Unsafe.Add(ref r3, i + w)), e1);
                a2 = TOps.FusedMultiplyAdd(x2, TOps.Load(ref Unsafe.Add(ref r0, i + 2 * w)), a2);
                b2 = TOps.FusedMultiplyAdd(x2, TOps.Load(ref Unsafe.Add(ref r1, i + 2 * w)), b2);
                c2 = TOps.FusedMultiplyAdd(x2, TOps.Load(ref Unsafe.Add(ref r2, i + 2 * w)), c2);
                e2 = TOps.FusedMultiplyAdd(x2, TOps.Load(ref Unsafe.Add(ref r3, i + 2 * w)), e2);
                a3 = TOps.FusedMultiplyAdd(x3, TOps.Load(ref Unsafe.Add(ref r0, i + 3 * w)), a3);
                b3 = TOps.FusedMultiplyAdd(x3, TOps.Load(ref Unsafe.Add(ref r1, i + 3 * w)), b3);
                c3 = TOps.FusedMultiplyAdd(x3, TOps.Load(ref Unsafe.Add(ref r2, i + 3 * w)), c3);
                e3 = TOps.FusedMultiplyAdd(x3, TOps.Load(ref Unsafe.Add(ref r3, i + 3 * w)), e3);
            }
            for (; i <= n - w; i += w)
            {
                TVector x0 = TOps.Load(ref Unsafe.Add(ref xr, i));
                a0 = TOps.FusedMultiplyAdd(x0, TOps.Load(ref Unsafe.Add(ref r0, i)), a0);
                b0 = TOps.FusedMultiplyAdd(x0, TOps.Load(ref Unsafe.Add(ref r1, i)), b0);
                c0 = TOps.FusedMultiplyAdd(x0, TOps.Load(ref Unsafe.Add(ref r2, i)), c0);
                e0 = TOps.FusedMultiplyAdd(x0, TOps.Load(ref Unsafe.Add(ref r3, i)), e0);
            }
            d0 = TOps.Sum(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3)));
            d1 = TOps.Sum(TOps.Add(TOps.Add(b0, b1), TOps.Add(b2, b3)));
            d2 = TOps.Sum(TOps.Add(TOps.Add(c0, c1), TOps.Add(c2, c3)));
            d3 = TOps.Sum(TOps.Add(TOps.Add(e0, e1), TOps.Add(e2, e3)));
        }
        for (; i < n; i++)
        {
            float xi = Unsafe.Add(ref xr, i);
            d0 = MathF.FusedMultiplyAdd(xi, Unsafe.Add(ref r0, i), d0);
            d1 = MathF.FusedMultiplyAdd(xi, Unsafe.Add(ref r1, i), d1);
            d2 = MathF.FusedMultiplyAdd(xi, Unsafe.Add(ref r2, i), d2);
            d3 = MathF.FusedMultiplyAdd(xi, Unsafe.Add(ref r3, i), d3);
        }
        (sums[0], sums[1], sums[2], sums[3]) = (d0, d1, d2, d3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy<TVector, TOps>(float a, ReadOnlySpan<float> x, Span<float> y) where TVector : struct where TOps : IFloatVector<TVector>
    {
        ref float xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, w = TOps.Width, i = 0;
        var av = TOps.Create(a);
        for (; i <= n - w; i += w)
            TOps.Store(TOps.FusedMultiplyAdd(av, TOps.Load(ref Unsafe.Add(ref xr, i)), TOps.Load(ref Unsafe.Add(ref yr, i))), ref Unsafe.Add(ref yr, i));
        for (; i < n; i++) Unsafe.Add(ref yr, i) = MathF.FusedMultiplyAdd(a, Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
    }
}

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

using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

/// <summary>Special functions .NET lacks (erf), scalar in double and vectorized in float.</summary>
public static partial class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>erf(x) to ~1e-15 absolute: a positive-term series below 3 (no cancellation) and a continued fraction for erfc above.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Abs(x);
        if (ax >= 6) return Math.CopySign(1.0, x);
        double result;
        if (ax < 3)
        {
            // erf(x) = 2/√π e^{-x²} Σ (2x²)^n x / (2n+1)!!
            double x2 = 2 * ax * ax, term = ax, sum = ax;
            for (int n = 1; n < 200; n++)
            {
                term *= x2 / (2 * n + 1);
                sum += term;
                if (term < sum * 1e-17) break;
            }
            result = TwoOverSqrtPi * Math.Exp(-ax * ax) * sum;
        }
        else
        {
            // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) evaluated from the tail.
            double f = ax;
            for (int k = 80; k >= 1; k--) f = ax + k * 0.5 / f;
            result = 1 - Math.Exp(-ax * ax) / (Math.Sqrt(Math.PI) * f);
        }
        return x < 0 ? -result : result;
    }

    /// <summary>Single-precision erf with about 1 ulp error (minimax polynomials split at |x| = 0.9277).</summary>
    public static float Erf(float a)
    {
        float t = MathF.Abs(a), s = a * a;
        if (t > 0.927734375f)
        {
            t = MathF.Min(t, 10f);
            s = t * t;
            float r = MathF.FusedMultiplyAdd(-1.72853470e-5f, t, 3.83197126e-4f);
            float u = MathF.FusedMultiplyAdd(-3.88396438e-3f, t, 2.42546219e-2f);
            r = MathF.FusedMultiplyAdd(r, s, u);
            r = MathF.FusedMultiplyAdd(r, t, -1.06777877e-1f);
            r = MathF.FusedMultiplyAdd(r, t, -6.34846687e-1f);
            r = MathF.FusedMultiplyAdd(r, t, -1.28717512e-1f);
            r = MathF.FusedMultiplyAdd(r, t, -t);
            return MathF.CopySign(1.0f - MathF.Exp(r), a);
        }
        float p = -5.96761703e-4f;
        p = MathF.FusedMultiplyAdd(p, s, 4.99119423e-3f);
        p = MathF.FusedMultiplyAdd(p, s, -2.67681349e-2f);
        p = MathF.FusedMultiplyAdd(p, s, 1.12819925e-1f);
        p = MathF.FusedMultiplyAdd(p, s, -3.76125336e-1f);
        p = MathF.FusedMultiplyAdd(p, s, 1.28379166e-1f);
        return MathF.FusedMultiplyAdd(p, a, a);
    }

    /// <summary>y = erf(x) elementwise; x and y may be the same span.</summary>
    public static void Erf(ReadOnlySpan<float> x, Span<float> y)
    {
        if (VectorMath.TryErf(x, y)) return;
        int n = x.Length;
        var tmp = ArrayPool<float>.Shared.Rent(n);
        try
        {
            var big = tmp.AsSpan(0, n);
            int w = Vector<float>.Count, i = 0;
            // Pass 1: the exponent of the large-|x| branch for every lane, so one vectorized Exp serves the whole span.
            for (; i + w <= n; i += w)
            {
                var t = Vector.Min(Vector.Abs(new Vector<float>(x.Slice(i, w))), new Vector<float>(10f));
                BigExponent(t).CopyTo(big.Slice(i, w));
            }
            for (; i < n; i++) big[i] = BigExponent(MathF.Min(MathF.Abs(x[i]), 10f));
            TensorPrimitives.Exp(big, big);
            i = 0;
            var split = new Vector<float>(0.927734375f);
            var one = Vector<float>.One;
            var signMask = new Vector<uint>(0x80000000u);
            for (; i + w <= n; i += w)
            {
                var a = new Vector<float>(x.Slice(i, w));
                var s = a * a;
                var p = new Vector<float>(-5.96761703e-4f);
                p = p * s + new Vector<float>(4.99119423e-3f);
                p = p * s + new Vector<float>(-2.67681349e-2f);
                p = p * s + new Vector<float>(1.12819925e-1f);
                p = p * s + new Vector<float>(-3.76125336e-1f);
                p = p * s + new Vector<float>(1.28379166e-1f);
                var small = p * a + a;
                var large = Vector.AsVectorSingle(Vector.AsVectorUInt32(one - new Vector<float>(big.Slice(i, w))) | (Vector.AsVectorUInt32(a) & signMask));
                Vector.ConditionalSelect(Vector.GreaterThan(Vector.Abs(a), split), large, small).CopyTo(y.Slice(i, w));
            }
            for (; i < n; i++)
            {
                float a = x[i];
                y[i] = MathF.Abs(a) > 0.927734375f ? MathF.CopySign(1.0f - big[i], a) : Erf(a);
            }
        }
        finally { ArrayPool<float>.Shared.Return(tmp); }
    }

    public static void Erf(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Erf(x[i]);
    }

    private static float BigExponent(float t)
    {
        float s = t * t;
        float r = MathF.FusedMultiplyAdd(-1.72853470e-5f, t, 3.83197126e-4f);
        float u = MathF.FusedMultiplyAdd(-3.88396438e-3f, t, 2.42546219e-2f);
        r = MathF.FusedMultiplyAdd(r, s, u);
        r = MathF.FusedMultiplyAdd(r, t, -1.06777877e-1f);
        r = MathF.FusedMultiplyAdd(r, t, -6.34846687e-1f);
        r = MathF.FusedMultiplyAdd(r, t, -1.28717512e-1f);
        return MathF.FusedMultiplyAdd(r, t, -t);
    }

    private static Vector<float> BigExponent(Vector<float> t)
    {
        var s = t * t;
        var r = new Vector<float>(-1.72853470e-5f) * t + new Vector<float>(3.83197126e-4f);
        var u = new Vector<float>(-3.88396438e-3f) * t + new Vector<float>(2.42546219e-2f);
        r = r * s + u;
        r = r * t + new Vector<float>(-1.06777877e-1f);
        r = r * t + new Vector<float>(-6.34846687e-1f);
        r = r * t + new Vector<float>(-1.28717512e-1f);
        return r * t - t;
    }

    /// <summary>Generic entry used by the pointwise kernels.</summary>
    internal static void Erf<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) Erf(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        else if (typeof(T) == typeof(double)) Erf(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
        else throw new ArgumentException($"erf: element type {typeof(T).Name} is not supported; expected float or double", nameof(x));
    }
}

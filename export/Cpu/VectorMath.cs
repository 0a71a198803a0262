using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graphport.Cpu;

/// <summary>
/// exp, sigmoid, tanh, erf, GELU, SiLU, hardsigmoid and hardswish of float32 spans in AVX-512 or AVX2 registers,
/// about 1 ulp from the exact values (hardsigmoid and hardswish: each step rounded as the span ops round it). TensorPrimitives (System.Numerics.Tensors 10) computes these lane by lane on this hardware: on the dev
/// machine's AVX-512 core its exp took 2-7 ns an element and its tanh 53 ns, against 0.2 ns here, which made
/// softmax and BERT's GELU cost more than the matrix products around them. Other element types, and machines
/// without AVX2 and FMA, keep TensorPrimitives.
/// The last partial vector of a span is computed in a zero-padded copy, so every element goes through the same
/// instructions wherever it sits: a chain of ops run chunk by chunk equals the ops run one by one to the bit.
/// </summary>
internal static partial class VectorMath
{
    internal static readonly bool Use512 = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;
    private static readonly bool Use256 = Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Whether float32 spans take the vector code here (false: the callers' TensorPrimitives fallback).</summary>
    public static bool IsAccelerated => Use512 || Use256;

    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Run<T, ExpFunction>(x, y)) TensorPrimitives.Exp(x, y);
    }

    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Run<T, SigmoidFunction>(x, y)) TensorPrimitives.Sigmoid(x, y);
    }

    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Run<T, TanhFunction>(x, y)) TensorPrimitives.Tanh(x, y);
    }

    /// <summary>erf(x); false when the caller must compute it another way (not float32, or no vector unit).</summary>
    public static bool TryErf<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged => Run<T, ErfFunction>(x, y);

    /// <summary>x·½(1 + erf(x/√2)); false when the caller must compute it another way.</summary>
    public static bool TryGelu<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged => Run<T, GeluFunction>(x, y);

    /// <summary>x·½(1 + tanh(√(2/π)(x + 0.044715x³))); false when the caller must compute it another way.</summary>
    public static bool TryGeluTanh<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged => Run<T, GeluTanhFunction>(x, y);

    /// <summary>x·sigmoid(x); false when the caller must compute it another way.</summary>
    public static bool TrySilu<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged => Run<T, SiluFunction>(x, y);

    /// <summary>relu6(x + 3) / 6 in one pass, rounded step by step as the four span ops round it; false when the caller
    /// must compute it another way.</summary>
    public static bool TryHardsigmoid<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged => Run<T, HardsigmoidFunction>(x, y);

    /// <summary>x·relu6(x + 3) / 6 in one pass (MobileNetV3's and PP-OCR's activation), the bits of the five span ops
    /// it replaces; false when the caller must compute it another way.</summary>
    public static bool TryHardswish<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged => Run<T, HardswishFunction>(x, y);

    /// <summary>
    /// y = exp(x − shift) and Σ y, in one pass (softmax's numerator and denominator); false when the caller must
    /// compute them another way. The sum gathers 8 vectors at a time in float lanes, then in double.
    /// </summary>
    public static bool TryExpShiftedSum(ReadOnlySpan<float> x, float shift, Span<float> y, out double sum)
    {
        sum = 0;
        if (!IsAccelerated) return false;
        RequireOutput(x.Length, y.Length);
        sum = Use512 ? ExpShiftedSum<Vector512<float>, FloatVector512>(x, shift, y) : ExpShiftedSum<Vector256<float>, FloatVector256>(x, shift, y);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double ExpShiftedSum<TVector, TOps>(ReadOnlySpan<float> x, float shift, Span<float> y) where TVector : struct where TOps : IFloatVector<TVector>
    {
        int w = TOps.Width, n = x.Length, i = 0;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        var s = TOps.Create(shift);
        double total = 0;
        while (i + w <= n)
        {
            var acc = TOps.Create(0f);
            for (int v = 0; v < 8 && i + w <= n; v++, i += w)
            {
                var e = Exp<TVector, TOps>(TOps.Subtract(TOps.Load(ref Unsafe.Add(ref xs, i)), s));
                TOps.Store(e, ref Unsafe.Add(ref ys, i));
                acc = TOps.Add(acc, e);
            }
            total += TOps.Sum(acc);
        }
        if (i == n) return total;
        // The tail through a padded vector, as Apply does; only its real elements are summed.
        Span<float> tail = stackalloc float[Vector512<float>.Count];
        tail.Clear();
        x[i..].CopyTo(tail);
        TOps.Store(Exp<TVector, TOps>(TOps.Subtract(TOps.Load(ref MemoryMarshal.GetReference(tail)), s)), ref MemoryMarshal.GetReference(tail));
        for (int j = 0; j < n - i; j++)
        {
            y[i + j] = tail[j];
            total += tail[j];
        }
        return total;
    }

    /// <summary>The functions here, for <see cref="ComputeAt"/>.</summary>
    internal enum Function
    {
        Exp,
        Sigmoid,
        Tanh,
        Erf,
        Gelu,
        GeluTanh,
        Silu,
        Hardsigmoid,
        Hardswish,
    }

    /// <summary>
    /// <paramref name="function"/> at a chosen register width (256 or 512 bits), whatever the machine would pick: the
    /// tests check that both widths give the same bits, so a machine with AVX2 only computes what this one does.
    /// </summary>
    internal static void ComputeAt(int vectorBits, Function function, ReadOnlySpan<float> x, Span<float> y)
    {
        RequireOutput(x.Length, y.Length);
        if (vectorBits == 512 && Use512) ComputeAt<Vector512<float>, FloatVector512>(function, x, y);
        else if (vectorBits == 256 && Use256) ComputeAt<Vector256<float>, FloatVector256>(function, x, y);
        else throw new PlatformNotSupportedException($"VectorMath: {vectorBits}-bit vectors are not available on this machine (AVX-512: {Use512}, AVX2 with FMA: {Use256}); expected 256 or 512 where supported");
    }

    private static void ComputeAt<TVector, TOps>(Function function, ReadOnlySpan<float> x, Span<float> y) where TVector : struct where TOps : IFloatVector<TVector>
    {
        switch (function)
        {
            case Function.Exp: Apply<TVector, TOps, ExpFunction>(x, y); break;
            case Function.Sigmoid: Apply<TVector, TOps, SigmoidFunction>(x, y); break;
            case Function.Tanh: Apply<TVector, TOps, TanhFunction>(x, y); break;
            case Function.Erf: Apply<TVector, TOps, ErfFunction>(x, y); break;
            case Function.Gelu: Apply<TVector, TOps, GeluFunction>(x, y); break;
            case Function.GeluTanh: Apply<TVector, TOps, GeluTanhFunction>(x, y); break;
            case Function.Silu: Apply<TVector, TOps, SiluFunction>(x, y); break;
            case Function.Hardsigmoid: Apply<TVector, TOps, HardsigmoidFunction>(x, y); break;
            case Function.Hardswish: Apply<TVector, TOps, HardswishFunction>(x, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(function), function, "VectorMath: unknown function");
        }
    }

    private static bool Run<T, TFunction>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged where TFunction : IVectorFunction
    {
        if (typeof(T) != typeof(float) || !IsAccelerated) return false;
        RequireOutput(x.Length, y.Length);
        var source = MemoryMarshal.Cast<T, float>(x);
        var destination = MemoryMarshal.Cast<T, float>(y);
        if (Use512) Apply<Vector512<float>, FloatVector512, TFunction>(source, destination);
        else Apply<Vector256<float>, FloatVector256, TFunction>(source, destination);
        return true;
    }

    private static void RequireOutput(int inputLength, int outputLength)
    {
        if (outputLength < inputLength)
            throw new ArgumentException($"VectorMath: the output holds {outputLength} elements but the input has {inputLength}; expected an output at least as long", "y");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Apply<TVector, TOps, TFunction>(ReadOnlySpan<float> x, Span<float> y)
        where TVector : struct where TOps : IFloatVector<TVector> where TFunction : IVectorFunction
    {
        int w = TOps.Width, n = x.Length, i = 0;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        for (; i + w <= n; i += w)
            TOps.Store(TFunction.Invoke<TVector, TOps>(TOps.Load(ref Unsafe.Add(ref xs, i))), ref Unsafe.Add(ref ys, i));
        if (i == n) return;
        Span<float> tail = stackalloc float[Vector512<float>.Count];
        tail.Clear();
        x[i..].CopyTo(tail);
        TOps.Store(TFunction.Invoke<TVector, TOps>(TOps.Load(ref MemoryMarshal.GetReference(tail))), ref MemoryMarshal.GetReference(tail));
        tail[..(n - i)].CopyTo(y[i..]);
    }

    /// <summary>One function of a vector, for <see cref="Apply"/> to specialize on.</summary>
    private interface IVectorFunction
    {
        static abstract TVector Invoke<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector>;
    }

    private readonly struct ExpFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector> => Exp<TVector, TOps>(x);
    }

    private readonly struct SigmoidFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector> => Sigmoid<TVector, TOps>(x);
    }

    private readonly struct TanhFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector> => Tanh<TVector, TOps>(x);
    }

    private readonly struct ErfFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector> => Erf<TVector, TOps>(x);
    }

    private readonly struct GeluFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector>
        {
            var erf = Erf<TVector, TOps>(TOps.Multiply(x, TOps.Create(0.707106781186547524f)));
            return TOps.Multiply(x, TOps.Multiply(TOps.Add(erf, TOps.Create(1f)), TOps.Create(0.5f)));
        }
    }

    private readonly struct GeluTanhFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector>
        {
            var cube = TOps.Multiply(TOps.Multiply(x, x), TOps.Create(0.044715f));
            var inner = TOps.Multiply(TOps.Multiply(TOps.Add(cube, TOps.Create(1f)), x), TOps.Create(0.797884560802865356f));
            var tanh = Tanh<TVector, TOps>(inner);
            return TOps.Multiply(x, TOps.Multiply(TOps.Add(tanh, TOps.Create(1f)), TOps.Create(0.5f)));
        }
    }

    private readonly struct SiluFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector> =>
            TOps.Multiply(x, Sigmoid<TVector, TOps>(x));
    }

    private readonly struct HardsigmoidFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector> => Hardsigmoid<TVector, TOps>(x);
    }

    private readonly struct HardswishFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector> =>
            TOps.Multiply(x, Hardsigmoid<TVector, TOps>(x));
    }

    /// <summary>
    /// min(max(x + 3, 0), 6) / 6, divided rather than multiplied by 1/6 so each step rounds as the span ops do. The
    /// clamps take x + 3 as their second operand, which the instructions return when it is NaN: NaN stays NaN. (It
    /// is never -0, where the instructions and IEEE max would differ: -3 + 3 rounds to +0.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Hardsigmoid<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector>
    {
        var clamped = TOps.Min(TOps.Create(6f), TOps.Max(TOps.Create(0f), TOps.Add(x, TOps.Create(3f))));
        return TOps.Divide(clamped, TOps.Create(6f));
    }

    /// <summary>
    /// e^x = 2^n·e^r with n = round(x/ln 2) and |r| ≤ ln2/2 (ln 2 split in two so r is exact), e^r by a degree-7
    /// polynomial. Inputs are clamped to [-110, 89] first: past those ends the result is 0 or +∞ anyway, and the
    /// clamp keeps n inside what <see cref="IFloatVector{TVector}.ScaleByPowerOfTwo"/> handles. NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Exp<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector>
    {
        x = TOps.Min(TOps.Create(89f), TOps.Max(TOps.Create(-110f), x));
        var n = TOps.RoundToEven(TOps.Multiply(x, TOps.Create(1.44269504088896341f)));
        var r = TOps.FusedMultiplyAdd(n, TOps.Create(-0.693359375f), x);
        r = TOps.FusedMultiplyAdd(n, TOps.Create(2.12194440e-4f), r);
        var p = TOps.Create(1.9875691500e-4f);
        p = TOps.FusedMultiplyAdd(p, r, TOps.Create(1.3981999507e-3f));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Create(8.3334519073e-3f));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Create(4.1665795894e-2f));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Create(1.6666665459e-1f));
        p = TOps.FusedMultiplyAdd(p, r, TOps.Create(5.0000001201e-1f));
        p = TOps.FusedMultiplyAdd(p, TOps.Multiply(r, r), TOps.Add(r, TOps.Create(1f)));
        return TOps.ScaleByPowerOfTwo(p, n);
    }

    /// <summary>1/(1 + e^-x): 0 below about -88 (e^-x overflows to +∞), 1 above about 17.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Sigmoid<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector>
    {
        var one = TOps.Create(1f);
        return TOps.Divide(one, TOps.Add(one, Exp<TVector, TOps>(TOps.Subtract(TOps.Create(0f), x))));
    }

    /// <summary>
    /// An odd polynomial below |x| = 0.625, where 1 − 2/(e^{2|x|} + 1) would lose the small result to cancellation;
    /// that formula with x's sign above (±1 once e^{2|x|} overflows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Tanh<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector>
    {
        var a = TOps.Abs(x);
        var z = TOps.Multiply(x, x);
        var p = TOps.Create(-5.70498872745e-3f);
        p = TOps.FusedMultiplyAdd(p, z, TOps.Create(2.06390887954e-2f));
        p = TOps.FusedMultiplyAdd(p, z, TOps.Create(-5.37397155531e-2f));
        p = TOps.FusedMultiplyAdd(p, z, TOps.Create(1.33314422036e-1f));
        p = TOps.FusedMultiplyAdd(p, z, TOps.Create(-3.33332819422e-1f));
        var small = TOps.FusedMultiplyAdd(TOps.Multiply(p, z), x, x);
        var e = Exp<TVector, TOps>(TOps.Add(a, a));
        var large = TOps.Subtract(TOps.Create(1f), TOps.Divide(TOps.Create(2f), TOps.Add(e, TOps.Create(1f))));
        // The sign copied onto both branches: the polynomial's x + x·(p·x²) is +0 for x = −0.
        return TOps.CopySign(TOps.SelectLessThan(a, TOps.Create(0.625f), small, large), x);
    }

    /// <summary>
    /// The minimax polynomials of <see cref="SpecialFunctions.Erf(float)"/>: x·(1 + p(x²)) up to |x| = 0.9277, and
    /// 1 − e^{q(|x|)} with x's sign above (|x| clamped at 10, where erf is 1 in float).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Erf<TVector, TOps>(TVector x) where TVector : struct where TOps : IFloatVector<TVector>
    {
        var s = TOps.Multiply(x, x);
        var p = TOps.Create(-5.96761703e-4f);
        p = TOps.FusedMultiplyAdd(p, s, TOps.Create(4.99119423e-3f));
        p = TOps.FusedMultiplyAdd(p, s, TOps.Create(-2.67681349e-2f));
        p = TOps.FusedMultiplyAdd(p, s, TOps.Create(1.12819925e-1f));
        p = TOps.FusedMultiplyAdd(p, s, TOps.Create(-3.76125336e-1f));
        p = TOps.FusedMultiplyAdd(p, s, TOps.Create(1.28379166e-1f));
        var small = TOps.FusedMultiplyAdd(p, x, x);

        var t = TOps.Min(TOps.Create(10f), TOps.Abs(x));
        var t2 = TOps.Multiply(t, t);
        var r = TOps.FusedMultiplyAdd(TOps.Create(-1.72853470e-5f), t, TOps.Create(3.83197126e-4f));
        var u = TOps.FusedMultiplyAdd(TOps.Create(-3.88396438e-3f), t, TOps.Create(2.42546219e-2f));
        r = TOps.FusedMultiplyAdd(r, t2, u);
        r = TOps.FusedMultiplyAdd(r, t, TOps.Create(-1.06777877e-1f));
        r = TOps.FusedMultiplyAdd(r, t, TOps.Create(-6.34846687e-1f));
        r = TOps.FusedMultiplyAdd(r, t, TOps.Create(-1.28717512e-1f));
        r = TOps.FusedMultiplyAdd(r, t, TOps.Subtract(TOps.Create(0f), t));
        var large = TOps.CopySign(TOps.Subtract(TOps.Create(1f), Exp<TVector, TOps>(r)), x);
        return TOps.SelectLessThan(TOps.Create(0.927734375f), TOps.Abs(x), large, small);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graphport.Cpu;

internal static partial class VectorMath
{
    /// <summary>
    /// y = softmax(x·factor + mask) over one row (x/factor where <paramref name="divide"/>), in three passes over the
    /// row: scale, mask and max; the shifted exponentials and their sum; the division by the sum. An attention row of
    /// 128 scores took 0.9 ns an element as five span calls (divide, add, max, exp-and-sum, multiply), most of it the
    /// calls' own checks. Every step rounds as the span ops do, so the result equals theirs to the bit.
    /// False when the caller must compute it another way (no vector unit).
    /// </summary>
    /// <param name="mask">Empty (no mask), one element (added to every score) or a mask row as long as x.</param>
    public static bool TryScaledMaskedSoftmax(ReadOnlySpan<float> x, float factor, bool divide, ReadOnlySpan<float> mask, Span<float> y)
    {
        if (!IsAccelerated) return false;
        RequireOutput(x.Length, y.Length);
        if (mask.Length > 1 && mask.Length != x.Length)
            throw new ArgumentException($"VectorMath: the mask row has {mask.Length} elements; expected none, one, or the {x.Length} of the scores' row", nameof(mask));
        if (x.Length == 0) return true;
        if (Use512) ScaledMaskedSoftmax<Vector512<float>, FloatVector512>(x, factor, divide, mask, y);
        else ScaledMaskedSoftmax<Vector256<float>, FloatVector256>(x, factor, divide, mask, y);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaledMaskedSoftmax<TVector, TOps>(ReadOnlySpan<float> x, float factor, bool divide, ReadOnlySpan<float> mask, Span<float> y)
        where TVector : struct where TOps : IFloatVector<TVector>
    {
        int w = TOps.Width, n = x.Length, i = 0;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ms = ref MemoryMarshal.GetReference(mask);
        bool maskRow = mask.Length == n && n > 1, maskScalar = mask.Length == 1;
        float maskValue = maskScalar ? mask[0] : 0f;
        var f = TOps.Create(factor);
        var m = TOps.Create(maskValue);
        var highest = TOps.Create(float.NegativeInfinity);
        for (; i + w <= n; i += w)
        {
            var v = TOps.Load(ref Unsafe.Add(ref xs, i));
            v = divide ? TOps.Divide(v, f) : TOps.Multiply(v, f);
            if (maskRow) v = TOps.Add(v, TOps.Load(ref Unsafe.Add(ref ms, i)));
            else if (maskScalar) v = TOps.Add(v, m);
            TOps.Store(v, ref Unsafe.Add(ref ys, i));
            highest = TOps.Max(highest, v);
        }
        float max = TOps.MaxAcross(highest);
        for (; i < n; i++)
        {
            float v = divide ? x[i] / factor : x[i] * factor;
            if (maskRow) v += mask[i];
            else if (maskScalar) v += maskValue;
            y[i] = v;
            max = MathF.Max(max, v);
        }
        // A row of -inf (every score masked) shifts by 0, so its exponentials are 0 and the result NaN, as torch's;
        // a +inf score makes the row NaN. A NaN score makes the sum, and so the row, NaN whatever the max.
        if (float.IsNegativeInfinity(max)) max = 0f;
        float reciprocal = (float)(1.0 / ExpShiftedSum<TVector, TOps>(y, max, y));
        var r = TOps.Create(reciprocal);
        for (i = 0; i + w <= n; i += w)
            TOps.Store(TOps.Multiply(TOps.Load(ref Unsafe.Add(ref ys, i)), r), ref Unsafe.Add(ref ys, i));
        for (; i < n; i++) y[i] *= reciprocal;
    }
}

namespace Graphport.Cpu;

/// <summary>
/// The float32 vector operations <see cref="VectorMath"/> is written in, once for every register width: the math
/// is generic over the vector type and the JIT specializes it per implementing struct (<see cref="FloatVector512"/>,
/// <see cref="FloatVector256"/>), so each width runs straight-line intrinsics with nothing in between.
/// </summary>
internal interface IFloatVector<TVector> where TVector : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Width { get; }

    static abstract TVector Create(float value);

    static abstract TVector Load(ref float source);

    static abstract void Store(TVector value, ref float destination);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>a·b + c rounded once.</summary>
    static abstract TVector FusedMultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>The smaller of a and b; b when either is NaN (the x86 rule, so a NaN in b passes through a clamp).</summary>
    static abstract TVector Min(TVector a, TVector b);

    /// <summary>The larger of a and b; b when either is NaN (the x86 rule, so a NaN in b passes through a clamp).</summary>
    static abstract TVector Max(TVector a, TVector b);

    static abstract TVector Abs(TVector a);

    /// <summary>Each lane rounded to the nearest integer, ties to even.</summary>
    static abstract TVector RoundToEven(TVector a);

    /// <summary>|magnitude| with the sign bit of sign.</summary>
    static abstract TVector CopySign(TVector magnitude, TVector sign);

    /// <summary>Lanes of whenTrue where a &lt; b, else of whenFalse (false for NaN lanes).</summary>
    static abstract TVector SelectLessThan(TVector a, TVector b, TVector whenTrue, TVector whenFalse);

    /// <summary>The lanes' sum, in float.</summary>
    static abstract float Sum(TVector a);

    /// <summary>The largest lane (NaN lanes may or may not win).</summary>
    static abstract float MaxAcross(TVector a);

    /// <summary>value·2^n for whole-number lanes n in [-160, 160], in two steps so results below float's normal range come out subnormal (or zero) instead of wrong.</summary>
    static abstract TVector ScaleByPowerOfTwo(TVector value, TVector n);
}

using System.Globalization;

namespace Graphport.Shapes;

/// <summary>
/// An inclusive integer interval [Lower, Upper]; long.MinValue / long.MaxValue stand for -oo / oo
/// (torch's int_oo), and every operation saturates so infinities never wrap around.
/// </summary>
public readonly record struct ValueRange(long Lower, long Upper)
{
    public const long Infinity = long.MaxValue;
    public const long NegativeInfinity = long.MinValue;

    public static readonly ValueRange Unknown = new(NegativeInfinity, Infinity);

    /// <summary>The range torch gives a fresh backed size symbol: sizes 0 and 1 are specialized away.</summary>
    public static readonly ValueRange DefaultSize = new(2, Infinity);

    public static ValueRange Exactly(long value) => new(value, value);

    public bool IsSingleton => Lower == Upper && Lower != Infinity && Lower != NegativeInfinity;

    public bool Contains(long value) => value >= Lower && value <= Upper;

    public bool IsSubsetOf(ValueRange other) => Lower >= other.Lower && Upper <= other.Upper;

    public ValueRange Intersect(ValueRange other) => new(Math.Max(Lower, other.Lower), Math.Min(Upper, other.Upper));

    public bool IsEmpty => Lower > Upper;

    public static ValueRange operator +(ValueRange a, ValueRange b) => new(SatAdd(a.Lower, b.Lower), SatAdd(a.Upper, b.Upper));

    public static ValueRange operator -(ValueRange a) => new(SatNeg(a.Upper), SatNeg(a.Lower));

    public static ValueRange operator *(ValueRange a, ValueRange b)
    {
        long p1 = SatMul(a.Lower, b.Lower), p2 = SatMul(a.Lower, b.Upper), p3 = SatMul(a.Upper, b.Lower), p4 = SatMul(a.Upper, b.Upper);
        return new(Math.Min(Math.Min(p1, p2), Math.Min(p3, p4)), Math.Max(Math.Max(p1, p2), Math.Max(p3, p4)));
    }

    /// <summary>Floor division by a range that is known positive; anything else is unknown.</summary>
    public ValueRange FloorDiv(ValueRange divisor)
    {
        if (divisor.Lower <= 0) return Unknown;
        long dl = divisor.Lower, du = divisor.Upper;
        long lo = Lower == NegativeInfinity ? NegativeInfinity
            : Lower >= 0 ? (du == Infinity ? 0 : FloorDivide(Lower, du))
            : FloorDivide(Lower, dl);
        long hi = Upper == Infinity ? Infinity
            : Upper >= 0 ? FloorDivide(Upper, dl)
            : (du == Infinity ? -1 : FloorDivide(Upper, du));
        return new(lo, hi);
    }

    public ValueRange Mod(ValueRange divisor)
    {
        if (divisor.Lower <= 0) return Unknown;
        long hi = divisor.Upper == Infinity ? Infinity : divisor.Upper - 1;
        if (Lower >= 0 && Upper != Infinity && Upper < divisor.Lower) return this;
        return new(0, Lower >= 0 && Upper != Infinity ? Math.Min(hi, Upper) : hi);
    }

    public static ValueRange Max(ValueRange a, ValueRange b) => new(Math.Max(a.Lower, b.Lower), Math.Max(a.Upper, b.Upper));

    public static ValueRange Min(ValueRange a, ValueRange b) => new(Math.Min(a.Lower, b.Lower), Math.Min(a.Upper, b.Upper));

    public static long FloorDivide(long a, long b)
    {
        long q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
        return q;
    }

    public static long PythonMod(long a, long b)
    {
        long r = a % b;
        if (r != 0 && ((r < 0) != (b < 0))) r += b;
        return r;
    }

    internal static long SatAdd(long a, long b)
    {
        if (a == Infinity || b == Infinity)
        {
            return a == NegativeInfinity || b == NegativeInfinity ? 0 : Infinity;
        }
        if (a == NegativeInfinity || b == NegativeInfinity) return NegativeInfinity;
        long r = unchecked(a + b);
        if (((a ^ r) & (b ^ r)) < 0) return a > 0 ? Infinity : NegativeInfinity;
        return r;
    }

    internal static long SatNeg(long a) => a == Infinity ? NegativeInfinity : a == NegativeInfinity ? Infinity : -a;

    internal static long SatMul(long a, long b)
    {
        if (a == 0 || b == 0) return 0;
        bool negative = (a < 0) != (b < 0);
        if (a == Infinity || a == NegativeInfinity || b == Infinity || b == NegativeInfinity)
            return negative ? NegativeInfinity : Infinity;
        long r;
        try { r = checked(a * b); }
        catch (OverflowException) { return negative ? NegativeInfinity : Infinity; }
        return r;
    }

    public static string Render(long bound) => bound switch
    {
        Infinity => "oo",
        NegativeInfinity => "-oo",
        _ => bound.ToString(CultureInfo.InvariantCulture),
    };

    public override string ToString() => $"[{Render(Lower)}, {Render(Upper)}]";
}

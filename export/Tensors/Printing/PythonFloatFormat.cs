using System.Globalization;
using System.Numerics;

namespace Graphport;

/// <summary>
/// Python's <c>format(x, ".Nf")</c> and <c>format(x, ".Ne")</c>. .NET's "F"/"E" formats are not a
/// substitute: they round exact ties away from zero (2.5 -> "3") where Python rounds half to even
/// (2.5 -> "2") and use a three-digit exponent. Python rounds the exact binary value, so this does
/// too, with big-integer arithmetic on the double's mantissa and exponent.
/// </summary>
internal static class PythonFloatFormat
{
    /// <summary><c>"{:.Nf}".format(value)</c>: fixed point, keeping the sign of negative zero.</summary>
    public static string Fixed(double value, int precision)
    {
        if (NonFinite(value) is { } special)
            return special;

        BigInteger scaled = RoundHalfEven(Math.Abs(value), precision);
        string digits = scaled.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
        string text = precision == 0
            ? digits
            : string.Concat(digits.AsSpan(0, digits.Length - precision), ".", digits.AsSpan(digits.Length - precision));
        return double.IsNegative(value) ? "-" + text : text;
    }

    /// <summary><c>"{:.Ne}".format(value)</c>: one digit, N decimals, exponent signed and at least two digits.</summary>
    public static string Scientific(double value, int precision)
    {
        if (NonFinite(value) is { } special)
            return special;

        double magnitude = Math.Abs(value);
        int exponent = 0;
        BigInteger mantissa = BigInteger.Zero;
        if (magnitude != 0)
        {
            BigInteger lowest = BigInteger.Pow(10, precision);
            BigInteger limit = lowest * 10;
            // Log10 is only an estimate near powers of ten; the rounded digits say whether it was right.
            exponent = (int)Math.Floor(Math.Log10(magnitude));
            while (true)
            {
                mantissa = RoundHalfEven(magnitude, precision - exponent);
                if (mantissa >= limit)
                    exponent++;
                else if (mantissa < lowest)
                    exponent--;
                else
                    break;
            }
        }

        string digits = mantissa.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
        string text = precision == 0 ? digits : string.Concat(digits.AsSpan(0, 1), ".", digits.AsSpan(1));
        string exponentText = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        return (double.IsNegative(value) ? "-" : "") + text + (exponent < 0 ? "e-" : "e+") + exponentText;
    }

    /// <summary>Python prints non-finite values the same under every format, and drops the sign of a NaN.</summary>
    private static string? NonFinite(double value) =>
        double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : null;

    /// <summary><paramref name="magnitude"/> × 10^<paramref name="decimalShift"/>, rounded to an integer, ties to even.</summary>
    private static BigInteger RoundHalfEven(double magnitude, int decimalShift)
    {
        long bits = BitConverter.DoubleToInt64Bits(magnitude);
        int biasedExponent = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xF_FFFF_FFFF_FFFF;
        // value = significand × 2^binaryExponent exactly; subnormals have no implicit leading one.
        BigInteger significand = biasedExponent == 0 ? fraction : fraction | (1L << 52);
        int binaryExponent = biasedExponent == 0 ? -1074 : biasedExponent - 1075;

        BigInteger numerator = significand;
        BigInteger denominator = BigInteger.One;
        if (binaryExponent >= 0)
            numerator <<= binaryExponent;
        else
            denominator <<= -binaryExponent;
        if (decimalShift >= 0)
            numerator *= BigInteger.Pow(10, decimalShift);
        else
            denominator *= BigInteger.Pow(10, -decimalShift);

        BigInteger quotient = BigInteger.DivRem(numerator, denominator, out BigInteger remainder);
        int comparison = (remainder * 2).CompareTo(denominator);
        if (comparison > 0 || (comparison == 0 && !quotient.IsEven))
            quotient += 1;
        return quotient;
    }
}

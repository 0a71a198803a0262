using System.Globalization;

namespace Graphport.Operators;

/// <summary>
/// Whether a Scalar argument fits a tensor's dtype, as torch checks it when an op writes the value into a tensor of
/// that dtype (fill, full, scalar_tensor, masked_fill, scatter.value, constant_pad_nd): torch refuses a value that
/// would overflow ("value cannot be converted to type uint8_t without overflow") instead of wrapping or saturating it.
/// </summary>
internal static class ScalarConversion
{
    /// <summary>
    /// Throws torch's overflow error, naming the op and what to do, when <paramref name="value"/> cannot be stored in
    /// <paramref name="dtype"/>. A symbolic value is not checked: its value is unknown until the program runs.
    /// </summary>
    public static void Check(string op, object? value, DType dtype)
    {
        if (!Fits(value, dtype))
            throw new ArgumentException(
                $"{op}: value cannot be converted to type {CTypeName(dtype)} without overflow: {Show(value)} is outside the range of {dtype.TorchName()} ({RangeText(value, dtype)}). Pass a value in that range, or use a wider dtype.");
    }

    /// <summary>
    /// c10's rules: an integer fits an integer dtype in its range, except that uint8 takes negatives down to -255
    /// (they wrap: -1 is 255); a float fits an integer dtype when it is finite and truncates into the range (127.9
    /// fits int8, -0.5 does not fit uint8); a finite number fits a floating dtype up to its largest finite value, and
    /// NaN and infinities fit every floating dtype. bool and float64 take anything.
    /// </summary>
    public static bool Fits(object? value, DType dtype)
    {
        if (dtype is DType.Bool or DType.Float64) return true;
        if (dtype.IsComplex()) return value is System.Numerics.Complex || Fits(value, dtype.ToReal());
        if (value is System.Numerics.Complex) return false;  // torch refuses a complex value for a real dtype outright
        switch (value)
        {
            case bool:
                return true;
            case SymInt s when s.AsConstant is not long:
                return true;
            case long or int or SymInt:
            {
                long v = value switch { long l => l, int i => i, _ => (long)(SymInt)value };
                if (dtype.IsFloatingPoint()) return Math.Abs((double)v) <= MaxFinite(dtype);
                var (lo, hi) = IntegerRange(dtype);
                return v >= (dtype == DType.UInt8 ? -hi : lo) && v <= hi;
            }
            case double d:
            {
                if (dtype.IsFloatingPoint()) return !double.IsFinite(d) || Math.Abs(d) <= MaxFinite(dtype);
                if (!double.IsFinite(d)) return false;
                var (lo, hi) = IntegerRange(dtype);
                // hi + 1 as a double is exact for every integer dtype (2^63 for int64), so the truncation test is too.
                return d >= lo && d < (double)hi + 1;
            }
            default:
                return true;
        }
    }

    private static double MaxFinite(DType dtype) => dtype switch
    {
        DType.Float16 => (double)Half.MaxValue,
        DType.BFloat16 => 3.3895313892515355e38,
        DType.Float32 => float.MaxValue,
        _ => double.MaxValue,
    };

    private static (long Lo, long Hi) IntegerRange(DType dtype) => dtype switch
    {
        DType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        DType.UInt8 => (byte.MinValue, byte.MaxValue),
        DType.Int32 => (int.MinValue, int.MaxValue),
        _ => (long.MinValue, long.MaxValue),
    };

    /// <summary>The C++ type torch's message names.</summary>
    private static string CTypeName(DType dtype) => dtype switch
    {
        DType.Float16 => "c10::Half",
        DType.BFloat16 => "c10::BFloat16",
        DType.Float32 => "float",
        DType.Int8 => "int8_t",
        DType.UInt8 => "uint8_t",
        DType.Int32 => "int",
        _ => "int64_t",
    };

    private static string RangeText(object? value, DType dtype)
    {
        if (value is System.Numerics.Complex) return "real values only; a complex value needs a complex dtype";
        if (dtype.IsFloatingPoint()) return $"finite values up to ±{MaxFinite(dtype).ToString("R", CultureInfo.InvariantCulture)}";
        var (lo, hi) = IntegerRange(dtype);
        if (value is double) return $"finite values that truncate to {lo}..{hi}";
        return dtype == DType.UInt8 ? $"{lo}..{hi}; -{hi}..-1 wrap around" : $"{lo}..{hi}";
    }

    private static string Show(object? value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        System.Numerics.Complex c => new ComplexFloat((float)c.Real, (float)c.Imaginary).ToString(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };
}

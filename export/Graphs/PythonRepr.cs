using System.Globalization;
using System.Text;

namespace Graphport.Graphs;

/// <summary>Formats constants the way Python's repr does, so printed graphs read like torch's.</summary>
public static class PythonRepr
{
    public static string Format(object? value, Func<Node, string> nodeName) => value switch
    {
        null => "None",
        Node n => nodeName(n),
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => Float(d),
        float f => Float(f),
        System.Numerics.Complex c => Complex(c),
        string s => $"'{s.Replace("\\", "\\\\").Replace("'", "\\'")}'",
        DType t => t.TorchName(),
        MemoryFormat m => "torch." + m.TorchName(),
        Device d => d.ToString(),
        Layout => "torch.strided",
        SymInt s => s.ToString(),
        Graph => "<graph>",
        object?[] list => "[" + string.Join(", ", list.Select(x => Format(x, nodeName))) + "]",
        long[] longs => "[" + string.Join(", ", longs.Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]",
        double[] doubles => "[" + string.Join(", ", doubles.Select(Float)) + "]",
        bool[] bools => "[" + string.Join(", ", bools.Select(x => x ? "True" : "False")) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>A tuple of sizes as Python prints it: (4, 8), and (3,) for one.</summary>
    public static string Tuple(IReadOnlyList<long> values) =>
        values.Count == 1 ? $"({values[0].ToString(CultureInfo.InvariantCulture)},)" : "(" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + ")";

    /// <summary>A complex constant as FX writes it in generated code: <c>complex(0.0, 1.0)</c>.</summary>
    public static string Complex(System.Numerics.Complex c) => $"complex({Float(c.Real)}, {Float(c.Imaginary)})";

    /// <summary>Python's float repr: shortest round-trip digits, ".0" on integers, e-notation outside [1e-4, 1e16).</summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";
        string r = d.ToString("R", CultureInfo.InvariantCulture);
        bool negative = r.StartsWith('-');
        if (negative) r = r[1..];
        string digits;
        int exponent; // value = 0.digits * 10^exponent ... we use d.ddd * 10^exponent
        int e = r.IndexOfAny(['E', 'e']);
        string mantissa = e >= 0 ? r[..e] : r;
        int exp10 = e >= 0 ? int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture) : 0;
        int dot = mantissa.IndexOf('.');
        string intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        string fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        digits = (intPart + fracPart).TrimStart('0');
        int leadingZeros = (intPart + fracPart).Length - (intPart + fracPart).TrimStart('0').Length;
        exponent = intPart.Length - 1 - leadingZeros + exp10;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        var sb = new StringBuilder();
        if (negative) sb.Append('-');
        if (exponent < -4 || exponent >= 16)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (exponent < 0)
        {
            sb.Append("0.").Append('0', -exponent - 1).Append(digits);
        }
        else if (digits.Length <= exponent + 1)
        {
            sb.Append(digits).Append('0', exponent + 1 - digits.Length).Append(".0");
        }
        else
        {
            sb.Append(digits, 0, exponent + 1).Append('.').Append(digits, exponent + 1, digits.Length - exponent - 1);
        }
        return sb.ToString();
    }
}

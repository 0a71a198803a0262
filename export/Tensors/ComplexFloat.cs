using System.Globalization;
using System.Numerics;

namespace Graphport;

/// <summary>
/// One element of a <see cref="DType.Complex64"/> tensor: two float32s, real part first, laid out as torch's
/// c10::complex&lt;float&gt; (so a storage of them is the bytes torch saves). .NET's <see cref="Complex"/> is
/// double precision (it is <see cref="DType.Complex128"/>'s element); arithmetic on these widens to it, as the
/// CPU kernels compute in double and round back.
/// </summary>
public readonly struct ComplexFloat : IEquatable<ComplexFloat>, IFormattable
{
    public readonly float Real;
    public readonly float Imaginary;

    public ComplexFloat(float real, float imaginary)
    {
        Real = real;
        Imaginary = imaginary;
    }

    public static implicit operator Complex(ComplexFloat value) => new(value.Real, value.Imaginary);

    public static explicit operator ComplexFloat(Complex value) => new((float)value.Real, (float)value.Imaginary);

    public bool Equals(ComplexFloat other) => Real == other.Real && Imaginary == other.Imaginary;

    public override bool Equals(object? obj) => obj is ComplexFloat other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Real, Imaginary);

    public static bool operator ==(ComplexFloat left, ComplexFloat right) => left.Equals(right);

    public static bool operator !=(ComplexFloat left, ComplexFloat right) => !left.Equals(right);

    /// <summary>Python's spelling, <c>(1+2j)</c>, so messages read as torch's do.</summary>
    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        var sign = Imaginary < 0 || float.IsNegative(Imaginary) ? "-" : "+";
        return $"({Real.ToString(format, formatProvider)}{sign}{Math.Abs(Imaginary).ToString(format, formatProvider)}j)";
    }
}

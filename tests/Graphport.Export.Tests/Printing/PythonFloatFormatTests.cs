namespace Graphport.Tests.Printing;

/// <summary>
/// Python's <c>"{:.Nf}"</c> and <c>"{:.Ne}"</c>, which .NET's "F" and "E" formats do not reproduce:
/// Python rounds the exact binary value half to even and writes at least two exponent digits.
/// </summary>
public class PythonFloatFormatTests
{
    [Theory]
    [InlineData(2.5, 0, "2")]
    [InlineData(3.5, 0, "4")]
    [InlineData(-2.5, 0, "-2")]
    [InlineData(0.03125, 4, "0.0312")]
    [InlineData(0.09375, 4, "0.0938")]
    [InlineData(0.00005, 4, "0.0001")] // the double is slightly above 5e-5, so no tie
    [InlineData(-0.00001, 4, "-0.0000")]
    [InlineData(-0.0, 4, "-0.0000")]
    [InlineData(1e22, 0, "10000000000000000000000")]
    [InlineData(0.1, 20, "0.10000000000000000555")]
    public void Fixed_rounds_the_exact_binary_value_half_to_even(double value, int precision, string expected)
    {
        Assert.Equal(expected, PythonFloatFormat.Fixed(value, precision));
    }

    [Theory]
    [InlineData(0.0, 4, "0.0000e+00")]
    [InlineData(-0.0, 4, "-0.0000e+00")]
    [InlineData(1.4046e14, 4, "1.4046e+14")]
    [InlineData(9.99995, 4, "1.0000e+01")] // rounding up carries into the exponent
    [InlineData(99999.5, 4, "1.0000e+05")] // an exact tie after 9999: rounds to even, upward
    [InlineData(1.25, 1, "1.2e+00")]
    [InlineData(12345.0, 0, "1e+04")]
    [InlineData(5e-324, 4, "4.9407e-324")]
    [InlineData(1.7976931348623157e308, 4, "1.7977e+308")]
    public void Scientific_writes_one_digit_then_decimals_and_a_two_digit_exponent(double value, int precision, string expected)
    {
        Assert.Equal(expected, PythonFloatFormat.Scientific(value, precision));
    }

    [Fact]
    public void Nonfinite_values_ignore_the_format_and_nan_loses_its_sign()
    {
        Assert.Equal("nan", PythonFloatFormat.Fixed(-double.NaN, 4));
        Assert.Equal("inf", PythonFloatFormat.Scientific(double.PositiveInfinity, 4));
        Assert.Equal("-inf", PythonFloatFormat.Fixed(double.NegativeInfinity, 0));
    }
}

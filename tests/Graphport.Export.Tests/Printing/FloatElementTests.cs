using static Graphport.Tests.Printing.ArrayTensor;

namespace Graphport.Tests.Printing;

/// <summary>
/// How floating-point elements look: one notation and one width per tensor, chosen from its nonzero
/// finite values — whole numbers as <c>3.</c>, otherwise four decimals, or scientific notation when the
/// values span more than a factor 1000, exceed 1e8, or (non-whole) fall below 1e-4.
/// </summary>
public class FloatElementTests
{
    [Fact]
    public void Fractions_get_four_decimals_and_a_sign_column_only_when_a_value_is_negative()
    {
        Assert.Equal("tensor([ 0.3007, -1.7282, -0.0729,  0.1139])", TensorFormatter.Format(F32([4], 0.3007f, -1.7282f, -0.0729f, 0.1139f)));
        Assert.Equal("tensor([0.8632, 0.0407])", TensorFormatter.Format(F32([2], 0.8632f, 0.0407f)));
    }

    [Fact]
    public void Whole_numbers_print_with_a_trailing_point()
    {
        Assert.Equal(
            """
            tensor([[3., 1., 1.],
                    [1., 1., 1.],
                    [1., 1., 1.]])
            """,
            TensorFormatter.Format(F32([3, 3], 3, 1, 1, 1, 1, 1, 1, 1, 1)));
        Assert.Equal("tensor([   1., 1000.])", TensorFormatter.Format(F32([2], 1, 1000)));
    }

    [Fact]
    public void Huge_whole_numbers_switch_to_scientific_notation()
    {
        var t = F32([3, 3], Enumerable.Repeat(1.4046e14f, 9).ToArray());

        Assert.Equal(
            """
            tensor([[1.4046e+14, 1.4046e+14, 1.4046e+14],
                    [1.4046e+14, 1.4046e+14, 1.4046e+14],
                    [1.4046e+14, 1.4046e+14, 1.4046e+14]])
            """,
            TensorFormatter.Format(t));
        Assert.Equal("tensor([1.2346e+08])", TensorFormatter.Format(F32([1], 123456789f)));
    }

    [Fact]
    public void A_range_wider_than_a_factor_1000_switches_to_scientific_notation()
    {
        Assert.Equal("tensor([1.0000e-02, 1.1000e+01])", TensorFormatter.Format(F32([2], 0.01f, 11f)));
        Assert.Equal("tensor([1.0000e+00, 1.0100e+03])", TensorFormatter.Format(F32([2], 1f, 1010f)));
        Assert.Equal("tensor([1.0000e+28, 1.0000e-28])", TensorFormatter.Format(F32([2], 1e28f, 1e-28f)));
    }

    [Fact]
    public void Tiny_fractions_switch_to_scientific_notation()
    {
        Assert.Equal("tensor([2.0000e-05])", TensorFormatter.Format(F32([1], 0.00002f)));
    }

    [Fact]
    public void Nan_and_infinities_are_spelled_as_python_does_and_padded_to_the_common_width()
    {
        var t = F32([7], 4, float.PositiveInfinity, 1.5f, float.NegativeInfinity, 0, float.NaN, 1);

        Assert.Equal("tensor([4.0000,    inf, 1.5000,   -inf, 0.0000,    nan, 1.0000])", TensorFormatter.Format(t));
    }

    [Fact]
    public void Nonfinite_values_get_no_trailing_point_among_whole_numbers()
    {
        Assert.Equal("tensor([1., inf, nan])", TensorFormatter.Format(F32([3], 1, float.PositiveInfinity, float.NaN)));
        Assert.Equal("tensor([nan, -inf])", TensorFormatter.Format(F32([2], float.NaN, float.NegativeInfinity)));
    }

    [Fact]
    public void Zeros_alone_print_as_whole_numbers()
    {
        Assert.Equal("tensor([0., 0.])", TensorFormatter.Format(F32([2], 0, 0)));
    }

    [Fact]
    public void Negative_zero_keeps_its_sign_without_taking_part_in_the_width()
    {
        Assert.Equal("tensor([-0.0000, 1.5000])", TensorFormatter.Format(F32([2], -0f, 1.5f)));
        Assert.Equal("tensor([-0., 1.])", TensorFormatter.Format(F32([2], -0f, 1f)));
    }

    [Fact]
    public void Exact_ties_round_half_to_even_as_python_does()
    {
        // 0.03125 and 0.09375 are exact binary fractions whose fifth decimal is a 5.
        Assert.Equal("tensor([0.0312, 0.0938, 1.0000])", TensorFormatter.Format(F32([3], 0.03125f, 0.09375f, 1f)));
    }

    [Fact]
    public void Float64_uses_the_same_rules_down_to_subnormals_and_names_its_dtype()
    {
        var t = Floats(DType.Float64, [6], 1e-324, 1e-323, 1e-322, 1e307, 1e308, double.PositiveInfinity);

        Assert.Equal(
            """
            tensor([ 0.0000e+00, 9.8813e-324, 9.8813e-323, 1.0000e+307, 1.0000e+308,
                            inf], dtype=torch.float64)
            """,
            TensorFormatter.Format(t));
    }

    [Fact]
    public void Half_precision_values_print_through_float32_with_their_dtype()
    {
        Assert.Equal(
            "tensor([9.9976e-02, 6.5504e+04], dtype=torch.float16)",
            TensorFormatter.Format(Floats(DType.Float16, [2], 0.1, 65504)));
        Assert.Equal(
            "tensor([ 1.0000,  2.5000, -3.1406], dtype=torch.bfloat16)",
            TensorFormatter.Format(Floats(DType.BFloat16, [3], 1.0, 2.5, -3.140625)));
    }

    [Fact]
    public void Float32_elements_handed_back_wider_print_as_the_stored_float32()
    {
        // 16777217 is not a float32; torch would have stored 16777216.
        Assert.Equal("tensor([16777216.])", TensorFormatter.Format(Unrounded(DType.Float32, [1], 16777217.0)));
    }
}

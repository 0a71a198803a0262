using static Graphport.Tests.Printing.ArrayTensor;

namespace Graphport.Tests.Printing;

/// <summary>
/// How <see cref="TensorFormatter"/> arranges elements: nested brackets, indentation under the
/// opening bracket, blank lines between blocks, wrapping at 80 columns and summarization with
/// <c>...</c>. Every expected string is what <c>repr(t)</c> prints in torch.
/// </summary>
public class TensorLayoutTests
{
    [Fact]
    public void Rows_too_long_for_the_line_continue_under_their_opening_bracket()
    {
        var t = F32([2, 10],
            0.8632f, 0.8407f, 0.0407f, 0f, 0.4132f, 0f, 0f, 0.1538f, 0.6111f, 0f,
            0f, 0f, 0.0273f, 0.8057f, 0f, 1.0162f, 0.8042f, 0f, 0.2660f, 0f);

        Assert.Equal(
            """
            tensor([[0.8632, 0.8407, 0.0407, 0.0000, 0.4132, 0.0000, 0.0000, 0.1538, 0.6111,
                     0.0000],
                    [0.0000, 0.0000, 0.0273, 0.8057, 0.0000, 1.0162, 0.8042, 0.0000, 0.2660,
                     0.0000]])
            """,
            TensorFormatter.Format(t));
    }

    [Fact]
    public void Three_dimensional_blocks_are_separated_by_a_blank_line()
    {
        var t = F32([2, 3, 2],
            0f, 0f, 0.8850f, 1.2371f, 0f, 0f,
            0f, 0f, 0f, 0.3487f, 0.2520f, 1.2545f);

        Assert.Equal(
            """
            tensor([[[0.0000, 0.0000],
                     [0.8850, 1.2371],
                     [0.0000, 0.0000]],

                    [[0.0000, 0.0000],
                     [0.0000, 0.3487],
                     [0.2520, 1.2545]]])
            """,
            TensorFormatter.Format(t));
    }

    [Fact]
    public void Each_further_dimension_adds_one_more_blank_line()
    {
        Assert.Equal(
            """
            tensor([[[[1, 2]]],


                    [[[3, 4]]]])
            """,
            TensorFormatter.Format(I64([2, 1, 1, 2], 1, 2, 3, 4)));
    }

    /// <summary>
    /// The brief's seed for this tensor showed every column one character wider
    /// (<c>tensor([[ 12.5915,  -0.7265, ...</c>, seven per line). That is torch 0.4's layout, which
    /// always reserved a sign column; since torch 1.0 the width is the longest formatted element
    /// (<c>-8.0323</c>, <c>14.4020</c>: 7), so eight elements fit on a line. This test pins the modern output.
    /// </summary>
    [Fact]
    public void Width_is_the_longest_formatted_element_with_no_extra_sign_column()
    {
        var t = F32([2, 16],
            12.5915f, -0.7265f, -1.8981f, -8.0323f, -2.1447f, 14.4020f, 13.7854f, 1.5568f,
            3.7933f, 7.2591f, -2.2477f, 1.6366f, -5.9276f, 8.5279f, 7.9349f, -1.1328f,
            -5.2210f, 9.4576f, -0.2372f, 9.0035f, 6.2572f, -8.4716f, 6.0191f, 4.8424f,
            -0.4486f, 0.1885f, -0.1749f, 2.4314f, 3.8271f, 8.1822f, 6.5064f, 0.6512f);

        Assert.Equal(
            """
            tensor([[12.5915, -0.7265, -1.8981, -8.0323, -2.1447, 14.4020, 13.7854,  1.5568,
                      3.7933,  7.2591, -2.2477,  1.6366, -5.9276,  8.5279,  7.9349, -1.1328],
                    [-5.2210,  9.4576, -0.2372,  9.0035,  6.2572, -8.4716,  6.0191,  4.8424,
                     -0.4486,  0.1885, -0.1749,  2.4314,  3.8271,  8.1822,  6.5064,  0.6512]])
            """,
            TensorFormatter.Format(t));
    }

    [Fact]
    public void A_long_vector_wraps_with_as_many_elements_per_line_as_fit_in_80_columns()
    {
        Assert.Equal(
            """
            tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,
                    14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,
                    28., 29.])
            """,
            TensorFormatter.Format(Arange(DType.Float32, 30)));
    }

    [Fact]
    public void More_than_1000_elements_show_three_at_each_end_of_a_vector()
    {
        var zeros = Floats(DType.Float32, [10000], new double[10000]);

        Assert.Equal("tensor([0., 0., 0.,  ..., 0., 0., 0.])", TensorFormatter.Format(zeros, null));
    }

    [Fact]
    public void Summarization_elides_every_long_dimension_and_gives_the_ellipsis_its_own_row()
    {
        Assert.Equal(
            """
            tensor([[   0,    1,    2,  ...,   47,   48,   49],
                    [  50,   51,   52,  ...,   97,   98,   99],
                    [ 100,  101,  102,  ...,  147,  148,  149],
                    ...,
                    [1850, 1851, 1852,  ..., 1897, 1898, 1899],
                    [1900, 1901, 1902,  ..., 1947, 1948, 1949],
                    [1950, 1951, 1952,  ..., 1997, 1998, 1999]])
            """,
            TensorFormatter.Format(Arange(DType.Int64, 40, 50)));
    }

    [Fact]
    public void A_summarized_block_dimension_gets_an_ellipsis_between_blank_lines()
    {
        var ones = Floats(DType.Float32, [100, 2, 10], Enumerable.Repeat(1.0, 2000).ToArray());

        Assert.Equal(
            """
            tensor([[[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]],

                    [[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]],

                    [[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]],

                    ...,

                    [[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]],

                    [[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]],

                    [[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]]])
            """,
            TensorFormatter.Format(ones));
    }

    [Fact]
    public void Hidden_elements_of_a_summarized_tensor_do_not_widen_the_columns()
    {
        long[] values = Enumerable.Range(0, 2000).Select(i => (long)i).ToArray();
        values[1000] = -123456;

        Assert.Equal("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])", TensorFormatter.Format(I64([2000], values)));
    }

    [Fact]
    public void Exactly_1000_elements_are_printed_in_full()
    {
        string text = TensorFormatter.Format(Arange(DType.Int64, 1000));

        Assert.DoesNotContain("...", text);
        Assert.EndsWith("997, 998, 999])", text);
    }

    [Fact]
    public void Print_options_change_threshold_edge_items_and_line_width()
    {
        var options = TensorPrintOptions.Default with { Threshold = 5, EdgeItems = 2, LineWidth = 20 };

        Assert.Equal(
            """
            tensor([[ 0,  1,  ...,
                      8,  9],
                    [10, 11,  ...,
                     18, 19]])
            """,
            TensorFormatter.Format(Arange(DType.Int64, 2, 10), options, suffix: null));
    }

    [Fact]
    public void A_suffix_follows_the_data_when_it_fits_on_the_last_line()
    {
        Assert.Equal(
            """
            tensor([[1., 2., 3.],
                    [4., 5., 6.]], grad_fn=<AddBackward0>)
            """,
            TensorFormatter.Format(F32([2, 3], 1, 2, 3, 4, 5, 6), "grad_fn=<AddBackward0>"));
    }

    [Fact]
    public void A_suffix_after_the_dtype_stays_on_the_line_while_it_fits()
    {
        var t = Floats(DType.Float64, [10], Enumerable.Range(0, 10).Select(i => i / 3.0).ToArray());

        Assert.Equal(
            """
            tensor([0.0000, 0.3333, 0.6667, 1.0000, 1.3333, 1.6667, 2.0000, 2.3333, 2.6667,
                    3.0000], dtype=torch.float64, grad_fn=<MulBackward0>)
            """,
            TensorFormatter.Format(t, "grad_fn=<MulBackward0>"));
    }

    [Fact]
    public void A_suffix_that_would_pass_80_columns_starts_a_new_line_under_the_data()
    {
        Assert.Equal(
            """
            tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,
                    18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35],
                   dtype=torch.int32)
            """,
            TensorFormatter.Format(Arange(DType.Int32, 36)));

        string longSuffix = new('x', 65);
        Assert.Equal($"tensor([1., 2., 3.],\n       {longSuffix})", TensorFormatter.Format(F32([3], 1, 2, 3), longSuffix));
    }

    [Fact]
    public void Negative_sizes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => TensorFormatter.Format(new NegativeShape()));
    }

    private sealed class NegativeShape : ITensorElements
    {
        public DType DType => DType.Float32;

        public long[] Shape => [2, -1];

        public double GetDouble(long flatIndex) => throw new NotSupportedException();

        public long GetInt64(long flatIndex) => throw new NotSupportedException();

        public bool GetBool(long flatIndex) => throw new NotSupportedException();
    }
}

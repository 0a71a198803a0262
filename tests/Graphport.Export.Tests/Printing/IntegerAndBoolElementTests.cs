using static Graphport.Tests.Printing.ArrayTensor;

namespace Graphport.Tests.Printing;

/// <summary>Integer and bool elements print as Python's <c>str()</c> of each, right-aligned to the longest.</summary>
public class IntegerAndBoolElementTests
{
    [Fact]
    public void Integers_take_the_width_of_the_longest_including_its_sign()
    {
        Assert.Equal("tensor([1, 2])", TensorFormatter.Format(I64([2], 1, 2)));
        Assert.Equal("tensor([ 1, -2])", TensorFormatter.Format(I64([2], 1, -2)));
        Assert.Equal("tensor([   1, 1010])", TensorFormatter.Format(I64([2], 1, 1010)));
    }

    [Fact]
    public void Integers_never_switch_to_scientific_notation()
    {
        Assert.Equal("tensor([1000000000])", TensorFormatter.Format(I64([1], 1_000_000_000)));
        Assert.Equal(
            "tensor([-9223372036854775808,                    0,  9223372036854775807])",
            TensorFormatter.Format(I64([3], long.MinValue, 0, long.MaxValue)));
    }

    [Fact]
    public void Integer_dtypes_other_than_int64_are_named()
    {
        Assert.Equal("tensor([1, 2, 3], dtype=torch.int32)", TensorFormatter.Format(Ints(DType.Int32, [3], 1, 2, 3)));
        Assert.Equal("tensor([-128,    0,  127], dtype=torch.int8)", TensorFormatter.Format(Ints(DType.Int8, [3], -128, 0, 127)));
        Assert.Equal("tensor([  0, 255], dtype=torch.uint8)", TensorFormatter.Format(Ints(DType.UInt8, [2], 0, 255)));
    }

    [Fact]
    public void Bools_print_as_python_bools_with_True_padded_to_the_width_of_False()
    {
        Assert.Equal("tensor([ True, False])", TensorFormatter.Format(Bools([2], true, false)));
        Assert.Equal("tensor([True])", TensorFormatter.Format(Bools([1], true)));
        Assert.Equal(
            """
            tensor([[ True, False],
                    [False,  True]])
            """,
            TensorFormatter.Format(Bools([2, 2], true, false, false, true)));
    }
}

using static Graphport.Tests.Printing.ArrayTensor;

namespace Graphport.Tests.Printing;

/// <summary>
/// Tensors without a row of elements: zero-dim tensors print their single value bare; empty tensors
/// print <c>[]</c> and name whatever <c>[]</c> cannot show — any shape but <c>(0,)</c> and any dtype but float32.
/// </summary>
public class EmptyAndZeroDimTests
{
    [Fact]
    public void A_zero_dim_tensor_prints_its_value_without_brackets()
    {
        Assert.Equal("tensor(3.)", TensorFormatter.Format(F32([], 3)));
        Assert.Equal("tensor(0.5000)", TensorFormatter.Format(F32([], 0.5f)));
        Assert.Equal("tensor(2.0000e-05)", TensorFormatter.Format(F32([], 0.00002f)));
        Assert.Equal("tensor(-0.)", TensorFormatter.Format(F32([], -0f)));
        Assert.Equal("tensor(nan)", TensorFormatter.Format(F32([], float.NaN)));
        Assert.Equal("tensor(5)", TensorFormatter.Format(I64([], 5)));
        Assert.Equal("tensor(2341234123412341)", TensorFormatter.Format(I64([], 2341234123412341)));
        Assert.Equal("tensor(True)", TensorFormatter.Format(Bools([], true)));
    }

    [Fact]
    public void A_zero_dim_tensor_of_a_non_default_dtype_names_it()
    {
        Assert.Equal("tensor(1.5000, dtype=torch.float64)", TensorFormatter.Format(Floats(DType.Float64, [], 1.5)));
        Assert.Equal("tensor(7, dtype=torch.int32)", TensorFormatter.Format(Ints(DType.Int32, [], 7)));
    }

    [Fact]
    public void An_empty_vector_prints_bare_brackets()
    {
        Assert.Equal("tensor([])", TensorFormatter.Format(F32([0])));
    }

    [Fact]
    public void An_empty_tensor_of_any_other_shape_spells_out_its_size()
    {
        Assert.Equal("tensor([], size=(0, 3))", TensorFormatter.Format(F32([0, 3])));
        Assert.Equal("tensor([], size=(0, 2, 0))", TensorFormatter.Format(F32([0, 2, 0])));
    }

    [Fact]
    public void An_empty_tensor_names_every_dtype_but_float32_even_int64_and_bool()
    {
        Assert.Equal("tensor([], dtype=torch.int64)", TensorFormatter.Format(I64([0])));
        Assert.Equal("tensor([], dtype=torch.float64)", TensorFormatter.Format(Floats(DType.Float64, [0])));
        Assert.Equal("tensor([], size=(2, 0), dtype=torch.bool)", TensorFormatter.Format(Bools([2, 0])));
    }
}

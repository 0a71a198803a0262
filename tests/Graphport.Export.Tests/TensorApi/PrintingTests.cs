namespace Graphport.Tests.TensorApi;

/// <summary>Tensor.ToString goes through torch's formatter: layout, dtype suffixes, logical order of strided tensors, 0-dim.</summary>
public class PrintingTests
{
    [Fact]
    public void A_float32_vector_prints_like_torch()
    {
        Assert.Equal("tensor([ 1.0000,  2.5000, -3.0000])", Torch.Tensor(new float[] { 1, 2.5f, -3 }).ToString());
    }

    [Fact]
    public void Integer_valued_floats_print_with_a_trailing_dot()
    {
        Assert.Equal("tensor([[1., 2.],\n        [3., 4.]])", Torch.Tensor(new float[,] { { 1, 2 }, { 3, 4 } }).ToString());
    }

    [Fact]
    public void A_transposed_tensor_prints_in_logical_order()
    {
        var t = Torch.Tensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }).T();
        Assert.False(t.IsContiguous());
        Assert.Equal("tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]])", t.ToString());
    }

    [Fact]
    public void A_sliced_view_with_an_offset_prints_only_its_elements()
    {
        var t = Torch.Arange(10)[TensorIndex.Slice(3, null, 3)];
        Assert.Equal("tensor([3, 6, 9])", t.ToString());
    }

    [Fact]
    public void Int64_prints_without_a_dtype_suffix_and_other_ints_with_one()
    {
        Assert.Equal("tensor([1, 2, 3])", Torch.Tensor(new long[] { 1, 2, 3 }).ToString());
        Assert.Equal("tensor([ 1, -2], dtype=torch.int32)", Torch.Tensor(new int[] { 1, -2 }).ToString());
        Assert.Equal("tensor([7], dtype=torch.uint8)", Torch.Tensor(new byte[] { 7 }).ToString());
        Assert.Equal("tensor([-7], dtype=torch.int8)", Torch.Tensor(new sbyte[] { -7 }).ToString());
    }

    [Fact]
    public void Half_precision_and_double_tensors_carry_their_dtype_suffix()
    {
        Assert.Equal("tensor([1.5000, 2.0000], dtype=torch.float16)", Torch.Tensor(new double[] { 1.5, 2 }, DType.Float16).ToString());
        Assert.Equal("tensor([1.5000, 2.0000], dtype=torch.bfloat16)", Torch.Tensor(new double[] { 1.5, 2 }, DType.BFloat16).ToString());
        Assert.Equal("tensor([0.2500, 2.0000], dtype=torch.float64)", Torch.Tensor(new double[] { 0.25, 2 }).ToString());
    }

    [Fact]
    public void Bool_tensors_print_true_and_false()
    {
        Assert.Equal("tensor([ True, False])", Torch.Tensor(new[] { true, false }).ToString());
    }

    [Fact]
    public void Zero_dim_tensors_print_their_single_value()
    {
        Assert.Equal("tensor(2.5000)", Torch.ScalarTensor(2.5).ToString());
        Assert.Equal("tensor(7)", Torch.ScalarTensor(7L).ToString());
        Assert.Equal("tensor(3., dtype=torch.float16)", Torch.Tensor(new double[] { 3 }, DType.Float16).Squeeze().ToString());
        Assert.Equal("tensor(True)", Torch.ScalarTensor(true).ToString());
    }

    [Fact]
    public void Empty_tensors_print_their_size()
    {
        Assert.Equal("tensor([])", Torch.Zeros(0).ToString());
        Assert.Equal("tensor([], size=(0, 3))", Torch.Zeros(0, 3).ToString());
    }

    [Fact]
    public void A_selected_row_of_a_3d_tensor_prints_as_a_matrix()
    {
        var t = Torch.Arange(24).View(2, 3, 4)[1, .., 1..3];
        Assert.Equal("tensor([[13, 14],\n        [17, 18],\n        [21, 22]])", t.ToString());
    }
}

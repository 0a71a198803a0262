using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>torch.tensor, the factories, and the layout queries (shape, strides, numel, is_contiguous) on CPU tensors.</summary>
public class CreationTests
{
    [Fact]
    public void Tensor_from_a_rectangular_array_takes_its_shape_and_the_arrays_element_type()
    {
        var t = Torch.Tensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal([2L, 3L], Sizes(t));
        Assert.Equal([1.0, 2, 3, 4, 5, 6], Values(t));

        Assert.Equal(DType.Float64, Torch.Tensor(new double[] { 1.5 }).DType);
        Assert.Equal(DType.Int64, Torch.Tensor(new long[] { 1 }).DType);
        Assert.Equal(DType.Int32, Torch.Tensor(new int[] { 1 }).DType);
        Assert.Equal(DType.Int8, Torch.Tensor(new sbyte[] { 1 }).DType);
        Assert.Equal(DType.UInt8, Torch.Tensor(new byte[] { 1 }).DType);
        Assert.Equal(DType.Bool, Torch.Tensor(new bool[] { true }).DType);
        Assert.Equal(DType.Float16, Torch.Tensor(new Half[] { (Half)1 }).DType);
        Assert.Equal(DType.BFloat16, Torch.Tensor(new BFloat16[] { (BFloat16)1f }).DType);
    }

    [Fact]
    public void Tensor_copies_the_array_so_later_writes_to_the_array_do_not_reach_it()
    {
        var data = new float[] { 1, 2, 3 };
        var t = Torch.Tensor(data);
        data[0] = 100;
        Assert.Equal([1.0, 2, 3], Values(t));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void Tensor_with_a_floating_dtype_keeps_values_that_the_dtype_represents_exactly(DType dtype)
    {
        var t = Torch.Tensor(new double[,] { { 1.5, -2.25 }, { 0.125, 96 } }, dtype);
        Assert.Equal(dtype, t.DType);
        Assert.Equal([2L, 2L], Sizes(t));
        Assert.Equal([1.5, -2.25, 0.125, 96], Values(t));
    }

    [Theory]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.Int8)]
    public void Tensor_with_a_signed_integer_dtype_truncates_toward_zero_as_torch_does(DType dtype)
    {
        var t = Torch.Tensor(new double[] { 1.7, -2.7, 0.2, 100 }, dtype);
        Assert.Equal(dtype, t.DType);
        Assert.Equal([1.0, -2, 0, 100], Values(t));
    }

    [Fact]
    public void Tensor_with_uint8_and_bool_dtypes_converts_like_torch()
    {
        Assert.Equal([3.0, 0, 255], Values(Torch.Tensor(new double[] { 3.9, 0, 255 }, DType.UInt8)));
        var b = Torch.Tensor(new double[] { 0, -0.5, 2 }, DType.Bool);
        Assert.Equal(DType.Bool, b.DType);
        Assert.Equal([0.0, 1, 1], Values(b));
    }

    [Fact]
    public void Arrays_of_unsupported_element_types_are_rejected_with_the_supported_list()
    {
        var e = Assert.Throws<ArgumentException>(() => Torch.Tensor(new decimal[] { 1m }));
        Assert.Contains("cannot become tensors", e.Message);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.Int8)]
    [InlineData(DType.UInt8)]
    [InlineData(DType.Bool)]
    public void Zeros_ones_and_full_create_every_dtype(DType dtype)
    {
        var z = Torch.Zeros([2L, 3L], dtype);
        var o = Torch.Ones([2L, 3L], dtype);
        var f = Torch.Full([3, 1], 1.0, dtype);
        Assert.All(new[] { z, o, f }, t => Assert.Equal(dtype, t.DType));
        Assert.Equal([2L, 3L], Sizes(z));
        Assert.Equal([3L, 1L], Sizes(f));
        Assert.All(Values(z), v => Assert.Equal(0.0, v));
        Assert.All(Values(o), v => Assert.Equal(1.0, v));
        Assert.All(Values(f), v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void Full_infers_its_dtype_from_the_fill_value_like_torch()
    {
        var f = Torch.Full([2], 2.5);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal([2.5, 2.5], Values(f));
        var i = Torch.Full([2, 2], 7L);
        Assert.Equal(DType.Int64, i.DType);
        Assert.Equal([7.0, 7, 7, 7], Values(i));
        var h = Torch.Full([3], -1.5, DType.Float16);
        Assert.Equal([-1.5, -1.5, -1.5], Values(h));
    }

    [Fact]
    public void Factories_default_to_float32()
    {
        Assert.Equal(DType.Float32, Torch.Zeros(2).DType);
        Assert.Equal(DType.Float32, Torch.Ones(2).DType);
        Assert.Equal(DType.Float32, Torch.Randn(2).DType);
        Assert.Equal(DType.Float32, Torch.Rand(2).DType);
        Assert.Equal(DType.Float32, Torch.Empty(2).DType);
    }

    [Fact]
    public void Arange_with_integers_is_int64_and_with_doubles_float32()
    {
        var a = Torch.Arange(5);
        Assert.Equal(DType.Int64, a.DType);
        Assert.Equal([0.0, 1, 2, 3, 4], Values(a));

        var b = Torch.Arange(2, 11, 3);
        Assert.Equal([2.0, 5, 8], Values(b));

        var c = Torch.Arange(10, 0, -3);
        Assert.Equal([10.0, 7, 4, 1], Values(c));

        var d = Torch.Arange(0.0, 1.0, 0.25);
        Assert.Equal(DType.Float32, d.DType);
        Assert.Equal([0.0, 0.25, 0.5, 0.75], Values(d));

        Assert.Equal([0L], Sizes(Torch.Arange(0)));
    }

    [Fact]
    public void Arange_converted_to_each_dtype_keeps_its_values()
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Float16, DType.BFloat16, DType.Int32, DType.Int8, DType.UInt8 })
        {
            var t = Torch.Arange(6).To(dtype);
            Assert.Equal(dtype, t.DType);
            Assert.Equal([0.0, 1, 2, 3, 4, 5], Values(t));
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void Randn_and_rand_create_floating_dtypes(DType dtype)
    {
        var n = Torch.Randn([3, 4], dtype);
        var u = Torch.Rand([3, 4], dtype);
        Assert.Equal(dtype, n.DType);
        Assert.Equal(dtype, u.DType);
        Assert.Equal([3L, 4L], Sizes(n));
        Assert.All(Values(u), v => Assert.InRange(v, 0.0, 1.0));
    }

    [Fact]
    public void Rand_of_an_integer_dtype_is_an_error_as_in_torch()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Rand([3], DType.Int64));
        Assert.Contains("not implemented for 'Long'", e.Message);
    }

    [Fact]
    public void Negative_sizes_are_rejected()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Zeros(2, -1));
        Assert.Contains("negative dimension -1", e.Message);
    }

    [Fact]
    public void A_new_tensor_is_contiguous_with_row_major_strides()
    {
        var t = Torch.Zeros(2, 3, 4);
        Assert.Equal(3, t.Ndim);
        Assert.Equal(3, t.Dim());
        Assert.Equal(24L, (long)t.Numel());
        Assert.Equal([12L, 4, 1], t.Strides);
        Assert.Equal(0L, t.StorageOffset);
        Assert.True(t.IsContiguous());
        Assert.Equal(4L, (long)t.Size(-1));
    }

    [Fact]
    public void A_transposed_tensor_has_swapped_strides_and_is_not_contiguous_until_made_so()
    {
        var t = Reference.Random(1, [2, 3, 4]);
        var p = t.Transpose(0, 2);
        Assert.Equal([4L, 3, 2], Sizes(p));
        Assert.Equal([1L, 4, 12], p.Strides);
        Assert.False(p.IsContiguous());

        var c = p.Contiguous();
        Assert.True(c.IsContiguous());
        Assert.Equal([6L, 2, 1], c.Strides);
        var tv = Values(t);
        var expected = Indices([4, 3, 2]).Select(i => tv[Flat([2, 3, 4], [i[2], i[1], i[0]])]).ToArray();
        Assert.Equal(expected, Values(c));
        Assert.Same(t.Storage, p.Storage);
        Assert.NotSame(t.Storage, c.Storage);
    }

    [Fact]
    public void Contiguous_on_a_contiguous_tensor_returns_it_without_copying()
    {
        var t = Torch.Zeros(3, 2);
        Assert.Same(t.Storage, t.Contiguous().Storage);
    }

    [Fact]
    public void Size_one_dims_do_not_break_contiguity_and_empty_tensors_have_no_elements()
    {
        var t = Torch.Zeros(3, 1, 2).Transpose(0, 1);
        Assert.True(t.IsContiguous());
        var e = Torch.Zeros(0, 3);
        Assert.Equal(0L, (long)e.Numel());
        Assert.Equal([3L, 1], e.Strides);
        Assert.Empty(Values(e));
    }

    [Fact]
    public void A_zero_dim_tensor_has_one_element_and_no_dims()
    {
        var s = Torch.ScalarTensor(2.5);
        Assert.Equal(0, s.Ndim);
        Assert.Equal(1L, (long)s.Numel());
        Assert.Empty(s.Strides);
        Assert.Equal(2.5, s.Item());
        Assert.Equal(DType.Float32, s.DType);
        Assert.Equal(DType.Int64, Torch.ScalarTensor(3L).DType);
        Assert.Equal(3L, Torch.ScalarTensor(3L).Item<long>());
    }

    [Fact]
    public void Item_of_a_tensor_with_several_elements_fails_like_torch()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Torch.Zeros(3).Item());
        Assert.Contains("a Tensor with 3 elements cannot be converted to Scalar", e.Message);
    }

    [Fact]
    public void Like_factories_copy_shape_and_dtype()
    {
        var t = Torch.Zeros([2L, 5L], DType.Float64);
        foreach (var like in new[] { Torch.ZerosLike(t), Torch.OnesLike(t), Torch.FullLike(t, 3), Torch.RandLike(t), Torch.RandnLike(t), Torch.EmptyLike(t) })
        {
            Assert.Equal(DType.Float64, like.DType);
            Assert.Equal([2L, 5L], Sizes(like));
        }
        Assert.All(Values(Torch.FullLike(t, 3)), v => Assert.Equal(3.0, v));
    }

    [Fact]
    public void ToArray_converts_elements_to_the_requested_type_in_logical_order()
    {
        var t = Torch.Tensor(new long[,] { { 1, 2, 3 }, { 4, 5, 6 } }).T();
        Assert.Equal([1f, 4, 2, 5, 3, 6], t.ToArray<float>());
        Assert.Equal([1, 4, 2, 5, 3, 6], t.ToArray<int>());
    }
}

using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>torch's result dtypes, observed through actual ops (not the promotion table alone), with correct values.</summary>
public class TypePromotionThroughOpsTests
{
    [Fact]
    public void Int_tensor_plus_a_float_number_is_float32()
    {
        var r = Torch.Arange(3) + 1.5;
        Assert.Equal(DType.Float32, r.DType);
        Assert.Equal([1.5, 2.5, 3.5], Values(r));
    }

    [Fact]
    public void Int64_tensor_plus_an_int_number_stays_int64()
    {
        var r = Torch.Arange(3) + 2L;
        Assert.Equal(DType.Int64, r.DType);
        Assert.Equal([2.0, 3, 4], Values(r));
        Assert.Equal(DType.Int64, (Torch.Arange(3) * 3L).DType);
    }

    [Fact]
    public void A_number_does_not_widen_a_narrower_integer_tensor()
    {
        var i32 = Torch.Arange(3).Int();
        Assert.Equal(DType.Int32, (i32 + 5L).DType);
        var i8 = Torch.Arange(3).To(DType.Int8);
        Assert.Equal(DType.Int8, (i8 * 2L).DType);
        Assert.Equal([0.0, 2, 4], Values(i8 * 2L));
        var u8 = Torch.Arange(3).To(DType.UInt8);
        Assert.Equal(DType.UInt8, (u8 + 1L).DType);
    }

    [Fact]
    public void Bool_plus_bool_is_bool_with_logical_or_semantics()
    {
        var a = Torch.Tensor(new[] { true, true, false, false });
        var b = Torch.Tensor(new[] { true, false, true, false });
        var r = a + b;
        Assert.Equal(DType.Bool, r.DType);
        Assert.Equal([1.0, 1, 1, 0], Values(r));
        var m = a * b;
        Assert.Equal(DType.Bool, m.DType);
        Assert.Equal([1.0, 0, 0, 0], Values(m));
    }

    [Fact]
    public void Bool_tensor_with_an_int_number_becomes_int64()
    {
        var r = Torch.Tensor(new[] { true, false }) + 2L;
        Assert.Equal(DType.Int64, r.DType);
        Assert.Equal([3.0, 2], Values(r));
    }

    [Fact]
    public void Uint8_plus_int8_widens_to_a_signed_type_that_holds_both()
    {
        // torch gives int16; Graphport has no int16, so int32 (the next signed type) holds every result.
        var u = Torch.Tensor(new byte[] { 200, 0, 255 });
        var s = Torch.Tensor(new sbyte[] { -100, -128, 127 });
        var r = u + s;
        Assert.Equal(DType.Int32, r.DType);
        Assert.Equal([100.0, -128, 382], Values(r));
    }

    [Fact]
    public void Float16_plus_float32_is_float32_and_float16_with_bfloat16_is_float32()
    {
        var h = Torch.Tensor(new double[] { 1.5, 2 }, DType.Float16);
        var f = Torch.Tensor(new float[] { 0.25f, 0.5f });
        var bf = Torch.Tensor(new double[] { 1, 3 }, DType.BFloat16);
        Assert.Equal(DType.Float32, (h + f).DType);
        Assert.Equal([1.75, 2.5], Values(h + f));
        Assert.Equal(DType.Float32, (h + bf).DType);
        Assert.Equal([2.5, 5], Values(h + bf));
        Assert.Equal(DType.Float16, (h * 2.5).DType);
        Assert.Equal([3.75, 5], Values(h * 2.5));
        Assert.Equal(DType.BFloat16, (bf + bf).DType);
    }

    [Fact]
    public void Float32_with_float64_tensors_is_float64_but_a_float64_zero_dim_tensor_does_not_widen_float32()
    {
        var f = Torch.Tensor(new float[] { 1, 2 });
        var d = Torch.Tensor(new double[] { 0.5, 0.5 });
        Assert.Equal(DType.Float64, (f + d).DType);
        var zeroDim = Torch.Tensor(new double[] { 0.5 }).Squeeze();
        Assert.Equal(0, zeroDim.Ndim);
        Assert.Equal(DType.Float32, (f + zeroDim).DType);
        // A higher category still wins: int64[2] * float64[] is float64.
        Assert.Equal(DType.Float64, (Torch.Arange(2) * zeroDim).DType);
    }

    [Fact]
    public void Integer_division_is_true_division_into_float32()
    {
        var r = Torch.Arange(5) / 2L;
        Assert.Equal(DType.Float32, r.DType);
        Assert.Equal([0.0, 0.5, 1, 1.5, 2], Values(r));
        var t = Torch.Arange(5) / Torch.Full([5], 4L);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1], Values(t));
    }

    [Fact]
    public void Unary_float_functions_of_integer_tensors_are_float32()
    {
        var x = Torch.Arange(3);
        Assert.Equal(DType.Float32, x.Exp().DType);
        Assert.Equal(DType.Float32, x.Sqrt().DType);
        Assert.Equal(DType.Float32, x.Sigmoid().DType);
        Assert.Equal(DType.Int64, x.Abs().DType);
        Assert.Equal(DType.Int64, x.Neg().DType);
        AssertClose([1, Math.E, Math.E * Math.E], [3], x.Exp(), 1e-6, 1e-6);
    }

    [Fact]
    public void Comparisons_with_a_float_number_compare_in_floating_point()
    {
        var x = Torch.Arange(4);
        var r = x < 1.5;
        Assert.Equal(DType.Bool, r.DType);
        Assert.Equal([1.0, 1, 0, 0], Values(r));
        Assert.Equal([0.0, 0, 0, 0], Values(x == 1.5));
        Assert.Equal([0.0, 1, 0, 0], Values(x == 1L));
        Assert.Equal([1.0, 1, 0, 1], Values(x != 2.0));
    }

    [Fact]
    public void Where_promotes_its_two_branches()
    {
        var c = Torch.Tensor(new[] { true, false });
        var r = Torch.Where(c, Torch.Arange(2), Torch.Tensor(new float[] { 0.5f, 0.5f }));
        Assert.Equal(DType.Float32, r.DType);
        Assert.Equal([0.0, 0.5], Values(r));
        var s = Torch.Where(c, Torch.Arange(2), 2.5);
        Assert.Equal(DType.Float32, s.DType);
        Assert.Equal([0.0, 2.5], Values(s));
    }

    [Fact]
    public void Sum_of_integers_and_bools_is_int64_and_mean_of_integers_is_an_error()
    {
        Assert.Equal(DType.Int64, Torch.Arange(4).Int().Sum().DType);
        var bools = Torch.Tensor(new[] { true, true, false });
        Assert.Equal(DType.Int64, bools.Sum().DType);
        Assert.Equal(2L, bools.Sum().Item<long>());
        var e = Assert.ThrowsAny<Exception>(() => Torch.Arange(4).Mean());
        Assert.Contains("mean(): could not infer output dtype", e.Message);
    }

    [Fact]
    public void In_place_ops_keep_the_targets_dtype_when_the_result_can_be_cast_into_it()
    {
        var x = Torch.Zeros(3);
        x.Add_(Torch.Arange(3));
        Assert.Equal(DType.Float32, x.DType);
        Assert.Equal([0.0, 1, 2], Values(x));
        var h = Torch.Zeros([2L], DType.Float16);
        h.Add_(Torch.Tensor(new double[] { 0.5, 1.25 }));
        Assert.Equal(DType.Float16, h.DType);
        Assert.Equal([0.5, 1.25], Values(h));
    }

    [Fact]
    public void An_in_place_op_whose_float_result_cannot_go_back_into_an_integer_target_fails_like_torch()
    {
        var x = Torch.Arange(3);
        var e = Assert.ThrowsAny<Exception>(() => x.Add_(Torch.Tensor(new float[] { 0.7f, 1.2f, 2.9f })));
        Assert.Contains("result type Float can't be cast to the desired output type Long", e.Message);
        Assert.Equal([0.0, 1, 2], Values(x));
        // copy_ is a conversion, not arithmetic: it may truncate.
        x.Copy_(Torch.Tensor(new float[] { 0.7f, 1.2f, 2.9f }));
        Assert.Equal([0.0, 1, 2], Values(x));
    }
}

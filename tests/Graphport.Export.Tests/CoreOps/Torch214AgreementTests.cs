using Graphport.Operators;
using static Graphport.Tests.CoreOps.CoreOpCalls;

namespace Graphport.Tests.CoreOps;

/// <summary>
/// What the comparison with PyTorch 2.14's CPU kernels (bench/torch/op_reference.py) found us doing differently:
/// any.dims with an empty dim list, gelu of +inf on oneDNN's path, the dtypes and Scalars torch refuses (abs of
/// bool, gelu of int64, a float alpha for an integer add, a fill value that overflows) and two schemas. The expected
/// values and messages are torch 2.14's.
/// </summary>
public class Torch214AgreementTests
{
    private static Tensor Longs(params long[] values) => Tensor.FromArray(values, values.Length);

    private static Tensor Doubles(params double[] values) => Tensor.FromArray(values, values.Length);

    private static Tensor OpKw(string name, object?[] args, params (string Name, object? Value)[] kwargs) =>
        (Tensor)Torch.Ops[name].Call(args, kwargs.ToDictionary(k => k.Name, k => k.Value))!;

    private static string Fails(Action call) => Assert.ThrowsAny<Exception>(call).Message;

    private sealed class AnyOverNoDims : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x) => (Tensor)Torch.Ops["aten::any.dims"].Call(x, Array.Empty<long>(), true)!;
    }

    [Fact]
    public void Any_dims_with_an_empty_list_tests_each_element_while_None_reduces_all()
    {
        var x = Doubles(0, 1, double.NaN, -0.0, 2, 0).Reshape(2, 3).To(DType.Float32);
        // An empty list reduces nothing (keepdim changes nothing); NaN is true, -0.0 false.
        foreach (bool keep in new[] { false, true })
            AssertValues([0, 1, 1, 0, 1, 0], [2, 3], Op("aten::any.dims", x, Array.Empty<long>(), keep), DType.Bool);
        AssertValues([1], [], Op("aten::any.dims", x, null), DType.Bool);
        AssertValues([1], [1, 1], Op("aten::any.dims", x, null, true), DType.Bool);
        // sum and mean still read [] as every dim, as torch does.
        AssertValues([3], [], Op("aten::sum.dim_IntList", Longs(1, 2), Array.Empty<long>()), DType.Int64);
        AssertValues([1.5], [1], Op("aten::mean.dim", Doubles(1, 2), Array.Empty<long>(), true), DType.Float64);

        // Traced, the meta function gives the same shape, and the program computes the same values.
        var ep = Torch.Export(new AnyOverNoDims(), [x]);
        var meta = Assert.IsType<TensorMeta>(Assert.Single(ep.Graph.Nodes, n => n.Op?.Name == "aten::any.dims").Value);
        Assert.Equal([2L, 3], meta.Shape.Select(s => (long)s));
        AssertValues([0, 1, 1, 0, 1, 0], [2, 3], ep.Module().Call(x), DType.Bool);
    }

    private sealed class AllOf : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x) => x.All();
    }

    [Fact]
    public void Any_and_all_of_a_uint8_tensor_are_uint8()
    {
        var u8 = Longs(3, 0, 1, 7).Reshape(2, 2).To(DType.UInt8);
        AssertValues([1], [], Op("aten::any", u8), DType.UInt8);
        AssertValues([0], [], Op("aten::all", u8), DType.UInt8);
        AssertValues([1, 1], [2], Op("aten::any.dim", u8, 0L), DType.UInt8);
        AssertValues([1, 0, 1, 1], [2, 2], Op("aten::any.dims", u8, Array.Empty<long>()), DType.UInt8);
        // Other integer dtypes give bool.
        AssertValues([1], [], Op("aten::any", u8.To(DType.Int8)), DType.Bool);
        // all's decomposition (not any not) casts back to uint8, as torch._refs.all does.
        var core = Torch.Export(new AllOf(), [u8]).RunDecompositions();
        AssertValues([0], [], core.Module().Call(u8), DType.UInt8);
        AssertValues([1], [], core.Module().Call(Longs(1, 2, 3, 4).Reshape(2, 2).To(DType.UInt8)), DType.UInt8);
    }

    [Fact]
    public void Gelu_of_plus_infinity_is_plus_infinity_in_every_layout_and_dtype()
    {
        double inf = double.PositiveInfinity, big = 1.8e38;
        var x = Doubles(inf, big, 1, double.NegativeInfinity);
        // The exact value, as torch's own CPU kernel and CUDA give (its oneDNN path on contiguous float32 gives NaN).
        var f32 = Values(Op("aten::gelu", x.To(DType.Float32)));
        Assert.Equal(inf, f32[0]);
        Assert.Equal(big, f32[1], big * 1e-6);
        Assert.Equal(0.8413447141647339, f32[2], 1e-6);
        Assert.True(double.IsNaN(f32[3]) || f32[3] == 0, $"gelu(-inf) = {f32[3]}");
        Assert.Equal(inf, Values(Op("aten::gelu", Doubles(inf).To(DType.Float32)))[0]);
        Assert.Equal([inf, inf], Values(Op("aten::gelu", Doubles(inf, 0, inf, 0).To(DType.Float32).Reshape(2, 2).Transpose(0, 1)))[..2]);
        Assert.Equal(inf, Values(Op("aten::gelu", Doubles(inf, inf).To(DType.Float16)))[0]);
        Assert.Equal([inf, big], Values(Op("aten::gelu", x))[..2]);
        Assert.Equal(inf, Values(OpKw("aten::gelu", [Doubles(inf, inf).To(DType.Float32)], ("approximate", "tanh")))[0]);
    }

    [Fact]
    public void Unary_ops_refuse_the_dtypes_torch_has_no_kernel_for()
    {
        var flags = Tensor.FromArray(new[] { true, false }, 2);
        foreach (var (op, kernel) in new[] { ("abs", "abs_cpu"), ("ceil", "ceil_vml_cpu"), ("floor", "floor_vml_cpu"), ("round", "round_vml_cpu"), ("trunc", "trunc_vml_cpu") })
            Assert.Contains($"\"{kernel}\" not implemented for 'Bool'", Fails(() => Op("aten::" + op, flags)));
        AssertValues([1, 0], [2], Op("aten::sign", flags), DType.Bool);
        AssertValues([2, 3], [2], Op("aten::abs", Longs(-2, 3).To(DType.Int8)), DType.Int8);

        var ints = Longs(-1, 2);
        foreach (var (op, kernel) in new[] { ("gelu", "GeluKernelImpl"), ("silu", "silu_cpu"), ("hardswish", "hardswish_cpu"), ("hardsigmoid", "hardsigmoid_cpu"), ("softplus", "softplus_cpu"), ("leaky_relu", "leaky_relu_cpu") })
        {
            string message = Fails(() => Op("aten::" + op, ints));
            Assert.Contains($"\"{kernel}\" not implemented for 'Long'", message);
            Assert.Contains("Convert the input to a floating dtype first", message);
        }
        Assert.Contains("\"GeluKernelImpl\" not implemented for 'Byte'", Fails(() => Op("aten::gelu", ints.To(DType.UInt8))));
        AssertValues([0.8413, -0.1587], [2], Op("aten::gelu", Doubles(1, -1).To(DType.Float16)), DType.Float16, 0, 1e-3);
    }

    private sealed class AbsOf : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x) => x.Abs();
    }

    [Fact]
    public void Tracing_refuses_what_the_kernel_refuses()
    {
        Assert.Contains("\"abs_cpu\" not implemented for 'Bool'", Fails(() => Torch.Export(new AbsOf(), [Tensor.FromArray(new[] { true, false }, 2)])));
    }

    [Fact]
    public void Clamp_of_a_bool_tensor_needs_integer_bounds()
    {
        var flags = Tensor.FromArray(new[] { false, true }, 2);
        Assert.Contains("\"clamp_scalar_cpu\" not implemented for 'Bool'", Fails(() => Op("aten::clamp", flags, false, true)));
        Assert.Contains("\"clamp_min_scalar_cpu\" not implemented for 'Bool'", Fails(() => Op("aten::clamp", flags, true, null)));
        Assert.Contains("\"clamp_max_scalar_cpu\" not implemented for 'Bool'", Fails(() => Op("aten::clamp", flags, null, true)));
        // Integer bounds promote to int64, float bounds to float32.
        AssertValues([0, 1], [2], Op("aten::clamp", flags, 0L, 1L), DType.Int64);
        AssertValues([0.5, 1], [2], Op("aten::clamp", flags, 0.5, null), DType.Float32);
    }

    [Theory]
    [InlineData("aten::replication_pad1d", 1)]
    [InlineData("aten::replication_pad2d", 2)]
    [InlineData("aten::replication_pad3d", 3)]
    [InlineData("aten::reflection_pad1d", 1)]
    [InlineData("aten::reflection_pad2d", 2)]
    [InlineData("aten::reflection_pad3d", 3)]
    public void Reflection_and_replication_padding_refuse_bool_but_take_integers(string op, int dims)
    {
        long[] shape = [2, .. Enumerable.Repeat(3L, dims)];
        long[] pad = [.. Enumerable.Repeat(1L, 2 * dims)];
        Assert.Contains($"\"{op[6..]}\" not implemented for 'Bool'", Fails(() => Op(op, Torch.Zeros(shape).To(DType.Bool), pad)));
        Assert.Equal(DType.UInt8, Op(op, Torch.Zeros(shape).To(DType.UInt8), pad).DType);
    }

    [Fact]
    public void Add_and_sub_refuse_a_float_alpha_for_an_integer_result()
    {
        var ints = Longs(1, 2);
        const string floatAlpha = "For integral input tensors, argument alpha must not be a floating point number.";
        Assert.Contains(floatAlpha, Fails(() => OpKw("aten::add.Tensor", [ints, ints], ("alpha", 0.5))));
        Assert.Contains(floatAlpha, Fails(() => OpKw("aten::sub.Tensor", [ints, ints], ("alpha", 2.0))));
        Assert.Contains(floatAlpha, Fails(() => Op("aten::add.Scalar", ints, 2L, 0.5)));
        Assert.Contains(floatAlpha, Fails(() => Op("aten::sub.Scalar", ints, 2L, 0.5)));
        Assert.Contains(floatAlpha, Fails(() => Op("aten::rsub.Scalar", ints, 2L, 0.5)));
        Assert.Contains(floatAlpha, Fails(() => OpKw("aten::add.Tensor", [ints.To(DType.UInt8), ints.To(DType.UInt8)], ("alpha", 0.5))));
        // A float result takes a float alpha: int64 + 2.5 · 0.5.
        AssertValues([2.25, 3.25], [2], Op("aten::add.Scalar", ints, 2.5, 0.5), DType.Float32);
        AssertValues([1.5, 3], [2], OpKw("aten::add.Tensor", [ints, Doubles(1, 2).To(DType.Float32)], ("alpha", 0.5)), DType.Float32);
        AssertValues([2, 1.5], [2], Op("aten::rsub.Scalar", ints, 2.5, 0.5), DType.Float32);
        // rsub of integers with an integer stays integer, default alpha or not (it came out float32 before): 128 − x.
        var int32s = Tensor.FromArray(new[] { 1, 200 }, 2);
        AssertValues([127, -72], [2], Op("aten::rsub.Scalar", int32s, 128L), DType.Int32);
        AssertValues([126, -272], [2], Op("aten::rsub.Scalar", int32s, 128L, 2L), DType.Int32);
        AssertValues([9, 8], [2], 10L - ints, DType.Int64);
        // A bool alpha only for a bool result.
        Assert.Contains("Boolean alpha only supported for Boolean results.", Fails(() => OpKw("aten::add.Tensor", [Doubles(1, 2), Doubles(1, 2)], ("alpha", true))));
        var flags = Tensor.FromArray(new[] { true, false }, 2);
        AssertValues([1, 0], [2], OpKw("aten::add.Tensor", [flags, flags], ("alpha", true)), DType.Bool);
        // Tensor.Add_'s default alpha is the integer 1, so integer tensors take it.
        AssertValues([2, 4], [2], Longs(1, 2).Add_(ints), DType.Int64);
    }

    [Fact]
    public void Fill_refuses_a_value_that_overflows_the_dtype()
    {
        var u8 = Longs(8, 0).To(DType.UInt8);
        string message = Fails(() => Op("aten::fill.Scalar", u8, 300L));
        Assert.Contains("value cannot be converted to type uint8_t without overflow", message);
        Assert.Contains("torch.uint8", message);
        Assert.Contains("c10::Half", Fails(() => Op("aten::fill.Scalar", Torch.Zeros(3).To(DType.Float16), 1e5)));
        Assert.Contains("c10::Half", Fails(() => Op("aten::fill.Scalar", Torch.Zeros(3).To(DType.Float16), 65505.0)));
        Assert.Contains("uint8_t", Fails(() => Op("aten::fill.Scalar", u8, -0.5)));
        Assert.Contains("uint8_t", Fails(() => Op("aten::fill.Scalar", u8, -256L)));
        Assert.Contains("int8_t", Fails(() => Op("aten::fill.Scalar", u8.To(DType.Int8), 128.0)));
        Assert.Contains("int64_t", Fails(() => Op("aten::fill.Scalar", Longs(1), double.NaN)));
        Assert.Contains("float", Fails(() => Op("aten::fill.Scalar", Torch.Zeros(2), 1e39)));

        // What fits: negative integers wrap into uint8, floats truncate, the largest finite value and ±inf/NaN of a float dtype.
        AssertValues([255, 255], [2], Op("aten::fill.Scalar", u8, -1L), DType.UInt8);
        AssertValues([255, 255], [2], Op("aten::fill.Scalar", u8, 255.9), DType.UInt8);
        AssertValues([127, 127], [2], Op("aten::fill.Scalar", u8.To(DType.Int8), 127.9), DType.Int8);
        AssertValues([65504, 65504], [2], Op("aten::fill.Scalar", u8.To(DType.Float16), 65504.0), DType.Float16);
        AssertValues([double.PositiveInfinity], [1], Op("aten::fill.Scalar", Torch.Zeros(1).To(DType.Float16), double.PositiveInfinity), DType.Float16);
        AssertValues([1, 1], [2], Op("aten::fill.Scalar", u8.To(DType.Bool), 1e39), DType.Bool);
        // An int64 fill keeps all 64 bits.
        Assert.Equal([(1L << 53) + 1], Op("aten::fill.Scalar", Longs(0), (1L << 53) + 1).ToArray<long>());
    }

    [Fact]
    public void The_other_ops_that_write_a_scalar_into_a_tensor_refuse_overflow_too()
    {
        var u8 = Longs(8, 0).To(DType.UInt8);
        const string overflow = "value cannot be converted to type uint8_t without overflow";
        Assert.Contains(overflow, Fails(() => OpKw("aten::full", [new long[] { 2 }, 300L], ("dtype", DType.UInt8))));
        Assert.Contains(overflow, Fails(() => Op("aten::full_like", u8, 300L)));
        Assert.Contains(overflow, Fails(() => OpKw("aten::scalar_tensor", [300L], ("dtype", DType.UInt8))));
        Assert.Contains(overflow, Fails(() => Op("aten::masked_fill.Scalar", u8, Tensor.FromArray(new[] { true, false }, 2), 300L)));
        Assert.Contains(overflow, Fails(() => Op("aten::scatter.value", u8, 0L, Longs(0), 300L)));
        Assert.Contains(overflow, Fails(() => Op("aten::constant_pad_nd", u8, new long[] { 1, 1 }, 300L)));
        // full's default dtype for a float value is float32, which 1e39 overflows.
        Assert.Contains("type float without overflow", Fails(() => Op("aten::full", new long[] { 2 }, 1e39)));
        AssertValues([255, 255], [2], Op("aten::full_like", u8, -1L), DType.UInt8);
    }

    [Fact]
    public void Tril_triu_and_bernoulli_p_are_declared_as_in_torch_2_14()
    {
        Assert.Equal("aten::tril(Tensor self, SymInt diagonal=0) -> Tensor", Torch.Ops["aten::tril"].Schema.ToString());
        Assert.Equal("aten::triu(Tensor self, SymInt diagonal=0) -> Tensor", Torch.Ops["aten::triu"].Schema.ToString());
        Assert.Equal("aten::bernoulli.p(Tensor self, float p, *, Generator? generator=None) -> Tensor", Torch.Ops["aten::bernoulli.p"].Schema.ToString());
        // p has no default any more, so it must be given.
        Assert.Contains("p", Fails(() => Op("aten::bernoulli.p", Torch.Zeros(2))));
        AssertValues([1, 0, 1, 1], [2, 2], Op("aten::tril", Torch.Ones(2, 2), 0L), DType.Float32);
    }

    [Fact]
    public void Max_and_min_of_a_whole_tensor_load_from_torch_and_refuse_an_empty_tensor()
    {
        // torch records x.max() as aten.max.default; archives torch saves use it, so it has a kernel and a decomposition.
        var x = Doubles(3, -7, 5, 0).Reshape(2, 2);
        AssertValues([5], [], Op("aten::max", x), DType.Float64);
        AssertValues([-7], [], Op("aten::min", x.To(DType.Int32)), DType.Int32);
        Assert.Contains("Expected reduction dim to be specified for input.numel() == 0", Fails(() => Op("aten::max", Torch.Zeros(0, 3))));
        Assert.Contains("min(): Expected reduction dim", Fails(() => Op("aten::min", Torch.Zeros(0))));
    }
}

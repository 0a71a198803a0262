using Graphport.Graphs;
using Graphport.Tests.Serialization;
using static Graphport.Tests.CoreOps.CoreOpCalls;

namespace Graphport.Tests.CoreOps;

/// <summary>
/// Core ops on the edge cases where a comparison with PyTorch's CPU kernels found us differing: 0-dim tensors
/// reduced along dim 0, empty inputs, None results, integer tensors with float bounds, pow's special exponents and
/// integer operands of a narrower common dtype. The expected values are what torch computes.
/// </summary>
public class TorchAgreementTests
{
    private static Tensor Longs(params long[] values) => Tensor.FromArray(values, values.Length);

    private static Tensor Doubles(params double[] values) => Tensor.FromArray(values, values.Length);

    private static Tensor OpKw(string name, object?[] args, params (string Name, object? Value)[] kwargs) =>
        (Tensor)Torch.Ops[name].Call(args, kwargs.ToDictionary(k => k.Name, k => k.Value))!;

    /// <summary>Shape, dtype and exact values, telling -0.0 from 0.0 (any NaN matches any NaN).</summary>
    private static void AssertBits(double[] expected, long[] shape, Tensor actual, DType dtype)
    {
        Assert.Equal(shape, Sizes(actual));
        Assert.Equal(dtype, actual.DType);
        var a = Values(actual);
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(expected[i])) Assert.True(double.IsNaN(a[i]), $"[{i}] expected NaN, got {a[i]:R}");
            else Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(a[i]), $"[{i}] expected {expected[i]:R}, got {a[i]:R}");
        }
    }

    private static string Fails(Action call) => Assert.ThrowsAny<Exception>(call).Message;

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Reductions_along_dim_0_of_a_0_dim_tensor_reduce_its_one_element(long dim)
    {
        var x = Torch.ScalarTensor(2.5).To(DType.Float32);
        var i = Torch.ScalarTensor(3L);
        AssertValues([1], [], Op("aten::any.dim", Torch.ScalarTensor(true), dim, true), DType.Bool);
        AssertValues([1], [], Op("aten::any.dims", Torch.ScalarTensor(true), new[] { dim }), DType.Bool);
        var max = Multi("aten::max.dim", x, dim, true);
        AssertValues([2.5], [], max[0], DType.Float32);
        AssertValues([0], [], max[1], DType.Int64);
        var min = Multi("aten::min.dim", i, dim);
        AssertValues([3], [], min[0], DType.Int64);
        AssertValues([0], [], min[1], DType.Int64);
        AssertValues([3], [], Op("aten::sum.dim_IntList", i, new[] { dim }), DType.Int64);
        AssertValues([2.5], [], Op("aten::mean.dim", x, new[] { dim }), DType.Float32);
        AssertValues([2.5], [], Op("aten::amax", x, new[] { dim }), DType.Float32);
        AssertValues([2.5], [], Op("aten::amin", x, new[] { dim }, true), DType.Float32);
        AssertValues([0], [], Op("aten::argmax", x, dim), DType.Int64);
        AssertValues([0], [], Op("aten::argmin", x, dim, true), DType.Int64);
        AssertValues([3], [], Op("aten::prod.dim_int", i, dim), DType.Int64);
        // One sample: the unbiased variance divides by zero, the biased one is 0.
        AssertValues([double.NaN], [], Op("aten::var.dim", x, new[] { dim }), DType.Float32);
        AssertValues([0], [], OpKw("aten::var.correction", [x, new[] { dim }], ("correction", 0L)), DType.Float32);
        AssertValues([2.5], [], Op("aten::flip", x, new[] { dim }), DType.Float32);
        AssertValues([2.5], [], Op("aten::gather", x, dim, Torch.ScalarTensor(0L)), DType.Float32);
        AssertValues([3], [], Op("aten::cumsum", i, dim), DType.Int64);
    }

    [Fact]
    public void A_0_dim_tensor_has_no_dim_1_to_reduce()
    {
        Assert.Contains("Dimension out of range (expected to be in range of [-1, 0], but got 1)", Fails(() => Multi("aten::max.dim", Torch.ScalarTensor(2.5), 1L)));
        Assert.Contains("dim 0 appears multiple times", Fails(() => Op("aten::sum.dim_IntList", Torch.ScalarTensor(2.5), new long[] { 0, -1 })));
    }

    [Fact]
    public void Gather_with_a_0_dim_input_or_index_takes_the_index_shape()
    {
        var scalar = Torch.ScalarTensor(2.5);
        AssertValues([2.5, 2.5], [2], Op("aten::gather", scalar, 0L, Longs(0, 0)), DType.Float32);
        AssertValues([], [0], Op("aten::gather", scalar, 0L, Longs()), DType.Float32);
        AssertValues([2], [], Op("aten::gather", Doubles(1, 2), 0L, Torch.ScalarTensor(1L)), DType.Float64);
        Assert.Contains("out of bounds", Fails(() => Op("aten::gather", scalar, 0L, Torch.ScalarTensor(1L))));
    }

    [Fact]
    public void Index_select_of_a_0_dim_tensor_returns_a_0_dim_tensor()
    {
        var scalar = Torch.ScalarTensor(2.5);
        AssertValues([2.5], [], Op("aten::index_select", scalar, 0L, Longs(0)), DType.Float32);
        AssertValues([2.5], [], Op("aten::index_select", scalar, -1L, Torch.ScalarTensor(0L)), DType.Float32);
        AssertValues([2], [1], Op("aten::index_select", Doubles(1, 2), 0L, Torch.ScalarTensor(1L)), DType.Float64);
        Assert.Contains("Index to scalar can have only 1 value, got 2 value(s)", Fails(() => Op("aten::index_select", scalar, 0L, Longs(0, 0))));
    }

    [Theory]
    [InlineData("aten::argmax")]
    [InlineData("aten::argmin")]
    public void Arg_reductions_of_an_empty_tensor_along_a_non_empty_dim_return_empty_indices(string op)
    {
        var empty = Torch.Zeros(2, 0);
        AssertValues([], [0], Op(op, empty, 0L), DType.Int64);
        AssertValues([], [1, 0], Op(op, empty, 0L, true), DType.Int64);
        string name = op[6..];
        Assert.Contains($"{name}(): Expected reduction dim 1 to have non-zero size.", Fails(() => Op(op, empty, 1L)));
        Assert.Contains($"{name}(): Expected reduction dim to be specified for input.numel() == 0.", Fails(() => Op(op, empty, null)));
    }

    [Fact]
    public void Max_dim_of_an_empty_tensor_along_a_non_empty_dim_returns_empty_values_and_indices()
    {
        var r = Multi("aten::max.dim", Torch.Zeros(2, 0), 0L);
        AssertValues([], [0], r[0], DType.Float32);
        AssertValues([], [0], r[1], DType.Int64);
        Assert.Contains("min(): Expected reduction dim 1 to have non-zero size.", Fails(() => Multi("aten::min.dim", Torch.Zeros(2, 0), 1L)));
        Assert.Contains("amin(): Expected reduction dim 1 to have non-zero size.", Fails(() => Op("aten::amin", Torch.Zeros(2, 0), new[] { 1L })));
    }

    [Fact]
    public void Pooling_backward_ops_read_an_empty_stride_as_the_kernel_size()
    {
        var x = Random(31, [2, 3, 8, 8]);
        var g = Random(32, [2, 3, 4, 4]);
        long[] k = [2, 2], none = [], pad = [0, 0];
        var avg = Op("aten::avg_pool2d_backward", g, x, k, none, pad, false, true, null);
        AssertValues(Values(Op("aten::avg_pool2d_backward", g, x, k, k, pad, false, true, null)), [2, 3, 8, 8], avg, DType.Float64, 0, 0);
        // Each 2×2 window spreads a quarter of its gradient over its four inputs.
        Assert.Equal(Values(g)[0] / 4, Values(avg)[0]);
        var indices = Multi("aten::max_pool2d_with_indices", x, k, none)[1];
        var max = Op("aten::max_pool2d_with_indices_backward", g, x, k, none, pad, new long[] { 1, 1 }, false, indices);
        AssertValues(Values(Op("aten::max_pool2d_with_indices_backward", g, x, k, k, pad, new long[] { 1, 1 }, false, indices)), [2, 3, 8, 8], max, DType.Float64, 0, 0);
        Assert.Equal(Values(g).Sum(), Values(max).Sum(), 1e-10);
    }

    [Fact]
    public void Convolution_backward_returns_None_for_the_gradients_output_mask_leaves_out()
    {
        var x = Random(33, [2, 3, 5, 5]);
        var w = Random(34, [4, 3, 3, 3]);
        var g = Random(35, [2, 4, 3, 3]);
        long[] one = [1, 1], zero = [0, 0];
        var all = Multi("aten::convolution_backward", g, x, w, new long[] { 4 }, one, zero, one, false, zero, 1L, new[] { true, true, true });
        var weightOnly = Multi("aten::convolution_backward", g, x, w, null, one, zero, one, false, zero, 1L, new[] { false, true, false });
        Assert.Null(weightOnly[0]);
        AssertValues(Values(all[1]), [4, 3, 3, 3], weightOnly[1], DType.Float64, 0, 0);
        Assert.Null(weightOnly[2]);
        var biasOnly = Multi("aten::convolution_backward", g, x, w, null, one, zero, one, false, zero, 1L, new[] { false, false, true });
        Assert.Null(biasOnly[0]);
        Assert.Null(biasOnly[1]);
        AssertValues(Values(all[2]), [4], biasOnly[2], DType.Float64, 0, 0);
        Assert.All(Multi("aten::convolution_backward", g, x, w, null, one, zero, one, false, zero, 1L, new[] { false, false, false }), Assert.Null);
    }

    [Fact]
    public void Norm_backward_ops_return_None_for_masked_outputs_and_for_an_absent_weight_or_bias()
    {
        var x = Random(36, [5, 6]);
        var g = Random(37, [5, 6]);
        var w = Random(38, [6]);
        var forward = Multi("aten::native_layer_norm", x, new long[] { 6 }, null, null, 1e-5);
        var noAffine = Multi("aten::native_layer_norm_backward", g, x, new long[] { 6 }, forward[1], forward[2], null, null, new[] { true, true, true });
        Assert.Equal([5L, 6], Sizes(noAffine[0]!));
        Assert.Null(noAffine[1]);
        Assert.Null(noAffine[2]);
        var weightOnly = Multi("aten::native_layer_norm_backward", g, x, new long[] { 6 }, forward[1], forward[2], w, null, new[] { false, true, true });
        Assert.Null(weightOnly[0]);
        Assert.Equal([6L], Sizes(weightOnly[1]!));
        Assert.Null(weightOnly[2]);

        var gx = Random(39, [3, 4, 5]);
        var gg = Random(40, [3, 4, 5]);
        var group = Multi("aten::native_group_norm", gx, null, null, 3L, 4L, 5L, 2L, 1e-5);
        var inputOnly = Multi("aten::native_group_norm_backward", gg, gx, group[1], group[2], null, 3L, 4L, 5L, 2L, new[] { true, false, false });
        Assert.Equal([3L, 4, 5], Sizes(inputOnly[0]!));
        Assert.Null(inputOnly[1]);
        Assert.Null(inputOnly[2]);
    }

    /// <summary>Calls convolution_backward for the weight gradient alone; records which outputs came back None.</summary>
    private sealed class WeightGradient : Module<Tensor, Tensor, Tensor, Tensor>
    {
        public List<bool[]> NoneOutputs { get; } = [];

        public override Tensor Forward(Tensor grad, Tensor input, Tensor weight)
        {
            long[] one = [1, 1], zero = [0, 0];
            var grads = (Tensor?[])Torch.Ops["aten::convolution_backward"].Call(grad, input, weight, null, one, zero, one, false, zero, 1L, new[] { false, true, false })!;
            NoneOutputs.Add(grads.Select(t => t is null).ToArray());
            return grads[1]!;
        }
    }

    [Fact]
    public void Export_of_convolution_backward_with_a_mask_reads_only_the_gradient_it_produces()
    {
        var x = Random(41, [2, 3, 5, 5]);
        var w = Random(42, [4, 3, 3, 3]);
        var g = Random(43, [2, 4, 3, 3]);
        var module = new WeightGradient();
        var ep = Torch.Export(module, [g, x, w]);

        // As in torch's fake mode, the masked-off gradients are None while tracing: there is nothing to read.
        Assert.Equal([true, false, true], module.NoneOutputs[0]);
        var call = Assert.Single(ep.Graph.Nodes, n => n.Op?.Name == "aten::convolution_backward");
        Assert.Null(((TensorMeta?[])call.Value!)[0]);
        var item = Assert.Single(ep.Graph.Nodes, n => n.Target is BuiltinTarget { Name: "operator.getitem" });
        Assert.Equal(1L, item.Args[1]);

        var expected = Multi("aten::convolution_backward", g, x, w, null, new long[] { 1, 1 }, new long[] { 0, 0 }, new long[] { 1, 1 }, false, new long[] { 0, 0 }, 1L, new[] { false, true, false })[1];
        AssertValues(Values(expected), [4, 3, 3, 3], ep.Module().Call(g, x, w), DType.Float64, 0, 0);
        // Saved as torch writes it (as_none for the outputs not produced) and read back to the same program.
        using (var files = new ArchiveFiles())
        {
            string path = files.PathFor("grad.pt2");
            ep.Save(path);
            string json = ArchiveContents.Text(path, "grad/models/model.json");
            Assert.Empty(SchemaConformance.Check(json, "ExportedProgram"));
            Assert.Contains("\"outputs\":[{\"as_none\":true},{\"as_tensor\":{\"name\":\"getitem\"}},{\"as_none\":true}]", json);
        }
        var loaded = RoundTrip.AssertExact(ep, () => [g, x, w]);
        Assert.Null(((TensorMeta?[])Assert.Single(loaded.Graph.Nodes, n => n.Op?.Name == "aten::convolution_backward").Value!)[2]);
        // Re-tracing (the core decompositions keep this core op) replays the node with its None outputs.
        AssertValues(Values(expected), [4, 3, 3, 3], ep.RunDecompositions().Module().Call(g, x, w), DType.Float64, 0, 0);
    }

    [Fact]
    public void Hardtanh_of_an_integer_tensor_truncates_float_bounds_to_its_dtype()
    {
        var x = Longs(-3, -1, 0, 1, 3);
        AssertValues([0, 0, 0, 0, 0], [5], Op("aten::hardtanh", x, -0.5, 0.5), DType.Int64);
        AssertValues([-1, -1, 0, 1, 2], [5], Op("aten::hardtanh", x.To(DType.Int8), -1.5, 2.5), DType.Int8);
        AssertValues([0, 0, 0, 0, 0], [5], Op("aten::hardtanh", Longs(0, 1, 2, 3, 200).To(DType.UInt8), -0.5, 0.5), DType.UInt8);
        Assert.Contains("cannot do hardtanh on an unsigned type with negative limits", Fails(() => Op("aten::hardtanh", x.To(DType.UInt8))));
        Assert.Contains("value cannot be converted to type int8_t without overflow", Fails(() => Op("aten::hardtanh", x.To(DType.Int8), -1e10, 1e10)));
        Assert.Contains("Bool inputs not supported for hardtanh", Fails(() => Op("aten::hardtanh", Torch.ScalarTensor(true))));
    }

    [Fact]
    public void Clamp_converts_integer_bounds_to_an_integer_tensors_dtype()
    {
        // -1 wraps to 255 in uint8, so every element is clamped to at least 255 and then to at most 2.
        AssertValues([2, 2, 2, 2, 2], [5], Op("aten::clamp", Longs(0, 1, 2, 3, 200).To(DType.UInt8), -1L, 2L), DType.UInt8);
        Assert.Contains("value cannot be converted to type int8_t without overflow", Fails(() => Op("aten::clamp", Longs(1, 2).To(DType.Int8), null, 300L)));
        Assert.Contains("value cannot be converted to type uint8_t without overflow", Fails(() => Op("aten::clamp", Longs(1, 2).To(DType.UInt8), null, 300L)));
        // Float bounds promote the integer tensor instead.
        AssertValues([-1.5, -1, 0, 1, 2.5], [5], Op("aten::clamp", Longs(-3, -1, 0, 1, 3), -1.5, 2.5), DType.Float32);
    }

    [Fact]
    public void Elu_and_relu_reject_the_dtypes_torch_has_no_kernel_for()
    {
        Assert.Contains("\"elu_cpu\" not implemented for 'Long'", Fails(() => Op("aten::elu", Longs(-1, 2))));
        Assert.Contains("\"elu_cpu\" not implemented for 'Bool'", Fails(() => Op("aten::elu", Torch.ScalarTensor(true))));
        Assert.Contains("Boolean inputs not supported for relu", Fails(() => Op("aten::relu", Torch.ScalarTensor(true))));
        AssertValues([0, 2], [2], Op("aten::relu", Longs(-1, 2)), DType.Int64);
    }

    [Fact]
    public void Native_dropout_with_train_None_is_training()
    {
        var x = Doubles(1, -2, double.NaN, double.NegativeInfinity);
        var dropped = Multi("aten::native_dropout", x, 1.0, null);
        // input · mask · 0: dropped negatives are -0.0, dropped NaN and infinities NaN.
        AssertBits([0, -0.0, double.NaN, double.NaN], [4], dropped[0], DType.Float64);
        Assert.Equal([false, false, false, false], dropped[1].ToArray<bool>());
        var eval = Multi("aten::native_dropout", x, 1.0, false);
        AssertBits([1, -2, double.NaN, double.NegativeInfinity], [4], eval[0], DType.Float64);
        Assert.Equal([true, true, true, true], eval[1].ToArray<bool>());
    }

    public static TheoryData<double, double[]> SpecialExponents() => new()
    {
        // torch computes these as sqrt, rsqrt, x·x, x·x·x, 1/x and 1/(x·x), not with pow(): see the -inf and -0.0 columns.
        //                nan         inf                       -inf                      0                         -0                         4       -4          0.25
        { 0.5, [double.NaN, double.PositiveInfinity, double.NaN, 0, -0.0, 2, double.NaN, 0.5] },
        { -0.5, [double.NaN, 0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.5, double.NaN, 2] },
        { 2, [double.NaN, double.PositiveInfinity, double.PositiveInfinity, 0, 0, 16, 16, 0.0625] },
        { 3, [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, -0.0, 64, -64, 0.015625] },
        { -1, [double.NaN, 0, -0.0, double.PositiveInfinity, double.NegativeInfinity, 0.25, -0.25, 4] },
        { -2, [double.NaN, 0, 0, double.PositiveInfinity, double.PositiveInfinity, 0.0625, 0.0625, 16] },
    };

    [Theory]
    [MemberData(nameof(SpecialExponents))]
    public void Pow_with_a_special_scalar_exponent_matches_torchs_shortcut(double exponent, double[] expected)
    {
        var x = Doubles(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, -0.0, 4, -4, 0.25);
        AssertBits(expected, [8], Op("aten::pow.Tensor_Scalar", x, exponent), DType.Float64);
        AssertBits(expected, [8], Op("aten::pow.Tensor_Scalar", x.To(DType.Float32), exponent), DType.Float32);
        if (exponent == Math.Round(exponent)) AssertBits(expected, [8], Op("aten::pow.Tensor_Scalar", x, (long)exponent), DType.Float64);
    }

    [Fact]
    public void Pow_of_a_half_tensor_with_a_special_exponent_rounds_once()
    {
        // 1.1³ computed in float32 and rounded to half once, as torch does (the product of two half roundings would differ).
        AssertValues([1.3291015625, double.PositiveInfinity], [2], Op("aten::pow.Tensor_Scalar", Doubles(1.1, 300).To(DType.Float16), 3L), DType.Float16, 0, 0);
    }

    [Fact]
    public void Integer_pow_with_negative_tensor_exponents_follows_torch_and_negative_scalar_exponents_fail()
    {
        var bases = Longs(-3, -2, -1, 0, 1, 2, 3);
        AssertValues([0, 0, -1, 0, 1, 0, 0], [7], Op("aten::pow.Tensor_Tensor", bases, Torch.Full([7], -1L)), DType.Int64);
        AssertValues([0, 0, 1, 0, 1, 0, 0], [7], Op("aten::pow.Tensor_Tensor", bases, Torch.Full([7], -2L)), DType.Int64);
        AssertValues([0, 0, -1, 0, 1, 0, 0], [7], Op("aten::pow.Tensor_Tensor", bases.To(DType.Int8), Torch.ScalarTensor(-3L).To(DType.Int8)), DType.Int8);
        AssertValues([0, 0, 0, 1, 2, 4, 8], [7], Op("aten::pow.Scalar", 2L, bases), DType.Int64);
        AssertValues([-1, 1, -1, 1, -1, 1, -1], [7], Op("aten::pow.Scalar", -1L, bases), DType.Int64);
        Assert.Contains("Integers to negative integer powers are not allowed.", Fails(() => Op("aten::pow.Tensor_Scalar", bases, -1L)));
        // A float exponent makes a float result, so it is allowed.
        AssertValues([0.5, 0.25], [2], Op("aten::pow.Tensor_Scalar", Longs(2, 4), -1.0), DType.Float32);
        Assert.Contains("\"pow\" not implemented for 'Bool'", Fails(() => Op("aten::pow.Tensor_Tensor", Torch.ScalarTensor(true), Torch.ScalarTensor(true))));
    }

    [Fact]
    public void Integer_operands_are_converted_to_a_narrower_common_dtype_before_computing()
    {
        var u8 = Longs(5, 7, 9, 200).To(DType.UInt8);
        var i8 = Longs(5, -7, 9, 100).To(DType.Int8);
        // -3 meets uint8 as 253 and 300 meets int8 as 44 (a 0-dim tensor or a Scalar does not widen the result).
        AssertValues([5, 7, 9, 200], [4], Op("aten::remainder.Scalar", u8, -3L), DType.UInt8);
        AssertValues([5, 7, 9, 200], [4], Op("aten::remainder.Tensor", u8, Torch.ScalarTensor(-3L).To(DType.Int8)), DType.UInt8);
        AssertValues([5, 37, 9, 12], [4], Op("aten::remainder.Tensor", i8, Torch.ScalarTensor(300L)), DType.Int8);
        AssertValues([0, 0, 0, 0], [4], OpKw("aten::div.Tensor_mode", [u8, Torch.ScalarTensor(-3L).To(DType.Int8)], ("rounding_mode", "floor")), DType.UInt8);
        AssertValues([255, 255, 255, 255], [4], Op("aten::maximum", u8, Torch.ScalarTensor(-1L).To(DType.Int8)), DType.UInt8);
        Assert.Equal([false, false, false, false], Op("aten::gt.Scalar", u8, -1L).ToArray<bool>());
        Assert.Equal([false, false, false, true], Op("aten::gt.Tensor", i8, Torch.ScalarTensor(300L)).ToArray<bool>());
    }
}

using static Graphport.Tests.CoreOps.CoreOpCalls;

namespace Graphport.Tests.CoreOps;

/// <summary>The Core ATen elementwise ops added beyond the seed, against double references.</summary>
public class CoreMathKernelTests
{
    public static TheoryData<string, double, double> TrigOps() => new()
    {
        { "asin", -0.99, 0.99 }, { "acos", -0.99, 0.99 }, { "atan", -5, 5 }, { "sinh", -4, 4 }, { "cosh", -4, 4 },
        { "asinh", -5, 5 }, { "acosh", 1, 6 }, { "atanh", -0.95, 0.95 }, { "log10", 0.01, 100 },
    };

    private static Func<double, double> Reference(string op) => op switch
    {
        "asin" => Math.Asin,
        "acos" => Math.Acos,
        "atan" => Math.Atan,
        "sinh" => Math.Sinh,
        "cosh" => Math.Cosh,
        "asinh" => Math.Asinh,
        "acosh" => Math.Acosh,
        "atanh" => Math.Atanh,
        _ => Math.Log10,
    };

    [Theory]
    [MemberData(nameof(TrigOps))]
    public void Inverse_and_hyperbolic_trig_and_log10_match_math_in_every_float_dtype(string op, double lo, double hi)
    {
        var f = Reference(op);
        foreach (var (dtype, tol) in new[] { (DType.Float64, 1e-14), (DType.Float32, 2e-6), (DType.Float16, 2e-3), (DType.BFloat16, 1.6e-2) })
        {
            var x = Random(1, [3, 17], dtype, lo, hi);
            var expected = Values(x).Select(f).ToArray();
            AssertValues(expected, [3, 17], Op($"aten::{op}", x), dtype, tol, tol);
        }
    }

    [Fact]
    public void Trig_of_integers_computes_in_the_default_float_dtype()
    {
        var x = Tensor.FromArray(new long[] { 1, 2, 3 }, 3);
        AssertValues([Math.Log10(1), Math.Log10(2), Math.Log10(3)], [3], Op("aten::log10", x), DType.Float32, 1e-6, 1e-7);
        AssertValues([Math.Atan(1), Math.Atan(2), Math.Atan(3)], [3], Op("aten::atan", x), DType.Float32, 1e-6, 1e-7);
    }

    [Fact]
    public void Isinf_flags_both_infinities_only()
    {
        var x = Tensor.FromArray(new double[] { 1, double.PositiveInfinity, double.NaN, double.NegativeInfinity, -0.0 }, 5);
        Assert.Equal([false, true, false, true, false], Op("aten::isinf", x).ToArray<bool>());
        Assert.Equal([false, false], Op("aten::isinf", Tensor.FromArray(new long[] { 1, long.MaxValue }, 2)).ToArray<bool>());
    }

    [Fact]
    public void Scalar_overloads_follow_the_tensor_overloads_and_type_promotion()
    {
        var x = Random(2, [2, 5]);
        var i = Tensor.FromArray(new long[] { -7, -3, 0, 4, 9 }, 5);
        AssertValues(Values(x).Select(v => v + 2 * 1.5).ToArray(), [2, 5], Op("aten::add.Scalar", x, 1.5, 2L), DType.Float64);
        AssertValues(Values(x).Select(v => v - 3 * 2.0).ToArray(), [2, 5], Op("aten::sub.Scalar", x, 2L, 3L), DType.Float64);
        AssertValues(Values(x).Select(v => v * -2).ToArray(), [2, 5], Op("aten::mul.Scalar", x, -2L), DType.Float64);
        AssertValues(Values(x).Select(v => v / 4).ToArray(), [2, 5], Op("aten::div.Scalar", x, 4L), DType.Float64);
        // Integer tensor with integer scalar: add stays int64, true division becomes float32.
        Assert.Equal(DType.Int64, Op("aten::add.Scalar", i, 1L).DType);
        AssertValues([-3.5, -1.5, 0, 2, 4.5], [5], Op("aten::div.Scalar", i, 2L), DType.Float32);
        AssertValues([-4, -2, 0, 2, 4], [5], Op("aten::div.Scalar_mode", i, 2L, "floor"), DType.Int64);
        AssertValues([-3, -1, 0, 2, 4], [5], Op("aten::div.Scalar_mode", i, 2L, "trunc"), DType.Int64);
        // remainder takes the divisor's sign, fmod the dividend's.
        AssertValues([2, 0, 0, 1, 0], [5], Op("aten::remainder.Scalar", i, 3L), DType.Int64);
        AssertValues([-1, 0, 0, 1, 0], [5], Op("aten::fmod.Scalar", i, 3L), DType.Int64);
        AssertValues([-7 & 6, -3 & 6, 0, 4, 9 & 6], [5], Op("aten::bitwise_and.Scalar", i, 6L), DType.Int64);
        AssertValues([-7 | 6, -3 | 6, 6, 6, 9 | 6], [5], Op("aten::bitwise_or.Scalar", i, 6L), DType.Int64);
        AssertValues([-7 ^ 6, -3 ^ 6, 6, 4 ^ 6, 9 ^ 6], [5], Op("aten::bitwise_xor.Scalar", i, 6L), DType.Int64);
        var b = Tensor.FromArray(new[] { true, false }, 2);
        Assert.Equal([false, true], Op("aten::bitwise_xor.Scalar", b, true).ToArray<bool>());
        Assert.Throws<ArgumentException>(() => Op("aten::sub.Scalar", b, 1L));
        Assert.Throws<ArgumentException>(() => Op("aten::bitwise_and.Scalar", x, 1L));
    }

    [Fact]
    public void Pow_scalar_base_promotes_with_the_exponent_tensor()
    {
        var e = Tensor.FromArray(new long[] { 0, 1, 3 }, 3);
        AssertValues([1, 2, 8], [3], Op("aten::pow.Scalar", 2L, e), DType.Int64);
        AssertValues([1, 2.5, 15.625], [3], Op("aten::pow.Scalar", 2.5, e), DType.Float32);
        var f = Random(3, [4], DType.Float64, -2, 2);
        AssertValues(Values(f).Select(v => Math.Pow(3, v)).ToArray(), [4], Op("aten::pow.Scalar", 3L, f), DType.Float64, 1e-14, 1e-14);
    }

    [Fact]
    public void Clamp_with_tensor_bounds_broadcasts_promotes_and_keeps_nan()
    {
        var x = Random(4, [3, 4]);
        var lo = Random(5, [4], DType.Float64, -2, 0);
        var hi = Random(6, [3, 1], DType.Float64, 0, 2);
        var expected = Indices([3, 4]).Select(ix => Math.Min(Math.Max(Values(x)[ix[0] * 4 + ix[1]], Values(lo)[ix[1]]), Values(hi)[ix[0]])).ToArray();
        AssertValues(expected, [3, 4], Op("aten::clamp.Tensor", x, lo, hi), DType.Float64);
        // Only a lower bound; an int tensor clamped by a float tensor computes in float.
        var ints = Tensor.FromArray(new long[] { -2, 0, 5 }, 3);
        AssertValues([-0.5, 0, 5], [3], Op("aten::clamp.Tensor", ints, Tensor.FromArray(new[] { -0.5f }, 1), null), DType.Float32);
        var nan = Tensor.FromArray(new[] { float.NaN, 1f }, 2);
        Assert.True(float.IsNaN(Op("aten::clamp.Tensor", nan, Tensor.FromArray(new[] { 0f }, 1), null).ToArray<float>()[0]));
        Assert.Throws<ArgumentException>(() => Op("aten::clamp.Tensor", x, null, null));
        // Bounds may widen the shape, as broadcasting does.
        Assert.Equal([2L, 3], Sizes(Op("aten::clamp.Tensor", Random(7, [3]), Random(8, [2, 1]), null)));
    }

    [Fact]
    public void Atan2_out_writes_into_out_resizing_it_and_returns_it()
    {
        var y = Random(9, [2, 3]);
        var x = Random(10, [3]);
        var expected = Indices([2, 3]).Select(ix => Math.Atan2(Values(y)[ix[0] * 3 + ix[1]], Values(x)[ix[1]])).ToArray();
        var @out = Torch.Zeros([2, 3], DType.Float64);
        var result = Op("aten::atan2.out", y, x, @out);
        Assert.Same(@out, result);
        AssertValues(expected, [2, 3], @out, DType.Float64, 1e-15, 1e-15);
        var small = Torch.Zeros([1], DType.Float32);
        Op("aten::atan2.out", y, x, small);
        AssertValues(expected, [2, 3], small, DType.Float32, 1e-6, 1e-7);
        var e = Assert.Throws<ArgumentException>(() => Op("aten::atan2.out", y, x, Torch.Zeros([2, 3], DType.Int64)));
        Assert.Equal("result type Double can't be cast to the desired output type Long", e.Message);
    }
}

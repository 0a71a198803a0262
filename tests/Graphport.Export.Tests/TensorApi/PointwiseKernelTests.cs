using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>Eager elementwise kernels against double-precision references, on contiguous and strided random inputs.</summary>
public class PointwiseKernelTests
{
    public static TheoryData<DType> FloatTypes => new() { DType.Float32, DType.Float64 };

    private static Tensor Op(string name, params object?[] args) => Torch.Ops[name].CallTensor(args);

    private static Tensor OpKw(string name, object?[] args, params (string Name, object? Value)[] kwargs) =>
        (Tensor)Torch.Ops[name].Call(args, kwargs.ToDictionary(k => k.Name, k => k.Value))!;

    /// <summary>A random [5, 6] input seen through a transpose, so kernels see a non-contiguous layout.</summary>
    private static Tensor Strided(int seed, DType dtype, double lo, double hi) => Reference.Random(seed, [6, 5], dtype, lo, hi).T();

    private static void CheckUnary(DType dtype, Func<Tensor, Tensor> op, Func<double, double> reference, double lo = -3, double hi = 3, double rtolScale = 1)
    {
        var (rtol, atol) = Tol(dtype);
        foreach (var x in new[] { Reference.Random(10, [4, 7], dtype, lo, hi), Strided(11, dtype, lo, hi) })
        {
            var expected = Values(x).Select(reference).ToArray();
            AssertClose(expected, Sizes(x), op(x), rtol * rtolScale, atol * rtolScale, dtype);
        }
    }

    public static TheoryData<string, DType> UnaryCases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var name in new[] { "abs", "neg", "exp", "log", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "erf", "reciprocal", "floor", "ceil", "round", "sign", "square", "pow2.5", "pow3" })
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                data.Add(name, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void Unary_math_matches_the_double_reference(string name, DType dtype)
    {
        switch (name)
        {
            case "abs": CheckUnary(dtype, x => x.Abs(), Math.Abs); break;
            case "neg": CheckUnary(dtype, x => -x, v => -v); break;
            case "exp": CheckUnary(dtype, x => x.Exp(), Math.Exp); break;
            case "log": CheckUnary(dtype, x => x.Log(), Math.Log, 0.01, 5); break;
            case "log1p": CheckUnary(dtype, x => x.Log1p(), v => Math.Log(1 + v), -0.9, 5); break;
            case "sqrt": CheckUnary(dtype, x => x.Sqrt(), Math.Sqrt, 0, 5); break;
            case "rsqrt": CheckUnary(dtype, x => x.Rsqrt(), v => 1 / Math.Sqrt(v), 0.05, 5); break;
            case "sin": CheckUnary(dtype, x => x.Sin(), Math.Sin); break;
            case "cos": CheckUnary(dtype, x => x.Cos(), Math.Cos); break;
            case "tan": CheckUnary(dtype, x => x.Tan(), Math.Tan, -1.2, 1.2); break;
            case "tanh": CheckUnary(dtype, x => x.Tanh(), Math.Tanh); break;
            case "sigmoid": CheckUnary(dtype, x => x.Sigmoid(), v => 1 / (1 + Math.Exp(-v)), -10, 10); break;
            case "relu": CheckUnary(dtype, x => x.Relu(), v => Math.Max(v, 0)); break;
            case "erf": CheckUnary(dtype, x => x.Erf(), Erf, rtolScale: 10); break;
            case "reciprocal": CheckUnary(dtype, x => x.Reciprocal(), v => 1 / v, 0.1, 4); break;
            case "floor": CheckUnary(dtype, x => x.Floor(), Math.Floor); break;
            case "ceil": CheckUnary(dtype, x => x.Ceil(), Math.Ceiling); break;
            case "round": CheckUnary(dtype, x => x.Round(), v => Math.Round(v, MidpointRounding.ToEven)); break;
            case "sign": CheckUnary(dtype, x => x.Sign(), v => Math.Sign(v)); break;
            case "square": CheckUnary(dtype, x => x.Square(), v => v * v); break;
            case "pow2.5": CheckUnary(dtype, x => x.Pow(2.5), v => Math.Pow(v, 2.5), 0, 3); break;
            default: CheckUnary(dtype, x => x.Pow(3L), v => v * v * v); break;
        }
    }

    /// <summary>
    /// erf in double, independent of the engine: its Maclaurin series below |x| = 2 (little cancellation there), and
    /// 1 − erfc above, with erfc(a) = 2/√π e^{−a²} ∫₀^∞ e^{−2au−u²} du by Simpson's rule (the factored integrand keeps
    /// the relative accuracy of tiny tails).
    /// </summary>
    internal static double Erf(double x)
    {
        double a = Math.Abs(x);
        if (a < 2)
        {
            double sum = 0, term = x;
            for (int n = 0; n < 200 && Math.Abs(term) > 1e-300; n++)
            {
                sum += term / (2 * n + 1);
                term *= -x * x / (n + 1);
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        const int intervals = 40000;
        const double length = 8;
        double h = length / intervals, integral = 0;
        for (int k = 0; k <= intervals; k++)
        {
            double u = k * h, f = Math.Exp(-2 * a * u - u * u);
            integral += (k == 0 || k == intervals ? 1 : k % 2 == 1 ? 4 : 2) * f;
        }
        double erfc = 2 / Math.Sqrt(Math.PI) * Math.Exp(-a * a) * integral * h / 3;
        return Math.CopySign(1 - erfc, x);
    }

    [Fact]
    public void Round_goes_to_even_on_halves_like_torch()
    {
        var x = Torch.Tensor(new float[] { 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f });
        Assert.Equal([0.0, 2, 2, -0, -2, 2], Values(x.Round()));
    }

    [Fact]
    public void Special_values_propagate_like_ieee()
    {
        var x = Torch.Tensor(new float[] { 0, -1, float.PositiveInfinity, float.NaN });
        var log = Values(x.Log());
        Assert.Equal(double.NegativeInfinity, log[0]);
        Assert.True(double.IsNaN(log[1]));
        Assert.Equal(double.PositiveInfinity, log[2]);
        Assert.True(double.IsNaN(log[3]));
        var sig = Values(x.Sigmoid());
        Assert.Equal(0.5, sig[0]);
        Assert.Equal(1.0, sig[2]);
        Assert.True(double.IsNaN(sig[3]));
        var relu = Values(x.Relu());
        Assert.True(double.IsNaN(relu[3]), "relu keeps NaN, as torch does");
    }

    public static TheoryData<string, DType> BinaryCases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var name in new[] { "add", "add_alpha", "sub", "sub_alpha", "mul", "div", "remainder", "fmod", "pow", "maximum", "minimum", "atan2" })
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                data.Add(name, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_arithmetic_matches_the_double_reference(string name, DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        var a = Strided(20, dtype, -4, 4);
        var b = Reference.Random(21, [5, 6], dtype, 0.3, 3);
        (Tensor r, Func<double, double, double> f) = name switch
        {
            "add" => (a + b, (Func<double, double, double>)((x, y) => x + y)),
            "add_alpha" => (OpKw("aten::add.Tensor", [a, b], ("alpha", 2.5)), (x, y) => x + 2.5 * y),
            "sub" => (a - b, (x, y) => x - y),
            "sub_alpha" => (OpKw("aten::sub.Tensor", [a, b], ("alpha", 3L)), (x, y) => x - 3 * y),
            "mul" => (a * b, (x, y) => x * y),
            "div" => (a / b, (x, y) => x / y),
            // Python's modulo takes the divisor's sign; fmod takes the dividend's.
            "remainder" => (a % (-b), (x, y) => x - Math.Floor(x / -y) * -y),
            "fmod" => (Op("aten::fmod.Tensor", a, -b), (x, y) => x % -y),
            "pow" => (b.Pow(a), (x, y) => Math.Pow(y, x)),
            "maximum" => (Torch.Maximum(a, b), Math.Max),
            "minimum" => (Torch.Minimum(a, b), Math.Min),
            _ => (Op("aten::atan2", a, b), Math.Atan2),
        };
        var av = Values(a);
        var bv = Values(b);
        var expected = av.Zip(bv, f).ToArray();
        AssertClose(expected, [5, 6], r, rtol * 10, atol * 10, dtype);
    }

    [Fact]
    public void Integer_arithmetic_is_exact_and_remainder_follows_the_divisors_sign()
    {
        var a = Reference.RandomInts(30, [3, 8], -50, 50);
        var b = Reference.RandomInts(31, [3, 8], 1, 9);
        var av = Values(a);
        var bv = Values(b);
        Assert.Equal(av.Zip(bv, (x, y) => x + y), Values(a + b));
        Assert.Equal(av.Zip(bv, (x, y) => x * y), Values(a * b));
        Assert.Equal(av.Zip(bv, (x, y) => x - y), Values(a - b));
        Assert.Equal(av.Zip(bv, (x, y) => x - Math.Floor(x / -y) * -y), Values(a % (-b)));
        Assert.Equal(av.Zip(bv, Math.Max), Values(Torch.Maximum(a, b)));
        Assert.Equal(av.Select(Math.Abs), Values(a.Abs()));
        Assert.Equal(av.Select(v => Math.Sign(v) * 1.0), Values(a.Sign()));
        Assert.Equal(av.Zip(bv, (x, y) => Math.Floor(x / y)), Values(OpKw("aten::div.Tensor_mode", [a, b], ("rounding_mode", "floor"))));
        Assert.Equal(av.Zip(bv, (x, y) => Math.Truncate(x / y)), Values(OpKw("aten::div.Tensor_mode", [a, b], ("rounding_mode", "trunc"))));
        var small = Reference.RandomInts(32, [10], -4, 5);
        Assert.Equal(Values(small).Select(v => v * v * v), Values(small.Pow(3L)));
        Assert.Equal(DType.Int64, small.Pow(3L).DType);
    }

    [Fact]
    public void Int32_and_int8_arithmetic_wraps_in_its_own_width()
    {
        var i32 = Torch.Tensor(new int[] { int.MaxValue, -5 });
        Assert.Equal(DType.Int32, (i32 + 1L).DType);
        Assert.Equal([int.MinValue, -4.0], Values(i32 + 1L));
        var i8 = Torch.Tensor(new sbyte[] { 100, -100 });
        Assert.Equal([-56.0, 56], Values(i8 * 2L));
        var u8 = Torch.Tensor(new byte[] { 250, 3 });
        Assert.Equal([4.0, 13], Values(u8 + 10L));
    }

    public static TheoryData<DType> ComparisonTypes => new() { DType.Float32, DType.Float64, DType.Int64, DType.Int32 };

    [Theory]
    [MemberData(nameof(ComparisonTypes))]
    public void Comparisons_give_bool_tensors_matching_the_reference(DType dtype)
    {
        // Small integers so ties occur and == / <= are exercised on equal values.
        var a = Reference.RandomInts(40, [4, 6], -3, 3).To(dtype);
        var b = Reference.RandomInts(41, [6], -3, 3).To(dtype);
        var av = Values(a);
        var bv = Values(b);
        double At(int i) => bv[i % 6];
        void Check(Tensor r, Func<double, double, bool> f)
        {
            Assert.Equal(DType.Bool, r.DType);
            Assert.Equal(av.Select((x, i) => f(x, At(i)) ? 1.0 : 0.0), Values(r));
        }
        Check(a == b, (x, y) => x == y);
        Check(a != b, (x, y) => x != y);
        Check(a < b, (x, y) => x < y);
        Check(a <= b, (x, y) => x <= y);
        Check(a > b, (x, y) => x > y);
        Check(a >= b, (x, y) => x >= y);
        Assert.Equal(av.Select(x => x >= 1 ? 1.0 : 0.0), Values(a >= 1L));
        Assert.Equal(av.Select(x => x < 0.5 ? 1.0 : 0.0), Values(a < 0.5));
    }

    [Fact]
    public void Logical_ops_and_bitwise_ops_follow_the_operand_dtype()
    {
        var p = Torch.Tensor(new[] { true, true, false, false });
        var q = Torch.Tensor(new[] { true, false, true, false });
        Assert.Equal([1.0, 0, 0, 0], Values(p & q));
        Assert.Equal([1.0, 1, 1, 0], Values(p | q));
        Assert.Equal([0.0, 1, 1, 0], Values(p ^ q));
        Assert.Equal([0.0, 0, 1, 1], Values(~p));
        var i = Torch.Tensor(new long[] { 12, 10 });
        var j = Torch.Tensor(new long[] { 10, 6 });
        Assert.Equal([8.0, 2], Values(i & j));
        Assert.Equal([14.0, 14], Values(i | j));
        Assert.Equal([6.0, 12], Values(i ^ j));
        Assert.Equal([-13.0, -11], Values(~i));
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Where_selects_elementwise_with_broadcasting(DType dtype)
    {
        var cond = Reference.Random(50, [3, 1, 5], DType.Float64) > 0;
        var a = Reference.Random(51, [4, 5], dtype);
        var b = Reference.Random(52, [3, 4, 1], dtype);
        var cv = Values(cond);
        var av = Values(a);
        var bv = Values(b);
        var expected = Indices([3, 4, 5]).Select(i => AtBroadcast(cv, [3, 1, 5], i) != 0 ? AtBroadcast(av, [4, 5], i) : AtBroadcast(bv, [3, 4, 1], i)).ToArray();
        AssertClose(expected, [3, 4, 5], Torch.Where(cond, a, b), 0, 0, dtype);
    }

    [Fact]
    public void Where_with_a_non_bool_condition_is_rejected()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Where(Torch.Ones(2), Torch.Ones(2), Torch.Zeros(2)));
        Assert.Contains("where expected condition to be a boolean tensor", e.Message);
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Clamp_bounds_below_above_and_both(DType dtype)
    {
        var x = Strided(60, dtype, -3, 3);
        var v = Values(x);
        AssertClose(v.Select(t => Math.Clamp(t, -1, 0.5)).ToArray(), [5, 6], x.Clamp(-1, 0.5), 0, 0, dtype);
        AssertClose(v.Select(t => Math.Max(t, -1)).ToArray(), [5, 6], x.Clamp(min: -1), 0, 0, dtype);
        AssertClose(v.Select(t => Math.Min(t, 0.5)).ToArray(), [5, 6], x.Clamp(max: 0.5), 0, 0, dtype);
        // torch: min > max gives max everywhere.
        AssertClose(v.Select(_ => 0.0).ToArray(), [5, 6], x.Clamp(1, 0), 0, 0, dtype);
    }

    [Fact]
    public void Clamp_of_integers_stays_integer_and_clamp_needs_a_bound()
    {
        var x = Reference.RandomInts(61, [12], -10, 10);
        var r = x.Clamp(-3, 4);
        Assert.Equal(DType.Int64, r.DType);
        Assert.Equal(Values(x).Select(t => Math.Clamp(t, -3, 4)), Values(r));
        var f = x.Clamp(-2.5, 2.5);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal(Values(x).Select(t => Math.Clamp(t, -2.5, 2.5)), Values(f));
        var e = Assert.ThrowsAny<Exception>(() => x.Clamp());
        Assert.Contains("At least one of 'min' or 'max' must not be None", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Masked_fill_writes_the_value_where_the_broadcast_mask_is_true(DType dtype)
    {
        var x = Reference.Random(70, [3, 4], dtype);
        var mask = Torch.Tensor(new[] { true, false, false, true });
        var r = x.MaskedFill(mask, -7.5);
        var v = Values(x);
        AssertClose(v.Select((t, i) => i % 4 is 0 or 3 ? -7.5 : t).ToArray(), [3, 4], r, 0, 0, dtype);
        var neg = x.MaskedFill(x < 0, double.NegativeInfinity);
        Assert.All(Values(neg), t => Assert.True(t >= 0 || double.IsNegativeInfinity(t)));
        var ints = Torch.Arange(4).MaskedFill(mask, 9);
        Assert.Equal([9.0, 1, 2, 9], Values(ints));
    }

    [Fact]
    public void Masked_fill_needs_a_bool_mask()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Zeros(3).MaskedFill(Torch.Ones(3), 1));
        Assert.Contains("only supports boolean masks", e.Message);
    }

    [Theory]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void Half_precision_ops_compute_in_float32_and_round_to_the_dtype(DType dtype)
    {
        var x = Reference.Random(80, [16], dtype, 0.1, 4);
        var v = Values(x);
        var r = (x.Exp() * x).Sqrt();
        Assert.Equal(dtype, r.DType);
        // One rounding to the half format per op: relative error of a few units in its last place.
        double eps = dtype == DType.Float16 ? 1.0 / 1024 : 1.0 / 128;
        AssertClose(v.Select(t => Math.Sqrt(Math.Exp(t) * t)).ToArray(), [16], r, 3 * eps, 0);
    }
}

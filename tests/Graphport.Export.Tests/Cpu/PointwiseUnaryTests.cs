using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

public class PointwiseUnaryTests
{
    private static double Erf(double x) => SpecialFunctions.Erf(x);

    /// <summary>Reference definitions in double, and the input range each op is exercised on.</summary>
    private static (Func<double, double> F, double Lo, double Hi) Reference(UnaryOp op) => op switch
    {
        UnaryOp.Neg => (x => -x, -3, 3),
        UnaryOp.Abs => (Math.Abs, -3, 3),
        UnaryOp.Exp => (Math.Exp, -5, 5),
        UnaryOp.Log => (Math.Log, 0.05, 5),
        UnaryOp.Log1p => (x => Math.Log(1 + x), -0.9, 5),
        UnaryOp.Expm1 => (x => Math.Exp(x) - 1, -3, 3),
        UnaryOp.Sqrt => (Math.Sqrt, 0, 5),
        UnaryOp.Rsqrt => (x => 1 / Math.Sqrt(x), 0.1, 5),
        UnaryOp.Sin => (Math.Sin, -6, 6),
        UnaryOp.Cos => (Math.Cos, -6, 6),
        UnaryOp.Tan => (Math.Tan, -1.2, 1.2),
        UnaryOp.Tanh => (Math.Tanh, -4, 4),
        UnaryOp.Sigmoid => (x => 1 / (1 + Math.Exp(-x)), -8, 8),
        UnaryOp.Relu => (x => Math.Max(x, 0), -3, 3),
        UnaryOp.Gelu => (x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))), -5, 5),
        UnaryOp.GeluTanh => (x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), -5, 5),
        UnaryOp.Silu => (x => x / (1 + Math.Exp(-x)), -8, 8),
        UnaryOp.Erf => (Erf, -4, 4),
        UnaryOp.Reciprocal => (x => 1 / x, 0.2, 4),
        UnaryOp.Floor => (Math.Floor, -5, 5),
        UnaryOp.Ceil => (Math.Ceiling, -5, 5),
        UnaryOp.Round => (x => Math.Round(x, MidpointRounding.ToEven), -5, 5),
        UnaryOp.Trunc => (Math.Truncate, -5, 5),
        UnaryOp.Sign => (x => Math.Sign(x), -3, 3),
        UnaryOp.Hardswish => (x => x * Math.Clamp(x + 3, 0, 6) / 6, -5, 5),
        UnaryOp.Hardsigmoid => (x => Math.Clamp(x + 3, 0, 6) / 6, -5, 5),
        UnaryOp.Asin => (Math.Asin, -0.99, 0.99),
        UnaryOp.Acos => (Math.Acos, -0.99, 0.99),
        UnaryOp.Atan => (Math.Atan, -5, 5),
        UnaryOp.Sinh => (Math.Sinh, -4, 4),
        UnaryOp.Cosh => (Math.Cosh, -4, 4),
        UnaryOp.Asinh => (Math.Asinh, -5, 5),
        UnaryOp.Acosh => (Math.Acosh, 1, 6),
        UnaryOp.Atanh => (Math.Atanh, -0.95, 0.95),
        UnaryOp.Log10 => (Math.Log10, 0.05, 50),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Round gets exact halves too, so ties-to-even is actually tested.</summary>
    private static float[] Inputs(Random rng, UnaryOp op, long n, double lo, double hi)
    {
        var x = Floats(rng, n, lo, hi);
        if (op == UnaryOp.Round)
            for (int i = 0; i < x.Length; i += 2) x[i] = MathF.Round(x[i] * 2) / 2;
        return x;
    }

    [Fact]
    public void Every_unary_op_matches_its_double_reference_in_float_for_every_shape_and_layout()
    {
        var rng = new Random(10);
        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            var (f, lo, hi) = Reference(op);
            foreach (var shape in CpuTestData.Shapes)
                foreach (var kind in AllKinds)
                {
                    var s = Make(shape, kind, n => Inputs(rng, op, n, lo, hi));
                    var output = new float[s.Logical.Length];
                    Pointwise.Unary(op, s.Data, s.Layout, output);
                    var expected = s.Logical.Select(v => f(v)).ToArray();
                    AssertClose(expected, output, 3e-6, 3e-6, $"{op} float {ShapeMath.Format(shape)} {kind}");
                }
        }
    }

    [Fact]
    public void Every_unary_op_matches_its_double_reference_in_double()
    {
        var rng = new Random(11);
        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            var (f, lo, hi) = Reference(op);
            foreach (var kind in new[] { LayoutKind.Contiguous, LayoutKind.ColumnMajor, LayoutKind.Broadcast })
            {
                long[] shape = [5, 37];
                var s = Make(shape, kind, n => Inputs(rng, op, n, lo, hi).Select(v => (double)v).ToArray());
                var output = new double[s.Logical.Length];
                Pointwise.Unary(op, s.Data, s.Layout, output);
                AssertClose(s.Logical.Select(f).ToArray(), output, 1e-12, 1e-12, $"{op} double {kind}");
            }
        }
    }

    [Fact]
    public void Contiguous_ops_may_run_in_place_with_the_output_aliasing_the_input()
    {
        var rng = new Random(14);
        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            var (_, lo, hi) = Reference(op);
            var x = Inputs(rng, op, 20_000, lo, hi);
            var layout = StridedLayout.Contiguous(x.Length);
            var expected = new float[x.Length];
            Pointwise.Unary(op, x, layout, expected);
            Pointwise.Unary(op, x, layout, x);
            Assert.Equal(expected, x);
        }
    }

    [Fact]
    public void Special_values_follow_torch_nan_rules()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 2.5f, -2.5f, 0.5f];
        var layout = StridedLayout.Contiguous(x.Length);
        var o = new float[x.Length];
        Pointwise.Unary(UnaryOp.Relu, x, layout, o);
        Assert.True(float.IsNaN(o[0]));
        Pointwise.Unary(UnaryOp.Sign, x, layout, o);
        Assert.Equal(new[] { 0f, 1f, -1f, 0f, 0f, 1f, -1f, 1f }, o);
        Pointwise.Unary(UnaryOp.Round, x, layout, o);
        Assert.Equal(new[] { 2f, -2f, 0f }, o[5..]);
        Pointwise.Unary(UnaryOp.Sigmoid, x, layout, o);
        Assert.Equal(1f, o[1]);
        Assert.Equal(0f, o[2]);
        Pointwise.Unary(UnaryOp.Erf, x, layout, o);
        Assert.True(float.IsNaN(o[0]));
        Assert.Equal(new[] { 1f, -1f }, o[1..3]);
        Pointwise.Clamp(x, layout, o, (float?)-1f, (float?)1f);
        Assert.True(float.IsNaN(o[0]));
        Assert.Equal(new[] { 1f, -1f }, o[1..3]);
    }

    [Fact]
    public void Parameterized_activations_match_their_formulas()
    {
        var rng = new Random(12);
        long[] shape = [3, 41];
        foreach (var kind in AllKinds)
        {
            var s = MakeFloat(rng, shape, kind, -25, 25);
            var o = new float[s.Logical.Length];
            Pointwise.LeakyRelu(s.Data, s.Layout, o, 0.1f);
            AssertClose(s.Logical.Select(v => v > 0 ? (double)v : 0.1 * v).ToArray(), o, 1e-6, 1e-6, $"leaky_relu {kind}");
            Pointwise.Elu(s.Data, s.Layout, o, 1.5f);
            AssertClose(s.Logical.Select(v => v > 0 ? (double)v : 1.5 * (Math.Exp(v) - 1)).ToArray(), o, 3e-6, 3e-6, $"elu {kind}");
            Pointwise.Elu(s.Data, s.Layout, o, 1.6732632f, 1.0507010f, 1f);
            AssertClose(s.Logical.Select(v => v > 0 ? 1.0507010 * v : 1.6732632 * 1.0507010 * (Math.Exp(v) - 1)).ToArray(), o, 3e-6, 3e-6, $"selu-as-elu {kind}");
            Pointwise.Softplus(s.Data, s.Layout, o, 2f, 20f);
            AssertClose(s.Logical.Select(v => 2.0 * v > 20 ? (double)v : Math.Log(1 + Math.Exp(2.0 * v)) / 2).ToArray(), o, 3e-6, 3e-6, $"softplus {kind}");
            Pointwise.Clamp(s.Data, s.Layout, o, (float?)-2f, null);
            AssertClose(s.Logical.Select(v => Math.Max((double)v, -2)).ToArray(), o, 0, 0, $"clamp_min {kind}");
            Pointwise.Clamp(s.Data, s.Layout, o, null, (float?)0.5f);
            AssertClose(s.Logical.Select(v => Math.Min((double)v, 0.5)).ToArray(), o, 0, 0, $"clamp_max {kind}");
        }
    }

    [Fact]
    public void Integer_unary_ops_wrap_like_twos_complement()
    {
        long[] x = [long.MinValue, -5, 0, 7];
        var layout = StridedLayout.Contiguous(4);
        var o = new long[4];
        Pointwise.IntegerUnary(UnaryOp.Abs, x, layout, o);
        Assert.Equal(new[] { long.MinValue, 5, 0, 7 }, o);
        Pointwise.IntegerUnary(UnaryOp.Neg, x, layout, o);
        Assert.Equal(new[] { long.MinValue, 5, 0, -7 }, o);
        Pointwise.IntegerUnary(UnaryOp.Sign, x, layout, o);
        Assert.Equal(new long[] { -1, -1, 0, 1 }, o);
        var ints = Enumerable.Range(-20, 41).ToArray();
        var oi = new int[ints.Length];
        Pointwise.IntegerUnary(UnaryOp.Abs, ints, StridedLayout.Contiguous(ints.Length), oi);
        Assert.Equal(ints.Select(Math.Abs), oi);
        Pointwise.BitwiseNot(ints, StridedLayout.Contiguous(ints.Length), oi);
        Assert.Equal(ints.Select(v => ~v), oi);
    }

    [Fact]
    public void Unary_rejects_integer_element_types_and_short_outputs()
    {
        var ex = Assert.Throws<ArgumentException>(() => Pointwise.Unary(UnaryOp.Exp, new float[4], StridedLayout.Contiguous(4), new float[3]));
        Assert.Contains("output", ex.Message);
        Assert.Contains("expected at least 4", ex.Message);
        Assert.Throws<ArgumentException>(() => Pointwise.Clamp(new float[1], StridedLayout.Contiguous(1), new float[1], null, null));
    }
}

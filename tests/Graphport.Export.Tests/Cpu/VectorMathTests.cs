using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

/// <summary>
/// The vectorized float32 exp, sigmoid, tanh, erf, GELU, SiLU, hardsigmoid and hardswish behind the elementwise kernels and softmax:
/// within a few ulp of double-precision references on random inputs, IEEE special values handled as torch handles
/// them, the same bits at either register width and wherever an element sits in a span.
/// </summary>
public class VectorMathTests
{
    private static readonly bool Has512 = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;
    private static readonly bool Has256 = Avx2.IsSupported && Fma.IsSupported;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Gelu(double x) => x * 0.5 * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2)));

    private static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    // GELU is computed as torch writes it, x·½(1 + erf(x/√2)): for x well below zero 1 + erf cancels, so its error
    // is measured in ulps of ½|x| there rather than of the tiny result (torch's float GELU has the same cancellation).
    private static double Itself(double x, double y) => Math.Abs(y);

    private static double HalfX(double x, double y) => Math.Max(Math.Abs(y), 0.5 * Math.Abs(x));

    private static readonly (VectorMath.Function Function, Func<double, double> Reference, Func<double, double, double> Scale, float Low, float High, double MaxUlp)[] Cases =
    [
        (VectorMath.Function.Exp, Math.Exp, Itself, -87f, 88.5f, 2),
        (VectorMath.Function.Sigmoid, Sigmoid, Itself, -80f, 30f, 3),
        (VectorMath.Function.Tanh, Math.Tanh, Itself, -12f, 12f, 3),
        (VectorMath.Function.Erf, SpecialFunctions.Erf, Itself, -6f, 6f, 2),
        (VectorMath.Function.Gelu, Gelu, HalfX, -10f, 10f, 4),
        (VectorMath.Function.GeluTanh, GeluTanh, HalfX, -10f, 10f, 4),
        (VectorMath.Function.Silu, x => x * Sigmoid(x), Itself, -80f, 40f, 4),
        (VectorMath.Function.Hardsigmoid, x => Math.Clamp(x + 3, 0, 6) / 6, Itself, -8f, 8f, 2),
        (VectorMath.Function.Hardswish, x => x * Math.Clamp(x + 3, 0, 6) / 6, Itself, -8f, 8f, 3),
    ];

    public static TheoryData<string> Functions => new(Cases.Select(c => c.Function.ToString()));

    private static float[] RandomInputs(int seed, float low, float high)
    {
        var rng = new Random(seed);
        // Uniform over the range, plus the neighbourhood of zero where the small-argument branches work.
        return CpuTestData.Floats(rng, 4000, low, high).Concat(CpuTestData.Floats(rng, 1000, -1.5f, 1.5f))
            .Concat([0f, 1e-30f, -1e-30f, 1e-7f, -3e-5f, 0.625f, -0.625f, 0.62499994f, 0.927734375f, 0.9277344f]).ToArray();
    }

    private static double Ulps(float actual, double expected, double scale)
    {
        float rounded = (float)scale;
        double ulp = Math.Max(Math.Abs(MathF.BitIncrement(MathF.Abs(rounded)) - MathF.Abs(rounded)), float.Epsilon);
        return Math.Abs(actual - expected) / ulp;
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Each_function_is_within_a_few_ulp_of_a_double_reference_on_random_inputs(string name)
    {
        var function = Enum.Parse<VectorMath.Function>(name);
        var (_, reference, scale, low, high, maxUlp) = Cases.Single(c => c.Function == function);
        foreach (int bits in AvailableWidths())
        {
            var xs = RandomInputs((int)function * 31 + bits, low, high);
            var ys = new float[xs.Length];
            VectorMath.ComputeAt(bits, function, xs, ys);
            for (int i = 0; i < xs.Length; i++)
            {
                double expected = reference(xs[i]), ulps = Ulps(ys[i], expected, scale(xs[i], expected));
                Assert.True(ulps <= maxUlp, $"{function}({xs[i]:R}) at {bits} bits = {ys[i]:R}, expected {expected:R} ({ulps:0.0} ulp, allowed {maxUlp})");
            }
        }
    }

    [Fact]
    public void Special_values_come_out_as_torch_gives_them()
    {
        float[] xs = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 200f, -200f];
        (VectorMath.Function Function, float[] Expected)[] expectations =
        [
            (VectorMath.Function.Exp, [float.NaN, float.PositiveInfinity, 0f, 1f, 1f, float.PositiveInfinity, 0f]),
            (VectorMath.Function.Sigmoid, [float.NaN, 1f, 0f, 0.5f, 0.5f, 1f, 0f]),
            (VectorMath.Function.Tanh, [float.NaN, 1f, -1f, 0f, -0f, 1f, -1f]),
            (VectorMath.Function.Erf, [float.NaN, 1f, -1f, 0f, -0f, 1f, -1f]),
        ];
        foreach (int bits in AvailableWidths())
            foreach (var (function, expected) in expectations)
            {
                var ys = new float[xs.Length];
                VectorMath.ComputeAt(bits, function, xs, ys);
                for (int i = 0; i < xs.Length; i++)
                    Assert.True(expected[i].Equals(ys[i]) && float.IsNegative(expected[i]) == float.IsNegative(ys[i]) || float.IsNaN(expected[i]) && float.IsNaN(ys[i]),
                        $"{function}({xs[i]}) at {bits} bits = {ys[i]:R}, expected {expected[i]:R}");
            }
    }

    [Fact]
    public void Exp_results_below_the_normal_range_are_subnormal_not_garbage()
    {
        foreach (int bits in AvailableWidths())
        {
            float[] xs = [-88f, -95f, -100f, -103f];
            var ys = new float[xs.Length];
            VectorMath.ComputeAt(bits, VectorMath.Function.Exp, xs, ys);
            for (int i = 0; i < xs.Length; i++)
            {
                double expected = Math.Exp(xs[i]);
                // A subnormal keeps fewer significant bits: allow one unit of the smallest subnormal besides the relative error.
                Assert.True(Math.Abs(ys[i] - expected) <= 2e-7 * expected + float.Epsilon, $"exp({xs[i]}) = {ys[i]:R}, expected {expected:R}");
            }
        }
        // AVX-512 scales by 2^n in one instruction, AVX2 in two multiplies: both round once, subnormals included.
        var widths = AvailableWidths().ToList();
        var sweep = Enumerable.Range(0, 400).Select(i => -104f + i * 0.0625f).ToArray();
        var first = new float[sweep.Length];
        var other = new float[sweep.Length];
        if (widths.Count < 2) return;
        VectorMath.ComputeAt(widths[0], VectorMath.Function.Exp, sweep, first);
        VectorMath.ComputeAt(widths[1], VectorMath.Function.Exp, sweep, other);
        for (int i = 0; i < sweep.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(first[i]) == BitConverter.SingleToInt32Bits(other[i]),
                $"exp({sweep[i]:R}): {first[i]:R} at {widths[0]} bits, {other[i]:R} at {widths[1]} bits");
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void An_element_gets_the_same_bits_at_either_width_and_at_any_position_in_a_span(string name)
    {
        var function = Enum.Parse<VectorMath.Function>(name);
        var widths = AvailableWidths().ToList();
        if (widths.Count == 0) return;
        var xs = RandomInputs(7, -9f, 9f);
        var whole = new float[xs.Length];
        VectorMath.ComputeAt(widths[0], function, xs, whole);
        foreach (int bits in widths)
        {
            // Odd offsets and lengths put every element in a different lane, some in the padded tail.
            foreach (int offset in new[] { 0, 1, 5, 13 })
                foreach (int length in new[] { 1, 3, 17, 100 })
                {
                    var part = new float[length];
                    VectorMath.ComputeAt(bits, function, xs.AsSpan(offset, length), part);
                    for (int i = 0; i < length; i++)
                        Assert.True(BitConverter.SingleToInt32Bits(part[i]) == BitConverter.SingleToInt32Bits(whole[offset + i]),
                            $"{function}({xs[offset + i]:R}): {part[i]:R} at {bits} bits, offset {offset}, length {length}; {whole[offset + i]:R} in the whole span at {widths[0]} bits");
                }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(128)]
    [InlineData(1000)]
    [InlineData(5003)]
    public void Shifted_exponentials_and_their_sum_come_out_of_one_pass(int length)
    {
        if (!VectorMath.IsAccelerated) return;
        var rng = new Random(length);
        var xs = CpuTestData.Floats(rng, length, -30, 5);
        float shift = xs.Max();
        var ys = new float[length];
        Assert.True(VectorMath.TryExpShiftedSum(xs, shift, ys, out double sum));
        double expectedSum = 0;
        for (int i = 0; i < length; i++)
        {
            double expected = Math.Exp((double)(xs[i] - shift));
            expectedSum += expected;
            Assert.True(Ulps(ys[i], expected, expected) <= 2, $"exp({xs[i]} - {shift}) = {ys[i]:R}, expected {expected:R}");
        }
        // The sum of the float results, gathered 8 vectors at a time: within float rounding of the exact sum.
        Assert.True(Math.Abs(sum - expectedSum) <= 1e-6 * expectedSum, $"sum {sum:R}, expected {expectedSum:R}");
    }

    [Fact]
    public void Hardsigmoid_and_hardswish_round_each_step_as_the_span_ops_did()
    {
        // add 3, max with 0, min with 6, divide by 6 (and multiply by x), each rounded to float: the five span ops the
        // one pass replaced, to the bit, NaN and infinities included.
        var xs = RandomInputs(11, -9f, 9f).Concat([-3f, -3.0000002f, -2.9999998f, 3f, -6f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f]).ToArray();
        foreach (int bits in AvailableWidths())
        {
            var sigmoid = new float[xs.Length];
            var swish = new float[xs.Length];
            VectorMath.ComputeAt(bits, VectorMath.Function.Hardsigmoid, xs, sigmoid);
            VectorMath.ComputeAt(bits, VectorMath.Function.Hardswish, xs, swish);
            for (int i = 0; i < xs.Length; i++)
            {
                float expected = MathF.Min(MathF.Max(xs[i] + 3f, 0f), 6f) / 6f;
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(sigmoid[i]), $"hardsigmoid({xs[i]:R}) = {sigmoid[i]:R} at {bits} bits, expected {expected:R}");
                Assert.True(BitConverter.SingleToInt32Bits(xs[i] * expected) == BitConverter.SingleToInt32Bits(swish[i]), $"hardswish({xs[i]:R}) = {swish[i]:R} at {bits} bits, expected {xs[i] * expected:R}");
            }
        }
    }

    [Fact]
    public void A_short_output_is_refused_with_the_lengths()
    {
        if (!Has256) return;
        var e = Assert.Throws<ArgumentException>(() => VectorMath.ComputeAt(256, VectorMath.Function.Exp, new float[10], new float[9]));
        Assert.Contains("holds 9 elements but the input has 10", e.Message);
    }

    [Fact]
    public void The_elementwise_kernels_and_softmax_use_it_for_float32()
    {
        if (!VectorMath.IsAccelerated) return;
        var xs = RandomInputs(3, -20f, 20f);
        int bits = Has512 ? 512 : 256;
        foreach (var (op, function) in new[] { (UnaryOp.Exp, VectorMath.Function.Exp), (UnaryOp.Sigmoid, VectorMath.Function.Sigmoid), (UnaryOp.Tanh, VectorMath.Function.Tanh),
                     (UnaryOp.Erf, VectorMath.Function.Erf), (UnaryOp.Gelu, VectorMath.Function.Gelu), (UnaryOp.Silu, VectorMath.Function.Silu),
                     (UnaryOp.Hardsigmoid, VectorMath.Function.Hardsigmoid), (UnaryOp.Hardswish, VectorMath.Function.Hardswish) })
        {
            var viaKernel = new float[xs.Length];
            var direct = new float[xs.Length];
            Pointwise.Unary(op, xs, StridedLayout.Contiguous(xs.Length), viaKernel);
            VectorMath.ComputeAt(bits, function, xs, direct);
            Assert.Equal(direct, viaKernel);
        }
        // softmax of one row against the exact double computation.
        var row = xs[..300];
        var softmax = new float[row.Length];
        Normalization.Softmax(row, StridedLayout.Contiguous(1, row.Length), 1, softmax);
        double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
        for (int i = 0; i < row.Length; i++)
        {
            // x − max is rounded to float first (as torch does), which costs up to half an ulp of |x − max| in the exponent.
            double expected = Math.Exp(row[i] - max) / sum, relative = 4e-7 + 6e-8 * Math.Abs(row[i] - max);
            Assert.True(Math.Abs(softmax[i] - expected) <= relative * expected, $"softmax[{i}] = {softmax[i]:R}, expected {expected:R}");
        }
    }

    private static IEnumerable<int> AvailableWidths()
    {
        if (Has256) yield return 256;
        if (Has512) yield return 512;
    }
}

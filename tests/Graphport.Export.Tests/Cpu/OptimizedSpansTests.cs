using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

/// <summary>
/// The dot products and row updates the skinny GEMMs use: every length (vector bodies and scalar tails of both widths)
/// agrees with a sum in double on random numbers, and a too-short second operand is refused.
/// </summary>
public class OptimizedSpansTests
{
    [Fact]
    public void Dot_products_of_any_length_agree_with_a_double_sum()
    {
        var rng = new Random(21);
        for (int n = 0; n <= 300; n += n < 80 ? 1 : 37)
        {
            var x = CpuTestData.Floats(rng, n);
            var y = CpuTestData.Floats(rng, n + 3);
            double expected = 0, magnitude = 0;
            for (int i = 0; i < n; i++)
            {
                expected += (double)x[i] * y[i];
                magnitude += Math.Abs((double)x[i] * y[i]);
            }
            Assert.True(Math.Abs(OptimizedSpans.Dot<float>(x, y) - expected) <= 1e-6 * (magnitude + 1), $"n = {n}");
            var xd = x.Select(v => (double)v).ToArray();
            var yd = y.Select(v => (double)v).ToArray();
            Assert.True(Math.Abs(OptimizedSpans.Dot<double>(xd, yd) - expected) <= 1e-12 * (magnitude + 1), $"n = {n} (double)");
        }
    }

    // A matrix-vector product's columns four at a time give the numbers of one at a time, to the last bit, so a product
    // does not change with how many columns a thread is given.
    [Fact]
    public void Four_dot_products_at_once_are_each_exactly_the_single_dot_product()
    {
        var rng = new Random(23);
        for (int n = 0; n <= 300; n += n < 80 ? 1 : 37)
        {
            var x = CpuTestData.Floats(rng, n);
            var ys = Enumerable.Range(0, 4).Select(q => CpuTestData.Floats(rng, n + q, -3 * (q + 1), 3)).ToArray();
            var sums = new float[4];
            OptimizedSpans.Dot4<float>(x, ys[0], ys[1], ys[2], ys[3], sums);
            Assert.Equal(ys.Select(y => OptimizedSpans.Dot<float>(x, y)).ToArray(), sums);
            var xd = x.Select(v => (double)v).ToArray();
            var yd = ys.Select(y => y.Select(v => (double)v).ToArray()).ToArray();
            var sumsd = new double[4];
            OptimizedSpans.Dot4<double>(xd, yd[0], yd[1], yd[2], yd[3], sumsd);
            Assert.Equal(yd.Select(y => OptimizedSpans.Dot<double>(xd, y)).ToArray(), sumsd);
        }
        Assert.Throws<ArgumentException>(() => OptimizedSpans.Dot4<float>(new float[5], new float[5], new float[4], new float[5], new float[5], new float[4]));
    }

    [Fact]
    public void Row_updates_add_a_multiple_of_x_to_y_and_leave_the_rest_of_y()
    {
        var rng = new Random(22);
        for (int n = 0; n <= 100; n++)
        {
            var x = CpuTestData.Floats(rng, n);
            var y = CpuTestData.Floats(rng, n + 5);
            var before = (float[])y.Clone();
            float a = (float)(rng.NextDouble() * 4 - 2);
            OptimizedSpans.Axpy(a, x, y);
            for (int i = 0; i < n; i++) Assert.Equal(MathF.FusedMultiplyAdd(a, x[i], before[i]), y[i]);
            Assert.Equal(before[n..], y[n..]);
        }
    }

    [Fact]
    public void A_second_operand_shorter_than_the_first_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => OptimizedSpans.Dot<float>(new float[5], new float[4]));
        Assert.Contains("y has 4 elements, fewer than x's 5", e.Message);
        Assert.Throws<ArgumentException>(() => OptimizedSpans.Axpy(1f, new float[5], new float[4]));
    }
}

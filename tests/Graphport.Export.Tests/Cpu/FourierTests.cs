using System.Numerics;
using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

/// <summary>
/// The FFT against the DFT's definition, Σ x[j]·e^(∓2πi·jk/n), on random complex signals of every length from 1 to 70
/// (powers of two by radix 2, the rest by Bluestein's chirp-z) and a few long ones, and along inner dims of an array.
/// </summary>
public class FourierTests
{
    private static Complex[] RandomSignal(Random random, int n) =>
        Enumerable.Range(0, n).Select(_ => new Complex(random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2)).ToArray();

    private static Complex[] Definition(Complex[] x, bool inverse)
    {
        int n = x.Length;
        var result = new Complex[n];
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
                result[k] += x[j] * Complex.FromPolarCoordinates(1, (inverse ? 2 : -2) * Math.PI * ((long)j * k % n) / n);
        return result;
    }

    [Fact]
    public void Every_length_up_to_70_and_a_few_long_ones_give_the_dfts_definition_both_ways()
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        foreach (int n in Enumerable.Range(1, 70).Concat([97, 128, 400, 1000, 1024]))
        {
            foreach (bool inverse in new[] { false, true })
            {
                var x = RandomSignal(random, n);
                var expected = Definition(x, inverse);
                var actual = (Complex[])x.Clone();
                Fourier.Transform(actual, inverse);
                double worst = expected.Zip(actual, (e, a) => Complex.Abs(e - a)).Max();
                Assert.True(worst < 1e-9 * Math.Max(1, n), $"seed {seed}, n = {n}, inverse = {inverse}: off by {worst}");
            }
        }
    }

    [Fact]
    public void Transforming_along_an_inner_dim_transforms_each_line_and_inverting_scales_by_n()
    {
        var random = new Random(Environment.TickCount);
        long[] shape = [3, 6, 5];
        var data = RandomSignal(random, 90);
        var original = (Complex[])data.Clone();
        Fourier.Transform(data, shape, [1], inverse: false);
        for (int a = 0; a < 3; a++)
            for (int c = 0; c < 5; c++)
            {
                var line = Enumerable.Range(0, 6).Select(b => original[a * 30 + b * 5 + c]).ToArray();
                var expected = Definition(line, inverse: false);
                for (int b = 0; b < 6; b++) Assert.True(Complex.Abs(expected[b] - data[a * 30 + b * 5 + c]) < 1e-9);
            }
        Fourier.Transform(data, shape, [1], inverse: true);
        Assert.True(data.Zip(original, (d, o) => Complex.Abs(d / 6 - o)).Max() < 1e-12);
    }
}

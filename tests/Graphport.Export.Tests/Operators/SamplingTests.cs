namespace Graphport.Tests.Operators;

/// <summary>
/// The sampling ops draw from the distributions they name (moments of many samples within a few standard errors),
/// repeat under Torch.ManualSeed, refuse invalid parameters with torch's reasons, and export as torch records them:
/// uniform_, normal_ and exponential_ as uniform, normal_functional and exponential; bernoulli of probabilities
/// decomposed to rand compared with them.
/// </summary>
public class SamplingTests
{
    private static readonly ulong Seed = (ulong)Environment.TickCount;

    private static (double Mean, double Variance) Moments(Tensor t)
    {
        var v = t.ToArray<double>();
        double mean = v.Average();
        return (mean, v.Select(x => (x - mean) * (x - mean)).Sum() / (v.Length - 1));
    }

    private static void Near(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"seed {Seed}: {what} is {actual}, expected {expected} ± {tolerance}");

    [Fact]
    public void Samples_have_their_distributions_moments()
    {
        Torch.ManualSeed(Seed);
        const int n = 40000;
        var (mean, variance) = Moments(Torch.Empty(n).Uniform_(-1, 3));
        Near(1, mean, 0.05, "uniform(-1, 3) mean");
        Near(16.0 / 12, variance, 0.05, "uniform(-1, 3) variance");
        (mean, variance) = Moments(Torch.Empty(n).Normal_(2, 0.5));
        Near(2, mean, 0.02, "normal(2, 0.5) mean");
        Near(0.25, variance, 0.01, "normal(2, 0.5) variance");
        (mean, variance) = Moments(Torch.Empty(n).Exponential_(4));
        Near(0.25, mean, 0.01, "exponential(4) mean");
        Near(1.0 / 16, variance, 0.005, "exponential(4) variance");
        (mean, _) = Moments(Torch.Full([n], 0.3).Bernoulli());
        Near(0.3, mean, 0.015, "bernoulli(0.3) rate");
        (mean, _) = Moments(Torch.Empty(n).Bernoulli_(0.8));
        Near(0.8, mean, 0.015, "bernoulli_(0.8) rate");
        (mean, variance) = Moments(Torch.Normal(Torch.Full([n], -3.0), Torch.Full([n], 2.0)));
        Near(-3, mean, 0.05, "normal(mean, std) mean");
        Near(4, variance, 0.15, "normal(mean, std) variance");
        foreach (double rate in new[] { 0.5, 3, 40, 250 })
        {
            (mean, variance) = Moments(Torch.Poisson(Torch.Full([n], rate)));
            Near(rate, mean, 5 * Math.Sqrt(rate / n) + 1e-3, $"poisson({rate}) mean");
            Near(rate, variance, 0.06 * rate + 0.02, $"poisson({rate}) variance");
        }
        var weights = Tensor.FromArray(new float[] { 1, 0, 3, 6 }, 4);
        var draws = Torch.Multinomial(weights, n, replacement: true).ToArray<long>();
        Assert.DoesNotContain(1L, draws);
        Near(0.6, draws.Count(d => d == 3) / (double)n, 0.015, "multinomial share of the weight-6 category");
        var without = Torch.Multinomial(Torch.Rand(5, 8) + 0.01, 8);
        Assert.All(Enumerable.Range(0, 5), r => Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), without[r].ToArray<long>().Order()));
    }

    [Fact]
    public void A_seed_repeats_the_samples_and_bad_parameters_are_refused()
    {
        Tensor Draw()
        {
            Torch.ManualSeed(Seed);
            return Torch.Cat([Torch.Empty(50).Uniform_(), Torch.Empty(50).Normal_(), Torch.Multinomial(Torch.Rand(50), 5).To(DType.Float32), Torch.Poisson(Torch.Full([20], 30.0))]);
        }
        Assert.True(Draw().Equal(Draw()));
        Assert.Contains("std >= 0.0", Assert.Throws<ArgumentException>(() => Torch.Empty(3).Normal_(0, -1)).Message, StringComparison.Ordinal);
        Assert.Contains("lambda > 0.0", Assert.Throws<ArgumentException>(() => Torch.Empty(3).Exponential_(0)).Message, StringComparison.Ordinal);
        Assert.Contains("without replacement", Assert.Throws<ArgumentException>(() => Torch.Multinomial(Torch.Rand(4), 5)).Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentException>(() => Torch.Bernoulli(Torch.Full([3], 1.5))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gumbel_softmax_gives_distributions_or_one_hot_rows()
    {
        Torch.ManualSeed(Seed);
        var logits = Torch.Randn(6, 5);
        var soft = Functional.GumbelSoftmax(logits, tau: 0.5);
        Assert.True(soft.Sum(-1).AllClose(Torch.Ones(6), 1e-5, 1e-5));
        var hard = Functional.GumbelSoftmax(logits, hard: true);
        Assert.True(hard.Sum(-1).AllClose(Torch.Ones(6), 1e-6, 1e-6));
        Assert.All(hard.ToArray<float>(), v => Assert.True(Math.Abs(v) < 1e-6 || Math.Abs(v - 1) < 1e-6));
    }

    private sealed class NoisyLayer : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x)
        {
            var noise = Torch.EmptyLike(x).Normal_(0, 0.1) + Torch.EmptyLike(x).Uniform_(-0.1, 0.1);
            var mask = (x.Sigmoid() * 0.5).Bernoulli();
            return Functional.GumbelSoftmax(x + noise, hard: true) * mask + Torch.Poisson(x.Abs());
        }
    }

    [Fact]
    public void Exported_the_fills_record_their_functional_ops_as_torch_does()
    {
        var x = Torch.Randn(4, 6);
        var program = Torch.Export(new NoisyLayer(), [x]);
        var text = program.ToString();
        foreach (var op in new[] { "normal_functional.default", "uniform.default", "exponential.default", "bernoulli.default", "poisson.default", "scatter.value" })
            Assert.Contains("torch.ops.aten." + op, text, StringComparison.Ordinal);
        Assert.DoesNotContain("normal_.default", text, StringComparison.Ordinal);
        var core = program.RunDecompositions().ToString();
        Assert.Contains("torch.ops.aten.normal_functional.default", core, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.exponential.default", core, StringComparison.Ordinal);
        Assert.DoesNotContain("bernoulli.default", core, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.rand.default", core, StringComparison.Ordinal);
        Assert.Equal([4L, 6], program.Module().Call(Torch.Randn(4, 6)).Shape.Select(s => (long)s));
    }
}

using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>Randn/Rand/Randint with Torch.ManualSeed: reproducible sequences and the right distributions.</summary>
[Collection(SeededRandomCollection.Name)]
public class RandomTests
{
    [Fact]
    public void The_same_seed_gives_identical_randn_twice()
    {
        Torch.ManualSeed(42);
        var a = Values(Torch.Randn(5, 7));
        var b = Values(Torch.Rand(9));
        Torch.ManualSeed(42);
        Assert.Equal(a, Values(Torch.Randn(5, 7)));
        Assert.Equal(b, Values(Torch.Rand(9)));
    }

    [Fact]
    public void Different_seeds_and_successive_draws_differ()
    {
        Torch.ManualSeed(1);
        var a = Values(Torch.Randn(64));
        var next = Values(Torch.Randn(64));
        Torch.ManualSeed(2);
        var b = Values(Torch.Randn(64));
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, next);
        Assert.True(a.Zip(b).Count(p => p.First == p.Second) < 2);
    }

    [Fact]
    public void Seeding_makes_module_initialization_reproducible()
    {
        Torch.ManualSeed(3);
        var w1 = Values(new Linear(4, 3).Weight);
        Torch.ManualSeed(3);
        var w2 = Values(new Linear(4, 3).Weight);
        Assert.Equal(w1, w2);
        // kaiming_uniform(a=sqrt(5)) draws from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        Assert.All(w1, v => Assert.InRange(v, -0.5, 0.5));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Randn_has_roughly_standard_normal_moments(DType dtype)
    {
        Torch.ManualSeed(11);
        var v = Values(Torch.Randn([40000], dtype));
        double mean = v.Average();
        double variance = v.Select(x => (x - mean) * (x - mean)).Sum() / (v.Length - 1);
        double skew = v.Select(x => Math.Pow(x - mean, 3)).Average() / Math.Pow(variance, 1.5);
        double withinOne = v.Count(x => Math.Abs(x) < 1) / (double)v.Length;
        // Standard errors at n = 40000: mean 0.005, variance 0.007, skew 0.012.
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(variance, 0.96, 1.04);
        Assert.InRange(skew, -0.06, 0.06);
        Assert.InRange(withinOne, 0.672, 0.693);
    }

    [Fact]
    public void Rand_is_uniform_on_the_unit_interval()
    {
        Torch.ManualSeed(12);
        var v = Values(Torch.Rand(40000));
        Assert.All(v, x => Assert.True(x >= 0 && x < 1));
        double mean = v.Average();
        double variance = v.Select(x => (x - mean) * (x - mean)).Average();
        Assert.InRange(mean, 0.49, 0.51);
        Assert.InRange(variance, 1 / 12.0 - 0.003, 1 / 12.0 + 0.003);
        // Each tenth of the interval gets about a tenth of the draws.
        var bins = v.GroupBy(x => (int)(x * 10)).Select(g => g.Count() / (double)v.Length);
        Assert.All(bins, f => Assert.InRange(f, 0.09, 0.11));
    }

    [Fact]
    public void Randint_draws_int64_values_in_the_half_open_range_covering_all_of_it()
    {
        Torch.ManualSeed(13);
        var t = Torch.Randint(-3, 4, 2000);
        Assert.Equal(DType.Int64, t.DType);
        var v = Values(t);
        Assert.All(v, x => Assert.InRange(x, -3, 3));
        Assert.Equal(7, v.Distinct().Count());
    }
}

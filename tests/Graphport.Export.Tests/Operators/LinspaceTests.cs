namespace Graphport.Tests.Operators;

/// <summary>
/// torch.linspace: both ends exact, the first half stepped forward from start and the rest back from end, each value
/// one fused multiply-add as torch's CPU kernel computes it (torch 2.14's values to the bit below), integers truncated,
/// and the decomposition to core ops within a last-place difference. (Torch's own outputs also through
/// Interop/TorchFunctionArchivesTests, grouped_products.)
/// </summary>
public class LinspaceTests
{
    [Fact]
    public void Values_are_torchs_to_the_bit_with_both_ends_exact()
    {
        // torch.linspace(-1.1, 0.7, 12) in torch 2.14.
        float[] torchValues = [-1.100000023841858f, -0.936363697052002f, -0.7727273106575012f, -0.6090909242630005f, -0.44545459747314453f,
            -0.2818182408809662f, -0.11818179488182068f, 0.045454561710357666f, 0.209090918302536f, 0.37272727489471436f,
            0.5363636016845703f, 0.699999988079071f];

        Assert.Equal(torchValues, Torch.Linspace(-1.1, 0.7, 12).ToArray<float>());
        Assert.Equal([0L, 2, 5, 7, 10], Torch.Linspace(0, 10, 5, DType.Int64).ToArray<long>());
        Assert.Equal([-3, 1, 5, 10], Torch.Linspace(-3, 10, 4, DType.Int32).ToArray<int>());
        Assert.Equal([0.0], Torch.Linspace(0, 1, 1, DType.Float64).ToArray<double>());
        Assert.Empty(Torch.Linspace(0, 1, 0).ToArray<float>());
        Assert.Contains("number of steps must be non-negative", Assert.Throws<ArgumentException>(() => Torch.Linspace(0, 1, -1)).Message);
    }

    [Theory]
    [InlineData(51UL, 7L)]
    [InlineData(52UL, 100L)]
    [InlineData(53UL, 2L)]
    public void Random_ranges_are_evenly_spaced_and_the_core_decomposition_agrees(ulong seed, long steps)
    {
        var random = new Random((int)seed);
        double start = random.NextDouble() * 20 - 10, end = random.NextDouble() * 20 - 10;
        Func<Tensor, Tensor> spaced = x => x + Torch.Linspace(start, end, steps);
        var x = Torch.Zeros(steps);
        var program = Torch.Export(spaced, [x]);
        var core = program.RunDecompositions();

        var values = program.Module().Call(x).ToArray<float>();
        var decomposed = core.Module().Call(x).ToArray<float>();

        Assert.DoesNotContain(core.Graph.Nodes, n => n.Op?.Name == "aten::linspace");
        Assert.Equal((float)start, values[0]);
        Assert.Equal((float)end, values[^1]);
        double step = (end - start) / (steps - 1);
        float largest = (float)Math.Max(Math.Abs(start), Math.Abs(end));
        float largestUlp = MathF.BitIncrement(largest) - largest;
        for (int i = 0; i < steps; i++)
        {
            Assert.Equal(start + step * i, values[i], 1e-5 * Math.Max(Math.Abs(start), Math.Abs(end)));
            // The product rounded apart from the sum: within a rounding of the largest magnitude in play.
            Assert.True(Math.Abs(values[i] - decomposed[i]) <= 2 * largestUlp, $"value {i}: {values[i]} from the kernel, {decomposed[i]} decomposed");
        }
    }
}

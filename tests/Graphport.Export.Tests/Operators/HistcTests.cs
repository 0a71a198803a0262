namespace Graphport.Tests.Operators;

/// <summary>
/// torch.histc, which mixture-of-experts layers count their tokens per expert with: counts per equal-width bin on
/// random inputs against a count by the bin edges, the data's own range when none is given, values on the edges
/// binned as torch bins them, the decomposition to core ops giving the kernel's counts, and bad arguments refused with
/// torch's messages. (Torch's own outputs: Interop/TorchFunctionArchivesTests, grouped_products.)
/// </summary>
public class HistcTests
{
    private static Tensor Histc(Tensor x, long bins, double min = 0, double max = 0) => Torch.Histc(x, bins, min, max);

    /// <summary>The expected counts: bin k holds lo + k·w ≤ v &lt; lo + (k + 1)·w, the last bin also v = hi.</summary>
    private static float[] CountByEdges(float[] values, long bins, double lo, double hi)
    {
        var counts = new float[bins];
        double width = (hi - lo) / bins;
        foreach (var v in values)
        {
            if (!(v >= lo && v <= hi)) continue;
            long k = Math.Min((long)Math.Floor((v - lo) / width), bins - 1);
            counts[k]++;
        }
        return counts;
    }

    [Theory]
    [InlineData(41UL, 7, -1.5, 2.0)]
    [InlineData(42UL, 1, -0.5, 0.5)]
    [InlineData(43UL, 100, -3.0, 3.0)]
    public void Elements_are_counted_in_equal_width_bins_and_those_outside_the_range_are_not(ulong seed, long bins, double min, double max)
    {
        Torch.ManualSeed(seed);
        var x = Torch.Randn(40, 25);

        var counts = Histc(x, bins, min, max);

        Assert.Equal(DType.Float32, counts.DType);
        Assert.Equal([bins], counts.Shape.Select(s => (long)s));
        // Random values land on an edge with probability zero, so counting by the edges in double agrees exactly.
        Assert.Equal(CountByEdges(x.ToArray<float>(), bins, (float)min, (float)max), counts.ToArray<float>());
    }

    [Fact]
    public void Without_a_range_the_data_gives_it_and_a_constant_is_widened_by_one_either_way()
    {
        Torch.ManualSeed(44);
        var x = Torch.Randn(300);
        var values = x.ToArray<float>();

        var counts = Histc(x, 9).ToArray<float>();

        Assert.Equal(CountByEdges(values, 9, values.Min(), values.Max()), counts);
        Assert.Equal(300f, counts.Sum());
        Assert.Equal([0f, 0f, 5f, 0f], Histc(Torch.Full([5], 2.0), 4).ToArray<float>());
        // An element equal to max goes to the last bin; NaN is never counted.
        Assert.Equal([1f, 1f, 3f], Histc(Tensor.FromArray(new[] { 0f, 1f, 2f, 3f, 3f, -0.1f, 3.1f, float.NaN }, 8), 3, 0, 3).ToArray<float>());
    }

    [Fact]
    public void Values_on_the_bin_edges_are_binned_as_torch_computes_them_in_the_inputs_dtype()
    {
        // torch's position of v is ((v - min) * bins / (max - min)) in float32, truncated: on the edges that moves
        // some values a bin from where exact arithmetic puts them (torch 2.14's counts, for torch.linspace's edges and
        // for these values).
        var edges = Torch.Linspace(-1.1, 0.7, 12);

        Assert.Equal([2f, 0f, 1f, 1f, 2f, 0f, 1f, 1f, 1f, 1f, 2f], Histc(edges, 11, -1.1, 0.7).ToArray<float>());
        Assert.Equal([1f, 1f, 1f, 1f, 2f, 0f, 1f, 1f, 1f, 1f, 2f], Histc(Tensor.FromArray(new[] { -1.1f, -0.9363636f, -0.7727273f, -0.6090909f, -0.44545457f, -0.28181824f, -0.1181818f, 0.045454547f, 0.20909090f, 0.37272724f, 0.5363636f, 0.7f }, 12), 11, -1.1, 0.7).ToArray<float>());
    }

    [Fact]
    public void The_core_decomposition_counts_what_the_kernel_counts_edges_included()
    {
        Torch.ManualSeed(45);
        Func<Tensor, Tensor[]> histograms = x => [Torch.Histc(x, 11, -1.1, 0.7), Torch.Histc(x, 6), Torch.Histc(x * 0 + 1, 3)];
        var edges = Torch.Linspace(-1.1, 0.7, 12);
        var x = Torch.Cat([Torch.Randn(50), edges, edges * 1.0000001], 0);
        var program = Torch.Export(histograms, [x]);
        var core = program.RunDecompositions();

        Assert.Contains(program.Graph.Nodes, n => n.Op?.Name == "aten::histc");
        Assert.DoesNotContain(core.Graph.Nodes, n => n.Op?.Name == "aten::histc");
        var fromKernel = (object?[])program.Module().Invoke(x)!;
        var fromCore = (object?[])core.Module().Invoke(x)!;
        for (int i = 0; i < fromKernel.Length; i++)
            Assert.Equal(((Tensor)fromKernel[i]!).ToArray<float>(), ((Tensor)fromCore[i]!).ToArray<float>());
    }

    [Fact]
    public void Integer_inputs_no_bins_a_reversed_range_and_no_finite_range_are_refused()
    {
        Assert.Contains("histc counts floating-point values, but got a Long tensor",
            Assert.Throws<ArgumentException>(() => Histc(Tensor.FromArray(new long[] { 1, 2 }, 2), 4)).Message);
        Assert.Contains("bins must be > 0, but got 0", Assert.Throws<ArgumentException>(() => Histc(Torch.Randn(3), 0)).Message);
        Assert.Contains("max must be larger than min", Assert.Throws<ArgumentException>(() => Histc(Torch.Randn(3), 3, 2, 1)).Message);
        Assert.Contains("range of [nan, nan] is not finite",
            Assert.Throws<ArgumentException>(() => Histc(Tensor.FromArray(new[] { 1f, float.NaN }, 2), 3)).Message);
        Assert.Contains("range of [0, inf] is not finite",
            Assert.Throws<ArgumentException>(() => Histc(Torch.Randn(3), 3, 0, double.PositiveInfinity)).Message);
    }
}

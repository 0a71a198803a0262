using System.Text.Json.Nodes;

namespace Graphport.Tests.Interop;

/// <summary>
/// What a torch script wrote (<see cref="TorchScriptJson"/>), run once on first use with a fresh seed that failures
/// name: its tensors by key, and the comparison the torch-agreement tests make of a result with torch's.
/// </summary>
internal sealed class TorchScriptResults(string script)
{
    private readonly Lazy<(JsonNode Json, int Seed)> results = new(() =>
    {
        int seed = Environment.TickCount & 0xFFFF;
        return (TorchScriptJson.Run(script, seed), seed);
    });

    public int Seed => results.Value.Seed;

    public Tensor this[string key] => TorchScriptJson.Tensor(results.Value.Json[key]!);

    /// <summary>
    /// torch's shape, and every element within tolerance of torch's relative to the largest finite one (at least 1);
    /// NaN where torch has NaN, torch's infinities exactly.
    /// </summary>
    public void AssertClose(string key, Tensor actual, double tolerance)
    {
        var expected = this[key].To(DType.Float64);
        var got = actual.To(DType.Float64);
        Assert.True(expected.Shape.Select(s => (long)s).SequenceEqual(got.Shape.Select(s => (long)s)),
            $"seed {Seed}: {key} has shape [{string.Join(", ", got.Shape)}], torch's is [{string.Join(", ", expected.Shape)}]");
        var e = expected.ToArray<double>();
        var g = got.ToArray<double>();
        double scale = Math.Max(1, e.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < e.Length; i++)
        {
            bool same = double.IsNaN(e[i]) ? double.IsNaN(g[i]) : double.IsInfinity(e[i]) ? e[i] == g[i] : Math.Abs(g[i] - e[i]) <= tolerance * scale;
            Assert.True(same, $"seed {Seed}: {key}[{i}] is {g[i]}, torch's is {e[i]} (scale {scale})");
        }
    }
}

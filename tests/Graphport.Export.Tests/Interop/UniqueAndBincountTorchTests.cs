namespace Graphport.Tests.Interop;

/// <summary>
/// torch.unique (flat and along a dim, with inverse indices and counts), unique_consecutive and bincount against
/// PyTorch on random integers and floats; exported, their lengths are unbacked sizes (u0) with torch's run-time
/// checks, and the program gives other lengths for other data.
/// </summary>
public class UniqueAndBincountTorchTests
{
    private const string Script = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        out = {}
        ints = torch.randint(-4, 5, (3, 7))
        floats = torch.randint(0, 6, (12,)).float() / 4
        rows = torch.randint(0, 2, (6, 3))
        runs = torch.randint(0, 3, (15,))
        weights = torch.rand(15)
        out.update(ints=ints, floats=floats, rows=rows, runs=runs, weights=weights)
        u, inv, cnt = torch.unique(ints, return_inverse=True, return_counts=True)
        out["u"], out["u_inv"], out["u_cnt"] = u, inv, cnt
        out["u_floats"] = torch.unique(floats)
        ud, udi, udc = torch.unique(rows, dim=0, return_inverse=True, return_counts=True)
        out["ud"], out["ud_inv"], out["ud_cnt"] = ud, udi, udc
        out["ud1"] = torch.unique(rows, dim=1)
        uc, uci, ucc = torch.unique_consecutive(runs, return_inverse=True, return_counts=True)
        out["uc"], out["uc_inv"], out["uc_cnt"] = uc, uci, ucc
        out["uc_rows"] = torch.unique_consecutive(rows, dim=0)
        out["bincount"], out["bincount_min"], out["bincount_w"] = torch.bincount(runs), torch.bincount(runs, minlength=9), torch.bincount(runs, weights)
        from graphport_results import save
        save(out)
        """;

    private static readonly TorchScriptResults Reference = new(Script);

    private static Tensor T(string key) => Reference[key];

    private static void Same(string key, Tensor actual, double tolerance = 0)
    {
        var expected = T(key);
        Assert.True(expected.Shape.Equals(actual.Shape), $"seed {Reference.Seed}: {key} has shape [{string.Join(", ", actual.Shape)}], torch's is [{string.Join(", ", expected.Shape)}]");
        Assert.Equal(expected.DType, actual.DType);
        var e = expected.ToArray<double>();
        var g = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - g[i]) <= tolerance, $"seed {Reference.Seed}: {key}[{i}] is {g[i]}, torch's is {e[i]}");
    }

    [Fact]
    public void Unique_unique_consecutive_and_bincount_match_torch()
    {
        Tensor ints = T("ints"), rows = T("rows"), runs = T("runs");
        var (values, inverse, counts) = ints.Unique(true, true, true);
        Same("u", values);
        Same("u_inv", inverse);
        Same("u_cnt", counts);
        Same("u_floats", T("floats").Unique());
        var (slices, sliceInverse, sliceCounts) = rows.Unique(true, true, true, dim: 0);
        Same("ud", slices);
        Same("ud_inv", sliceInverse);
        Same("ud_cnt", sliceCounts);
        Same("ud1", rows.Unique(dim: 1));
        var (collapsed, runInverse, runCounts) = runs.UniqueConsecutive(true, true);
        Same("uc", collapsed);
        Same("uc_inv", runInverse);
        Same("uc_cnt", runCounts);
        Same("uc_rows", rows.UniqueConsecutive(dim: 0));
        Same("bincount", runs.Bincount());
        Same("bincount_min", runs.Bincount(minlength: 9));
        Same("bincount_w", runs.Bincount(T("weights")), 1e-6);
        Assert.Contains("non-negative", Assert.Throws<ArgumentException>(() => (runs - 5).Bincount()).Message, StringComparison.Ordinal);
        Assert.Contains("1-d", Assert.Throws<ArgumentException>(() => rows.Bincount()).Message, StringComparison.Ordinal);
    }

    private sealed class Vocabulary : Module<Tensor, Tensor, Tensor[]>
    {
        public override Tensor[] Forward(Tensor tokens, Tensor weights)
        {
            var (values, inverse, counts) = tokens.Unique(true, true, true);
            return [values, inverse, counts * 2, tokens.Bincount(weights), tokens.UniqueConsecutive()];
        }
    }

    [Fact]
    public void Exported_their_lengths_are_unbacked_sizes_checked_at_run_time_and_follow_the_data()
    {
        var tokens = Tensor.FromArray(new long[] { 1, 3, 3, 0, 5, 5 }, 6);
        var program = Torch.Export(new Vocabulary(), [tokens, Torch.Rand(6)]);
        var text = program.ToString();
        Assert.Contains("torch.ops.aten._unique2.default(tokens, True, True, True)", text, StringComparison.Ordinal);
        Assert.Contains("\"i64[u0]\"", text, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.bincount.default", text, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten.unique_consecutive.default", text, StringComparison.Ordinal);
        Assert.Contains("u0: [0, 6]", text, StringComparison.Ordinal);
        Assert.Contains("torch.ops.aten._unique2.default", program.RunDecompositions().ToString(), StringComparison.Ordinal);
        var other = Tensor.FromArray(new long[] { 7, 7, 7, 2, 2, 9 }, 6);
        var weights = Torch.Rand(6);
        var expected = new Vocabulary().Call(other, weights);
        var got = (object?[])program.Module().Invoke(other, weights)!;
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(((Tensor)got[i]!).AllClose(expected[i]), $"output {i} differs");
        Assert.Equal([3L], ((Tensor)got[0]!).Shape.Select(s => (long)s));
    }
}

using System.Text.Json;
using Graphport.Tests.Interop;
using static Graphport.Torch;

namespace Graphport.Tests.TensorApi;

/// <summary>x.T().Clone().View(-1): torch rejects it, since the clone keeps the transposed strides.</summary>
public sealed class CloneOfTransposeThenView : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x.T().Clone().View(-1);
}

/// <summary>x.T().Clone().T().View(-1): torch accepts it, since transposing the clone back gives row-major strides.</summary>
public sealed class CloneOfTransposeTransposedBackThenView : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x.T().Clone().T().View(-1);
}

/// <summary>
/// torch's clone lays its copy out by memory_format: preserve_format (the default) keeps the strides of a
/// non-overlapping, dense tensor and gives any other one dense strides in the same dimension order
/// (infer_dense_strides); contiguous_format, channels_last and channels_last_3d give those layouts. Eager and traced
/// (fake) clones agree, so a program that torch would reject for a view after a clone is rejected here too.
/// The expected strides are what torch 2.14 gives; <see cref="Strides_agree_with_torch_on_every_case"/> asks torch again.
/// </summary>
public class CloneLayoutTests
{
    /// <summary>Each case as C# builds it; <see cref="TorchCases"/> builds the same in Python.</summary>
    private static readonly Dictionary<string, Func<Tensor>> Cases = new()
    {
        ["transpose"] = () => Randn(3, 4).T(),
        ["transpose_step"] = () => Randn(4, 6).T()[TensorIndex.Slice(step: 2)],
        ["permute_step"] = () => Randn(2, 3, 8).Permute(2, 0, 1)[TensorIndex.Slice(step: 2)],
        ["expanded_transpose"] = () => Randn(4, 1).Expand(4, 3).T(),
        ["size_one_permute"] = () => Randn(3, 1, 4).Permute(1, 0, 2),
        ["transpose_slice"] = () => Randn(2, 3, 4).Transpose(0, 2)[.., TensorIndex.Slice(start: 1)],
        ["row_slice"] = () => Randn(4, 4)[TensorIndex.Slice(1, 3)],
        ["column_slice"] = () => Randn(4, 4)[.., TensorIndex.Slice(1, 3)],
        ["empty_transpose"] = () => Randn(0, 3).T(),
        ["scalar"] = () => Torch.Tensor(1.0),
    };

    private const string TorchCases = """
        import json, torch
        cases = {
            "transpose": torch.randn(3, 4).T,
            "transpose_step": torch.randn(4, 6).T[::2],
            "permute_step": torch.randn(2, 3, 8).permute(2, 0, 1)[::2],
            "expanded_transpose": torch.randn(4, 1).expand(4, 3).T,
            "size_one_permute": torch.randn(3, 1, 4).permute(1, 0, 2),
            "transpose_slice": torch.randn(2, 3, 4).transpose(0, 2)[:, 1:],
            "row_slice": torch.randn(4, 4)[1:3],
            "column_slice": torch.randn(4, 4)[:, 1:3],
            "empty_transpose": torch.randn(0, 3).T,
            "scalar": torch.tensor(1.0),
        }
        out = {name: {"input": list(t.stride()), "clone": list(t.clone().stride()), "contiguous": list(t.clone(memory_format=torch.contiguous_format).stride())} for name, t in cases.items()}
        out["channels_last"] = {"clone": list(torch.randn(2, 3, 4, 5).clone(memory_format=torch.channels_last).stride())}
        out["channels_last_3d"] = {"clone": list(torch.randn(2, 3, 4, 5, 6).clone(memory_format=torch.channels_last_3d).stride())}
        try:
            torch.randn(3, 4).T.clone().view(-1)
        except RuntimeError as e:
            out["view_error"] = str(e)
        try:
            torch.randn(3, 4).clone(memory_format=torch.channels_last)
        except RuntimeError as e:
            out["channels_last_error"] = str(e)
        print(json.dumps(out))
        """;

    [Theory]
    [InlineData("transpose", new long[] { 1, 4 }, new long[] { 1, 4 })]
    [InlineData("transpose_step", new long[] { 2, 6 }, new long[] { 1, 3 })]
    [InlineData("permute_step", new long[] { 2, 24, 8 }, new long[] { 1, 12, 4 })]
    [InlineData("expanded_transpose", new long[] { 0, 1 }, new long[] { 4, 1 })]
    [InlineData("size_one_permute", new long[] { 4, 4, 1 }, new long[] { 4, 4, 1 })]
    [InlineData("transpose_slice", new long[] { 1, 4, 12 }, new long[] { 1, 4, 8 })]
    [InlineData("row_slice", new long[] { 4, 1 }, new long[] { 4, 1 })]
    [InlineData("column_slice", new long[] { 4, 1 }, new long[] { 2, 1 })]
    [InlineData("empty_transpose", new long[] { 1, 3 }, new long[] { 1, 3 })]
    [InlineData("scalar", new long[0], new long[0])]
    public void Clone_keeps_a_dense_layout_and_densifies_others_in_their_dimension_order(string name, long[] input, long[] cloned)
    {
        var t = Cases[name]();
        Assert.Equal(input, t.Strides);
        var c = t.Clone();
        Assert.Equal(cloned, c.Strides);
        Assert.NotSame(t.Storage, c.Storage);
        Assert.Equal(0L, c.StorageOffset);
        Assert.True(c.AllClose(t, 0, 0));
        var contiguous = t.Clone(MemoryFormat.Contiguous);
        Assert.Equal(Tensor.ContiguousStrides(t.Sizes), contiguous.Strides);
        Assert.True(contiguous.AllClose(t, 0, 0));
    }

    [Fact]
    public void Memory_formats_give_torchs_layouts_and_errors()
    {
        Assert.Equal([60L, 1, 15, 3], Randn(2, 3, 4, 5).Clone(MemoryFormat.ChannelsLast).Strides);
        Assert.Equal([360L, 1, 90, 18, 3], Randn(2, 3, 4, 5, 6).Clone(MemoryFormat.ChannelsLast3d).Strides);
        Assert.Equal([1L, 4], Randn(3, 4).T().Clone(MemoryFormat.Preserve).Strides);
        Assert.Equal([3L, 1], Randn(3, 4).T().Contiguous().Strides);
        var e = Assert.ThrowsAny<Exception>(() => Randn(3, 4).Clone(MemoryFormat.ChannelsLast));
        Assert.Contains("required rank 4 tensor to use channels_last format", e.Message);
        e = Assert.ThrowsAny<Exception>(() => Randn(2, 3, 4, 5).Clone(MemoryFormat.ChannelsLast3d));
        Assert.Contains("required rank 5 tensor to use channels_last_3d format", e.Message);
    }

    [Fact]
    public void A_view_of_a_transposed_clone_fails_as_in_torch_and_transposing_back_makes_it_viewable()
    {
        var x = Randn(3, 4);
        var e = Assert.ThrowsAny<Exception>(() => x.T().Clone().View(-1));
        Assert.Contains("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces)", e.Message);
        var back = x.T().Clone().T().View(-1);
        Assert.True(back.AllClose(x.Reshape(-1), 0, 0));
        // Reshape copies to a contiguous tensor where a view is impossible.
        Assert.True(x.T().Clone().Reshape(-1).AllClose(x.T().Contiguous().View(-1), 0, 0));
    }

    [Fact]
    public void Export_traces_the_clones_strides_so_the_view_torch_rejects_is_rejected()
    {
        var e = Assert.ThrowsAny<Exception>(() => Export(new CloneOfTransposeThenView(), [Randn(3, 4)]));
        Assert.Contains("view size is not compatible with input tensor's size and stride", e.Message);
    }

    [Fact]
    public void Export_records_the_preserved_strides_with_symbolic_sizes_and_the_program_runs_and_decomposes()
    {
        var ep = Export(new CloneOfTransposeTransposedBackThenView(), [Randn(3, 4)],
            dynamicShapes: new() { ["x"] = new() { [0] = new Dim("a"), [1] = new Dim("b") } });
        // torch: numpy_t (s27, s77) strides (1, s27); clone the same.
        var clone = ep.Graph.Nodes.Single(n => n.Op?.Target == "aten.clone.default").TensorValue;
        Assert.Equal("f32[s1, s0]", clone.Describe());
        Assert.Equal(["1", "s1"], clone.Strides.Select(s => s.ToString()).ToArray());
        Assert.Empty(ep.ShapeEnv.Guards);
        var x = Randn(5, 7);
        Assert.True(ep.Module().Call(x).AllClose(x.Reshape(-1), 0, 0));
        var core = ep.RunDecompositions();
        Assert.True(core.Module().Call(x).AllClose(x.Reshape(-1), 0, 0));
    }

    [Fact]
    public void Strides_agree_with_torch_on_every_case()
    {
        string python = TorchPython.Require();
        string script = Path.Combine(Directory.CreateTempSubdirectory("graphport-clone-").FullName, "clone_strides.py");
        try
        {
            File.WriteAllText(script, TorchCases);
            var (exit, printed) = TorchPython.Run(python, TimeSpan.FromMinutes(2), script);
            Assert.True(exit == 0, $"torch failed ({exit}):\n{printed}");
            using var json = JsonDocument.Parse(printed.Trim().Split('\n')[^1]);
            var torch = json.RootElement;
            static long[] Longs(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();
            foreach (var (name, make) in Cases)
            {
                var t = make();
                var want = torch.GetProperty(name);
                Assert.True(Longs(want.GetProperty("input")).SequenceEqual(t.Strides), $"{name}: input strides");
                Assert.True(Longs(want.GetProperty("clone")).SequenceEqual(t.Clone().Strides), $"{name}: clone strides [{string.Join(", ", t.Clone().Strides)}], torch [{string.Join(", ", Longs(want.GetProperty("clone")))}]");
                Assert.True(Longs(want.GetProperty("contiguous")).SequenceEqual(t.Clone(MemoryFormat.Contiguous).Strides), $"{name}: contiguous_format strides");
            }
            Assert.Equal(Longs(torch.GetProperty("channels_last").GetProperty("clone")), Randn(2, 3, 4, 5).Clone(MemoryFormat.ChannelsLast).Strides);
            Assert.Equal(Longs(torch.GetProperty("channels_last_3d").GetProperty("clone")), Randn(2, 3, 4, 5, 6).Clone(MemoryFormat.ChannelsLast3d).Strides);
            string viewError = torch.GetProperty("view_error").GetString()!;
            var ours = Assert.ThrowsAny<Exception>(() => Randn(3, 4).T().Clone().View(-1));
            // torch ends with "Use .reshape(...) instead."; the C# method is Reshape.
            Assert.StartsWith(viewError[..viewError.IndexOf(" Use ", StringComparison.Ordinal)], ours.Message);
            var channelsLast = Assert.ThrowsAny<Exception>(() => Randn(3, 4).Clone(MemoryFormat.ChannelsLast));
            Assert.Equal(torch.GetProperty("channels_last_error").GetString(), channelsLast.Message);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(script)!, recursive: true);
        }
    }
}

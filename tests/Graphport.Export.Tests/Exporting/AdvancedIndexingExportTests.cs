using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

/// <summary>Gathers rows by index, scatters a scaled copy of them back into a clone, and reads columns.</summary>
public sealed class GathersAndScattersRows : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor i)
    {
        var y = x.Clone();
        y[i, 1..] = x[i, ..3] * 2.0;
        return y[.., i % 4L] + x[i][TensorIndex.NewAxis, .., 0];
    }
}

/// <summary>Zeroes the negatives through a mask and adds the sum of the elements a second mask picks.</summary>
public sealed class ClipsAndSumsByMask : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        var y = x.Clone();
        y[x < 0.0] = 0.0;
        return y + x[x > 0.5].Sum();
    }
}

/// <summary>
/// Advanced indexing in a module exports as torch's does: aten.index.Tensor for a read (None for the dims taken
/// whole), index_put for an assignment (functional, the write-back through a view a slice_scatter), an unbacked size
/// for a mask's pick; the program then runs on other inputs as the module does.
/// </summary>
public class AdvancedIndexingExportTests
{
    [Fact]
    public void Index_reads_and_writes_export_as_index_and_index_put_and_run_like_the_module()
    {
        int seed = Environment.TickCount & int.MaxValue;
        ManualSeed((ulong)seed);
        var count = new Dim("count", min: 1, max: 64);
        var ep = Export(new GathersAndScattersRows(), [Randn(5, 4), Tensor.FromArray(new long[] { 4, 1, 0 }, 3)],
            dynamicShapes: new() { ["i"] = new() { [0] = count } });
        var text = ep.ToString();

        Assert.Contains("torch.ops.aten.index.Tensor(slice_1, [i])", text);
        Assert.Contains("torch.ops.aten.index_put.default(slice_2, [i], mul)", text);
        Assert.Contains("torch.ops.aten.slice_scatter.default(clone, index_put, 1, 1)", text);
        Assert.Contains("torch.ops.aten.index.Tensor(slice_scatter, [None, remainder])", text);
        Assert.Contains("code: y[i, 1..] = x[i, ..3] * 2.0;", text);
        Assert.DoesNotContain("index_put_", text);

        var module = new GathersAndScattersRows();
        var rng = new Random(seed);
        foreach (int n in new[] { 2, 7 })
        {
            var x = Randn(5, 4);
            // Distinct rows: with a repeated one, which write lands is unspecified, in torch as here.
            var rows = Enumerable.Range(0, 5).OrderBy(_ => rng.Next()).Take(Math.Min(n, 5)).Select(r => (long)r - (rng.Next(2) * 5)).ToArray();
            var i = Tensor.FromArray(rows, rows.Length);
            var expected = module.Call(x, i);
            var actual = ep.Module().Call(x, i);
            Assert.True(actual.AllClose(expected, 0, 0), $"seed {seed}, rows [{string.Join(", ", rows)}]");
        }
    }

    [Fact]
    public void A_mask_read_is_an_unbacked_size_and_a_mask_write_makes_none()
    {
        int seed = Environment.TickCount & int.MaxValue;
        ManualSeed((ulong)seed);
        var ep = Export(new ClipsAndSumsByMask(), [Randn(5, 4)]);
        var text = ep.ToString();

        Assert.Contains("index_put: \"f32[5, 4]\" = torch.ops.aten.index_put.default(clone, [lt], scalar_tensor)", text);
        Assert.Contains("index: \"f32[u0]\" = torch.ops.aten.index.Tensor(x, [gt])", text);
        Assert.Contains("Range constraints: {u0: [0, 20]}", text);
        var x = Randn(5, 4);
        Assert.True(ep.Module().Call(x).AllClose(new ClipsAndSumsByMask().Call(x), 1e-6, 1e-6), $"seed {seed}");
    }
}

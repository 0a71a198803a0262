using static Graphport.Torch;

namespace Graphport.Tests.Interpreting;

/// <summary>
/// A run hands a dead value's array to a later kernel output of the same size, and only a dead one: a view that still
/// reads an array keeps it, as do inputs, weights and outputs, so results never change.
/// </summary>
public class ReusedBuffersTests
{
    // a = 2x; b views a; c and d are new values of a's size computed after a's own node is done with it; the output reads b.
    private sealed class ViewOutlivesItsBase : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x)
        {
            var a = x * 2;
            var b = a.View(-1);
            var c = (x + 1).Exp();
            var d = (c * 3).Sin() - x;
            return b.View(64, 64) + d;
        }
    }

    // Same-sized elementwise steps one after another, none fusable (each reads two values), so each output can take
    // the array of a value two steps back.
    private sealed class Ladder : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x, Tensor y)
        {
            var a = x * y;
            var b = a + y;
            var c = b * a;
            var d = c - b;
            var e = d * c;
            return e + d;
        }
    }

    private static void AssertSame(Tensor expected, Tensor actual) => Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());

    [Fact]
    public void An_array_a_live_view_still_reads_is_never_handed_out_again()
    {
        ManualSeed(21);
        var x = Randn(64, 64);
        var program = Export(new ViewOutlivesItsBase(), [x]);
        var expected = new ViewOutlivesItsBase().Call(x);

        foreach (var module in new[] { program.Module(), program.Module().Freeze() })
        {
            for (int call = 0; call < 3; call++) AssertSame(expected, module.Call(x));
            AssertSame(expected, (Tensor)module.Profile(x).Output!);
        }
    }

    [Fact]
    public void Outputs_of_the_same_size_reuse_the_arrays_of_dead_values_and_compute_the_same()
    {
        ManualSeed(22);
        var x = Randn(128, 64);
        var y = Randn(128, 64);
        var program = Export(new Ladder(), [x, y]);
        var module = program.Module();
        var (xBefore, yBefore) = (x.Clone(), y.Clone());

        var profile = module.Profile(x, y);

        Assert.True(profile.ReusedBuffers >= 3, profile.ToString());
        AssertSame(new Ladder().Call(x, y), (Tensor)profile.Output!);
        // The inputs were never written: they were not this run's to hand out.
        AssertSame(xBefore, x);
        AssertSame(yBefore, y);
        var again = module.Call(x, y);
        AssertSame((Tensor)profile.Output!, again);
        Assert.NotSame(((Tensor)profile.Output!).Storage.Data, again.Storage.Data);
    }

    [Fact]
    public void A_module_keeps_the_dead_arrays_of_one_call_for_the_next_and_never_the_outputs_it_returned()
    {
        ManualSeed(23);
        var (x1, y1) = (Randn(128, 64), Randn(128, 64));
        var (x2, y2) = (Randn(128, 64), Randn(128, 64));
        var module = Export(new Ladder(), [x1, y1]).Module().Freeze();

        var first = module.Profile(x1, y1);
        var firstOutput = (Tensor)first.Output!;
        var firstValues = firstOutput.Clone();
        var second = module.Profile(x2, y2);

        // The second call starts with the arrays the first call's dead values gave back.
        Assert.True(second.ReusedBuffers > first.ReusedBuffers, $"first {first.ReusedBuffers}, second {second.ReusedBuffers}");
        AssertSame(new Ladder().Call(x2, y2), (Tensor)second.Output!);
        // What the first call returned is the caller's: no later call writes into it.
        AssertSame(firstValues, firstOutput);
        for (int call = 0; call < 3; call++) module.Call(x2, y2);
        AssertSame(firstValues, firstOutput);
    }

    [Fact]
    public void Calls_of_one_module_on_many_threads_each_get_their_own_buffers()
    {
        ManualSeed(24);
        var module = Export(new Ladder(), [Randn(128, 64), Randn(128, 64)]).Module().Freeze();
        var inputs = Enumerable.Range(0, 16).Select(_ => (X: Randn(128, 64), Y: Randn(128, 64))).ToArray();
        var expected = inputs.Select(p => new Ladder().Call(p.X, p.Y).ToArray<float>()).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<int>();

        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            for (int call = 0; call < 20; call++)
                if (!module.Call(inputs[i].X, inputs[i].Y).ToArray<float>().SequenceEqual(expected[i])) failures.Add(i);
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void A_module_told_to_keep_no_spare_buffers_starts_every_call_afresh()
    {
        ManualSeed(25);
        var (x, y) = (Randn(128, 64), Randn(128, 64));
        var keeping = Export(new Ladder(), [x, y]).Module();
        var fresh = Export(new Ladder(), [x, y]).Module();
        fresh.SpareBufferBytes = 0;

        keeping.Call(x, y);
        fresh.Call(x, y);

        Assert.True(keeping.Profile(x, y).ReusedBuffers > fresh.Profile(x, y).ReusedBuffers);
        AssertSame(keeping.Call(x, y), fresh.Call(x, y));
        Assert.Throws<ArgumentOutOfRangeException>(() => fresh.SpareBufferBytes = -1);
    }
}

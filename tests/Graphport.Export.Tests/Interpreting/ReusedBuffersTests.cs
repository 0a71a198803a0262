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
}

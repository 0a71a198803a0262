using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

public class PointwiseCompareTests
{
    private static bool Ref(CompareOp op, double a, double b) => op switch
    {
        CompareOp.Eq => a == b,
        CompareOp.Ne => a != b,
        CompareOp.Lt => a < b,
        CompareOp.Le => a <= b,
        CompareOp.Gt => a > b,
        _ => a >= b,
    };

    [Fact]
    public void Comparisons_match_naive_results_for_float_double_long_and_int_including_nan()
    {
        var rng = new Random(30);
        foreach (var op in Enum.GetValues<CompareOp>())
            foreach (var shape in new long[][] { [], [0], [1], [13], [3, 17], [2, 3, 4, 5] })
                foreach (var (ka, kb) in new[] { (LayoutKind.Contiguous, LayoutKind.Contiguous), (LayoutKind.ColumnMajor, LayoutKind.Broadcast), (LayoutKind.Broadcast, LayoutKind.Flipped) })
                {
                    // Small integer-valued data so equality actually occurs; sprinkle NaN.
                    var a = Make(shape, ka, n => Enumerable.Range(0, (int)n).Select(i => i % 7 == 3 ? double.NaN : rng.Next(-3, 4)).ToArray());
                    var b = Make(shape, kb, n => Enumerable.Range(0, (int)n).Select(_ => (double)rng.Next(-3, 4)).ToArray());
                    var expected = a.Logical.Zip(b.Logical, (x, y) => Ref(op, x, y)).ToArray();
                    var o = new bool[expected.Length];
                    Pointwise.Compare(op, a.Data, a.Layout, b.Data, b.Layout, o);
                    Assert.True(expected.SequenceEqual(o), $"{op} double {ShapeMath.Format(shape)} {ka}/{kb}");
                    Pointwise.Compare(op, a.Data.Select(v => (float)v).ToArray(), a.Layout, b.Data.Select(v => (float)v).ToArray(), b.Layout, o);
                    Assert.True(expected.SequenceEqual(o), $"{op} float {ShapeMath.Format(shape)} {ka}/{kb}");
                    var al = a.Data.Select(v => double.IsNaN(v) ? 9L : (long)v).ToArray();
                    var bl = b.Data.Select(v => (long)v).ToArray();
                    var expectedL = StridedCopy.ToContiguous(al, a.Layout).Zip(StridedCopy.ToContiguous(bl, b.Layout), (x, y) => Ref(op, x, y)).ToArray();
                    Pointwise.Compare(op, al, a.Layout, bl, b.Layout, o);
                    Assert.True(expectedL.SequenceEqual(o), $"{op} long {ShapeMath.Format(shape)}");
                    Pointwise.Compare(op, al.Select(v => (int)v).ToArray(), a.Layout, bl.Select(v => (int)v).ToArray(), b.Layout, o);
                    Assert.True(expectedL.SequenceEqual(o), $"{op} int {ShapeMath.Format(shape)}");
                }
    }

    [Fact]
    public void Logical_ops_and_not_follow_truth_tables_with_broadcasting()
    {
        var rng = new Random(31);
        long[] shape = [4, 37];
        var a = Make(shape, LayoutKind.ColumnMajor, n => Enumerable.Range(0, (int)n).Select(_ => rng.Next(2) == 1).ToArray());
        var b = Make(shape, LayoutKind.Broadcast, n => Enumerable.Range(0, (int)n).Select(_ => rng.Next(2) == 1).ToArray());
        var o = new bool[a.Logical.Length];
        Pointwise.Logical(LogicalOp.And, a.Data, a.Layout, b.Data, b.Layout, o);
        Assert.Equal(a.Logical.Zip(b.Logical, (x, y) => x && y), o);
        Pointwise.Logical(LogicalOp.Or, a.Data, a.Layout, b.Data, b.Layout, o);
        Assert.Equal(a.Logical.Zip(b.Logical, (x, y) => x || y), o);
        Pointwise.Logical(LogicalOp.Xor, a.Data, a.Layout, b.Data, b.Layout, o);
        Assert.Equal(a.Logical.Zip(b.Logical, (x, y) => x ^ y), o);
        Pointwise.LogicalNot(a.Data, a.Layout, o);
        Assert.Equal(a.Logical.Select(x => !x), o);
    }

    [Fact]
    public void Where_selects_per_element_for_four_and_eight_byte_and_other_types()
    {
        var rng = new Random(32);
        foreach (var shape in new long[][] { [0], [1], [5], [3, 41], [2, 3, 20] })
            foreach (var kind in AllKinds)
            {
                var c = Make(shape, kind, n => Enumerable.Range(0, (int)n).Select(_ => rng.Next(2) == 1).ToArray());
                var a = MakeFloat(rng, shape, LayoutKind.Broadcast);
                var b = MakeFloat(rng, shape, kind);
                var o = new float[c.Logical.Length];
                Pointwise.Where(c.Data, c.Layout, a.Data, a.Layout, b.Data, b.Layout, o);
                Assert.Equal(c.Logical.Select((x, i) => x ? a.Logical[i] : b.Logical[i]), o);
                var ad = a.Data.Select(v => (double)v).ToArray();
                var bd = b.Data.Select(v => (double)v).ToArray();
                var od = new double[o.Length];
                Pointwise.Where(c.Data, c.Layout, ad, a.Layout, bd, b.Layout, od);
                Assert.Equal(o.Select(v => (double)v), od);
                var ab = a.Data.Select(v => (byte)(v > 0 ? 1 : 2)).ToArray();
                var bb = b.Data.Select(v => (byte)7).ToArray();
                var ob = new byte[o.Length];
                Pointwise.Where(c.Data, c.Layout, ab, a.Layout, bb, b.Layout, ob);
                Assert.Equal(c.Logical.Select((x, i) => x ? (byte)(a.Logical[i] > 0 ? 1 : 2) : (byte)7), ob);
            }
    }

    [Fact]
    public void Masked_fill_writes_the_value_where_the_mask_is_true()
    {
        var rng = new Random(33);
        long[] shape = [3, 19];
        var x = MakeFloat(rng, shape, LayoutKind.ColumnMajor);
        var m = Make(shape, LayoutKind.Broadcast, n => Enumerable.Range(0, (int)n).Select(_ => rng.Next(3) == 0).ToArray());
        var o = new float[x.Logical.Length];
        Pointwise.MaskedFill(x.Data, x.Layout, m.Data, m.Layout, float.NegativeInfinity, o);
        Assert.Equal(m.Logical.Select((b, i) => b ? float.NegativeInfinity : x.Logical[i]), o);
    }
}

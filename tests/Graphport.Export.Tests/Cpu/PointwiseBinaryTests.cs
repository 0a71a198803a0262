using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

public class PointwiseBinaryTests
{
    private static readonly long[][] BinaryShapes = [[], [0], [1], [9], [3, 0], [4, 1, 3], [3, 17], [2, 3, 4, 5], [40, 70]];

    private static (Func<double, double, double> F, double ALo, double AHi, double BLo, double BHi) Reference(BinaryOp op) => op switch
    {
        BinaryOp.Add => ((a, b) => a + b, -3, 3, -3, 3),
        BinaryOp.Sub => ((a, b) => a - b, -3, 3, -3, 3),
        BinaryOp.Mul => ((a, b) => a * b, -3, 3, -3, 3),
        BinaryOp.Div => ((a, b) => a / b, -3, 3, 0.3, 3),
        BinaryOp.DivFloor => ((a, b) => Math.Floor(a / b), -9, 9, -3, -0.3),
        BinaryOp.DivTrunc => ((a, b) => Math.Truncate(a / b), -9, 9, 0.3, 3),
        BinaryOp.Pow => (Math.Pow, 0.1, 3, -2, 2),
        BinaryOp.Maximum => (Math.Max, -3, 3, -3, 3),
        BinaryOp.Minimum => (Math.Min, -3, 3, -3, 3),
        BinaryOp.Atan2 => (Math.Atan2, -3, 3, -3, 3),
        BinaryOp.Fmod => ((a, b) => Math.IEEERemainder(a, b) is var _ ? a % b : 0, -9, 9, 0.3, 3),
        BinaryOp.Remainder => ((a, b) => a - b * Math.Floor(a / b), -9, 9, -3, -0.3),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static readonly BinaryOp[] FloatOps = Enum.GetValues<BinaryOp>().Where(o => o < BinaryOp.BitwiseAnd).ToArray();

    [Fact]
    public void Float_binary_ops_match_double_references_for_all_layout_pairs()
    {
        var rng = new Random(20);
        foreach (var op in FloatOps)
        {
            var (f, alo, ahi, blo, bhi) = Reference(op);
            foreach (var shape in BinaryShapes)
                foreach (var (ka, kb) in new[] { (LayoutKind.Contiguous, LayoutKind.Contiguous), (LayoutKind.Broadcast, LayoutKind.ColumnMajor), (LayoutKind.PaddedWithOffset, LayoutKind.Broadcast), (LayoutKind.Flipped, LayoutKind.Contiguous) })
                {
                    var a = MakeFloat(rng, shape, ka, alo, ahi);
                    var b = MakeFloat(rng, shape, kb, blo, bhi);
                    var o = new float[a.Logical.Length];
                    Pointwise.Binary(op, a.Data, a.Layout, b.Data, b.Layout, o);
                    var expected = a.Logical.Zip(b.Logical, (x, y) => f(x, y)).ToArray();
                    AssertClose(expected, o, 3e-6, 3e-6, $"{op} {ShapeMath.Format(shape)} {ka}/{kb}");
                }
        }
    }

    [Fact]
    public void Scalar_operands_broadcast_along_the_whole_row_on_either_side()
    {
        var rng = new Random(21);
        long[] shape = [3, 50];
        var scalar = StridedLayout.Contiguous(1, 1).BroadcastTo(shape);
        foreach (var op in FloatOps)
        {
            var (f, alo, ahi, blo, bhi) = Reference(op);
            var x = MakeDouble(rng, shape, LayoutKind.Contiguous, alo, ahi);
            double sb = blo + (bhi - blo) * rng.NextDouble(), sa = alo + (ahi - alo) * rng.NextDouble();
            var o = new double[x.Logical.Length];
            Pointwise.Binary(op, x.Data, x.Layout, [sb], scalar, o);
            AssertClose(x.Logical.Select(v => f(v, sb)).ToArray(), o, 1e-12, 1e-12, $"{op} tensor-scalar");
            if (op is BinaryOp.DivFloor or BinaryOp.Remainder or BinaryOp.Div or BinaryOp.DivTrunc or BinaryOp.Fmod or BinaryOp.Pow) continue;
            Pointwise.Binary(op, [sa], scalar, x.Data, x.Layout, o);
            AssertClose(x.Logical.Select(v => f(sa, v)).ToArray(), o, 1e-12, 1e-12, $"{op} scalar-tensor");
        }
    }

    [Fact]
    public void Add_and_sub_apply_alpha_to_the_second_operand()
    {
        var rng = new Random(22);
        long[] shape = [5, 33];
        foreach (var kind in AllKinds)
        {
            var a = MakeFloat(rng, shape, kind);
            var b = MakeFloat(rng, shape, LayoutKind.Broadcast);
            var o = new float[a.Logical.Length];
            Pointwise.Add(a.Data, a.Layout, b.Data, b.Layout, o, 2.5f);
            AssertClose(a.Logical.Zip(b.Logical, (x, y) => x + 2.5 * y).ToArray(), o, 2e-6, 2e-6, $"add alpha {kind}");
            Pointwise.Sub(a.Data, a.Layout, b.Data, b.Layout, o, 0.5f);
            AssertClose(a.Logical.Zip(b.Logical, (x, y) => x - 0.5 * y).ToArray(), o, 2e-6, 2e-6, $"sub alpha {kind}");
        }
    }

    [Fact]
    public void Floor_division_and_remainder_follow_python_sign_rules()
    {
        double[] a = [7, -7, 7, -7, 1, -0.0, 5, 5];
        double[] b = [2, 2, -2, -2, 0.1, 3, 0, -0.0];
        var l = StridedLayout.Contiguous(a.Length);
        var o = new double[a.Length];
        Pointwise.Binary(BinaryOp.DivFloor, a, l, b, l, o);
        Assert.Equal(new[] { 3.0, -4, -4, 3, 9 }, o[..5]);
        Assert.True(double.IsNegative(o[5]) && o[5] == 0, "-0 // 3 is -0");
        Assert.Equal(double.PositiveInfinity, o[6]);
        Assert.Equal(double.NegativeInfinity, o[7]);
        Pointwise.Binary(BinaryOp.Remainder, a, l, b, l, o);
        Assert.Equal(new[] { 1.0, 1, -1, -1 }, o[..4]);
        Pointwise.Binary(BinaryOp.Fmod, a, l, b, l, o);
        Assert.Equal(new[] { 1.0, -1, 1, -1 }, o[..4]);
    }

    [Fact]
    public void Maximum_and_minimum_propagate_nan()
    {
        float[] a = [float.NaN, 1, 2];
        float[] b = [0, float.NaN, 3];
        var l = StridedLayout.Contiguous(3);
        var o = new float[3];
        Pointwise.Binary(BinaryOp.Maximum, a, l, b, l, o);
        Assert.True(float.IsNaN(o[0]) && float.IsNaN(o[1]));
        Assert.Equal(3f, o[2]);
        Pointwise.Binary(BinaryOp.Minimum, a, l, b, l, o);
        Assert.True(float.IsNaN(o[0]) && float.IsNaN(o[1]));
        Assert.Equal(2f, o[2]);
    }

    [Fact]
    public void Integer_ops_match_python_semantics_for_long_and_int()
    {
        var rng = new Random(23);
        long[] shape = [6, 29];
        foreach (var kind in AllKinds)
        {
            var a = Make(shape, kind, n => Enumerable.Range(0, (int)n).Select(_ => (long)rng.Next(-100, 100)).ToArray());
            var b = Make(shape, LayoutKind.Broadcast, n => Enumerable.Range(0, (int)n).Select(_ => (long)(rng.Next(1, 13) * (rng.Next(2) == 0 ? -1 : 1))).ToArray());
            var cases = new (BinaryOp Op, Func<long, long, long> F)[]
            {
                (BinaryOp.Add, (x, y) => x + y), (BinaryOp.Sub, (x, y) => x - y), (BinaryOp.Mul, (x, y) => x * y),
                (BinaryOp.DivFloor, (x, y) => (long)Math.Floor((double)x / y)), (BinaryOp.DivTrunc, (x, y) => x / y),
                (BinaryOp.Remainder, (x, y) => x - y * (long)Math.Floor((double)x / y)), (BinaryOp.Fmod, (x, y) => x % y),
                (BinaryOp.Maximum, Math.Max), (BinaryOp.Minimum, Math.Min),
                (BinaryOp.BitwiseAnd, (x, y) => x & y), (BinaryOp.BitwiseOr, (x, y) => x | y), (BinaryOp.BitwiseXor, (x, y) => x ^ y),
            };
            foreach (var (op, f) in cases)
            {
                var o = new long[a.Logical.Length];
                Pointwise.Binary(op, a.Data, a.Layout, b.Data, b.Layout, o);
                Assert.True(a.Logical.Zip(b.Logical, f).SequenceEqual(o), $"{op} long {kind}");
                var ai = a.Data.Select(v => (int)v).ToArray();
                var bi = b.Data.Select(v => (int)v).ToArray();
                var oi = new int[o.Length];
                Pointwise.Binary(op, ai, a.Layout, bi, b.Layout, oi);
                Assert.True(o.Select(v => (int)v).SequenceEqual(oi), $"{op} int {kind}");
            }
            var oa = new long[a.Logical.Length];
            Pointwise.Add(a.Data, a.Layout, b.Data, b.Layout, oa, 3L);
            Assert.True(a.Logical.Zip(b.Logical, (x, y) => x + 3 * y).SequenceEqual(oa), $"add alpha long {kind}");
        }
    }

    [Fact]
    public void Integer_division_by_zero_throws_and_min_over_minus_one_wraps()
    {
        var l = StridedLayout.Contiguous(1);
        Assert.Throws<DivideByZeroException>(() => Pointwise.Binary(BinaryOp.DivFloor, new long[] { 5 }, l, new long[] { 0 }, l, new long[1]));
        var o = new long[1];
        Pointwise.Binary(BinaryOp.DivTrunc, new[] { long.MinValue }, l, new long[] { -1 }, l, o);
        Assert.Equal(long.MinValue, o[0]);
        Pointwise.Binary(BinaryOp.Remainder, new[] { long.MinValue }, l, new long[] { -1 }, l, o);
        Assert.Equal(0, o[0]);
    }

    [Fact]
    public void Binary_rejects_mismatched_shapes_and_unsupported_ops()
    {
        var ex = Assert.Throws<ArgumentException>(() => Pointwise.Binary(BinaryOp.Add, new float[6], StridedLayout.Contiguous(2, 3), new float[6], StridedLayout.Contiguous(3, 2), new float[6]));
        Assert.Contains("[3, 2]", ex.Message);
        Assert.Contains("expected shape [2, 3]", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Pointwise.Binary(BinaryOp.BitwiseAnd, new float[1], StridedLayout.Contiguous(1), new float[1], StridedLayout.Contiguous(1), new float[1]));
        Assert.Contains("BitwiseAnd", ex2.Message);
        var ex3 = Assert.Throws<ArgumentException>(() => Pointwise.Binary(BinaryOp.Div, new long[1], StridedLayout.Contiguous(1), new long[1], StridedLayout.Contiguous(1), new long[1]));
        Assert.Contains("Div", ex3.Message);
    }
}

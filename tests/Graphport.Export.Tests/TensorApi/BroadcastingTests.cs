using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>Binary ops broadcast from the right over random shape pairs; results match naive loops over the output index.</summary>
public class BroadcastingTests
{
    /// <summary>A random pair of broadcast-compatible shapes: dims are shared, 1 on either side, or missing on the left.</summary>
    private static (long[] A, long[] B, long[] Out) RandomShapes(Random rng)
    {
        int rank = rng.Next(1, 5);
        var full = Enumerable.Range(0, rank).Select(_ => (long)rng.Next(1, 5)).ToArray();
        long[] Derive()
        {
            int drop = rng.Next(0, rank);
            return full.Skip(drop).Select(s => rng.Next(3) == 0 ? 1L : s).ToArray();
        }
        var a = Derive();
        var b = Derive();
        int n = Math.Max(a.Length, b.Length);
        var result = new long[n];
        for (int i = 0; i < n; i++)
        {
            int ia = a.Length - n + i, ib = b.Length - n + i;
            long sa = ia >= 0 ? a[ia] : 1, sb = ib >= 0 ? b[ib] : 1;
            result[i] = Math.Max(sa, sb);
        }
        return (a, b, result);
    }

    public static TheoryData<string> Ops => new() { "add", "sub", "mul", "div", "maximum", "minimum", "pow", "lt", "where" };

    [Theory]
    [MemberData(nameof(Ops))]
    public void Binary_ops_broadcast_random_shape_pairs_like_naive_loops(string op)
    {
        var rng = new Random(1234);
        for (int trial = 0; trial < 25; trial++)
        {
            var (sa, sb, so) = RandomShapes(rng);
            var a = Reference.Random(trial, sa, DType.Float64, 0.5, 2);
            var b = Reference.Random(1000 + trial, sb, DType.Float64, 0.5, 2);
            Func<double, double, double> f;
            Tensor r;
            switch (op)
            {
                case "add": r = a + b; f = (x, y) => x + y; break;
                case "sub": r = a - b; f = (x, y) => x - y; break;
                case "mul": r = a * b; f = (x, y) => x * y; break;
                case "div": r = a / b; f = (x, y) => x / y; break;
                case "maximum": r = Torch.Maximum(a, b); f = Math.Max; break;
                case "minimum": r = Torch.Minimum(a, b); f = Math.Min; break;
                case "pow": r = a.Pow(b); f = Math.Pow; break;
                case "lt": r = a < b; f = (x, y) => x < y ? 1 : 0; break;
                default: r = Torch.Where(a > 1.2, a, b); f = (x, y) => x > 1.2 ? x : y; break;
            }
            var av = Values(a);
            var bv = Values(b);
            var expected = Indices(so).Select(i => f(AtBroadcast(av, sa, i), AtBroadcast(bv, sb, i))).ToArray();
            AssertClose(expected, so, r, 1e-12, 1e-12);
        }
    }

    [Fact]
    public void Broadcasting_works_on_strided_operands()
    {
        var a = Reference.Random(7, [4, 3]).T();          // [3, 4], non-contiguous
        var b = Reference.Random(8, [3, 8])[.., TensorIndex.Slice(0, null, 2)][.., 0..1]; // [3, 1], strided
        var r = a * b;
        var av = Values(a);
        var bv = Values(b);
        var expected = Indices([3, 4]).Select(i => (double)((float)av[i[0] * 4 + i[1]] * (float)bv[i[0]])).ToArray();
        AssertClose(expected, [3, 4], r, 1e-6, 1e-7);
    }

    [Fact]
    public void Broadcasting_with_a_zero_dim_tensor_and_with_a_number()
    {
        var a = Reference.Random(9, [2, 3]);
        var s = Torch.ScalarTensor(2.0);
        var av = Values(a);
        AssertClose(av.Select(v => v * 2).ToArray(), [2, 3], a * s);
        AssertClose(av.Select(v => v + 1).ToArray(), [2, 3], 1.0 + a);
        AssertClose(av.Select(v => 1 - v).ToArray(), [2, 3], 1.0 - a);
        AssertClose(av.Select(v => 3 / v).ToArray(), [2, 3], 3.0 / a, 1e-5, 1e-5);
    }

    [Fact]
    public void Broadcasting_against_a_size_zero_dim_gives_an_empty_result()
    {
        var r = Torch.Zeros(0, 3) + Torch.Ones(1, 3);
        Assert.Equal([0L, 3L], Sizes(r));
    }

    [Fact]
    public void Mismatched_sizes_fail_naming_both_sizes_and_the_dim()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Zeros(2, 3) + Torch.Zeros(4, 1, 2));
        Assert.Contains("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 2", e.Message);
    }

    [Fact]
    public void An_in_place_op_cannot_grow_its_target_by_broadcasting()
    {
        var x = Torch.Zeros(3);
        var e = Assert.ThrowsAny<Exception>(() => x.Add_(Torch.Ones(2, 3)));
        Assert.Contains("output with shape [3] doesn't match the broadcast shape [2, 3]", e.Message);
        Assert.All(Values(x), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void An_in_place_op_broadcasts_its_operand_into_the_target()
    {
        var x = Torch.Zeros(2, 3);
        x.Add_(Torch.Tensor(new float[] { 1, 2, 3 }));
        x.Mul_(Torch.Tensor(new float[,] { { 1 }, { 10 } }));
        Assert.Equal([1.0, 2, 3, 10, 20, 30], Values(x));
    }
}

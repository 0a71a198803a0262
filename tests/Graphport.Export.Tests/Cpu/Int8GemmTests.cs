using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

/// <summary>
/// Gemm.Int8 (aten._int_mm): int8 matrices with exact int32 sums, through AVX-VNNI's byte dot products where the CPU
/// has them and through the scalar loop, against the definition on random matrices of ragged sizes.
/// </summary>
public class Int8GemmTests
{
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 1, 1, 1 }, { 3, 5, 7 }, { 4, 24, 16 }, { 5, 33, 13 }, { 9, 50, 70 }, { 17, 8, 4 }, { 2, 100, 257 },
        // Whole and partial blocks of six rows, panels of 16 columns cut short, several tasks of a panel, and products
        // large enough to split across cores.
        { 6, 16, 4 }, { 13, 37, 41 }, { 50, 70, 130 }, { 64, 16, 384 }, { 100, 200, 300 }, { 128, 1536, 96 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Sums_are_exact_on_both_paths_including_the_extremes_of_int8(int m, int n, int k)
    {
        var random = new Random(m * 1000 + n * 10 + k);
        var a = RandomBytes(random, m * k);
        var b = RandomBytes(random, k * n);
        // The corners of the range, where an offset or a saturating instruction would show.
        a[0] = -128;
        b[0] = -128;
        if (a.Length > 1) a[^1] = 127;
        if (b.Length > 1) b[^1] = 127;
        var expected = Reference(m, n, k, a, b);
        foreach (bool vnni in new[] { true, false })
        {
            var c = new int[m * n];
            Gemm.Int8(m, n, k, a, b, c, vnni);
            Assert.Equal(expected, c);
        }
    }

    [Fact]
    public void A_weight_changed_in_place_is_packed_again()
    {
        // The packed B is kept per array for weights; its bytes are compared on every call, so new contents count.
        var random = new Random(5);
        var a = RandomBytes(random, 4 * 32);
        var b = RandomBytes(random, 32 * 24);
        var c = new int[4 * 24];
        Gemm.Int8(4, 24, 32, a, b, c);
        Assert.Equal(Reference(4, 24, 32, a, b), c);
        b[7] = (sbyte)(b[7] ^ 0x55);
        Gemm.Int8(4, 24, 32, a, b, c);
        Assert.Equal(Reference(4, 24, 32, a, b), c);
    }

    [Fact]
    public void The_int_mm_op_multiplies_int8_matrices_and_refuses_other_dtypes_by_name()
    {
        var random = new Random(6);
        var a = RandomBytes(random, 3 * 10);
        var b = RandomBytes(random, 10 * 4);
        var result = Aten.Call(Aten.IntMm, Tensor.FromArray(a, 3, 10), Tensor.FromArray(b, 10, 4));
        Assert.Equal(DType.Int32, result.DType);
        Assert.Equal(new long[] { 3, 4 }, result.Shape.ToLongs());
        Assert.Equal(Reference(3, 4, 10, a, b), result.ToArray<int>());
        var error = Assert.Throws<ArgumentException>(() => Aten.Call(Aten.IntMm, Torch.Zeros([3, 10]), Tensor.FromArray(b, 10, 4)));
        Assert.Contains("_int_mm multiplies int8 matrices", error.Message);
    }

    private static sbyte[] RandomBytes(Random random, int count) => Enumerable.Range(0, count).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();

    private static int[] Reference(int m, int n, int k, sbyte[] a, sbyte[] b)
    {
        var c = new int[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                long sum = 0;
                for (int p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
                c[i * n + j] = (int)sum;
            }
        return c;
    }
}

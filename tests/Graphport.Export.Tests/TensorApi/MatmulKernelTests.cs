using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>Mm, Bmm, Matmul over every rank combination (with batch broadcasting) and Linear, against triple loops.</summary>
public class MatmulKernelTests
{
    /// <summary>Batched product of row-major [b, n, k] and [b, k, m] arrays.</summary>
    private static double[] Product(double[] a, double[] b, long batch, long n, long k, long m)
    {
        var r = new double[batch * n * m];
        for (long t = 0; t < batch; t++)
            for (long i = 0; i < n; i++)
                for (long j = 0; j < m; j++)
                {
                    double s = 0;
                    for (long p = 0; p < k; p++) s += a[(t * n + i) * k + p] * b[(t * k + p) * m + j];
                    r[(t * n + i) * m + j] = s;
                }
        return r;
    }

    public static TheoryData<DType> FloatTypes => new() { DType.Float32, DType.Float64 };

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Mm_of_contiguous_and_transposed_operands(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        var a = Reference.Random(1, [7, 9], dtype);
        var b = Reference.Random(2, [9, 5], dtype);
        AssertClose(Product(Values(a), Values(b), 1, 7, 9, 5), [7, 5], a.Mm(b), rtol, atol * 10, dtype);
        // The same product through transposed storage on both sides.
        var at = Reference.Random(1, [9, 7], dtype).T();
        var bt = Reference.Random(2, [5, 9], dtype).T();
        AssertClose(Product(Values(at), Values(bt), 1, 7, 9, 5), [7, 5], Torch.Mm(at, bt), rtol, atol * 10, dtype);
        // A sliced operand with a leading-dimension gap.
        var sliced = Reference.Random(3, [9, 12], dtype)[.., 2..7];
        AssertClose(Product(Values(a), Values(sliced), 1, 7, 9, 5), [7, 5], a.Mm(sliced), rtol, atol * 10, dtype);
    }

    [Fact]
    public void Mm_with_an_empty_inner_dim_is_all_zeros()
    {
        var r = Torch.Zeros(3, 0).Mm(Torch.Zeros(0, 4));
        Assert.Equal([3L, 4L], Sizes(r));
        Assert.All(Values(r), v => Assert.Equal(0.0, v));
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Bmm_multiplies_matching_batches(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        var a = Reference.Random(4, [3, 4, 6], dtype);
        var b = Reference.Random(5, [3, 5, 6], dtype).Transpose(1, 2);
        AssertClose(Product(Values(a), Values(b), 3, 4, 6, 5), [3, 4, 5], a.Bmm(b), rtol, atol * 10, dtype);
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Bmm_reads_head_split_transposed_broadcast_and_sliced_operands_as_they_lie(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        // Attention as exporters write it: [tokens, heads·d] split into 3 heads of 4 and permuted (Q), K transposed on
        // top of that; a batch broadcast by expand; a slice with a gap between its rows.
        var q = Reference.Random(10, [5, 12], dtype).Reshape(5, 3, 4).Permute(1, 0, 2);
        var k = Reference.Random(11, [6, 12], dtype).Reshape(6, 3, 4).Permute(1, 2, 0);
        var scores = q.Bmm(k);
        AssertClose(Product(Values(q), Values(k), 3, 5, 4, 6), [3, 5, 6], scores, rtol, atol * 10, dtype);
        var shared = Reference.Random(12, [1, 6, 2], dtype).Expand(3, 6, 2);
        AssertClose(Product(Values(scores), Values(shared), 3, 5, 6, 2), [3, 5, 2], scores.Bmm(shared), rtol, atol * 100, dtype);
        var gapped = Reference.Random(13, [3, 5, 9], dtype)[.., .., 2..6];
        AssertClose(Product(Values(gapped), Values(k), 3, 5, 4, 6), [3, 5, 6], gapped.Bmm(k), rtol, atol * 10, dtype);
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Matmul_handles_vectors_like_torch(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        var v = Reference.Random(6, [6], dtype);
        var w = Reference.Random(7, [6], dtype);
        var m = Reference.Random(8, [4, 6], dtype);
        var n = Reference.Random(9, [6, 3], dtype);
        var vv = Values(v);

        var dot = v.Matmul(w);
        Assert.Equal(0, dot.Ndim);
        Assert.Equal(vv.Zip(Values(w), (x, y) => x * y).Sum(), dot.Item(), dtype == DType.Float64 ? 10 : 4);

        AssertClose(Product(Values(m), vv, 1, 4, 6, 1), [4], m.Matmul(v), rtol, atol * 10, dtype);
        AssertClose(Product(vv, Values(n), 1, 1, 6, 3), [3], v.Matmul(n), rtol, atol * 10, dtype);
        AssertClose(Product(Values(m), Values(n), 1, 4, 6, 3), [4, 3], Torch.Matmul(m, n), rtol, atol * 10, dtype);
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Matmul_broadcasts_batch_dims(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        // [2, 1, 3, 4] @ [5, 4, 2] -> [2, 5, 3, 2]
        var a = Reference.Random(10, [2, 1, 3, 4], dtype);
        var b = Reference.Random(11, [5, 4, 2], dtype);
        var av = Values(a);
        var bv = Values(b);
        var expected = Indices([2, 5, 3, 2]).Select(i =>
        {
            double s = 0;
            for (long p = 0; p < 4; p++) s += av[Flat([2, 1, 3, 4], [i[0], 0, i[2], p])] * bv[Flat([5, 4, 2], [i[1], p, i[3]])];
            return s;
        }).ToArray();
        AssertClose(expected, [2, 5, 3, 2], a.Matmul(b), rtol, atol * 10, dtype);

        // [2, 3, 4] @ [4, 5] folds the batch into rows; [4] @ [2, 4, 3] broadcasts a vector.
        var c = Reference.Random(12, [2, 3, 4], dtype);
        var d = Reference.Random(13, [4, 5], dtype);
        AssertClose(Product(Values(c), Values(d), 1, 6, 4, 5), [2, 3, 5], c.Matmul(d), rtol, atol * 10, dtype);
        var v = Reference.Random(14, [4], dtype);
        var e = Reference.Random(15, [2, 4, 3], dtype);
        var vv = Values(v);
        var ev = Values(e);
        var expectedVec = Indices([2, 3]).Select(i => Enumerable.Range(0, 4).Sum(p => vv[p] * ev[Flat([2, 4, 3], [i[0], p, i[1]])])).ToArray();
        AssertClose(expectedVec, [2, 3], v.Matmul(e), rtol, atol * 10, dtype);
        // [2, 3, 4] @ [4] drops the vector's dim.
        AssertClose(Product(Values(c), vv, 1, 6, 4, 1), [2, 3], c.Matmul(v), rtol, atol * 10, dtype);
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Linear_computes_x_times_w_transposed_plus_b_for_2d_and_batched_inputs(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        var w = Reference.Random(16, [3, 5], dtype);
        var b = Reference.Random(17, [3], dtype);
        var wv = Values(w);
        var bv = Values(b);
        foreach (var shape in new long[][] { [4, 5], [2, 3, 5], [5] })
        {
            var x = Reference.Random(18, shape, dtype);
            var xv = Values(x);
            long rows = xv.Length / 5;
            var outShape = shape.Take(shape.Length - 1).Append(3L).ToArray();
            var expected = new double[rows * 3];
            var noBias = new double[rows * 3];
            for (long r = 0; r < rows; r++)
                for (int o = 0; o < 3; o++)
                {
                    double s = 0;
                    for (int i = 0; i < 5; i++) s += xv[r * 5 + i] * wv[o * 5 + i];
                    noBias[r * 3 + o] = s;
                    expected[r * 3 + o] = s + bv[o];
                }
            AssertClose(expected, outShape, Functional.Linear(x, w, b), rtol, atol * 10, dtype);
            AssertClose(noBias, outShape, Functional.Linear(x, w), rtol, atol * 10, dtype);
        }
    }

    [Theory]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    public void Integer_products_are_exact_and_keep_their_dtype(DType dtype)
    {
        var a = Reference.RandomInts(20, [3, 4, 5], -9, 10).To(dtype);
        var b = Reference.RandomInts(21, [3, 5, 2], -9, 10).To(dtype);
        var expected = Product(Values(a), Values(b), 3, 4, 5, 2);
        AssertClose(expected, [3, 4, 2], a.Bmm(b), 0, 0, dtype);
        AssertClose(expected, [3, 4, 2], a.Matmul(b), 0, 0, dtype);
        AssertClose(expected.Take(8).ToArray(), [4, 2], a[0].Mm(b[0]), 0, 0, dtype);
        var bias = Reference.RandomInts(22, [2], -5, 5).To(dtype);
        var withBias = Torch.Ops["aten::addmm"].Call(new object?[] { bias, a[1], b[1] }, new Dictionary<string, object?> { ["beta"] = 2L, ["alpha"] = 3L }) as Tensor;
        var bv = Values(bias);
        AssertClose(expected.Skip(8).Take(8).Select((v, i) => 3 * v + 2 * bv[i % 2]).ToArray(), [4, 2], withBias!, 0, 0, dtype);
        var v1 = Reference.RandomInts(23, [6], -9, 10).To(dtype);
        var dot = v1.Dot(v1);
        Assert.Equal(dtype, dot.DType);
        Assert.Equal(Values(v1).Sum(x => x * x), dot.Item());
    }

    [Fact]
    public void Incompatible_shapes_fail_with_torchs_messages()
    {
        var e1 = Assert.ThrowsAny<Exception>(() => Torch.Zeros(2, 3).Mm(Torch.Zeros(4, 5)));
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", e1.Message);
        var e2 = Assert.ThrowsAny<Exception>(() => Torch.Zeros(2, 3).Matmul(Torch.Zeros(4)));
        Assert.Contains("cannot be multiplied", e2.Message);
        var e3 = Assert.ThrowsAny<Exception>(() => Torch.Zeros(2, 2, 3).Bmm(Torch.Zeros(3, 3, 4)));
        Assert.Contains("batch1 and batch2 must have same number of batches", e3.Message);
        var e4 = Assert.ThrowsAny<Exception>(() => Torch.Zeros(3).Mm(Torch.Zeros(3, 3)));
        Assert.Contains("must be a matrix", e4.Message);
        var e5 = Assert.ThrowsAny<Exception>(() => Functional.Linear(Torch.Zeros(4, 5), Torch.Zeros(3, 6)));
        Assert.Contains("cannot be multiplied (4x5 and 6x3)", e5.Message);
        var e6 = Assert.ThrowsAny<Exception>(() => Torch.Zeros(2, 3).Matmul(Torch.ScalarTensor(1.0)));
        Assert.Contains("both arguments to matmul need to be at least 1D", e6.Message);
    }

    [Fact]
    public void Mixed_dtypes_in_a_product_are_rejected()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Zeros(2, 3).Mm(Torch.Zeros([3L, 2L], DType.Float64)));
        Assert.Contains("expected m1 and m2 to have the same dtype, but got: float != double", e.Message);
    }
}

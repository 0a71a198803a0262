using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>Reductions over dims (keepdim, negative dims, several dims) and the softmax family, against naive loops.</summary>
public class ReductionKernelTests
{
    private static readonly long[] Shape = [3, 4, 5];

    /// <summary>Reduces a row-major array over <paramref name="dims"/> with a fold over each group of elements.</summary>
    private static (double[] Values, long[] Shape) Reduce(double[] x, long[] shape, int[] dims, bool keepdim, Func<IReadOnlyList<double>, double> fold)
    {
        var outShape = shape.Select((s, d) => dims.Contains(d) ? 1 : s).ToArray();
        var groups = new List<double>[Numel(outShape)];
        for (int i = 0; i < groups.Length; i++) groups[i] = [];
        foreach (var idx in Indices(shape))
        {
            var o = idx.Select((v, d) => dims.Contains(d) ? 0 : v).ToArray();
            groups[Flat(outShape, o)].Add(x[Flat(shape, idx)]);
        }
        var values = groups.Select(g => fold(g)).ToArray();
        var finalShape = keepdim ? outShape : shape.Where((_, d) => !dims.Contains(d)).ToArray();
        return (values, finalShape);
    }

    private static double Variance(IReadOnlyList<double> g, int correction)
    {
        double m = g.Average();
        return g.Sum(v => (v - m) * (v - m)) / (g.Count - correction);
    }

    public static TheoryData<DType, bool> TypesAndKeepdim => new()
    {
        { DType.Float32, false }, { DType.Float32, true }, { DType.Float64, false }, { DType.Float64, true },
    };

    [Theory]
    [MemberData(nameof(TypesAndKeepdim))]
    public void Sum_mean_amax_amin_over_each_dim_and_negative_dims(DType dtype, bool keepdim)
    {
        var (rtol, atol) = Tol(dtype);
        var x = Reference.Random(1, Shape, dtype).Transpose(0, 2).Transpose(0, 2);
        var xv = Values(x);
        for (long dim = -3; dim < 3; dim++)
        {
            int d = (int)(dim < 0 ? dim + 3 : dim);
            var (sum, shape) = Reduce(xv, Shape, [d], keepdim, g => g.Sum());
            AssertClose(sum, shape, x.Sum(dim, keepdim), rtol, atol, dtype);
            AssertClose(Reduce(xv, Shape, [d], keepdim, g => g.Average()).Values, shape, x.Mean(dim, keepdim), rtol, atol, dtype);
            AssertClose(Reduce(xv, Shape, [d], keepdim, g => g.Max()).Values, shape, x.Amax(dim, keepdim), 0, 0, dtype);
            AssertClose(Reduce(xv, Shape, [d], keepdim, g => g.Min()).Values, shape, x.Amin(dim, keepdim), 0, 0, dtype);
        }
    }

    [Fact]
    public void Reductions_over_several_dims_and_over_everything()
    {
        var x = Reference.Random(2, Shape, DType.Float64);
        var xv = Values(x);
        var (s, shape) = Reduce(xv, Shape, [0, 2], true, g => g.Sum());
        AssertClose(s, shape, x.Sum([0, -1], keepdim: true), 1e-12, 1e-12);
        var (m, mshape) = Reduce(xv, Shape, [1, 2], false, g => g.Average());
        AssertClose(m, mshape, x.Mean([-2, -1]), 1e-12, 1e-12);
        Assert.Equal(xv.Sum(), x.Sum().Item(), 1e-10);
        Assert.Equal(xv.Average(), x.Mean().Item(), 1e-10);
        Assert.Equal(xv.Max(), x.Max().Item());
        Assert.Equal(xv.Min(), x.Min().Item());
        Assert.Equal(0, x.Sum().Ndim);
    }

    [Fact]
    public void A_repeated_dim_in_a_reduction_is_rejected()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Zeros(2, 3).Sum([1, -1]));
        Assert.Contains("appears multiple times in the list of dims", e.Message);
    }

    [Fact]
    public void Integer_sums_are_exact_int64_and_bool_sums_count()
    {
        var x = Reference.RandomInts(3, [4, 6], -1000, 1000).Int();
        var xv = Values(x);
        var r = x.Sum(1);
        Assert.Equal(DType.Int64, r.DType);
        Assert.Equal(Reduce(xv, [4, 6], [1], false, g => g.Sum()).Values, Values(r));
        Assert.Equal(DType.Int32, x.Amax(0).DType);
        Assert.Equal(Reduce(xv, [4, 6], [0], false, g => g.Max()).Values, Values(x.Amax(0)));
        var mask = x > 0;
        Assert.Equal(xv.Count(v => v > 0), mask.Sum().Item<long>());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    public void Max_and_min_along_a_dim_return_values_and_the_first_index_of_the_extreme(DType dtype)
    {
        // Few distinct values so ties happen; torch returns the first index among equal extremes.
        var x = Reference.RandomInts(4, Shape, 0, 3).To(dtype);
        var xv = Values(x);
        foreach (long dim in new long[] { 0, 1, -1 })
        {
            int d = (int)(dim < 0 ? dim + 3 : dim);
            foreach (bool keepdim in new[] { false, true })
            {
                var (values, indices) = x.Max(dim, keepdim);
                var (expected, shape) = Reduce(xv, Shape, [d], keepdim, g => g.Max());
                var (expectedIdx, _) = Reduce(xv, Shape, [d], keepdim, g => g.ToList().IndexOf(g.Max()));
                AssertClose(expected, shape, values, 0, 0, dtype);
                AssertClose(expectedIdx, shape, indices, 0, 0, DType.Int64);
                AssertClose(expectedIdx, shape, x.Argmax(dim, keepdim), 0, 0, DType.Int64);

                var (minValues, minIndices) = x.Min(dim, keepdim);
                AssertClose(Reduce(xv, Shape, [d], keepdim, g => g.Min()).Values, shape, minValues, 0, 0, dtype);
                var minIdx = Reduce(xv, Shape, [d], keepdim, g => g.ToList().IndexOf(g.Min())).Values;
                AssertClose(minIdx, shape, minIndices, 0, 0, DType.Int64);
                AssertClose(minIdx, shape, x.Argmin(dim, keepdim), 0, 0, DType.Int64);
            }
        }
    }

    [Fact]
    public void Argmax_without_a_dim_indexes_the_flattened_tensor()
    {
        var x = Reference.Random(5, [4, 5]).T();
        var xv = Values(x);
        Assert.Equal(Array.IndexOf(xv, xv.Max()), x.Argmax().Item<long>());
        Assert.Equal(Array.IndexOf(xv, xv.Min()), x.Argmin().Item<long>());
        Assert.Equal(0, x.Argmax().Ndim);
    }

    [Theory]
    [MemberData(nameof(TypesAndKeepdim))]
    public void Var_and_std_with_and_without_bessels_correction(DType dtype, bool keepdim)
    {
        var (rtol, atol) = Tol(dtype);
        var x = Reference.Random(6, Shape, dtype);
        var xv = Values(x);
        foreach (int correction in new[] { 0, 1 })
        {
            var (v, shape) = Reduce(xv, Shape, [2], keepdim, g => Variance(g, correction));
            AssertClose(v, shape, x.Var([-1], correction, keepdim), rtol * 10, atol * 10, dtype);
            AssertClose(v.Select(Math.Sqrt).ToArray(), shape, x.Std([2], correction, keepdim), rtol * 10, atol * 10, dtype);
            var (v01, shape01) = Reduce(xv, Shape, [0, 1], keepdim, g => Variance(g, correction));
            AssertClose(v01, shape01, x.Var([0, 1], correction, keepdim), rtol * 10, atol * 10, dtype);
        }
        Assert.Equal(Variance(xv, 1), x.Var().Item(), dtype == DType.Float64 ? 10 : 4);
    }

    [Fact]
    public void Var_of_an_integer_tensor_is_an_error()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Arange(4).Var());
        Assert.Contains("std and var only support floating point", e.Message);
    }

    private static double[] SoftmaxReference(double[] x, long[] shape, int dim, bool log)
    {
        var result = new double[x.Length];
        foreach (var idx in Indices(shape))
        {
            if (idx[dim] != 0) continue;
            var positions = Enumerable.Range(0, (int)shape[dim]).Select(k =>
            {
                var j = (long[])idx.Clone();
                j[dim] = k;
                return Flat(shape, j);
            }).ToArray();
            double max = positions.Max(p => x[p]);
            double sum = positions.Sum(p => Math.Exp(x[p] - max));
            foreach (var p in positions)
                result[p] = log ? x[p] - max - Math.Log(sum) : Math.Exp(x[p] - max) / sum;
        }
        return result;
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Softmax_and_log_softmax_along_every_dim(DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        var x = Reference.Random(7, Shape, dtype, -8, 8);
        var xv = Values(x);
        for (int dim = -3; dim < 3; dim++)
        {
            int d = dim < 0 ? dim + 3 : dim;
            AssertClose(SoftmaxReference(xv, Shape, d, log: false), Shape, x.Softmax(dim), rtol, atol, dtype);
            AssertClose(SoftmaxReference(xv, Shape, d, log: true), Shape, x.LogSoftmax(dim), rtol, atol * 10, dtype);
        }
        AssertClose(SoftmaxReference(xv, Shape, 1, false), Shape, Functional.Softmax(x.Transpose(0, 1).Contiguous().Transpose(0, 1), 1), rtol, atol, dtype);
    }

    private sealed class SoftmaxInDouble : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x) => Torch.Ops["aten::softmax.int"].CallTensor(x, 1L, DType.Float64);
    }

    [Fact]
    public void Softmax_with_a_dtype_converts_once_then_normalizes()
    {
        var x = Reference.Random(17, [2, 3]);
        var r = Torch.Ops["aten::softmax.int"].CallTensor(x, 1L, DType.Float64);
        Assert.Equal(DType.Float64, r.DType);
        AssertClose(SoftmaxReference(Values(x), [2, 3], 1, false), [2, 3], r, 1e-12, 1e-12);
        var ep = Torch.Export(new SoftmaxInDouble(), [x]);
        Assert.Equal(["aten._to_copy.default", "aten._softmax.default"], ep.Graph.Nodes.Where(n => n.Op is not null).Select(n => n.Op!.Target));
    }

    [Fact]
    public void Softmax_is_stable_for_large_inputs_and_handles_minus_infinity()
    {
        var x = Torch.Tensor(new float[] { 1000, 1001, float.NegativeInfinity });
        var s = Values(x.Softmax(0));
        Assert.Equal(1 / (1 + Math.E), s[0], 1e-6);
        Assert.Equal(Math.E / (1 + Math.E), s[1], 1e-6);
        Assert.Equal(0.0, s[2]);
    }

    [Fact]
    public void Softmax_of_an_integer_tensor_is_an_error()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Arange(3).Softmax(0));
        Assert.Contains("not implemented for 'Long'", e.Message);
    }

    [Theory]
    [MemberData(nameof(TypesAndKeepdim))]
    public void Logsumexp_matches_the_stable_reference(DType dtype, bool keepdim)
    {
        var (rtol, atol) = Tol(dtype);
        var x = Reference.Random(8, Shape, dtype, -20, 20);
        var xv = Values(x);
        var (expected, shape) = Reduce(xv, Shape, [1], keepdim, g => { double m = g.Max(); return m + Math.Log(g.Sum(v => Math.Exp(v - m))); });
        AssertClose(expected, shape, x.Logsumexp(-2, keepdim), rtol, atol * 10, dtype);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int32)]
    public void Cumsum_along_each_dim(DType dtype)
    {
        var x = (dtype.IsFloatingPoint() ? Reference.Random(9, Shape, dtype) : Reference.RandomInts(9, Shape, -20, 20).To(dtype)).Transpose(1, 2);
        long[] shape = [3, 5, 4];
        var xv = Values(x);
        var expectedType = dtype == DType.Int32 ? DType.Int64 : dtype;
        for (int dim = -1; dim < 3; dim++)
        {
            int d = dim < 0 ? dim + 3 : dim;
            var expected = Indices(shape).Select(i =>
            {
                double s = 0;
                for (long k = 0; k <= i[d]; k++)
                {
                    var j = (long[])i.Clone();
                    j[d] = k;
                    s += xv[Flat(shape, j)];
                }
                return s;
            }).ToArray();
            var (rtol, atol) = Tol(dtype);
            AssertClose(expected, shape, x.Cumsum(dim), rtol, atol * 10, expectedType);
        }
    }

    [Fact]
    public void Any_and_all_reduce_bools()
    {
        var x = Torch.Tensor(new[,] { { true, false }, { false, false } });
        Assert.True(x.Any().Item<bool>());
        Assert.False(x.All().Item<bool>());
        Assert.True(Torch.Ones(3).Bool().All().Item<bool>());
        Assert.False(Torch.Zeros(3).Any().Item<bool>());
    }

    [Fact]
    public void A_reduction_dim_out_of_range_names_the_valid_range()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Zeros(2, 3).Sum(2));
        Assert.Contains("Dimension out of range (expected to be in range of [-2, 1], but got 2)", e.Message);
    }
}

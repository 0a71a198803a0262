using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

public class ReductionTests
{
    /// <summary>Groups the logical values of every output position (row-major over kept dims) in input order.</summary>
    private static List<double>[] Groups(long[] shape, double[] logical, int[] dims)
    {
        var mask = ShapeMath.DimMask(dims, shape.Length, "test");
        var keptShape = shape.Where((_, d) => !mask[d]).ToArray();
        var groups = Enumerable.Range(0, (int)ShapeMath.Numel(keptShape)).Select(_ => new List<double>()).ToArray();
        foreach (var idx in Indices(shape))
        {
            var kept = idx.Where((_, d) => !mask[d]).ToArray();
            groups[Flat(keptShape, kept)].Add(logical[Flat(shape, idx)]);
        }
        return groups;
    }

    private static readonly (long[] Shape, int[] Dims)[] Cases =
    [
        ([], []),
        ([7], []),
        ([7], [0]),
        ([4, 5], [0]),
        ([4, 5], [1]),
        ([4, 5], [-1, 0]),
        ([3, 0, 2], [2]),
        ([2, 3, 4, 5], [1]),
        ([2, 3, 4, 5], [0, 2, 3]),
        ([2, 3, 4, 5], [1, 2]),
        ([6, 1, 9], [0]),
        ([5, 1000], [1]),
        ([1000, 5], [0]),
        ([3, 300, 40], [1]),
    ];

    private static void CheckAll(Func<Strided<double>, int[], bool, Dense<double>> kernelD, Func<Strided<float>, int[], bool, Dense<float>> kernelF,
        Func<List<double>, double> reference, double rtol, double atol, string name, bool skipEmpty = false, double lo = -3, double hi = 3)
    {
        var rng = new Random(name.GetHashCode() & 0xFFFF);
        foreach (var (shape, dims) in Cases)
            foreach (var kind in AllKinds)
                foreach (bool keepdim in new[] { false, true })
                {
                    var s = MakeDouble(rng, shape, kind, lo, hi);
                    var groups = Groups(shape, s.Logical, dims);
                    if (skipEmpty && groups.Any(g => g.Count == 0)) continue;
                    var expected = groups.Select(reference).ToArray();
                    var expectedShape = Reduction.OutputShape(shape, dims, keepdim);
                    var d = kernelD(s, dims, keepdim);
                    Assert.Equal(expectedShape, d.Shape);
                    AssertClose(expected, d.Data, rtol, atol, $"{name} double {ShapeMath.Format(shape)} dims [{string.Join(",", dims)}] {kind}");
                    var f = new Strided<float>(s.Data.Select(v => (float)v).ToArray(), s.Layout, s.Logical.Select(v => (float)v).ToArray());
                    var expectedF = Groups(shape, f.Logical.Select(v => (double)v).ToArray(), dims).Select(reference).ToArray();
                    var r = kernelF(f, dims, keepdim);
                    Assert.Equal(expectedShape, r.Shape);
                    AssertClose(expectedF, r.Data, Math.Max(rtol, 1e-5), Math.Max(atol, 1e-5), $"{name} float {ShapeMath.Format(shape)} dims [{string.Join(",", dims)}] {kind}");
                }
    }

    [Fact]
    public void Sum_matches_a_double_reference_over_any_dims()
        => CheckAll((s, d, k) => Reduction.Sum(s.Data, s.Layout, d, k), (s, d, k) => Reduction.Sum(s.Data, s.Layout, d, k), g => g.Sum(), 1e-12, 1e-11, "sum");

    [Fact]
    public void Float_sum_of_a_long_row_with_cancellation_stays_within_1e5_relative_of_double()
    {
        var rng = new Random(50);
        var x = Floats(rng, 1_000_003, 0, 1);
        var r = Reduction.Sum(x, StridedLayout.Contiguous(x.Length), [], false);
        double expected = x.Sum(v => (double)v);
        Assert.True(Math.Abs(r.Data[0] - expected) <= 1e-6 * expected, $"{r.Data[0]} vs {expected}");
        var col = Reduction.Sum(x[..1_000_000], StridedLayout.Contiguous(250_000, 4), [0], false);
        for (int j = 0; j < 4; j++)
        {
            double e = 0;
            for (int i = 0; i < 250_000; i++) e += x[i * 4 + j];
            Assert.True(Math.Abs(col.Data[j] - e) <= 1e-6 * e, $"column {j}: {col.Data[j]} vs {e}");
        }
    }

    [Fact]
    public void Mean_matches_and_is_nan_for_empty_reductions()
    {
        CheckAll((s, d, k) => Reduction.Mean(s.Data, s.Layout, d, k), (s, d, k) => Reduction.Mean(s.Data, s.Layout, d, k), g => g.Count == 0 ? double.NaN : g.Average(), 1e-12, 1e-12, "mean");
    }

    [Fact]
    public void Prod_matches_with_one_for_empty_reductions()
        => CheckAll((s, d, k) => Reduction.Prod(s.Data, s.Layout, d, k), (s, d, k) => Reduction.Prod(s.Data, s.Layout, d, k),
            g => g.Aggregate(1.0, (a, b) => a * b), 1e-11, 1e-12, "prod", lo: 0.95, hi: 1.05);

    [Fact]
    public void Amax_and_amin_match_and_refuse_empty_reductions()
    {
        CheckAll((s, d, k) => Reduction.Amax(s.Data, s.Layout, d, k), (s, d, k) => Reduction.Amax(s.Data, s.Layout, d, k), g => g.Max(), 0, 0, "amax", skipEmpty: true);
        CheckAll((s, d, k) => Reduction.Amin(s.Data, s.Layout, d, k), (s, d, k) => Reduction.Amin(s.Data, s.Layout, d, k), g => g.Min(), 0, 0, "amin", skipEmpty: true);
        var ex = Assert.Throws<ArgumentException>(() => Reduction.Amax(new float[0], StridedLayout.Contiguous(3, 0), [1], false));
        Assert.Contains("no elements", ex.Message);
        var nan = Reduction.Amax(new[] { 1f, float.NaN, 3f }, StridedLayout.Contiguous(3), [], false);
        Assert.True(float.IsNaN(nan.Data[0]));
    }

    [Fact]
    public void Var_and_std_use_the_given_correction()
    {
        foreach (double correction in new[] { 0.0, 1.0 })
        {
            double Var(List<double> g)
            {
                double m = g.Average();
                return g.Sum(v => (v - m) * (v - m)) / Math.Max(0, g.Count - correction);
            }
            CheckAll((s, d, k) => Reduction.Var(s.Data, s.Layout, d, correction, k), (s, d, k) => Reduction.Var(s.Data, s.Layout, d, correction, k), Var, 1e-11, 1e-12, $"var{correction}", skipEmpty: true);
            CheckAll((s, d, k) => Reduction.Std(s.Data, s.Layout, d, correction, k), (s, d, k) => Reduction.Std(s.Data, s.Layout, d, correction, k), g => Math.Sqrt(Var(g)), 1e-11, 1e-12, $"std{correction}", skipEmpty: true);
        }
    }

    [Fact]
    public void LogSumExp_is_stable_for_large_inputs()
    {
        CheckAll((s, d, k) => Reduction.LogSumExp(s.Data, s.Layout, d, k), (s, d, k) => Reduction.LogSumExp(s.Data, s.Layout, d, k),
            g =>
            {
                if (g.Count == 0) return double.NegativeInfinity;
                double m = g.Max();
                return m + Math.Log(g.Sum(v => Math.Exp(v - m)));
            }, 1e-12, 1e-12, "logsumexp", lo: 500, hi: 700);
        var r = Reduction.LogSumExp(new[] { float.NegativeInfinity, float.NegativeInfinity }, StridedLayout.Contiguous(2), [], false);
        Assert.Equal(float.NegativeInfinity, r.Data[0]);
    }

    [Fact]
    public void ArgMax_and_argmin_return_the_first_occurrence_along_a_dim_or_flattened()
    {
        var rng = new Random(51);
        foreach (var shape in new long[][] { [1], [9], [4, 6], [3, 5, 7], [2, 1, 40] })
            foreach (var kind in AllKinds)
            {
                // Few distinct values so ties are common.
                var s = Make(shape, kind, n => Enumerable.Range(0, (int)n).Select(_ => (float)rng.Next(0, 4)).ToArray());
                for (int dim = 0; dim < shape.Length; dim++)
                {
                    var mx = Reduction.ArgMax(s.Data, s.Layout, dim, false);
                    var mn = Reduction.ArgMin(s.Data, s.Layout, dim, true);
                    var keptShape = shape.Where((_, d) => d != dim).ToArray();
                    foreach (var idx in Indices(keptShape))
                    {
                        var full = idx.Take(dim).Append(0L).Concat(idx.Skip(dim)).ToArray();
                        var row = Enumerable.Range(0, (int)shape[dim]).Select(i => { full[dim] = i; return s.Logical[Flat(shape, full)]; }).ToList();
                        long o = Flat(keptShape, idx);
                        Assert.Equal(row.IndexOf(row.Max()), mx.Data[o]);
                        Assert.Equal(row.IndexOf(row.Min()), mn.Data[o]);
                    }
                    Assert.Equal(shape.Select((v, d) => d == dim ? 1 : v), mn.Shape);
                }
                var flat = Reduction.ArgMax(s.Data, s.Layout, null, false);
                Assert.Empty(flat.Shape);
                Assert.Equal(Array.IndexOf(s.Logical, s.Logical.Max()), flat.Data[0]);
            }
        var nan = Reduction.ArgMax(new[] { 1f, float.NaN, 5f, float.NaN }, StridedLayout.Contiguous(4), 0, false);
        Assert.Equal(1, nan.Data[0]);
    }

    [Fact]
    public void Any_and_all_match_and_treat_empty_sets_as_false_and_true()
    {
        var rng = new Random(52);
        foreach (var (shape, dims) in Cases)
            foreach (var kind in AllKinds)
            {
                var s = Make(shape, kind, n => Enumerable.Range(0, (int)n).Select(_ => rng.Next(5) == 0).ToArray());
                var groups = Groups(shape, s.Logical.Select(b => b ? 1.0 : 0.0).ToArray(), dims);
                Assert.Equal(groups.Select(g => g.Any(v => v != 0)), Reduction.Any(s.Data, s.Layout, dims, false).Data);
                Assert.Equal(groups.Select(g => g.All(v => v != 0)), Reduction.All(s.Data, s.Layout, dims, false).Data);
            }
    }

    [Fact]
    public void Integer_sum_is_exact_in_the_input_type()
    {
        var x = Enumerable.Range(0, 24).Select(i => (long)i * 1_000_000_007L).ToArray();
        var r = Reduction.Sum(x, StridedLayout.Contiguous(2, 3, 4), [0, 2], true);
        Assert.Equal(new long[] { 1, 3, 1 }, r.Shape);
        for (int j = 0; j < 3; j++)
        {
            long e = 0;
            for (int a = 0; a < 2; a++) for (int c = 0; c < 4; c++) e += x[(a * 3 + j) * 4 + c];
            Assert.Equal(e, r.Data[j]);
        }
    }

    [Fact]
    public void Duplicate_or_out_of_range_dims_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Reduction.Sum(new float[6], StridedLayout.Contiguous(2, 3), [1, -1], false));
        Assert.Contains("more than once", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Reduction.Sum(new float[6], StridedLayout.Contiguous(2, 3), [2], false));
        Assert.Contains("dim 2", ex2.Message);
    }
}

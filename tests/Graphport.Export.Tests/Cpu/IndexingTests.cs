using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

public class IndexingTests
{
    private static long[] With(long[] idx, int dim, long value)
    {
        var r = (long[])idx.Clone();
        r[dim] = value;
        return r;
    }

    [Fact]
    public void IndexSelect_picks_slices_with_negative_wraparound()
    {
        var rng = new Random(80);
        long[] shape = [4, 5, 3];
        foreach (var kind in AllKinds)
        {
            var s = MakeFloat(rng, shape, kind);
            for (int dim = 0; dim < 3; dim++)
            {
                long[] idx = [0, shape[dim] - 1, -1, 1, 0];
                var r = StridedCopy.ToContiguous(s.Data, s.Layout);
                var got = Indexing.IndexSelect(s.Data, s.Layout, dim, idx);
                var outShape = With(shape, dim, idx.Length);
                Assert.Equal(outShape, got.Shape);
                foreach (var o in Indices(outShape))
                {
                    long src = idx[o[dim]] < 0 ? idx[o[dim]] + shape[dim] : idx[o[dim]];
                    Assert.Equal(s.Logical[Flat(shape, With(o, dim, src))], got.Data[Flat(outShape, o)]);
                }
            }
        }
        var ex = Assert.Throws<IndexValueException>(() => Indexing.IndexSelect(new float[6], StridedLayout.Contiguous(2, 3), 1, [3]));
        Assert.Contains("index 3", ex.Message);
    }

    [Fact]
    public void Gather_reads_along_dim_at_each_index_position()
    {
        var rng = new Random(81);
        long[] shape = [3, 6, 4];
        foreach (var kind in AllKinds)
        {
            var s = MakeDouble(rng, shape, kind);
            for (int dim = 0; dim < 3; dim++)
            {
                long[] ishape = [2, 4, 3];
                var index = Make(ishape, LayoutKind.ColumnMajor, n => Enumerable.Range(0, (int)n).Select(_ => (long)rng.Next((int)shape[dim])).ToArray());
                var got = Indexing.Gather(s.Data, s.Layout, dim, index.Data, index.Layout);
                Assert.Equal(ishape, got.Shape);
                foreach (var o in Indices(ishape))
                    Assert.Equal(s.Logical[Flat(shape, With(o, dim, index.Logical[Flat(ishape, o)]))], got.Data[Flat(ishape, o)]);
            }
        }
        var ex = Assert.Throws<IndexValueException>(() => Indexing.Gather(new float[6], StridedLayout.Contiguous(2, 3), 1, [5, 0], StridedLayout.Contiguous(2, 1)));
        Assert.Contains("index 5 is out of bounds for dim 1 with size 3", ex.Message);
    }

    [Fact]
    public void Scatter_and_scatter_add_write_along_dim_in_row_major_order()
    {
        var rng = new Random(82);
        long[] shape = [4, 5];
        long[] ishape = [3, 5];
        for (int dim = 0; dim < 2; dim++)
        {
            var self = MakeDouble(rng, shape, LayoutKind.ColumnMajor);
            var index = Make(ishape, LayoutKind.Contiguous, n => Enumerable.Range(0, (int)n).Select(_ => (long)rng.Next((int)shape[dim])).ToArray());
            var src = MakeDouble(rng, [3, 6], LayoutKind.PaddedWithOffset);
            var expectedSet = (double[])self.Logical.Clone();
            var expectedAdd = (double[])self.Logical.Clone();
            var expectedVal = (double[])self.Logical.Clone();
            foreach (var o in Indices(ishape))
            {
                long t = Flat(shape, With(o, dim, index.Logical[Flat(ishape, o)]));
                double v = src.Logical[Flat([3, 6], o)];
                expectedSet[t] = v;
                expectedAdd[t] += v;
                expectedVal[t] = 7.5;
            }
            Assert.Equal(expectedSet, Indexing.Scatter(self.Data, self.Layout, dim, index.Data, index.Layout, src.Data, src.Layout).Data);
            AssertClose(expectedAdd, Indexing.ScatterAdd(self.Data, self.Layout, dim, index.Data, index.Layout, src.Data, src.Layout).Data, 1e-14, 1e-14, "scatter_add");
            Assert.Equal(expectedVal, Indexing.Scatter(self.Data, self.Layout, dim, index.Data, index.Layout, 7.5).Data);
        }
    }

    [Fact]
    public void Embedding_gathers_rows_and_names_the_bad_index_and_table_size()
    {
        var rng = new Random(83);
        var w = MakeFloat(rng, [10, 4], LayoutKind.ColumnMajor);
        long[] ids = [3, 0, 9, 3, 1, 2];
        var r = Indexing.Embedding(w.Data, w.Layout, ids, [2, 3]);
        Assert.Equal(new long[] { 2, 3, 4 }, r.Shape);
        for (int i = 0; i < ids.Length; i++)
            for (int j = 0; j < 4; j++) Assert.Equal(w.Logical[ids[i] * 4 + j], r.Data[i * 4 + j]);
        var ex = Assert.Throws<IndexValueException>(() => Indexing.Embedding(w.Data, w.Layout, [1, 10], [2]));
        Assert.Contains("index 10", ex.Message);
        Assert.Contains("V=10", ex.Message);
    }

    [Fact]
    public void Cat_and_stack_join_strided_inputs()
    {
        var rng = new Random(84);
        var a = MakeFloat(rng, [2, 3, 4], LayoutKind.ColumnMajor);
        var b = MakeFloat(rng, [2, 1, 4], LayoutKind.Broadcast);
        var c = MakeFloat(rng, [2, 0, 4], LayoutKind.Contiguous);
        var d = MakeFloat(rng, [2, 2, 4], LayoutKind.Flipped);
        var r = Indexing.Cat([(a.Data, a.Layout), (b.Data, b.Layout), (c.Data, c.Layout), (d.Data, d.Layout), (Array.Empty<float>(), StridedLayout.Contiguous(0))], 1);
        Assert.Equal(new long[] { 2, 6, 4 }, r.Shape);
        foreach (var o in Indices([2, 6, 4]))
        {
            long j = o[1];
            float expected = j < 3 ? a.Logical[Flat([2, 3, 4], o)] : j < 4 ? b.Logical[Flat([2, 1, 4], With(o, 1, 0))] : d.Logical[Flat([2, 2, 4], With(o, 1, j - 4))];
            Assert.Equal(expected, r.Data[Flat([2, 6, 4], o)]);
        }
        var s = Indexing.Stack([(a.Data, a.Layout), (a.Data, a.Layout.Flip(2))], -1);
        Assert.Equal(new long[] { 2, 3, 4, 2 }, s.Shape);
        foreach (var o in Indices([2, 3, 4]))
        {
            Assert.Equal(a.Logical[Flat([2, 3, 4], o)], s.Data[Flat([2, 3, 4], o) * 2]);
            Assert.Equal(a.Logical[Flat([2, 3, 4], With(o, 2, 3 - o[2]))], s.Data[Flat([2, 3, 4], o) * 2 + 1]);
        }
        var ex = Assert.Throws<ArgumentException>(() => Indexing.Cat([(a.Data, a.Layout), (new float[8], StridedLayout.Contiguous(2, 4))], 0));
        Assert.Contains("rank", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Indexing.Cat([(a.Data, a.Layout), (new float[10], StridedLayout.Contiguous(2, 1, 5))], 1));
        Assert.Contains("except at dim 1", ex2.Message);
    }

    [Fact]
    public void IndexPut_sets_or_accumulates_slices_including_repeated_indices()
    {
        var rng = new Random(85);
        var self = MakeDouble(rng, [4, 3, 2], LayoutKind.ColumnMajor);
        long[][] idx = [[0, -1, 0], [2, 1, 2]];
        var values = MakeDouble(rng, [3, 2], LayoutKind.Contiguous);
        var put = Indexing.IndexPut(self.Data, self.Layout, idx, values.Data, values.Layout, accumulate: false);
        var acc = Indexing.IndexPut(self.Data, self.Layout, idx, values.Data, values.Layout, accumulate: true);
        var expectedPut = (double[])self.Logical.Clone();
        var expectedAcc = (double[])self.Logical.Clone();
        for (int l = 0; l < 3; l++)
            for (int k = 0; k < 2; k++)
            {
                long i0 = idx[0][l] < 0 ? idx[0][l] + 4 : idx[0][l];
                long t = (i0 * 3 + idx[1][l]) * 2 + k;
                expectedPut[t] = values.Logical[l * 2 + k];
                expectedAcc[t] += values.Logical[l * 2 + k];
            }
        Assert.Equal(expectedPut, put.Data);
        AssertClose(expectedAcc, acc.Data, 1e-14, 1e-14, "index_put accumulate");
        Assert.Throws<IndexValueException>(() => Indexing.IndexPut(self.Data, self.Layout, [[0, 5]], new double[12], StridedLayout.Contiguous(2, 3, 2), false));
    }

    [Fact]
    public void Flip_and_roll_move_elements_as_torch_does()
    {
        var rng = new Random(86);
        long[] shape = [3, 4, 5];
        var s = MakeFloat(rng, shape, LayoutKind.PaddedWithOffset);
        var f = Indexing.Flip(s.Data, s.Layout, [0, 2]);
        foreach (var o in Indices(shape))
            Assert.Equal(s.Logical[Flat(shape, [2 - o[0], o[1], 4 - o[2]])], f.Data[Flat(shape, o)]);
        var r = Indexing.Roll(s.Data, s.Layout, [1, -7], [1, 2]);
        foreach (var o in Indices(shape))
            Assert.Equal(s.Logical[Flat(shape, [o[0], ((o[1] - 1) % 4 + 4) % 4, ((o[2] + 7) % 5 + 5) % 5])], r.Data[Flat(shape, o)]);
        var flat = Indexing.Roll(s.Data, s.Layout, [2], []);
        for (int i = 0; i < 60; i++) Assert.Equal(s.Logical[((i - 2) % 60 + 60) % 60], flat.Data[i]);
    }

    [Fact]
    public void Tril_and_triu_keep_the_diagonal_band()
    {
        var rng = new Random(87);
        long[] shape = [2, 4, 6];
        var s = MakeDouble(rng, shape, LayoutKind.ColumnMajor);
        foreach (long diag in new long[] { -5, -1, 0, 2, 7 })
        {
            var lo = Indexing.Tril(s.Data, s.Layout, diag);
            var up = Indexing.Triu(s.Data, s.Layout, diag);
            foreach (var o in Indices(shape))
            {
                long f = Flat(shape, o);
                Assert.Equal(o[2] - o[1] <= diag ? s.Logical[f] : 0, lo.Data[f]);
                Assert.Equal(o[2] - o[1] >= diag ? s.Logical[f] : 0, up.Data[f]);
            }
        }
    }

    [Fact]
    public void Cumsum_accumulates_along_any_dim()
    {
        var rng = new Random(88);
        foreach (var shape in new long[][] { [0], [1], [17], [3, 5], [2, 3, 4] })
            for (int dim = 0; dim < shape.Length; dim++)
                foreach (var kind in AllKinds)
                {
                    var s = MakeFloat(rng, shape, kind);
                    var r = Indexing.Cumsum(s.Data, s.Layout, dim);
                    var expected = new double[s.Logical.Length];
                    foreach (var o in Indices(shape))
                    {
                        double acc = 0;
                        for (long i = 0; i <= o[dim]; i++) acc += s.Logical[Flat(shape, With(o, dim, i))];
                        expected[Flat(shape, o)] = acc;
                    }
                    AssertClose(expected, r.Data, 1e-6, 1e-6, $"cumsum {ShapeMath.Format(shape)} dim {dim} {kind}");
                    var li = Indexing.Cumsum(s.Logical.Select(v => (long)(v * 10)).ToArray(), StridedLayout.Contiguous(shape), dim);
                    foreach (var o in Indices(shape))
                    {
                        long acc = 0;
                        for (long i = 0; i <= o[dim]; i++) acc += (long)(s.Logical[Flat(shape, With(o, dim, i))] * 10);
                        Assert.Equal(acc, li.Data[Flat(shape, o)]);
                    }
                }
    }

    [Fact]
    public void Sort_is_stable_puts_nan_last_ascending_and_topk_takes_the_extremes()
    {
        var rng = new Random(89);
        long[] shape = [3, 9, 2];
        var s = Make(shape, LayoutKind.ColumnMajor, n => Enumerable.Range(0, (int)n).Select(i => i % 11 == 5 ? double.NaN : rng.Next(0, 4)).ToArray());
        foreach (bool desc in new[] { false, true })
        {
            var (vals, idx) = Indexing.Sort(s.Data, s.Layout, 1, desc);
            Assert.Equal(shape, vals.Shape);
            foreach (var o in Indices([3, 1, 2]))
            {
                var row = Enumerable.Range(0, 9).Select(i => (V: s.Logical[Flat(shape, With(o, 1, i))], I: (long)i)).ToList();
                // NaN ranks above everything; ties keep input order in both directions.
                double Key(double v) => double.IsNaN(v) ? double.PositiveInfinity : v;
                var expected = desc ? row.OrderByDescending(t => Key(t.V)).ThenBy(t => t.I).ToList() : row.OrderBy(t => Key(t.V)).ThenBy(t => t.I).ToList();
                for (int i = 0; i < 9; i++)
                {
                    long f = Flat(shape, With(o, 1, i));
                    Assert.Equal(expected[i].I, idx.Data[f]);
                    Assert.Equal(expected[i].V, vals.Data[f]);
                }
            }
        }
        var (tv, ti) = Indexing.Topk(s.Data, s.Layout, 3, -2, largest: false);
        Assert.Equal(new long[] { 3, 3, 2 }, tv.Shape);
        var (sv, si) = Indexing.Sort(s.Data, s.Layout, 1, false);
        foreach (var o in Indices([3, 3, 2]))
        {
            Assert.Equal(sv.Data[Flat(shape, o)], tv.Data[Flat([3, 3, 2], o)]);
            Assert.Equal(si.Data[Flat(shape, o)], ti.Data[Flat([3, 3, 2], o)]);
        }
        Assert.Throws<ArgumentException>(() => Indexing.Topk(s.Data, s.Layout, 10, 1, true));
    }

    [Fact]
    public void Arange_and_linspace_follow_torch_lengths_and_endpoints()
    {
        Assert.Equal(new long[] { 0, 3, 6, 9 }, Indexing.Arange(0L, 10L, 3L));
        Assert.Equal(new long[] { 5, 3, 1 }, Indexing.Arange(5L, 0L, -2L));
        Assert.Empty(Indexing.Arange(3L, 3L, 1L));
        var f = Indexing.Arange<float>(0, 1, 0.1);
        Assert.Equal(10, f.Length);
        for (int i = 0; i < f.Length; i++) Assert.Equal((float)(0.1 * i), f[i]);
        Assert.Equal(3, Indexing.Arange<double>(1, 2.5, 0.5).Length);
        var ex = Assert.Throws<ArgumentException>(() => Indexing.Arange(0L, 10L, -1L));
        Assert.Contains("step", ex.Message);
        Assert.Throws<ArgumentException>(() => Indexing.Arange<double>(0, 1, 0));
        var l = Indexing.Linspace<float>(-1, 2, 7);
        Assert.Equal(-1f, l[0]);
        Assert.Equal(2f, l[^1]);
        float step = 3f / 6;
        for (int i = 0; i < 7; i++) Assert.Equal(i < 3 ? -1f + step * i : 2f - step * (6 - i), l[i]);
        Assert.Equal(new[] { 5.0 }, Indexing.Linspace<double>(5, 9, 1));
        Assert.Empty(Indexing.Linspace<double>(5, 9, 0));
    }
}

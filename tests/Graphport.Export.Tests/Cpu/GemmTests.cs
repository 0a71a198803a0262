using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

public class GemmTests
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C in double, straight from the definition.</summary>
    private static double[] Reference(bool ta, bool tb, int m, int n, int k, double alpha, double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
    {
        var r = (double[])c.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                r[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]);
            }
        return r;
    }

    public static TheoryData<int, int, int> Sizes => new()
    {
        { 0, 5, 3 }, { 4, 0, 3 }, { 3, 4, 0 }, { 1, 1, 1 }, { 1, 37, 5 }, { 17, 1, 9 }, { 7, 9, 300 },
        { 33, 65, 17 }, { 130, 70, 260 }, { 9, 300, 31 }, { 2, 400, 300 }, { 300, 3, 200 }, { 4, 4, 1000 }, { 5, 5, 5 },
        // Few rows read B's full panels in place: several k blocks and a ragged last panel; two column blocks; just
        // past the row limit, where B is packed again.
        { 24, 200, 600 }, { 96, 4100, 40 }, { 97, 64, 300 },
        // Every row count a last, ragged panel of A can have (kernels of 1 to 7 rows with AVX-512's 8-row panels, of 1
        // to 5 with AVX2's 6-row ones), read in place or packed (transposed or scaled A).
        { 10, 70, 40 }, { 11, 70, 40 }, { 12, 70, 40 }, { 13, 70, 40 }, { 14, 70, 40 },
        // Up to four rows with their sums in registers: three k blocks, a last pair of column vectors part full.
        { 3, 35, 520 },
        // The same with whole 64-column blocks of 512-bit vectors first (AVX-512), then pairs, then a ragged pair.
        { 2, 150, 70 }, { 4, 200, 300 },
        // One row streamed through B's rows: two stripes, the second ragged; three k blocks, the last not a multiple of 4.
        { 1, 1030, 515 },
    };

    [Theory]
    [InlineData(256, 5)]
    [InlineData(300, 70)]
    [InlineData(400, 129)]
    [InlineData(512, 128)]
    [InlineData(1030, 515)]
    [InlineData(2100, 300)]
    public void A_single_row_streamed_through_b_gives_the_numbers_of_the_same_row_among_several(int n, int k)
    {
        // One row takes its own path (a matrix-vector product, an LSTM step); two rows the column pairs'. Each column's
        // sum runs over k in the same order either way, so the row's numbers must agree to the bit: for whole register
        // blocks of columns, part-full blocks (300 and 400 columns) and single columns, with A's row read in place
        // (alpha one) or scaled, stored as a row or as a column.
        foreach (float alpha in new[] { 0.75f, 1f })
            foreach (bool transA in new[] { false, true })
            {
                var random = new Random(n + k);
                var a = Floats(random, 2 * k);  // two rows of k, or (transposed) k rows of two
                var b = Floats(random, k * n);
                var one = Floats(random, n);
                var two = new float[2 * n];
                one.CopyTo(two, 0);
                Gemm.Compute(transA, false, 1, n, k, alpha, a, transA ? 2 : k, b, n, 0.5f, one, n, "one row");
                Gemm.Compute(transA, false, 2, n, k, alpha, a, transA ? 2 : k, b, n, 0.5f, two, n, "two rows");
                Assert.True(two.AsSpan(0, n).SequenceEqual(one), $"alpha {alpha}, transA {transA}: the row differs from the same row among two");
            }
    }

    [Theory]
    [InlineData(1, 512, 128)]
    [InlineData(3, 256, 387)]
    [InlineData(4, 130, 192)]
    public unsafe void Few_rows_split_while_the_workers_spin_give_the_numbers_of_the_unsplit_product(int m, int n, int k)
    {
        if (Environment.ProcessorCount < 2) return;
        // An LSTM step (a row of 128 against 128 × 512) or a small convolution's product (a few positions) is too small
        // to split unless the workers still spin from the last parallel op; whether they do depends on timing, so the
        // split must not change a bit. Right after a parallel op they spin; other tests' ops may hold them, so try
        // until a split happens.
        var random = new Random(Environment.TickCount);
        var a = Floats(random, m * k);
        var b = Floats(random, k * n);
        var unsplit = new float[m * n];
        fixed (float* pa = a, pb = b, pc = unsplit)
            Gemm.Core(false, false, m, n, k, 1f, pa, k, pb, n, 0f, pc, n, allowParallel: false);
        long before = CpuParallel.AwakeSplitsOnThisThread;
        for (int attempt = 0; attempt < 2000 && CpuParallel.AwakeSplitsOnThisThread == before; attempt++)
        {
            CpuParallel.For(Environment.ProcessorCount, CpuParallel.MinParallelWork, (_, _) => { });
            var split = new float[m * n];
            Gemm.Compute(false, false, m, n, k, 1f, a, k, b, n, 0f, split, n, "few rows");
            Assert.True(unsplit.AsSpan().SequenceEqual(split), $"attempt {attempt}: the product differs from the unsplit one");
        }
        Assert.True(CpuParallel.AwakeSplitsOnThisThread > before, "no product split in 2000 tries right after a parallel op");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Sgemm_matches_the_definition_for_all_transpose_flags_alpha_beta_and_padded_leading_dims(int m, int n, int k)
    {
        var rng = new Random(m * 1000 + n * 10 + k);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (var (alpha, beta) in new[] { (1.0, 0.0), (0.5, 1.0), (-2.0, 0.25) })
                {
                    int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
                    var a = Doubles(rng, (ta ? k : m) * lda + 1);
                    var b = Doubles(rng, (tb ? n : k) * ldb + 1);
                    var c = Doubles(rng, m * ldc + 1);
                    var expected = Reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                    var cf = c.Select(v => (float)v).ToArray();
                    var af = a.Select(v => (float)v).ToArray();
                    var bf = b.Select(v => (float)v).ToArray();
                    var expectedF = Reference(ta, tb, m, n, k, alpha, af.Select(v => (double)v).ToArray(), lda, bf.Select(v => (double)v).ToArray(), ldb, beta, cf.Select(v => (double)v).ToArray(), ldc);
                    Gemm.Sgemm(ta, tb, m, n, k, (float)alpha, af, lda, bf, ldb, (float)beta, cf, ldc);
                    AssertClose(expectedF, cf, 1e-5, 1e-5 * Math.Sqrt(k + 1) * 3, $"sgemm {m}x{n}x{k} tA={ta} tB={tb} alpha={alpha} beta={beta}");
                    var cd = (double[])c.Clone();
                    Gemm.Dgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, cd, ldc);
                    AssertClose(expected, cd, 1e-12, 1e-12 * (k + 1), $"dgemm {m}x{n}x{k} tA={ta} tB={tb}");
                }
    }

    // B packed once (a frozen module's weights) gives the very numbers of packing it on every call: the same kernels
    // in the same order, or, for small and skinny problems, the original B.
    [Theory]
    [MemberData(nameof(Sizes))]
    [InlineData(128, 384, 384)]
    [InlineData(64, 4200, 300)]
    public void A_product_with_b_packed_once_gives_exactly_the_numbers_of_packing_it_every_call(int m, int n, int k)
    {
        var rng = new Random(m * 7919 + n * 31 + k);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (var (alpha, beta) in new[] { (1f, 0f), (0.5f, 1f), (-2f, 0.25f) })
                {
                    int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2, offset = 5;
                    var a = Doubles(rng, (ta ? k : m) * lda + 1).Select(v => (float)v).ToArray();
                    var b = Doubles(rng, offset + (tb ? n : k) * ldb + 1).Select(v => (float)v).ToArray();
                    var c = Doubles(rng, m * ldc + 1).Select(v => (float)v).ToArray();
                    var expected = (float[])c.Clone();
                    Gemm.Sgemm(ta, tb, m, n, k, alpha, a, lda, b.AsSpan(offset), ldb, beta, expected, ldc);

                    var packed = Gemm.Pack(tb, k, n, b, offset, ldb);
                    for (int call = 0; call < 2; call++)
                    {
                        var actual = (float[])c.Clone();
                        Gemm.ComputePacked(ta, m, alpha, a, lda, packed, beta, actual, ldc);
                        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{m}x{n}x{k} tA={ta} tB={tb} alpha={alpha} beta={beta}, call {call}");
                    }
                    Assert.Equal((k, n), (packed.K, packed.N));
                }
    }

    // With beta = 0, C's old contents are never read: kernels write products into buffers reused from earlier calls
    // without zeroing them first, and a NaN or infinity left there must not show (0 · NaN is NaN). Every route: GEMV
    // shapes, tiny ones, blocked ones with ragged edges, k = 0, and one matrix per task of a batch.
    [Theory]
    [InlineData(1, 70, 50)]
    [InlineData(3, 5, 4)]
    [InlineData(37, 45, 300)]
    [InlineData(130, 101, 17)]
    [InlineData(9, 12, 0)]
    public void With_beta_zero_whatever_c_held_before_is_overwritten(int m, int n, int k)
    {
        var rng = new Random(m * 7 + n * 3 + k);
        var a = Doubles(rng, m * k).Select(v => (float)v).ToArray();
        var b = Doubles(rng, k * n).Select(v => (float)v).ToArray();
        var expected = Reference(false, false, m, n, k, 1, [.. a.Select(v => (double)v)], Math.Max(k, 1), [.. b.Select(v => (double)v)], Math.Max(n, 1), 0, new double[m * n], Math.Max(n, 1));
        float[] Garbage(int length) => Enumerable.Range(0, length).Select(i => (i % 3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => -1e30f }).ToArray();

        var c = Garbage(m * n);
        Gemm.Compute(false, false, m, n, k, 1f, a, Math.Max(k, 1), b, Math.Max(n, 1), 0f, c, Math.Max(n, 1));
        AssertClose(expected, c.Select(v => (double)v).ToArray(), 1e-5, 1e-5 * (k + 1), $"{m}x{n}x{k}");

        const int batch = 3;
        var batched = Garbage(batch * m * n);
        Gemm.Batched(false, false, batch, m, n, k, 1f, a, 0, Math.Max(k, 1), b, 0, Math.Max(n, 1), 0f, batched, (long)m * n, Math.Max(n, 1));
        for (int t = 0; t < batch; t++)
            AssertClose(expected, batched.AsSpan(t * m * n, m * n).ToArray().Select(v => (double)v).ToArray(), 1e-5, 1e-5 * (k + 1), $"{m}x{n}x{k}, batch item {t}");
    }

    // B packed in shallower k blocks than the product's own (a small convolution map's weight): the product within
    // rounding, for every depth and shape of the last block, and a depth that is no depth is refused.
    [Theory]
    [InlineData(49, 64, 600, 96)]
    [InlineData(7, 40, 250, 32)]
    [InlineData(3, 33, 95, 96)]
    public void A_product_with_b_packed_in_shallower_blocks_gives_the_product(int m, int n, int k, int depth)
    {
        var rng = new Random(m + n + k + depth);
        var a = Doubles(rng, m * k).Select(v => (float)v).ToArray();
        var b = Doubles(rng, k * n).Select(v => (float)v).ToArray();
        var expected = Reference(false, false, m, n, k, 1, [.. a.Select(v => (double)v)], Math.Max(k, 1), [.. b.Select(v => (double)v)], Math.Max(n, 1), 0, new double[m * n], Math.Max(n, 1));
        var packed = Gemm.Pack(false, k, n, b, 0, n, depth);
        var c = new float[m * n];
        Gemm.ComputePacked(false, m, 1f, a, k, packed, 0f, c, n);
        AssertClose(expected, c.Select(v => (double)v).ToArray(), 1e-5, 1e-5 * k, $"{m}x{n}x{k} in blocks of {depth}");
        Assert.Contains("depth = 0", Assert.Throws<ArgumentException>(() => Gemm.Pack(false, k, n, b, 0, n, 0)).Message);
    }

    // B given by the addresses of its rows (a convolution's input planes at each tap's shift): rows scattered through
    // one array in any order, read from a column offset; few rows of A read B in place, more pack it from the rows.
    // With a bias per row (a convolution's per channel), C is written over as A·B plus the row's bias; B is read in
    // place even for many rows when asked (a convolution with several taps).
    [Theory]
    [InlineData(24, 200, 600, 0.0f, false, false)]
    [InlineData(96, 70, 31, 1.0f, false, false)]
    [InlineData(130, 101, 300, 0.5f, false, false)]
    [InlineData(3, 40, 9, 0.0f, false, false)]
    [InlineData(24, 200, 600, 0.0f, true, false)]
    [InlineData(130, 101, 300, 0.0f, true, false)]
    [InlineData(3, 40, 9, 0.0f, true, false)]
    [InlineData(130, 101, 300, 0.0f, true, true)]
    [InlineData(200, 64, 40, 1.0f, false, true)]
    public unsafe void A_product_reads_b_through_a_table_of_row_addresses(int m, int n, int k, float beta, bool withBias, bool inPlace)
    {
        var rng = new Random(m * 31 + n * 7 + k);
        const int column = 5, rowLength = 260;
        var a = Doubles(rng, m * (k + 2)).Select(v => (float)v).ToArray();
        var storage = Doubles(rng, k * rowLength).Select(v => (float)v).ToArray();
        // Row p of B lives at a shuffled slot of storage, starting at column 5 of that slot.
        var slots = Enumerable.Range(0, k).OrderBy(_ => rng.Next()).ToArray();
        var c = Doubles(rng, m * (n + 3)).Select(v => (float)v).ToArray();
        // NaN where C is written over: beta = 0 must not read it.
        if (beta == 0)
            for (int i = 0; i < m; i++) c[i * (n + 3)] = float.NaN;
        var bias = Doubles(rng, m).Select(v => (float)v).ToArray();
        var expected = new double[c.Length];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n + 3; j++)
            {
                double sum = 0;
                if (j < n)
                    for (int p = 0; p < k; p++) sum += (double)a[i * (k + 2) + p] * storage[slots[p] * rowLength + column + j];
                double start = withBias ? bias[i] : beta == 0 ? 0 : beta * c[i * (n + 3) + j];
                expected[i * (n + 3) + j] = j < n ? sum + start : c[i * (n + 3) + j];
            }
        fixed (float* pa = a)
        fixed (float* ps = storage)
        fixed (float* pc = c)
        fixed (float* pbias = bias)
        {
            var rows = new nint[k];
            for (int p = 0; p < k; p++) rows[p] = (nint)(ps + (long)slots[p] * rowLength);
            fixed (nint* pr = rows)
                Gemm.CoreRows(m, n, k, pa, k + 2, (float**)pr, column, beta, pc, n + 3, allowParallel: true, rowBias: withBias ? pbias : null, inPlace: inPlace);
        }
        AssertClose(expected, c.Select(v => (double)v).ToArray(), 1e-5, 1e-5 * Math.Sqrt(k + 1) * 3, $"{m}x{n}x{k} beta={beta} bias={withBias} in place={inPlace}");
    }

    [Fact]
    public void Packing_a_b_too_short_for_its_sizes_names_the_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.Pack(false, 10, 8, new float[50], 0, 8));
        Assert.Contains("Gemm.Pack: b has 50 elements but a 10×8 matrix with ldb = 8 needs 80", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Beta_zero_overwrites_nan_in_c_as_blas_does()
    {
        var c = new float[4] { float.NaN, float.NaN, float.NaN, float.NaN };
        Gemm.Sgemm(false, false, 2, 2, 1, 1f, new float[] { 1, 2 }, 1, new float[] { 3, 4 }, 2, 0f, c, 2);
        Assert.Equal(new float[] { 3, 4, 6, 8 }, c);
    }

    [Fact]
    public void Large_parallel_product_matches_the_definition()
    {
        var rng = new Random(40);
        int m = 300, n = 257, k = 520;
        var a = Floats(rng, m * k);
        var b = Floats(rng, k * n);
        var c = new float[m * n];
        Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
        var ad = a.Select(v => (double)v).ToArray();
        var bd = b.Select(v => (double)v).ToArray();
        for (int t = 0; t < 400; t++)
        {
            int i = rng.Next(m), j = rng.Next(n);
            double s = 0;
            for (int p = 0; p < k; p++) s += ad[i * k + p] * bd[p * n + j];
            AssertClose(s, c[i * n + j], 1e-5, 1e-4, "large sgemm", i * n + j);
        }
    }

    [Fact]
    public void Batched_handles_batch_strides_including_zero_for_a_broadcast_operand()
    {
        var rng = new Random(41);
        int batch = 5, m = 6, n = 7, k = 9;
        var a = Doubles(rng, batch * m * k);
        var b = Doubles(rng, k * n);
        var c = new double[batch * m * n];
        Gemm.Batched(false, false, batch, m, n, k, 1.0, a, m * k, k, b, 0, n, 0.0, c, m * n, n);
        for (int t = 0; t < batch; t++)
        {
            var expected = Reference(false, false, m, n, k, 1, a[(t * m * k)..((t + 1) * m * k)], k, b, n, 0, new double[m * n], n);
            AssertClose(expected, c.AsSpan(t * m * n, m * n), 1e-12, 1e-12, $"batch {t}");
        }
        var cf = new float[batch * m * n];
        var af = a.Select(v => (float)v).ToArray();
        var bt = Floats(rng, batch * n * k);
        Gemm.Batched(false, true, batch, m, n, k, 2f, af, m * k, k, bt, n * k, k, 0f, cf, m * n, n);
        for (int t = 0; t < batch; t++)
        {
            var expected = Reference(false, true, m, n, k, 2, af[(t * m * k)..((t + 1) * m * k)].Select(v => (double)v).ToArray(), k,
                bt[(t * n * k)..((t + 1) * n * k)].Select(v => (double)v).ToArray(), k, 0, new double[m * n], n);
            AssertClose(expected, cf.AsSpan(t * m * n, m * n), 1e-5, 1e-5, $"batch {t} float transB");
        }
    }

    [Fact]
    public void Arguments_are_validated_with_names_values_and_expectations()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 3, 4, 1f, new float[8], 3, new float[12], 3, 0f, new float[6], 3));
        Assert.Contains("lda = 3", ex.Message);
        Assert.Contains("expected lda >= 4", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 3, 4, 1f, new float[7], 4, new float[12], 3, 0f, new float[6], 3));
        Assert.Contains("a has 7 elements", ex2.Message);
        var ex3 = Assert.Throws<ArgumentException>(() => Gemm.Batched(false, false, 2, 2, 2, 2, 1f, new float[8], 4, 2, new float[8], 4, 2, 0f, new float[8], 0, 2));
        Assert.Contains("strideC", ex3.Message);
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, -1, 3, 4, 1f, new float[8], 4, new float[12], 3, 0f, new float[6], 3));
    }
}

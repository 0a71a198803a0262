namespace Graphport.Tests.Operators;

/// <summary>
/// Grouped matrix products (torch.nn.functional.grouped_mm and the custom op transformers records for float32
/// mixtures of experts): on random inputs with random group sizes, empty groups included, each group's rows (columns,
/// inner positions) are that group's product, positions past the last end are zero, the decomposition to core ops
/// gives the kernel's values without one group's NaN reaching another, and bad offsets are refused. (Torch's own
/// outputs: Interop/TorchFunctionArchivesTests, grouped_products; whole Mixtral, Qwen-MoE and OLMoE models:
/// Interop/TransformersArchivesTests.)
/// </summary>
public class GroupedMmTests
{
    private static readonly Graphport.Operators.OpOverload Fallback = Torch.Ops["transformers::grouped_mm_fallback"];

    /// <summary>Random cumulative ends of <paramref name="groups"/> groups over <paramref name="total"/> positions (some groups empty), as int32.</summary>
    private static (Tensor Offs, int[] Ends) RandomEnds(Random random, int groups, int total, int covered)
    {
        var cuts = Enumerable.Range(0, groups - 1).Select(_ => random.Next(0, covered + 1)).Order().Append(covered).ToArray();
        Assert.True(cuts[^1] <= total);
        return (Tensor.FromArray(cuts, groups), cuts);
    }

    private static float[] Product(float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb, int m, int k, int n)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += a[aOffset + i * lda + p] * b[bOffset + p * ldb + j];
                c[i * n + j] = (float)sum;
            }
        return c;
    }

    private static void Close(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"element {i}: {actual[i]}, expected {expected[i]}");
    }

    [Theory]
    [InlineData(61)]
    [InlineData(62)]
    [InlineData(63)]
    public void Rows_of_each_group_are_multiplied_by_its_matrix_and_rows_past_the_last_end_are_zero(int seed)
    {
        var random = new Random(seed);
        Torch.ManualSeed((ulong)seed);
        int rows = 17, k = 8, n = 12, groups = 5;
        var x = Torch.Randn(rows, k);
        var w = Torch.Randn(groups, k, n);
        var (offs, ends) = RandomEnds(random, groups, rows, covered: rows - 2);

        var grouped = Torch.GroupedMm(x, w, offs).ToArray<float>();
        var fallback = ((Tensor)Fallback.Call(x, w, offs.To(DType.Int64))!).ToArray<float>();

        var xs = x.ToArray<float>();
        var ws = w.ToArray<float>();
        var expected = new float[rows * n];
        int start = 0;
        for (int g = 0; g < groups; g++)
        {
            Product(xs, start * k, k, ws, g * k * n, n, ends[g] - start, k, n).CopyTo(expected, start * n);
            start = ends[g];
        }
        Close(expected, grouped);
        Assert.Equal(grouped, fallback);
        Assert.All(grouped[(ends[^1] * n)..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Three_by_two_groups_output_columns_two_by_two_groups_the_inner_dimension_and_three_by_three_is_bmm()
    {
        var random = new Random(64);
        Torch.ManualSeed(64);
        int groups = 4, m = 5, k = 6, n = 10;
        var a3 = Torch.Randn(groups, m, k);
        var b2 = Torch.Randn(k, n);
        var (columnEnds, cols) = RandomEnds(random, groups, n, covered: n);
        var columns = Torch.GroupedMm(a3, b2, columnEnds).ToArray<float>();
        var a3s = a3.ToArray<float>();
        var b2s = b2.ToArray<float>();
        var expected = new float[m * n];
        int start = 0;
        for (int g = 0; g < groups; g++)
        {
            var part = Product(a3s, g * m * k, k, b2s, start, n, m, k, cols[g] - start);
            for (int i = 0; i < m; i++)
                for (int j = start; j < cols[g]; j++) expected[i * n + j] = part[i * (cols[g] - start) + (j - start)];
            start = cols[g];
        }
        Close(expected, columns);

        var a2 = Torch.Randn(m, n);
        var b = Torch.Randn(n, k);
        var inner = Torch.GroupedMm(a2, b, columnEnds);
        Assert.Equal([(long)groups, m, k], inner.Shape.Select(s => (long)s));
        var a2s = a2.ToArray<float>();
        var bs = b.ToArray<float>();
        start = 0;
        var innerValues = inner.ToArray<float>();
        for (int g = 0; g < groups; g++)
        {
            Close(Product(a2s, start, n, bs, start * k, k, m, cols[g] - start, k), innerValues[(g * m * k)..((g + 1) * m * k)]);
            start = cols[g];
        }

        var w = Torch.Randn(groups, k, 3);
        Close(a3.Bmm(w).ToArray<float>(), Torch.GroupedMm(a3, w).ToArray<float>());
    }

    [Fact]
    public void The_core_decomposition_gives_the_kernels_values_and_keeps_each_groups_NaN_to_itself()
    {
        Torch.ManualSeed(65);
        // A NaN in the first row: the decomposition multiplies it by every group's weight, but only its own row may show it.
        var values = Torch.Randn(9, 4).ToArray<float>();
        values[1] = float.NaN;
        var x = Tensor.FromArray(values, 9, 4);
        var w = Torch.Randn(3, 4, 5);
        var a3 = Torch.Randn(3, 2, 4);
        var b2 = Torch.Randn(4, 8);
        var offs = Tensor.FromArray(new[] { 2, 2, 7 }, 3);
        var columnOffs = Tensor.FromArray(new[] { 3, 5, 8 }, 3);
        Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor[]> products = (x, w, offs, a3, b2, columnOffs) =>
            [Torch.GroupedMm(x, w, offs), Torch.GroupedMm(a3, b2, columnOffs), Torch.GroupedMm(b2.T(), b2, columnOffs), Torch.GroupedMm(a3, w)];
        var program = Torch.Export(products, [x, w, offs, a3, b2, columnOffs]);
        var core = program.RunDecompositions();

        Assert.DoesNotContain(core.Graph.Nodes, n => n.Op?.Name == "aten::_grouped_mm");
        var fromKernel = (object?[])program.Module().Invoke(x, w, offs, a3, b2, columnOffs)!;
        var fromCore = (object?[])core.Module().Invoke(x, w, offs, a3, b2, columnOffs)!;
        for (int i = 0; i < fromKernel.Length; i++)
        {
            var kernel = ((Tensor)fromKernel[i]!).ToArray<float>();
            var decomposed = ((Tensor)fromCore[i]!).ToArray<float>();
            for (int j = 0; j < kernel.Length; j++)
                Assert.True(float.IsNaN(kernel[j]) ? float.IsNaN(decomposed[j]) : Math.Abs(kernel[j] - decomposed[j]) <= 1e-5 * (1 + Math.Abs(kernel[j])),
                    $"output {i} element {j}: {decomposed[j]} decomposed, {kernel[j]} from the kernel");
        }
        var rowsOut = ((Tensor)fromCore[0]!).ToArray<float>();
        Assert.All(rowsOut[..5], v => Assert.True(float.IsNaN(v)));
        Assert.All(rowsOut[5..], v => Assert.False(float.IsNaN(v)));
        Assert.All(rowsOut[35..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Decreasing_ends_offsets_of_another_dtype_and_mismatched_operands_are_refused()
    {
        var x = Torch.Randn(6, 4);
        var w = Torch.Randn(3, 4, 5);

        Assert.Contains("non-negative and never decreasing, but got [4, 2, 6]",
            Assert.Throws<ArgumentException>(() => Torch.GroupedMm(x, w, Tensor.FromArray(new[] { 4, 2, 6 }, 3))).Message);
        Assert.Contains("Offsets have to be int32, got Long",
            Assert.Throws<ArgumentException>(() => Torch.GroupedMm(x, w, Tensor.FromArray(new long[] { 2, 4, 6 }, 3))).Message);
        Assert.Contains("Have to provide offsets if there is a 2d matrix", Assert.Throws<ArgumentException>(() => Torch.GroupedMm(x, w)).Message);
        Assert.Contains("contraction dimension of mat_a and mat_b must match",
            Assert.Throws<ArgumentException>(() => Torch.GroupedMm(Torch.Randn(6, 3), w, Tensor.FromArray(new[] { 2, 4, 6 }, 3))).Message);
        Assert.Contains("offs has 2 group ends for the 3 matrices of mat_b",
            Assert.Throws<ArgumentException>(() => Torch.GroupedMm(x, w, Tensor.FromArray(new[] { 2, 6 }, 2))).Message);
        Assert.Contains("input_dim mismatch: input has 3, weight has 4",
            Assert.Throws<ArgumentException>(() => Fallback.Call(Torch.Randn(6, 3), w, Tensor.FromArray(new[] { 2, 4, 6 }, 3))).Message);
    }
}

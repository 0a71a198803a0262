using static Graphport.Torch;

namespace Graphport.Tests.TensorApi;

/// <summary>
/// x[idx], x[.., idx], x[mask] and their assignments, as torch's Python indexing: index tensors pick elements (a copy,
/// aten::index.Tensor) after ints, slices and new axes are applied as views, and assignment writes at the picked
/// positions (index_put_). Values against loops over random data; the mixed cases' shapes are what torch computes.
/// </summary>
public class AdvancedIndexingTests
{
    private static Tensor Longs(long[] values, params long[] shape) => Tensor.FromArray(values, shape.Length == 0 ? [values.Length] : shape);

    private static long[] RandomPositions(Random rng, int count, long size) =>
        Enumerable.Range(0, count).Select(_ => (long)rng.Next(-(int)size, (int)size)).ToArray();

    private static long Wrap(long i, long size) => i < 0 ? i + size : i;

    private static void AssertValues(float[] expected, long[] shape, Tensor actual, int seed)
    {
        Assert.True(shape.SequenceEqual(actual.Shape.Select(s => (long)s)), $"seed {seed}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", shape)}]");
        var got = actual.ToArray<float>();
        for (int n = 0; n < expected.Length; n++)
            Assert.True(expected[n] == got[n], $"seed {seed}: element {n} is {got[n]}, expected {expected[n]}");
    }

    [Fact]
    public void An_index_tensor_picks_whole_slices_along_its_dim_with_negative_positions_from_the_end()
    {
        int seed = Environment.TickCount & int.MaxValue;
        var rng = new Random(seed);
        ManualSeed((ulong)seed);
        var x = Randn(5, 4, 3);
        var xs = x.ToArray<float>();
        var rows = RandomPositions(rng, 6, 5);
        var columns = RandomPositions(rng, 4, 4);

        var picked = x[Longs(rows, 2, 3)];
        var expected = new float[6 * 4 * 3];
        for (int n = 0; n < 6; n++)
            for (int j = 0; j < 12; j++) expected[n * 12 + j] = xs[Wrap(rows[n], 5) * 12 + j];
        AssertValues(expected, [2, 3, 4, 3], picked, seed);

        var byColumn = x[.., Longs(columns)];
        expected = new float[5 * 4 * 3];
        for (int a = 0; a < 5; a++)
            for (int n = 0; n < 4; n++)
                for (int k = 0; k < 3; k++) expected[(a * 4 + n) * 3 + k] = xs[(a * 4 + Wrap(columns[n], 4)) * 3 + k];
        AssertValues(expected, [5, 4, 3], byColumn, seed);
    }

    [Fact]
    public void Index_tensors_broadcast_together_in_place_when_adjacent_and_to_the_front_when_apart()
    {
        int seed = Environment.TickCount & int.MaxValue;
        var rng = new Random(seed);
        ManualSeed((ulong)seed);
        var x = Randn(5, 4, 3);
        var xs = x.ToArray<float>();
        var i = RandomPositions(rng, 3, 4);
        var j = RandomPositions(rng, 3, 3);
        var first = RandomPositions(rng, 3, 5);

        // x[:, i, j]: the two indexed dims are replaced where they stand by the broadcast shape [3].
        var adjacent = x[.., Longs(i), Longs(j)];
        var expected = new float[5 * 3];
        for (int a = 0; a < 5; a++)
            for (int n = 0; n < 3; n++) expected[a * 3 + n] = xs[(a * 4 + Wrap(i[n], 4)) * 3 + Wrap(j[n], 3)];
        AssertValues(expected, [5, 3], adjacent, seed);

        // x[first, :, j[:1]]: a slice between them, so the broadcast shape [3] leads.
        var apart = x[Longs(first), .., Longs(j[..1])];
        expected = new float[3 * 4];
        for (int n = 0; n < 3; n++)
            for (int m = 0; m < 4; m++) expected[n * 4 + m] = xs[(Wrap(first[n], 5) * 4 + m) * 3 + Wrap(j[0], 3)];
        AssertValues(expected, [3, 4], apart, seed);
    }

    [Fact]
    public void A_mask_picks_its_true_positions_in_order_over_as_many_dims_as_it_has()
    {
        int seed = Environment.TickCount & int.MaxValue;
        ManualSeed((ulong)seed);
        var x = Randn(5, 4, 3);
        var xs = x.ToArray<float>();
        var mask = Rand(5, 4) > 0.5;
        var ms = mask.ToArray<bool>();
        var expected = new List<float>();
        for (int p = 0; p < 20; p++)
            if (ms[p]) expected.AddRange(xs.AsSpan(p * 3, 3).ToArray());
        AssertValues([.. expected], [expected.Count / 3, 3], x[mask], seed);

        var positive = x[x > 0.0];
        AssertValues([.. xs.Where(v => v > 0)], [xs.Count(v => v > 0)], positive, seed);
    }

    [Fact]
    public void Ints_slices_and_new_axes_apply_first_as_torch_applies_them()
    {
        var x = Arange(2 * 3 * 4 * 5).Reshape(2, 3, 4, 5);
        var idx = Longs([1, 0]);
        var mask = Tensor.FromArray(new[] { true, false, true, false, true, true }, 2, 3);

        // What torch 2.14 gives for the same expressions (x[:, idx, :, 1] and so on).
        // NumPy would move the picked dim first here ([6, 2, 4]): it counts the int as an index array apart from idx.
        Assert.Equal([2L, 6, 4], x[.., Longs([0, 1, 2, 0, 1, 2]), .., 1].Shape.Select(s => (long)s));
        Assert.Equal([2L, 3, 5], x[idx, .., idx].Shape.Select(s => (long)s));
        var withEllipsis = x[idx, TensorIndex.Ellipsis, idx];
        Assert.Equal([2L, 3, 4], withEllipsis.Shape.Select(s => (long)s));
        Assert.Equal([40L, 45, 50, 55], withEllipsis[1, 2].ToArray<long>());
        var masked = x[mask, 1..3];
        Assert.Equal([4L, 2, 5], masked.Shape.Select(s => (long)s));
        Assert.Equal(Enumerable.Range(45, 10).Select(v => (long)v), masked[1].ToArray<long>());
        Assert.Equal([1L, 2, 4, 5], x[TensorIndex.NewAxis, 1, idx].Shape.Select(s => (long)s));
        Assert.Equal([3L, 2, 1, 5], x[1, .., idx, TensorIndex.NewAxis].Shape.Select(s => (long)s));
        // A 0-d index tensor takes one position and drops its dim, as an int does.
        Assert.Equal(x[1].ToArray<long>(), x[ScalarTensor(1L)].ToArray<long>());
    }

    [Fact]
    public void Picking_copies_so_writes_to_the_result_leave_the_source_alone()
    {
        var x = Arange(6).Reshape(2, 3).To(DType.Float32);
        var rows = x[Longs([1])];
        rows.Fill_(-1.0);
        Assert.Equal([0f, 1, 2, 3, 4, 5], x.ToArray<float>());
    }

    [Fact]
    public void Assigning_through_index_tensors_writes_the_picked_positions_and_nothing_else()
    {
        int seed = Environment.TickCount & int.MaxValue;
        var rng = new Random(seed);
        ManualSeed((ulong)seed);
        var x = Randn(6, 4);
        var xs = x.ToArray<float>();
        var rows = Enumerable.Range(0, 6).OrderBy(_ => rng.Next()).Take(3).Select(r => (long)r).ToArray();
        var values = Randn(3, 4);
        var vs = values.ToArray<float>();

        var y = x.Clone();
        y[Longs(rows)] = values;
        var expected = (float[])xs.Clone();
        for (int n = 0; n < 3; n++) vs.AsSpan(n * 4, 4).CopyTo(expected.AsSpan((int)rows[n] * 4, 4));
        AssertValues(expected, [6, 4], y, seed);

        // x[:, cols] = a broadcast row, through a view of the last three rows: only those rows change.
        var z = x.Clone();
        var columns = Longs([3, 0]);
        z[3..][.., columns] = Tensor.FromArray(new[] { 7f, 8f }, 2);
        expected = (float[])xs.Clone();
        for (int r = 3; r < 6; r++) (expected[r * 4 + 3], expected[r * 4]) = (7f, 8f);
        AssertValues(expected, [6, 4], z, seed);
    }

    [Fact]
    public void Assigning_a_number_through_a_mask_takes_the_tensors_dtype()
    {
        int seed = Environment.TickCount & int.MaxValue;
        ManualSeed((ulong)seed);
        var x = Randn(4, 5);
        var clipped = x.Clone();
        clipped[x < 0.0] = 0.0;
        AssertValues([.. x.ToArray<float>().Select(v => v < 0 ? 0f : v)], [4, 5], clipped, seed);

        var counts = Zeros([3, 4], DType.Int32);
        counts[counts == 0L] = 5L;
        Assert.Equal(DType.Int32, counts.DType);
        Assert.All(counts.ToArray<int>(), v => Assert.Equal(5, v));
    }

    [Fact]
    public void Bad_indices_and_values_are_refused_with_what_is_wrong()
    {
        var x = Zeros(3, 4);
        var beyond = Assert.Throws<IndexValueException>(() => x[Longs([0, 3])]);
        Assert.Contains("index 3 is out of bounds for dimension 0 with size 3", beyond.Message);
        var mask = Assert.Throws<IndexOutOfRangeException>(() => x[Ones([4], DType.Bool)]);
        Assert.Contains("The shape of the mask [4] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0", mask.Message);
        var floats = Assert.Throws<IndexOutOfRangeException>(() => x[Zeros(2)]);
        Assert.Contains("tensors used as indices must be long, int, byte or bool tensors", floats.Message);
        var tooMany = Assert.Throws<IndexOutOfRangeException>(() => x[Longs([0]), 1, 2]);
        Assert.Contains("too many indices for tensor of dimension 2", tooMany.Message);
        // A tensor of values keeps its dtype, as in torch: only a number is made the destination's.
        var mixed = Assert.Throws<ArgumentException>(() => x[Longs([0])] = Tensor.FromArray(new[] { 1.0, 2, 3, 4 }, 4));
        Assert.Contains("Index put requires the source and destination dtypes match, got Float for the destination and Double for the source", mixed.Message);
        var shape = Assert.ThrowsAny<ArgumentException>(() => x[Longs([0, 1])] = Ones(3, 4));
        Assert.Contains("shape mismatch", shape.Message);
        Assert.All(x.ToArray<float>(), v => Assert.Equal(0f, v));
    }
}

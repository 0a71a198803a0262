using static Graphport.Torch;

namespace Graphport.Tests.TensorApi;

/// <summary>
/// index_put_ and index_copy_ write into the tensor itself, as torch's do: a static key/value cache updated each
/// token, read back through its own storage and any view of it, equal to the functional op on random data.
/// </summary>
public class InPlaceIndexWriteTests
{
    private static Tensor IndexCopyInPlace(Tensor self, long dim, Tensor index, Tensor source) => Ops["aten::index_copy_"].CallTensor(self, dim, index, source);

    [Fact]
    public void Index_copy_writes_the_cache_rows_into_the_tensor_and_its_views()
    {
        ManualSeed(71);
        var cache = Zeros(2, 3, 16, 4);
        var before = cache.Clone();
        var firstHead = cache.Select(1, 0);
        var rows = Randn(2, 3, 2, 4);
        var at = Tensor.FromArray(new long[] { 9, 2 }, 2);
        var returned = IndexCopyInPlace(cache, 2, at, rows);

        Assert.Same(cache, returned);
        var expected = Ops["aten::index_copy"].CallTensor(before, 2L, at, rows);
        Assert.Equal(expected.ToArray<float>(), cache.ToArray<float>());
        // A view taken before the write sees it: the values went into the cache's own storage.
        Assert.Equal(expected.Select(1, 0).ToArray<float>(), firstHead.ToArray<float>());
    }

    [Fact]
    public void Index_put_into_a_strided_view_writes_only_that_view()
    {
        ManualSeed(72);
        var whole = Randn(6, 8);
        var original = whole.Clone();
        var everyOtherColumn = whole[.., TensorIndex.Slice(step: 2)];
        var values = Randn(2, 4);
        var rows = Tensor.FromArray(new long[] { 5, -6 }, 2);
        Ops["aten::index_put_"].Call(everyOtherColumn, new Tensor?[] { rows }, values);

        var expected = original.Clone();
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 4; c++)
                expected[r == 0 ? 5 : 0, 2 * c] = values[r, c];
        Assert.Equal(expected.ToArray<float>(), whole.ToArray<float>());
    }

    [Fact]
    public void Values_read_from_the_tensor_being_written_are_read_before_any_write()
    {
        // x[[1, 2]] = x[0:2]: written in place element by element this would copy x[1]'s new value into x[2].
        var x = Arange(5L).To(DType.Float32);
        Ops["aten::index_put_"].Call(x, new Tensor?[] { Tensor.FromArray(new long[] { 1, 2 }, 2) }, x[0..2]);
        Assert.Equal(new float[] { 0, 0, 1, 3, 4 }, x.ToArray<float>());
    }

    [Fact]
    public void A_bad_index_is_reported_as_the_functional_op_reports_it()
    {
        var cache = Zeros(2, 8);
        var error = Assert.ThrowsAny<Exception>(() => IndexCopyInPlace(cache, 1, Tensor.FromArray(new long[] { 8 }, 1), Ones(2, 1)));
        Assert.Contains("8", error.Message);
        Assert.Equal(new float[16], cache.ToArray<float>());
    }
}

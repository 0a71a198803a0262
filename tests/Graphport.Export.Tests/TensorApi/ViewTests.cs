using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>Views share their base's storage: reading sees the base's values, writing through them changes the base.</summary>
public class ViewTests
{
    private static Tensor Grid(long rows, long cols) => Torch.Arange(rows * cols).Float().View(rows, cols);

    [Fact]
    public void View_shares_storage_and_a_write_through_it_changes_the_base()
    {
        var x = Grid(3, 4);
        var v = x.View(4, 3);
        Assert.Same(x.Storage, v.Storage);
        v[0] = 5L;
        Assert.Equal([5.0, 5, 5, 3, 4, 5, 6, 7, 8, 9, 10, 11], Values(x));
    }

    [Fact]
    public void View_infers_one_minus_one_dim()
    {
        var v = Grid(3, 4).View(2, -1);
        Assert.Equal([2L, 6L], Sizes(v));
    }

    [Fact]
    public void View_with_a_wrong_element_count_fails_with_torchs_message()
    {
        var e = Assert.ThrowsAny<Exception>(() => Grid(3, 4).View(5, 2));
        Assert.Contains("shape '[5, 2]' is invalid for input of size 12", e.Message);
    }

    [Fact]
    public void View_of_a_non_contiguous_tensor_fails_and_points_to_reshape()
    {
        var t = Grid(3, 4).T();
        var e = Assert.ThrowsAny<Exception>(() => t.View(12));
        Assert.Contains("view size is not compatible with input tensor's size and stride", e.Message);
        Assert.Contains("eshape", e.Message);
    }

    [Fact]
    public void View_of_a_non_contiguous_tensor_works_when_only_compatible_dims_are_split_or_merged()
    {
        // [4, 6] sliced to every other column: rows stay separable, so splitting a row is a view.
        var x = Grid(4, 6);
        var s = x[.., TensorIndex.Slice(0, null, 2)];
        var v = s.View(2, 2, 3);
        Assert.Same(x.Storage, v.Storage);
        v[1, 1, 2] = 100L;
        Assert.Equal(100.0, x[3, 4].Item());
    }

    [Fact]
    public void Reshape_of_a_non_contiguous_tensor_copies_in_logical_order()
    {
        var x = Grid(3, 4);
        var r = x.T().Reshape(12);
        Assert.Equal([0.0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], Values(r));
        Assert.NotSame(x.Storage, r.Storage);
        r[0] = 99L;
        Assert.Equal(0.0, x[0, 0].Item());
    }

    [Fact]
    public void Reshape_of_a_contiguous_tensor_is_a_view()
    {
        var x = Grid(3, 4);
        var r = x.Reshape(2, 6);
        Assert.Same(x.Storage, r.Storage);
        r.Add_(1);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (double)i), Values(x));
    }

    [Fact]
    public void Transpose_permute_and_t_are_views_with_permuted_indexing()
    {
        var x = Reference.Random(2, [2, 3, 4]);
        var xv = Values(x);
        var p = x.Permute(2, 0, 1);
        Assert.Equal([4L, 2, 3], Sizes(p));
        Assert.Same(x.Storage, p.Storage);
        var expected = Indices([4, 2, 3]).Select(i => xv[Flat([2, 3, 4], [i[1], i[2], i[0]])]).ToArray();
        Assert.Equal(expected, Values(p));

        var m = Grid(2, 3);
        var t = m.T();
        t[2, 1] = -1L;
        Assert.Equal(-1.0, m[1, 2].Item());
        Assert.Equal([3L, 2L], Sizes(m.MT));

        var q = x.Transpose(-1, 0);
        Assert.Equal([4L, 3, 2], Sizes(q));
        Assert.Equal(xv[Flat([2, 3, 4], [1, 2, 3])], q[3, 2, 1].Item());
    }

    [Fact]
    public void Permute_with_a_repeated_dim_is_rejected()
    {
        var e = Assert.ThrowsAny<Exception>(() => Grid(2, 3).Permute(0, 0));
        Assert.Contains("duplicate dims", e.Message);
    }

    [Fact]
    public void Slicing_a_view_with_ranges_and_writing_through_it_changes_the_base()
    {
        var x = Grid(4, 5);
        var s = x[1..3, 2..];
        Assert.Equal([2L, 3L], Sizes(s));
        Assert.Equal([7.0, 8, 9, 12, 13, 14], Values(s));
        s.Fill_(0L);
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 0, 0, 0, 10, 11, 0, 0, 0, 15, 16, 17, 18, 19], Values(x));
    }

    [Fact]
    public void Ranges_from_the_end_and_integer_indices_from_the_end_work_like_python()
    {
        var x = Grid(4, 5);
        Assert.Equal([15.0, 16, 17, 18, 19], Values(x[^1]));
        Assert.Equal([2.0, 3], Values(x[0, ^3..^1]));
        Assert.Equal([4.0, 9, 14, 19], Values(x[.., -1]));
    }

    [Fact]
    public void Stepped_slices_select_every_kth_element_and_share_storage()
    {
        var x = Grid(3, 7);
        var s = x[.., TensorIndex.Slice(1, null, 3)];
        Assert.Equal([3L, 2L], Sizes(s));
        Assert.Equal([1.0, 4, 8, 11, 15, 18], Values(s));
        Assert.Equal([7L, 3], s.Strides);
        s.Mul_(-1);
        Assert.Equal(-11.0, x[1, 4].Item());
        Assert.Equal(10.0, x[1, 3].Item());

        var rows = x.Slice(0, 0, 3, 2);
        Assert.Equal([2L, 7L], Sizes(rows));
        Assert.Equal(14.0, rows[1, 0].Item());
    }

    [Fact]
    public void Slices_clamp_their_bounds_like_python()
    {
        var x = Torch.Arange(5);
        Assert.Equal([3.0, 4], Values(x[3..100]));
        Assert.Empty(Values(x.Slice(0, 4, 2)));
        Assert.Equal([0L], Sizes(x.Slice(0, 10, null)));
    }

    [Fact]
    public void A_non_positive_slice_step_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorIndex.Slice(null, null, 0));
    }

    [Fact]
    public void Ellipsis_and_new_axis_index_like_python()
    {
        var x = Reference.Random(3, [2, 3, 4]);
        Assert.Equal([2L, 3L], Sizes(x[TensorIndex.Ellipsis, 0]));
        Assert.Equal([2L, 1L, 3L, 4L], Sizes(x[.., TensorIndex.NewAxis]));
        Assert.Equal(Values(x[.., .., 1]), Values(x[TensorIndex.Ellipsis, 1]));
    }

    [Fact]
    public void Select_removes_a_dim_and_writes_through_it_reach_the_base()
    {
        var x = Grid(3, 4);
        var row = x.Select(0, 1);
        var col = x.Select(1, -1);
        Assert.Equal([4.0, 5, 6, 7], Values(row));
        Assert.Equal([3.0, 7, 11], Values(col));
        row.Copy_(Torch.Tensor(new float[] { -1, -2, -3, -4 }));
        Assert.Equal([-1.0, -2, -3, -4], Values(x[1]));
    }

    [Fact]
    public void Setting_an_indexed_region_from_a_tensor_broadcasts_the_source()
    {
        var x = Torch.Zeros(3, 4);
        x[.., 1..3] = Torch.Tensor(new float[] { 7, 8 });
        Assert.Equal([0.0, 7, 8, 0, 0, 7, 8, 0, 0, 7, 8, 0], Values(x));
        x[2, 3] = 2.5;
        Assert.Equal(2.5, x[2, 3].Item());
    }

    [Fact]
    public void Expand_reads_the_base_through_zero_strides()
    {
        var x = Torch.Tensor(new float[,] { { 1 }, { 2 }, { 3 } });
        var e = x.Expand(3, 4);
        Assert.Equal([1L, 0], e.Strides);
        Assert.Same(x.Storage, e.Storage);
        x[1, 0] = 20L;
        Assert.Equal([1.0, 1, 1, 1, 20, 20, 20, 20, 3, 3, 3, 3], Values(e));
        Assert.Equal([2L, 3L, 4L], Sizes(x.Expand(2, -1, 4)));
        Assert.Equal([3L, 4L], Sizes(x.ExpandAs(Torch.Zeros(3, 4))));
    }

    [Fact]
    public void Expanding_a_non_singleton_dim_fails_with_torchs_message()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Zeros(3, 2).Expand(3, 4));
        Assert.Contains("The expanded size of the tensor (4) must match the existing size (2) at non-singleton dimension 1", e.Message);
    }

    [Fact]
    public void Squeeze_and_unsqueeze_are_views()
    {
        var x = Torch.Zeros(1, 3, 1, 2);
        Assert.Equal([3L, 2L], Sizes(x.Squeeze()));
        Assert.Equal([3L, 1L, 2L], Sizes(x.Squeeze(0)));
        Assert.Equal([1L, 3L, 1L, 2L], Sizes(x.Squeeze(1)));
        Assert.Equal([1L, 3L, 2L], Sizes(x.Squeeze(-2)));
        var u = x.Squeeze().Unsqueeze(-1);
        Assert.Equal([3L, 2L, 1L], Sizes(u));
        Assert.Equal([1L, 1L, 3L, 1L, 2L], Sizes(x.Unsqueeze(0)));
        u[2, 1, 0] = 4L;
        Assert.Equal(4.0, x[0, 2, 0, 1].Item());
    }

    [Fact]
    public void Narrow_is_a_slice_view_and_checks_its_bounds()
    {
        var x = Grid(3, 5);
        var n = x.Narrow(1, 1, 3);
        Assert.Equal([1.0, 2, 3, 6, 7, 8, 11, 12, 13], Values(n));
        n.Zero_();
        Assert.Equal([0.0, 0, 0, 0, 4], Values(x[0]));
        var e = Assert.ThrowsAny<Exception>(() => x.Narrow(1, 3, 3));
        Assert.Contains("exceeds dimension size", e.Message);
    }

    [Fact]
    public void Split_and_chunk_return_views_with_torchs_sizes()
    {
        var x = Grid(3, 5);
        var parts = x.Split(2, 1);
        Assert.Equal([2L, 2L, 1L], parts.Select(p => (long)p.Size(1)));
        parts[2].Fill_(-1L);
        Assert.Equal([-1.0, -1, -1], Values(x[.., 4]));

        var chunks = Torch.Arange(7).Chunk(3);
        Assert.Equal([3L, 3L, 1L], chunks.Select(c => (long)c.Size(0)));
        Assert.Equal([6.0], Values(chunks[2]));

        var rows = x.Unbind(0);
        Assert.Equal(3, rows.Length);
        Assert.Same(x.Storage, rows[1].Storage);
    }

    [Fact]
    public void Flatten_of_a_contiguous_tensor_is_a_view_and_of_a_transposed_one_a_copy()
    {
        var x = Reference.Random(4, [2, 3, 4]);
        var f = x.Flatten(1);
        Assert.Equal([2L, 12L], Sizes(f));
        Assert.Same(x.Storage, f.Storage);
        Assert.Equal([24L], Sizes(x.Flatten()));

        var t = x.Transpose(0, 2).Flatten();
        var xv = Values(x);
        var expected = Indices([4, 3, 2]).Select(i => xv[Flat([2, 3, 4], [i[2], i[1], i[0]])]).ToArray();
        Assert.Equal(expected, Values(t));
        Assert.Equal([2L, 3L, 2L, 2L], Sizes(x.Unflatten(2, 2, 2)));
    }

    [Fact]
    public void Diagonal_is_a_view_of_the_offset_diagonal()
    {
        var x = Grid(3, 4);
        Assert.Equal([0.0, 5, 10], Values(x.Diagonal()));
        Assert.Equal([1.0, 6, 11], Values(x.Diagonal(1)));
        Assert.Equal([4.0, 9], Values(x.Diagonal(-1)));
        x.Diagonal().Fill_(-1L);
        Assert.Equal(-1.0, x[2, 2].Item());
        Assert.Equal(1.0, x[0, 1].Item());

        var b = Reference.Random(5, [2, 3, 3]);
        var d = b.Diagonal(0, 1, 2);
        Assert.Equal([2L, 3L], Sizes(d));
        Assert.Equal(b[1, 2, 2].Item(), d[1, 2].Item());
    }

    [Fact]
    public void In_place_ops_on_a_transposed_view_update_the_right_base_elements()
    {
        var x = Grid(2, 3);
        var t = x.T();
        t.Add_(Torch.Tensor(new float[] { 10, 20 }));
        Assert.Equal([10.0, 11, 12, 23, 24, 25], Values(x));
        t.Mul_(Torch.Tensor(new float[,] { { 1, 1 }, { 2, 2 }, { 3, 3 } }));
        Assert.Equal([10.0, 22, 36, 23, 48, 75], Values(x));
        t.Sub_(x.T());
        Assert.All(Values(x), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Copy_into_a_view_converts_the_dtype_and_broadcasts()
    {
        var x = Torch.Zeros([2L, 3L], DType.Float64);
        x[1].Copy_(Torch.Tensor(new long[] { 4, 5, 6 }));
        x[0].Copy_(Torch.ScalarTensor(1.5));
        Assert.Equal([1.5, 1.5, 1.5, 4, 5, 6], Values(x));
    }

    [Fact]
    public void Indexing_without_any_narrowing_still_returns_a_new_view()
    {
        var x = Grid(2, 2);
        var all = x[..];
        Assert.NotSame(x, all);
        Assert.Same(x.Storage, all.Storage);
        all[0, 0] = 9L;
        Assert.Equal(9.0, x[0, 0].Item());
    }

    [Fact]
    public void Too_many_indices_and_out_of_range_indices_are_errors_like_torch()
    {
        var x = Grid(2, 3);
        var e1 = Assert.ThrowsAny<Exception>(() => x[0, 0, 0]);
        Assert.Contains("too many indices for tensor of dimension 2", e1.Message);
        var e2 = Assert.ThrowsAny<Exception>(() => x[2]);
        Assert.Contains("index 2 out of range", e2.Message);
        var e3 = Assert.ThrowsAny<Exception>(() => x[.., -4]);
        Assert.Contains("out of range", e3.Message);
        var e4 = Assert.ThrowsAny<Exception>(() => x.Transpose(0, 2));
        Assert.Contains("Dimension out of range (expected to be in range of [-2, 1], but got 2)", e4.Message);
    }
}

using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

public class StridedLayoutTests
{
    [Fact]
    public void Contiguous_layouts_are_row_major_and_report_numel_and_rank()
    {
        var l = StridedLayout.Contiguous(2, 3, 4);
        Assert.Equal(new long[] { 12, 4, 1 }, l.Strides);
        Assert.Equal(24, l.Numel);
        Assert.Equal(3, l.Rank);
        Assert.True(l.IsContiguous);
        Assert.Equal(1, StridedLayout.Contiguous().Numel);
        Assert.Equal(0, StridedLayout.Contiguous(3, 0).Numel);
    }

    [Fact]
    public void Views_compute_strides_and_offsets_like_torch()
    {
        var l = StridedLayout.Contiguous(2, 3, 4);
        var t = l.Transpose(0, 2);
        Assert.Equal(new long[] { 4, 3, 2 }, t.Shape);
        Assert.Equal(new long[] { 1, 4, 12 }, t.Strides);
        Assert.False(t.IsContiguous);
        var n = l.Narrow(2, 1, 2);
        Assert.Equal(1, n.Offset);
        Assert.False(n.IsContiguous);
        var s = l.Select(1, 2);
        Assert.Equal(new long[] { 2, 4 }, s.Shape);
        Assert.Equal(8, s.Offset);
        var f = l.Flip(1);
        Assert.Equal(-4, f.Strides[1]);
        Assert.Equal(8, f.Offset);
        Assert.Equal((0L, 23L), f.Extent());
        var b = StridedLayout.Contiguous(3, 1).BroadcastTo(2, 3, 5);
        Assert.Equal(new long[] { 0, 1, 0 }, b.Strides);
        var u = l.Unsqueeze(-1);
        Assert.Equal(new long[] { 2, 3, 4, 1 }, u.Shape);
        Assert.True(u.IsContiguous);
        Assert.True(StridedLayout.Contiguous(1, 5).Permute(1, 0).IsContiguous);
    }

    [Fact]
    public void Invalid_views_and_out_of_buffer_layouts_are_rejected()
    {
        var l = StridedLayout.Contiguous(2, 3);
        Assert.Contains("cannot broadcast", Assert.Throws<ArgumentException>(() => l.BroadcastTo(2, 4)).Message);
        Assert.Throws<ArgumentException>(() => l.Permute(0, 0));
        Assert.Throws<ArgumentException>(() => l.Narrow(1, 2, 2));
        Assert.Throws<ArgumentException>(() => l.Select(0, 2));
        var ex = Assert.Throws<ArgumentException>(() => new StridedLayout([2, 3], [3, 1], 1).Validate(6, "K", "x"));
        Assert.Contains("flat indices 1..6", ex.Message);
        Assert.Throws<ArgumentException>(() => new StridedLayout([2, 3], [1], 0).Validate(6, "K", "x"));
        Assert.Throws<ArgumentException>(() => new StridedLayout([-1], [1], 0).Validate(6, "K", "x"));
    }

    [Fact]
    public void Broadcast_shapes_align_trailing_dims()
    {
        Assert.Equal(new long[] { 2, 3, 4 }, ShapeMath.BroadcastShapes([3, 1], [2, 1, 4]));
        Assert.Equal(new long[] { 0, 5 }, ShapeMath.BroadcastShapes([0, 1], [5]));
        Assert.Throws<ArgumentException>(() => ShapeMath.BroadcastShapes([3], [4]));
    }
}

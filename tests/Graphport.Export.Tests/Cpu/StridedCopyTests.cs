using Graphport.Cpu;
using static Graphport.Tests.Cpu.CpuTestData;

namespace Graphport.Tests.Cpu;

public class StridedCopyTests
{
    [Fact]
    public void ToContiguous_reproduces_the_logical_values_for_every_layout_kind()
    {
        var rng = new Random(1);
        foreach (var shape in CpuTestData.Shapes)
            foreach (var kind in AllKinds)
            {
                var s = MakeFloat(rng, shape, kind);
                var result = StridedCopy.ToContiguous(s.Data, s.Layout);
                Assert.Equal(s.Logical, result);
            }
    }

    [Fact]
    public void Copy_between_two_strided_layouts_places_each_element_at_its_destination_index()
    {
        var rng = new Random(2);
        foreach (var shape in CpuTestData.Shapes)
            foreach (var srcKind in AllKinds)
                foreach (var dstKind in new[] { LayoutKind.Contiguous, LayoutKind.PaddedWithOffset, LayoutKind.ColumnMajor, LayoutKind.Flipped })
                {
                    var src = Make(shape, srcKind, n => Enumerable.Range(0, (int)n).Select(i => (long)rng.Next()).ToArray());
                    var dst = Make(shape, dstKind, n => new long[n]);
                    StridedCopy.Copy(src.Data, src.Layout, dst.Data, dst.Layout);
                    Assert.Equal(src.Logical, StridedCopy.ToContiguous(dst.Data, dst.Layout));
                }
    }

    [Fact]
    public void Large_transposed_copy_uses_the_tiled_path_and_matches_a_naive_transpose()
    {
        var rng = new Random(3);
        int rows = 301, cols = 257;
        var a = Floats(rng, rows * cols);
        var t = StridedLayout.Contiguous(rows, cols).Transpose(0, 1);
        var result = StridedCopy.ToContiguous(a, t);
        for (int j = 0; j < cols; j++)
            for (int i = 0; i < rows; i++)
                Assert.Equal(a[i * cols + j], result[j * rows + i]);
    }

    [Fact]
    public void Batched_transpose_of_a_3d_permutation_matches_naive_indexing()
    {
        var rng = new Random(4);
        long[] shape = [3, 40, 50];
        var a = Doubles(rng, ShapeMath.Numel(shape));
        var view = StridedLayout.Contiguous(shape).Permute(0, 2, 1);
        var result = StridedCopy.ToContiguous(a, view);
        for (int b = 0; b < 3; b++)
            for (int i = 0; i < 50; i++)
                for (int j = 0; j < 40; j++)
                    Assert.Equal(a[(b * 40 + j) * 50 + i], result[(b * 50 + i) * 40 + j]);
    }

    [Fact]
    public void Copy_rejects_mismatched_shapes_and_out_of_bounds_layouts_naming_the_argument()
    {
        var ex = Assert.Throws<ArgumentException>(() => StridedCopy.Copy(new float[6], StridedLayout.Contiguous(2, 3), new float[6], StridedLayout.Contiguous(3, 2)));
        Assert.Contains("srcLayout", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => StridedCopy.ToContiguous(new float[5], StridedLayout.Contiguous(2, 3)));
        Assert.Contains("5 elements", ex2.Message);
    }
}

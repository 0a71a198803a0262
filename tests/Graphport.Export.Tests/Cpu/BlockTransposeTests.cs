using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

/// <summary>BlockTranspose.Float: 8×8 register blocks and element-by-element edges give the transpose exactly, for
/// every split of rows and columns into whole blocks and edges, with row strides wider than the rows.</summary>
public class BlockTransposeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, 8)]
    [InlineData(7, 9)]
    [InlineData(16, 3)]
    [InlineData(17, 23)]
    [InlineData(49, 64)]
    [InlineData(64, 49)]
    [InlineData(33, 8)]
    public unsafe void Blocks_and_edges_give_the_transpose(int rows, int cols)
    {
        var rng = new Random(rows * 100 + cols);
        int srcStride = cols + 3, dstStride = rows + 5;
        var src = Enumerable.Range(0, rows * srcStride).Select(_ => (float)rng.NextDouble()).ToArray();
        var dst = Enumerable.Repeat(float.NaN, cols * dstStride).ToArray();

        fixed (float* s = src)
        fixed (float* d = dst)
            BlockTranspose.Float(s, srcStride, d, dstStride, rows, cols);

        for (int c = 0; c < cols; c++)
        {
            for (int r = 0; r < rows; r++) Assert.Equal(src[r * srcStride + c], dst[c * dstStride + r]);
            // Past each destination row's end nothing is written.
            for (int r = rows; r < dstStride; r++) Assert.True(float.IsNaN(dst[c * dstStride + r]), $"dst[{c}, {r}] was written");
        }
    }
}

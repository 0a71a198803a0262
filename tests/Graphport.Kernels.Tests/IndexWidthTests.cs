using Graphport.Kernels.Codegen;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Tests;

/// <summary>
/// 32-bit index math only where no intermediate of any index expression can pass 2^31: the loop extent, a far
/// offset into a big buffer, and a large stride times a coordinate each force 64 bits.
/// </summary>
public class IndexWidthTests
{
    private static BufferRef Buffer(int id, long elements) => new(id, $"b{id}", DType.Float32, elements, BufferKind.Intermediate);

    // out[i] = in[index(i)] over a space of the given shape.
    private static PointwiseKernel Copy(long[] shape, Func<IndexExpr[], IndexExpr> source, long sourceElements)
    {
        var space = new IterationSpace("i", "x", shape);
        var input = Buffer(0, sourceElements);
        var output = Buffer(1, space.Numel);
        var load = new LoadExpr(input, source(space.Coordinates));
        return new PointwiseKernel("k0_copy", "copy", space, [new Store(output, IndexExpr.Linearize(space.Coordinates, space.ContiguousStrides), load)]);
    }

    [Fact]
    public void An_im2col_sized_kernel_indexes_in_32_bits()
    {
        // U-Net's biggest gather at batch 32: 37.7 M elements read from a 4.2 M-element image.
        var kernel = Copy([32, 288, 4096], c => c[0] * 131072 + c[1].Div(9) * 4096 + c[2], 32L * 32 * 4096);
        Assert.True(IndexWidth.FitsInt32(kernel));
        Assert.Contains("gp::pointwise<int>(37748736, [&](int i)", CudaRenderer.Render(kernel), StringComparison.Ordinal);
    }

    [Fact]
    public void More_elements_than_int_holds_keeps_64_bits()
    {
        var kernel = Copy([3, 1L << 30], c => c[0] * (1L << 30) + c[1], 3L << 30);
        Assert.False(IndexWidth.FitsInt32(kernel));
        Assert.Contains("gp::pointwise<long long>(3221225472LL, [&](long long i)", CudaRenderer.Render(kernel), StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_slice_far_into_a_big_buffer_keeps_64_bits()
    {
        // 32 elements, but they sit past element 3e9 of their source.
        var kernel = Copy([4, 8], c => c[0] * 8 + c[1] + 3_000_000_000L, 3_000_000_032L);
        Assert.False(IndexWidth.FitsInt32(kernel));
    }

    [Fact]
    public void A_large_stride_times_a_coordinate_keeps_64_bits_even_when_the_sum_would_come_back_down()
    {
        // x0 * 2^31 - x0 * 2^31 + x1 is small at the end, but C computes the first product on its own.
        var kernel = Copy([2, 8], c => IndexLinear.Sum([(c[0], 1L << 31), (c[1], 1)]), 1L << 33);
        Assert.False(IndexWidth.FitsInt32(kernel));
        Assert.Equal((1L << 31) + 7, IndexWidth.Magnitude(IndexLinear.Sum([(new IndexVar("x0", 2), 1L << 31), (new IndexVar("x1", 8), 1)])));
    }

    [Fact]
    public void Turned_off_every_kernel_indexes_in_64_bits()
    {
        var kernel = Copy([4, 8], c => c[0] * 8 + c[1], 32);
        Assert.Contains("gp::pointwise<long long>(32, [&](long long i)", CudaRenderer.Render(kernel, narrowIndices: false), StringComparison.Ordinal);
    }
}

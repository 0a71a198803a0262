using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>Cat, Stack, Pad and Interpolate (nearest, bilinear) against index arithmetic written out in the test.</summary>
public class JoinPadResizeKernelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void Cat_joins_along_a_dim_in_order(long dim)
    {
        var a = Reference.Random(1, [2, 3, 4]);
        var b = Reference.Random(2, [2, 3, 4]).Transpose(0, 0);
        var c = Reference.Random(3, [2, 3, 4])[.., .., ..];
        int d = (int)(dim < 0 ? dim + 3 : dim);
        var parts = new[] { a, b, c };
        var shape = new long[] { 2, 3, 4 };
        var outShape = (long[])shape.Clone();
        outShape[d] = 3 * shape[d];
        var expected = Indices(outShape).Select(i =>
        {
            var j = (long[])i.Clone();
            long which = i[d] / shape[d];
            j[d] = i[d] % shape[d];
            return Values(parts[which])[Flat(shape, j)];
        }).ToArray();
        AssertClose(expected, outShape, Torch.Cat(parts, dim), 0, 0);
    }

    [Fact]
    public void Cat_of_different_sizes_along_the_dim_and_of_strided_parts()
    {
        var a = Reference.Random(4, [3, 2]);
        var b = Reference.Random(5, [5, 3]).T()[.., 1..4];   // [3, 3], strided
        var r = Torch.Cat([a, b], 1);
        var (av, bv) = (Values(a), Values(b));
        var expected = Indices([3, 5]).Select(i => i[1] < 2 ? av[i[0] * 2 + i[1]] : bv[i[0] * 3 + i[1] - 2]).ToArray();
        AssertClose(expected, [3, 5], r, 0, 0);
    }

    [Fact]
    public void Cat_promotes_dtypes_and_skips_legacy_empty_vectors()
    {
        var r = Torch.Cat([Torch.Arange(2), Torch.Tensor(new float[] { 0.5f })]);
        Assert.Equal(DType.Float32, r.DType);
        Assert.Equal([0.0, 1, 0.5], Values(r));
        var d = Torch.Cat([Torch.Tensor(new float[] { 1 }), Torch.Tensor(new double[] { 2 })]);
        Assert.Equal(DType.Float64, d.DType);
        var skip = Torch.Cat([Torch.Zeros(0), Torch.Ones(2, 2)]);
        Assert.Equal([2L, 2L], Sizes(skip));
    }

    [Fact]
    public void Cat_with_mismatched_sizes_names_the_tensor_and_sizes()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Cat([Torch.Zeros(2, 3), Torch.Zeros(2, 4)]));
        Assert.Contains("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.", e.Message);
        var e2 = Assert.ThrowsAny<Exception>(() => Torch.Cat([Torch.Zeros(2, 3), Torch.Zeros(3)]));
        Assert.Contains("Tensors must have same number of dimensions", e2.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(-3)]
    public void Stack_inserts_a_new_dim(long dim)
    {
        var parts = Enumerable.Range(0, 4).Select(s => Reference.Random(10 + s, [2, 3])).ToArray();
        int d = (int)(dim < 0 ? dim + 3 : dim);
        var outShape = new List<long> { 2, 3 };
        outShape.Insert(d, 4);
        var expected = Indices(outShape.ToArray()).Select(i =>
        {
            var rest = i.Where((_, k) => k != d).ToArray();
            return Values(parts[i[d]])[Flat([2, 3], rest)];
        }).ToArray();
        AssertClose(expected, outShape.ToArray(), Torch.Stack(parts, dim), 0, 0);
    }

    [Fact]
    public void Stack_needs_equal_shapes()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Stack([Torch.Zeros(2, 3), Torch.Zeros(3, 2)]));
        Assert.Contains("stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1", e.Message);
    }

    [Fact]
    public void Constant_pad_adds_from_the_last_dim_backwards_and_negative_pads_crop()
    {
        var x = Reference.Random(20, [2, 3, 4], DType.Float64);
        var xv = Values(x);
        // (1, 2) on the last dim, (0, 1) on the middle one.
        var r = Functional.Pad(x, [1, 2, 0, 1], value: -5);
        var expected = Indices([2, 4, 7]).Select(i =>
        {
            long j = i[1], k = i[2] - 1;
            return j < 3 && k >= 0 && k < 4 ? xv[Flat([2, 3, 4], [i[0], j, k])] : -5;
        }).ToArray();
        AssertClose(expected, [2, 4, 7], r, 0, 0);

        var cropped = Functional.Pad(x, [-1, 1]);
        var expectedCrop = Indices([2, 3, 4]).Select(i => i[2] < 3 ? xv[Flat([2, 3, 4], [i[0], i[1], i[2] + 1])] : 0).ToArray();
        AssertClose(expectedCrop, [2, 3, 4], cropped, 0, 0);
    }

    [Fact]
    public void Pad_rejects_odd_lengths_and_unsupported_modes()
    {
        var e1 = Assert.ThrowsAny<Exception>(() => Functional.Pad(Torch.Zeros(2, 2), [1, 2, 3]));
        Assert.Contains("Length of pad must be even", e1.Message);
        Assert.ThrowsAny<NotSupportedException>(() => Functional.Pad(Torch.Zeros(1, 1, 2, 2), [1, 1], mode: "reflect"));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Nearest_interpolation_picks_floor_of_the_scaled_index(DType dtype)
    {
        long[] shape = [2, 2, 5, 4];
        var x = Reference.Random(21, shape, dtype);
        var xv = Values(x);
        foreach (var (oh, ow) in new[] { (10L, 8L), (7L, 3L), (3L, 9L) })
        {
            var expected = Indices([2, 2, oh, ow]).Select(i =>
            {
                long si = Math.Min((long)Math.Floor(i[2] * (5.0 / oh)), 4), sj = Math.Min((long)Math.Floor(i[3] * (4.0 / ow)), 3);
                return xv[Flat(shape, [i[0], i[1], si, sj])];
            }).ToArray();
            AssertClose(expected, [2, 2, oh, ow], Functional.Interpolate(x, size: [oh, ow]), 0, 0, dtype);
        }
        var doubled = Functional.Interpolate(x, scaleFactor: [2.0, 2.0]);
        Assert.Equal([2L, 2, 10, 8], Sizes(doubled));
        Assert.Equal(Values(x[.., .., 2, 3]), Values(doubled[.., .., 5, 7]));
    }

    private static double Bilinear(double[] plane, long h, long w, double y, double x)
    {
        long y0 = (long)Math.Floor(y), x0 = (long)Math.Floor(x);
        long y1 = Math.Min(y0 + 1, h - 1), x1 = Math.Min(x0 + 1, w - 1);
        double ly = y - y0, lx = x - x0;
        return (1 - ly) * ((1 - lx) * plane[y0 * w + x0] + lx * plane[y0 * w + x1]) + ly * ((1 - lx) * plane[y1 * w + x0] + lx * plane[y1 * w + x1]);
    }

    [Theory]
    [InlineData(false, DType.Float32)]
    [InlineData(true, DType.Float32)]
    [InlineData(false, DType.Float64)]
    [InlineData(true, DType.Float64)]
    public void Bilinear_interpolation_with_and_without_aligned_corners(bool alignCorners, DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        long[] shape = [1, 2, 4, 5];
        var x = Reference.Random(22, shape, dtype);
        var xv = Values(x);
        foreach (var (oh, ow) in new[] { (8L, 10L), (3L, 7L), (1L, 2L) })
        {
            double Source(long dst, long input, long output) => alignCorners
                ? (output > 1 ? dst * (input - 1.0) / (output - 1) : 0)
                : Math.Max((dst + 0.5) * input / output - 0.5, 0);
            var expected = Indices([1, 2, oh, ow]).Select(i =>
            {
                var plane = xv.Skip((int)(i[1] * 20)).Take(20).ToArray();
                return Bilinear(plane, 4, 5, Source(i[2], 4, oh), Source(i[3], 5, ow));
            }).ToArray();
            AssertClose(expected, [1, 2, oh, ow], Functional.Interpolate(x, size: [oh, ow], mode: "bilinear", alignCorners: alignCorners), rtol * 10, atol * 10, dtype);
        }
    }

    [Fact]
    public void Interpolate_needs_a_size_or_a_scale_and_a_known_mode()
    {
        var x = Torch.Zeros(1, 1, 2, 2);
        var e = Assert.ThrowsAny<Exception>(() => Functional.Interpolate(x));
        Assert.Contains("must specify exactly one of output_size and scale_factors", e.Message);
        var unknown = Assert.Throws<NotSupportedException>(() => Functional.Interpolate(x, size: [4, 4], mode: "lanczos"));
        Assert.Contains("use \"nearest\", \"linear\", \"bilinear\", \"bicubic\", \"trilinear\" or \"area\"", unknown.Message);
        var wrongRank = Assert.Throws<NotSupportedException>(() => Functional.Interpolate(x, size: [4], mode: "linear"));
        Assert.Contains("Got 4D input, but linear mode needs 3D input", wrongRank.Message);
        Assert.Equal([1L, 1, 4, 4], Functional.Interpolate(x, size: [4, 4], mode: "bicubic").Shape.Select(s => (long)s));
    }
}

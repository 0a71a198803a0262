using static Graphport.Tests.CoreOps.CoreOpCalls;

namespace Graphport.Tests.CoreOps;

/// <summary>Padding ops and F.pad modes, grid_sampler_2d, col2im, cdist/pdist and _embedding_bag against naive references.</summary>
public class CoreSpatialKernelTests
{
    private static long ReflectIndex(long i, long n) => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;

    private static long ReplicateIndex(long i, long n) => Math.Clamp(i, 0, n - 1);

    /// <summary>Pads the trailing dims of x (pairs last dim first) by reading x at index(i - before, n) per padded dim.</summary>
    private static (double[] Values, long[] Shape) NaivePad(Tensor x, long[] pad, Func<long, long, long> index)
    {
        var sizes = Sizes(x);
        var xs = Values(x);
        int padded = pad.Length / 2;
        var shape = sizes.Select((n, d) => d >= sizes.Length - padded ? n + pad[2 * (sizes.Length - 1 - d)] + pad[2 * (sizes.Length - 1 - d) + 1] : n).ToArray();
        var values = Indices(shape).Select(o =>
        {
            var src = o.Select((v, d) => d >= sizes.Length - padded ? index(v - pad[2 * (sizes.Length - 1 - d)], sizes[d]) : v).ToArray();
            return xs[Flat(sizes, src)];
        }).ToArray();
        return (values, shape);
    }

    public static TheoryData<string, long[], long[]> PadCases() => new()
    {
        { "reflection_pad1d", [2, 3, 6], [2, 3] },
        { "reflection_pad1d", [3, 6], [0, 5] },
        { "reflection_pad2d", [2, 3, 4, 5], [1, 2, 3, 0] },
        { "reflection_pad3d", [1, 2, 3, 4, 5], [1, 1, 2, 0, 2, 1] },
        { "replication_pad1d", [2, 3, 4], [3, 1] },
        { "replication_pad2d", [3, 4, 5], [2, 0, 1, 4] },
        { "replication_pad3d", [2, 2, 3, 4], [0, 2, 1, 1, 3, 0] },
    };

    [Theory]
    [MemberData(nameof(PadCases))]
    public void Reflection_and_replication_pads_read_mirrored_or_clamped_indices(string op, long[] shape, long[] pad)
    {
        // Not bool: torch has no bool kernel for these pads (Torch214AgreementTests checks that we refuse it too).
        foreach (var dtype in new[] { DType.Float32, DType.Int64, DType.UInt8 })
        {
            var x = Random(1, shape, dtype);
            var (expected, outShape) = NaivePad(x, pad, op.StartsWith("reflection") ? ReflectIndex : ReplicateIndex);
            AssertValues(expected, outShape, Op($"aten::{op}", x, pad), dtype);
        }
    }

    [Fact]
    public void Pads_of_a_strided_view_read_the_view_not_its_storage()
    {
        // Float pads copy row by row from a dense copy of the input: a transposed view must be made dense first.
        var x = Random(7, [4, 6], DType.Float32).Transpose(0, 1);
        var (expected, outShape) = NaivePad(x.Contiguous(), [3, 2], ReflectIndex);
        AssertValues(expected, outShape, Op("aten::reflection_pad1d", x, new long[] { 3, 2 }), DType.Float32);
        var (clamped, clampedShape) = NaivePad(x.Unsqueeze(0).Contiguous(), [1, 1, 2, 0], ReplicateIndex);
        AssertValues(clamped, clampedShape, Op("aten::replication_pad2d", x.Unsqueeze(0), new long[] { 1, 1, 2, 0 }), DType.Float32);
    }

    [Fact]
    public void Pads_check_their_arguments()
    {
        Assert.Throws<ArgumentException>(() => Op("aten::reflection_pad1d", Random(2, [2, 3]), new long[] { 3, 0 }));
        Assert.Throws<ArgumentException>(() => Op("aten::reflection_pad2d", Random(3, [2, 3]), new long[] { 1, 1, 1, 1 }));
        Assert.Throws<ArgumentException>(() => Op("aten::replication_pad2d", Random(4, [1, 0, 3]), new long[] { 1, 1, 1, 1 }));
    }

    [Fact]
    public void Functional_pad_supports_every_mode_through_the_core_pad_ops()
    {
        var x = Random(5, [2, 3, 4, 5]);
        long[] pad = [2, 1, 1, 3];
        AssertValues(NaivePad(x, pad, ReflectIndex).Values, [2, 3, 8, 8], Functional.Pad(x, pad, "reflect"), DType.Float64);
        AssertValues(NaivePad(x, pad, ReplicateIndex).Values, [2, 3, 8, 8], Functional.Pad(x, pad, "replicate"), DType.Float64);
        AssertValues(NaivePad(x, pad, (i, n) => ((i % n) + n) % n).Values, [2, 3, 8, 8], Functional.Pad(x, pad, "circular"), DType.Float64);
        var y = Random(6, [3, 5]);
        // A negative pad crops first; the wrap-around then reads the cropped tensor (as torch's circular pad does).
        AssertValues(NaivePad(y[.., 1..].Contiguous(), [0, 2], (i, n) => ((i % n) + n) % n).Values, [3, 6], Functional.Pad(y, [-1, 2], "circular"), DType.Float64);
        AssertValues(NaivePad(y, [2, 2], ReplicateIndex).Values, [3, 9], Functional.Pad(y, [2, 2], "replicate"), DType.Float64);
    }

    private sealed class PadModule(string mode) : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x) => Functional.Pad(x, [1, 2], mode);
    }

    [Theory]
    [InlineData("reflect", "aten.reflection_pad1d.default")]
    [InlineData("replicate", "aten.replication_pad2d.default")]
    [InlineData("circular", "aten.cat.default")]
    public void Exported_pads_decompose_to_core_ops(string mode, string coreTarget)
    {
        var x = Random(7, [2, 3, 6], DType.Float32);
        var ep = Torch.Export(new PadModule(mode), [x], strict: false);
        var core = ep.RunDecompositions();
        Assert.All(core.Graph.Nodes.Where(n => n.Op is not null), n => Assert.True(n.Op!.IsCore, $"{n.Op!.Name} is not core"));
        Assert.Contains(core.Graph.Nodes, n => n.Op?.Target == coreTarget);
        var other = Random(8, [2, 3, 6], DType.Float32);
        AssertValues(Values(Functional.Pad(other, [1, 2], mode)), [2, 3, 9], core.Module().Call(other), DType.Float32);
    }

    /// <summary>The grid that samples every pixel center of an H×W image exactly (align_corners: -1 and 1 are the corner centers).</summary>
    private static Tensor IdentityGrid(long n, long h, long w)
    {
        var g = new List<double>();
        for (long b = 0; b < n; b++)
            for (long y = 0; y < h; y++)
                for (long x = 0; x < w; x++) g.AddRange([2.0 * x / (w - 1) - 1, 2.0 * y / (h - 1) - 1]);
        return Tensor.FromArray(g.ToArray(), n, h, w, 2);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(2L)]
    public void Grid_sampling_the_pixel_centers_reproduces_the_input(long interpolation)
    {
        var x = Random(9, [2, 3, 4, 5]);
        var r = Op("aten::grid_sampler_2d", x, IdentityGrid(2, 4, 5), interpolation, 0L, true);
        AssertValues(Values(x), [2, 3, 4, 5], r, DType.Float64, 1e-12, 1e-12);
    }

    [Fact]
    public void Bilinear_grid_sampling_matches_a_naive_interpolation_with_each_padding_mode()
    {
        var x = Random(10, [1, 2, 3, 4]);
        var grid = Random(11, [1, 5, 6, 2], DType.Float64, -1.4, 1.4);
        var (xs, gs) = (Values(x), Values(grid));
        foreach (var padding in new long[] { 0, 1 })
            foreach (var align in new[] { false, true })
            {
                var expected = new double[2 * 30];
                for (int c = 0; c < 2; c++)
                    for (int p = 0; p < 30; p++)
                    {
                        double gx = gs[2 * p], gy = gs[2 * p + 1];
                        double ix = align ? (gx + 1) / 2 * 3 : ((gx + 1) * 4 - 1) / 2;
                        double iy = align ? (gy + 1) / 2 * 2 : ((gy + 1) * 3 - 1) / 2;
                        if (padding == 1) (ix, iy) = (Math.Clamp(ix, 0, 3), Math.Clamp(iy, 0, 2));
                        double At(long yy, long xx) => yy < 0 || yy > 2 || xx < 0 || xx > 3 ? 0 : xs[c * 12 + yy * 4 + xx];
                        long x0 = (long)Math.Floor(ix), y0 = (long)Math.Floor(iy);
                        double ax = ix - x0, ay = iy - y0;
                        expected[c * 30 + p] = At(y0, x0) * (1 - ax) * (1 - ay) + At(y0, x0 + 1) * ax * (1 - ay) + At(y0 + 1, x0) * (1 - ax) * ay + At(y0 + 1, x0 + 1) * ax * ay;
                    }
                AssertValues(expected, [1, 2, 5, 6], Op("aten::grid_sampler_2d", x, grid, 0L, padding, align), DType.Float64, 1e-12, 1e-12);
            }
    }

    [Fact]
    public void Reflection_padding_folds_coordinates_back_inside_and_nearest_rounds_half_to_even()
    {
        var x = Tensor.FromArray(new double[] { 10, 20, 30, 40 }, 1, 1, 1, 4);
        // align_corners: x = 1.5 (one half-step past the right edge at 1.0 in pixels 3.75 → reflected to 2.25).
        var g = Tensor.FromArray(new double[] { 1.5, 0 }, 1, 1, 1, 2);
        AssertValues([30 + 0.25 * 10], [1, 1, 1, 1], Op("aten::grid_sampler_2d", x, g, 0L, 2L, true), DType.Float64, 1e-12, 1e-12);
        // Pixel coordinate 1.5 (normalized -0.25 with align_corners on 4 pixels) rounds to 2.
        var half = Tensor.FromArray(new double[] { -0.0, 0 }, 1, 1, 1, 2);
        AssertValues([30], [1, 1, 1, 1], Op("aten::grid_sampler_2d", x, half, 1L, 0L, true), DType.Float64);
    }

    [Fact]
    public void Col2im_is_the_adjoint_of_im2col()
    {
        long c = 2, h = 6, w = 5;
        long[] k = [2, 3], d = [2, 1], p = [1, 1], s = [1, 2];
        long bh = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) / s[0] + 1, bw = (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) / s[1] + 1;
        var image = Random(12, [2, c, h, w]);
        var imageValues = Values(image);
        // im2col written directly: column (channel, tap) × block holds the image value under that tap (zero outside).
        var columns = new double[2 * c * k[0] * k[1] * bh * bw];
        foreach (var ix in Indices([2, c, k[0], k[1], bh, bw]))
        {
            long y = ix[4] * s[0] - p[0] + ix[2] * d[0], x = ix[5] * s[1] - p[1] + ix[3] * d[1];
            if (y >= 0 && y < h && x >= 0 && x < w) columns[Flat([2, c, k[0], k[1], bh, bw], ix)] = imageValues[Flat([2, c, h, w], [ix[0], ix[1], y, x])];
        }
        var cols = Random(13, [2, c * k[0] * k[1], bh * bw]);
        var folded = Op("aten::col2im", cols, new[] { h, w }, k, d, p, s);
        Assert.Equal([2L, c, h, w], Sizes(folded));
        Assert.Equal(Values(cols).Zip(columns).Sum(t => t.First * t.Second), Dot(folded, image), 1e-10);
        Assert.Throws<ArgumentException>(() => Op("aten::col2im", Random(14, [2, 12, 7]), new[] { h, w }, k, d, p, s));
    }

    private static double Distance(double[] a, double[] b, double p) => p switch
    {
        0 => a.Zip(b).Count(t => t.First != t.Second),
        double.PositiveInfinity => a.Zip(b).Max(t => Math.Abs(t.First - t.Second)),
        _ => Math.Pow(a.Zip(b).Sum(t => Math.Pow(Math.Abs(t.First - t.Second), p)), 1 / p),
    };

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(double.PositiveInfinity)]
    public void Cdist_and_pdist_are_p_norm_distances(double p)
    {
        var x1 = Random(15, [2, 1, 4, 3]);
        var x2 = Random(16, [3, 5, 3]);
        var (a, b) = (Values(x1), Values(x2));
        if (p == 0) b[0] = a[0];
        x2 = Tensor.FromArray(b, 3, 5, 3);
        var expected = Indices([2, 3, 4, 5]).Select(ix =>
            Distance(a.Skip((int)((ix[0] * 4 + ix[2]) * 3)).Take(3).ToArray(), b.Skip((int)((ix[1] * 5 + ix[3]) * 3)).Take(3).ToArray(), p)).ToArray();
        AssertValues(expected, [2, 3, 4, 5], Op("aten::_cdist_forward", x1, x2, p, null), DType.Float64, 1e-12, 1e-12);

        var x = Random(17, [5, 3]);
        var xs = Values(x);
        var pairs = new List<double>();
        for (int i = 0; i < 5; i++)
            for (int j = i + 1; j < 5; j++) pairs.Add(Distance(xs.Skip(i * 3).Take(3).ToArray(), xs.Skip(j * 3).Take(3).ToArray(), p));
        AssertValues([.. pairs], [10], Op("aten::_pdist_forward", x, p), DType.Float64, 1e-12, 1e-12);
    }

    [Theory]
    [InlineData(0L, false)]
    [InlineData(1L, false)]
    [InlineData(2L, false)]
    [InlineData(0L, true)]
    [InlineData(1L, true)]
    public void Embedding_bag_reduces_each_bag_of_rows(long mode, bool includeLastOffset)
    {
        var weight = Random(18, [6, 3]);
        var ws = Values(weight);
        long[] indices = [1, 5, 2, 2, 0, 4, 5, 3];
        long[] offsets = includeLastOffset ? [0, 3, 3, 8] : [0, 3, 3, 6];
        long bags = includeLastOffset ? 3 : 4;
        var psw = mode == 0 ? Random(19, [8]) : null;
        var expected = new List<double>();
        var sizes = new List<double>();
        for (int bag = 0; bag < bags; bag++)
        {
            long start = offsets[bag], end = bag + 1 < offsets.Length ? offsets[bag + 1] : indices.Length;
            var members = Enumerable.Range((int)start, (int)(end - start)).Where(t => indices[t] != 5).ToArray();
            sizes.Add(members.Length);
            for (int j = 0; j < 3; j++)
            {
                var column = members.Select(t => ws[indices[t] * 3 + j] * (psw is null ? 1 : Values(psw)[t])).ToArray();
                expected.Add(column.Length == 0 ? 0 : mode switch { 0 => column.Sum(), 1 => column.Average(), _ => column.Max() });
            }
        }
        var r = Multi("aten::_embedding_bag", weight, Tensor.FromArray(indices, 8), Tensor.FromArray(offsets, offsets.Length), false, mode, false, psw, includeLastOffset, 5L);
        AssertValues([.. expected], [bags, 3], r[0], DType.Float64, 1e-14, 1e-14);
        AssertValues([.. sizes], [bags], r[2], DType.Int64);
        Assert.Equal([8L], Sizes(r[1]));
        Assert.Equal(mode == 2 ? [bags, 3] : [bags], Sizes(r[3]));
    }
}

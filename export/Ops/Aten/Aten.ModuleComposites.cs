using Graphport.Graphs;
using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Ops ATen writes with other ops that torch.nn's remaining layers reach: bilinear (x1ᵀ W x2 + b per output feature),
/// im2col (sliding blocks as columns: F.unfold), affine_grid_generator (the sampling grid of an affine transform,
/// for grid_sample: spatial transformer networks), each traced into its body.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Bilinear = Composite("bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor? bias=None) -> Tensor", BilinearBody);
    public static readonly OpOverload Im2Col = Composite("im2col(Tensor self, int[2] kernel_size, int[2] dilation, int[2] padding, int[2] stride) -> Tensor", Im2ColBody);
    public static readonly OpOverload AffineGridGenerator = Composite("affine_grid_generator(Tensor theta, SymInt[] size, bool align_corners) -> Tensor", AffineGridGeneratorBody);

    // y[..., o] = Σ_ij x1[..., i] W[o, i, j] x2[..., j] + b[o], over the flattened leading dims.
    private static object? BilinearBody(object?[] a)
    {
        Tensor x1 = T0(a), x2 = Tn(a, 1), weight = Tn(a, 2);
        var bias = (Tensor?)a[3];
        if (x1.Ndim != x2.Ndim) throw new ArgumentException($"bilinear(): input dimensions do not match: got {x1.Ndim} and {x2.Ndim}");
        for (int d = 0; d < x1.Ndim - 1; d++)
            if (!(x1.Shape[d] == x2.Shape[d]))
                throw new ArgumentException($"bilinear(): input batch dimensions do not match: got {x1.Shape} and {x2.Shape}");
        if (weight.Ndim != 3 || !(weight.Shape[1] == x1.Shape[^1]) || !(weight.Shape[2] == x2.Shape[^1]))
            throw new ArgumentException($"bilinear(): weight must be (out_features, in1_features, in2_features) = (·, {x1.Shape[^1].Hint}, {x2.Shape[^1].Hint}), got {weight.Shape}");
        var lead = x1.Shape.AsArray()[..^1];
        var flat1 = Call(Reshape, x1, new SymInt[] { -1, x1.Shape[^1] });
        var flat2 = Call(Reshape, x2, new SymInt[] { -1, x2.Shape[^1] });
        // (n, i) x (i, o·j) → (n, o, j), then the sum over j against x2.
        SymInt outFeatures = weight.Shape[0], j = weight.Shape[2];
        var left = Call(Mm, flat1, Call(Reshape, Call(Permute, weight, new long[] { 1, 0, 2 }), new SymInt[] { weight.Shape[1], outFeatures * j }));
        var y = Call(SumDim, Call(Mul, Call(View, left, new SymInt[] { -1, outFeatures, j }), Call(Unsqueeze, flat2, 1L)), new long[] { 2 });
        if (bias is not null) y = Call(Add, y, bias);
        return Call(View, y, lead.Append(outFeatures).ToArray());
    }

    // (N, C, H, W) → (N, C·kh·kw, L): each block, padded and dilated, as a column (F.unfold).
    private static object? Im2ColBody(object?[] a)
    {
        var x = T0(a);
        long[] k = Ls2(a[1]), d = Ls2(a[2]), p = Ls2(a[3]), s = Ls2(a[4]);
        if (x.Ndim is not (3 or 4)) throw new ArgumentException($"Input Error: Only 3D or 4D input Tensors are supported (got {x.Ndim}D)");
        if (k.Any(v => v <= 0) || d.Any(v => v <= 0) || s.Any(v => v <= 0) || p.Any(v => v < 0))
            throw new ArgumentException($"im2col: kernel_size, dilation and stride must be positive and padding non-negative, got kernel_size=[{k[0]}, {k[1]}], dilation=[{d[0]}, {d[1]}], padding=[{p[0]}, {p[1]}], stride=[{s[0]}, {s[1]}]");
        bool batched = x.Ndim == 4;
        if (!batched) x = Call(Unsqueeze, x, 0L);
        var padded = p[0] == 0 && p[1] == 0 ? x : Call(ConstantPadNd, x, new SymInt[] { p[1], p[1], p[0], p[0] }, 0L);
        long spanH = d[0] * (k[0] - 1) + 1, spanW = d[1] * (k[1] - 1) + 1;
        if (padded.Shape[2].Hint < spanH || padded.Shape[3].Hint < spanW)
            throw new ArgumentException($"Given input with spatial size ({x.Shape[2].Hint}, {x.Shape[3].Hint}), kernel_size=({k[0]}, {k[1]}), dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), calculated shape of the array of sliding blocks is non-positive; the padded input must be at least as large as the dilated kernel.");
        // (N, C, oh, ow, spanH, spanW) windows, every d-th row and column of each, then kernel positions before blocks.
        var windows = Call(Unfold, Call(Unfold, padded, 2L, spanH, s[0]), 3L, spanW, s[1]);
        if (d[0] > 1) windows = Call(Slice, windows, 4L, (SymInt)0, (SymInt)spanH, (SymInt)d[0]);
        if (d[1] > 1) windows = Call(Slice, windows, 5L, (SymInt)0, (SymInt)spanW, (SymInt)d[1]);
        SymInt n = windows.Shape[0], c = windows.Shape[1], oh = windows.Shape[2], ow = windows.Shape[3];
        var columns = Call(Reshape, Call(Permute, windows, new long[] { 0, 1, 4, 5, 2, 3 }), new SymInt[] { n, c * k[0] * k[1], oh * ow });
        return batched ? columns : Call(SqueezeDim, columns, 0L);
    }

    private static long[] Ls2(object? v) => v switch
    {
        long[] l => l.Length == 1 ? [l[0], l[0]] : l,
        SymInt[] s => s.Length == 1 ? [(long)s[0], (long)s[0]] : s.Select(x => (long)x).ToArray(),
        _ => [L(v), L(v)],
    };

    // Points of the output grid in [-1, 1] (pixel centres without align_corners), moved by each theta: 2-D (N, H, W, 2) or 3-D (N, D, H, W, 3).
    private static object? AffineGridGeneratorBody(object?[] a)
    {
        var theta = T0(a);
        var size = Ss(a[1]);
        bool alignCorners = B(a[2]);
        if (size.Length is not (4 or 5)) throw new ArgumentException($"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size {PythonRepr.Tuple(size.Select(s => s.Hint).ToArray())}.");
        int spatial = size.Length - 2;
        SymInt n = size[0];
        var dims = size[2..];
        Tensor Axis(SymInt steps)
        {
            long count = (long)steps;
            var range = count <= 1 ? CallKw(Full, [new SymInt[] { count }, 0.0], ("dtype", theta.DType)) : CallKw(Linspace, [-1.0, 1.0, count], ("dtype", theta.DType));
            return alignCorners || count <= 1 ? range : Call(Mul, range, (double)(count - 1) / count);
        }
        // Coordinates in x, y(, z) order: x runs along the last dim.
        var coordinates = new List<Tensor>();
        for (int axis = spatial - 1; axis >= 0; axis--)
        {
            var shape = Enumerable.Repeat((SymInt)1, spatial).ToArray();
            shape[axis] = dims[axis];
            coordinates.Add(Call(Expand, Call(View, Axis(dims[axis]), shape), dims));
        }
        coordinates.Add(CallKw(Full, [dims, 1.0], ("dtype", theta.DType)));
        var points = ShapeRules.Product(dims);
        var baseGrid = Call(Stack, coordinates.ToArray(), (long)spatial);
        var grid = Call(Bmm, Call(Expand, Call(View, baseGrid, new SymInt[] { 1, points, spatial + 1 }), new SymInt[] { n, points, spatial + 1 }), Call(Transpose, theta, 1L, 2L));
        return Call(View, grid, new[] { n }.Concat(dims).Append((SymInt)spatial).ToArray());
    }
}

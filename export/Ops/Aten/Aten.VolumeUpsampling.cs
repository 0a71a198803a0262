using Graphport.Operators;

namespace Graphport;

/// <summary>
/// 3-D resizing (volumes: a 3-D U-Net's decoder), which torch's export keeps as upsample_nearest3d.vec and
/// upsample_trilinear3d.vec: both are separable, so each is the 2-D op over (H, W) for every depth slice, then the 1-D
/// op along D, with the same sizes or scales per axis. Trilinear weights are the products of the per-axis weights,
/// so summing them axis by axis gives ATen's values up to rounding; nearest only selects.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload UpsampleNearest3d = Composite("upsample_nearest3d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor", UpsampleNearest3dBody);
    public static readonly OpOverload UpsampleTrilinear3d = Composite("upsample_trilinear3d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor", UpsampleTrilinear3dBody);

    private static object? UpsampleNearest3dBody(object?[] a) =>
        Separable3d("upsample_nearest3d", T0(a), a[1], a[2], (x, size, scales) => Call(UpsampleNearest2d, x, size, scales), (x, size, scales) => Call(UpsampleNearest1d, x, size, scales));

    private static object? UpsampleTrilinear3dBody(object?[] a) =>
        Separable3d("upsample_trilinear3d", T0(a), a[1], a[3], (x, size, scales) => Call(UpsampleBilinear2d, x, size, a[2], scales), (x, size, scales) => Call(UpsampleLinear1d, x, size, a[2], scales));

    private static Tensor Separable3d(string op, Tensor x, object? outputSize, object? scaleFactors,
        Func<Tensor, SymInt[]?, double[]?, Tensor> planar, Func<Tensor, SymInt[]?, double[]?, Tensor> along)
    {
        if (x.Ndim != 5) throw new ArgumentException($"{op}: expected a 5-D input (N, C, D, H, W), got {x.Ndim}-D of shape {x.Shape}.");
        var size = outputSize switch { null => null, SymInt[] s => s, long[] l => l.Select(v => (SymInt)v).ToArray(), _ => throw new ArgumentException($"{op}: output_size must be a list") };
        var scales = scaleFactors as double[];
        if ((size is null) == (scales is null)) throw new ArgumentException($"{op}: must specify exactly one of output_size and scale_factors");
        if (size is { Length: not 3 } || scales is { Length: not 3 })
            throw new ArgumentException($"{op}: output_size and scale_factors take three entries (D, H, W), got {(size?.Length ?? scales!.Length)}");
        SymInt n = x.Shape[0], c = x.Shape[1], d = x.Shape[2];
        // (N, C·D, H, W) → planar resize → (N, C, D, h, w).
        var flat = Call(Reshape, x, new SymInt[] { n, c * d, x.Shape[3], x.Shape[4] });
        var resized = planar(flat, size?[1..], scales?[1..]);
        SymInt h = resized.Shape[2], w = resized.Shape[3];
        // D last as a 1-D signal per (channel, pixel): (N, C·h·w, D) → resize → back to (N, C, d, h, w).
        var signal = Call(Reshape, Call(Permute, Call(View, resized, new SymInt[] { n, c, d, h, w }), new long[] { 0, 1, 3, 4, 2 }), new SymInt[] { n, c * h * w, d });
        var depth = along(signal, size?[..1], scales?[..1]);
        return Call(Permute, Call(View, depth, new SymInt[] { n, c, h, w, depth.Shape[2] }), new long[] { 0, 1, 4, 2, 3 });
    }
}

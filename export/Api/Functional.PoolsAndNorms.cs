namespace Graphport;

/// <summary>torch.nn.functional's 1-D pools, adaptive max pool, pixel shuffles, normalize and rms_norm.</summary>
public static partial class Functional
{
    /// <summary>Means over windows of (N, C, L) input, the padding counted unless countIncludePad is false.</summary>
    public static Tensor AvgPool1d(Tensor x, long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true) =>
        Aten.Call(Aten.AvgPool1d, x, new[] { kernelSize }, new[] { stride ?? kernelSize }, new[] { padding }, ceilMode, countIncludePad);

    /// <summary>Means over outputSize windows of (N, C, L) input that together cover it.</summary>
    public static Tensor AdaptiveAvgPool1d(Tensor x, long outputSize) => Aten.Call(Aten.AdaptiveAvgPool1d, x, new[] { outputSize });

    /// <summary>(values, indices) of the maxima over [outH, outW] windows of (N, C, H, W) input that together cover it.</summary>
    public static (Tensor Values, Tensor Indices) AdaptiveMaxPool2d(Tensor x, long outputH, long outputW) =>
        Tensor.Pair(Aten.CallMulti(Aten.AdaptiveMaxPool2d, x, new[] { outputH, outputW }));

    /// <summary>[N, C·r², H, W] rearranged to [N, C, H·r, W·r] (sub-pixel convolution's upscale).</summary>
    public static Tensor PixelShuffle(Tensor x, long upscaleFactor) => Aten.Call(Aten.PixelShuffle, x, upscaleFactor);

    /// <summary>The inverse of PixelShuffle: [N, C, H·r, W·r] to [N, C·r², H, W].</summary>
    public static Tensor PixelUnshuffle(Tensor x, long downscaleFactor) => Aten.Call(Aten.PixelUnshuffle, x, downscaleFactor);

    /// <summary>
    /// x divided by its p-norm along dim, the norm kept at least eps (torch.nn.functional.normalize), recorded as
    /// torch records it: linalg_vector_norm, clamp_min, expand_as, div.
    /// </summary>
    public static Tensor Normalize(Tensor x, double p = 2, long dim = 1, double eps = 1e-12) =>
        x / Aten.Call(Aten.ClampMin, x.Norm(p, dim, keepdim: true), eps).ExpandAs(x);

    /// <summary>
    /// Root-mean-square normalization over the last normalizedShape.Length dims, times weight when given: x ·
    /// rsqrt(mean(x²) + eps), eps the dtype's machine epsilon when null (torch.nn.functional.rms_norm, written out as
    /// torch's export records it, which the CUDA backend finds and runs as one row kernel).
    /// </summary>
    public static Tensor RmsNorm(Tensor x, long[] normalizedShape, Tensor? weight = null, double? eps = null)
    {
        if (normalizedShape.Length == 0 || normalizedShape.Length > x.Ndim || !normalizedShape.SequenceEqual(x.Shape.Skip(x.Ndim - normalizedShape.Length).Select(s => (long)s)))
            throw new ArgumentException($"rms_norm: normalized_shape [{string.Join(", ", normalizedShape)}] must be the last dims of the input's shape {x.Shape}", nameof(normalizedShape));
        var dims = Enumerable.Range(1, normalizedShape.Length).Select(i => (long)-i).ToArray();
        double epsilon = eps ?? x.DType.MachineEpsilon();
        // Half-precision inputs are normalized in float32 and rounded back, as torch's opmath does.
        var wide = x.DType is DType.Float16 or DType.BFloat16 ? x.To(DType.Float32) : x;
        var normalized = wide * (wide.Pow(2L).Mean(dims, keepdim: true) + epsilon).Rsqrt();
        normalized = ReferenceEquals(wide, x) ? normalized : normalized.To(x.DType);
        return weight is null ? normalized : normalized * weight;
    }
}

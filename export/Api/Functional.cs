namespace Graphport;

/// <summary>torch.nn.functional: stateless layers. Bring in with <c>using F = Graphport.Functional;</c>.</summary>
public static partial class Functional
{
    /// <summary>ReLU; with inplace: true it writes into x, which export records as a functional relu.</summary>
    public static Tensor Relu(Tensor x, bool inplace = false) => inplace ? x.Relu_() : x.Relu();

    public static Tensor Gelu(Tensor x, string approximate = "none") => Aten.Call(Aten.Gelu, x, approximate);

    public static Tensor Silu(Tensor x) => Aten.Call(Aten.Silu, x);

    public static Tensor Hardswish(Tensor x) => Aten.Call(Aten.Hardswish, x);

    public static Tensor Hardsigmoid(Tensor x) => Aten.Call(Aten.Hardsigmoid, x);

    public static Tensor Relu6(Tensor x) => Aten.Call(Aten.Hardtanh, x, 0L, 6L);

    public static Tensor Hardtanh(Tensor x, double min = -1, double max = 1) => Aten.Call(Aten.Hardtanh, x, min, max);

    public static Tensor LeakyRelu(Tensor x, double negativeSlope = 0.01) => Aten.Call(Aten.LeakyRelu, x, negativeSlope);

    public static Tensor Elu(Tensor x, double alpha = 1) => Aten.Call(Aten.Elu, x, alpha);

    public static Tensor Softplus(Tensor x, double beta = 1, double threshold = 20) => Aten.Call(Aten.Softplus, x, beta, threshold);

    public static Tensor Sigmoid(Tensor x) => x.Sigmoid();

    public static Tensor Tanh(Tensor x) => x.Tanh();

    public static Tensor Softmax(Tensor x, long dim) => x.Softmax(dim);

    public static Tensor LogSoftmax(Tensor x, long dim) => x.LogSoftmax(dim);

    /// <summary>
    /// softmax((logits + g) / tau) with g Gumbel noise (-log of exponential samples); with hard, the one-hot of its
    /// argmax, carrying the soft values' gradient (one_hot - soft.detach() + soft), as F.gumbel_softmax computes it.
    /// </summary>
    public static Tensor GumbelSoftmax(Tensor logits, double tau = 1, bool hard = false, long dim = -1)
    {
        var gumbels = Torch.EmptyLike(logits).Exponential_().Log().Neg();
        var soft = ((logits + gumbels) / tau).Softmax(dim);
        if (!hard) return soft;
        var index = soft.Max(dim, keepdim: true).Indices;
        return Torch.ZerosLike(logits).Scatter_(dim, index, 1.0) - soft.Detach() + soft;
    }

    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => Aten.Call(Aten.Linear, input, weight, bias);

    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1) =>
        Aten.Call(Aten.Conv2d, input, weight, bias, stride ?? [1, 1], padding ?? [0, 0], dilation ?? [1, 1], groups);

    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        Aten.Call(Aten.Conv1d, input, weight, bias, new[] { stride }, new[] { padding }, new[] { dilation }, groups);

    /// <summary>3-D convolution over [N, C, D, H, W] (or unbatched [C, D, H, W]) input with weight [O, C/groups, kD, kH, kW].</summary>
    public static Tensor Conv3d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1) =>
        Aten.Call(Aten.Conv3d, input, weight, bias, stride ?? [1, 1, 1], padding ?? [0, 0, 0], dilation ?? [1, 1, 1], groups);

    public static Tensor ConvTranspose1d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long outputPadding = 0, long groups = 1, long dilation = 1) =>
        Aten.Call(Aten.ConvTranspose1d, input, weight, bias, new[] { stride }, new[] { padding }, new[] { outputPadding }, groups, new[] { dilation });

    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? outputPadding = null, long groups = 1, long[]? dilation = null) =>
        Aten.Call(Aten.ConvTranspose2d, input, weight, bias, stride ?? [1, 1], padding ?? [0, 0], outputPadding ?? [0, 0], groups, dilation ?? [1, 1]);

    /// <summary>Transposed 3-D convolution: input [N, Cin, D, H, W] (or [Cin, D, H, W]), weight [Cin, Cout/groups, kD, kH, kW].</summary>
    public static Tensor ConvTranspose3d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? outputPadding = null, long groups = 1, long[]? dilation = null) =>
        Aten.Call(Aten.ConvTranspose3d, input, weight, bias, stride ?? [1, 1, 1], padding ?? [0, 0, 0], outputPadding ?? [0, 0, 0], groups, dilation ?? [1, 1, 1]);

    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        Aten.Call(Aten.BatchNorm, input, weight, bias, runningMean, runningVar, training, momentum, eps, true);

    public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
        Aten.Call(Aten.LayerNorm, input, normalizedShape, weight, bias, eps);

    public static Tensor GroupNorm(Tensor input, long numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
        Aten.Call(Aten.GroupNorm, input, numGroups, weight, bias, eps);

    public static Tensor Embedding(Tensor indices, Tensor weight, long? paddingIdx = null) => Aten.Call(Aten.Embedding, weight, indices, paddingIdx ?? -1L);

    public static Tensor Dropout(Tensor x, double p = 0.5, bool training = true) => Aten.Call(Aten.Dropout, x, p, training);

    public static Tensor MaxPool2d(Tensor x, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceilMode = false) =>
        Aten.Call(Aten.MaxPool2d, x, kernelSize, stride ?? [], padding ?? [0, 0], dilation ?? [1, 1], ceilMode);

    public static Tensor AvgPool2d(Tensor x, long[] kernelSize, long[]? stride = null, long[]? padding = null, bool ceilMode = false, bool countIncludePad = true, long? divisorOverride = null) =>
        Aten.Call(Aten.AvgPool2d, x, kernelSize, stride ?? [], padding ?? [0, 0], ceilMode, countIncludePad, divisorOverride);

    public static Tensor AdaptiveAvgPool2d(Tensor x, long[] outputSize) => Aten.Call(Aten.AdaptiveAvgPool2dComposite, x, outputSize);

    public static Tensor Pad(Tensor x, long[] pad, string mode = "constant", double value = 0) => Aten.Call(Aten.PadComposite, x, pad, mode, value);

    /// <summary>F.upsample, interpolate's older name.</summary>
    public static Tensor Upsample(Tensor x, long[]? size = null, double[]? scaleFactor = null, string mode = "nearest", bool alignCorners = false) =>
        Interpolate(x, size, scaleFactor, mode, alignCorners);

    /// <summary>F.upsample_nearest: nearest-neighbour resizing.</summary>
    public static Tensor UpsampleNearest(Tensor x, long[]? size = null, double[]? scaleFactor = null) => Interpolate(x, size, scaleFactor, "nearest");

    /// <summary>F.upsample_bilinear: bilinear resizing with the corners aligned (as that function always did).</summary>
    public static Tensor UpsampleBilinear(Tensor x, long[]? size = null, double[]? scaleFactor = null) => Interpolate(x, size, scaleFactor, "bilinear", alignCorners: true);

    /// <summary>
    /// Resizes the spatial dims of (N, C, L), (N, C, H, W) or (N, C, D, H, W) input to size or by scaleFactor (one per
    /// spatial dim, or one for all): "nearest" and "area" (an adaptive average pool) for any, "linear" for (N, C, L),
    /// "bilinear" and "bicubic" for (N, C, H, W), "trilinear" for (N, C, D, H, W), as torch.nn.functional.interpolate.
    /// </summary>
    public static Tensor Interpolate(Tensor x, long[]? size = null, double[]? scaleFactor = null, string mode = "nearest", bool alignCorners = false)
    {
        int spatial = x.Ndim - 2;
        if (scaleFactor is [var one] && spatial > 1) scaleFactor = Enumerable.Repeat(one, spatial).ToArray();
        return (mode, spatial) switch
        {
            ("nearest", 1) => Aten.Call(Aten.UpsampleNearest1d, x, size, scaleFactor),
            ("nearest", 2) => Aten.Call(Aten.UpsampleNearest2d, x, size, scaleFactor),
            ("linear", 1) => Aten.Call(Aten.UpsampleLinear1d, x, size, alignCorners, scaleFactor),
            ("bilinear", 2) => Aten.Call(Aten.UpsampleBilinear2d, x, size, alignCorners, scaleFactor),
            ("bicubic", 2) => Aten.Call(Aten.UpsampleBicubic2d, x, size, alignCorners, scaleFactor),
            ("nearest", 3) => Aten.Call(Aten.UpsampleNearest3d, x, size, scaleFactor),
            ("area", >= 1 and <= 3) => AreaResize(x, size, scaleFactor, spatial),
            ("trilinear", 3) => Aten.Call(Aten.UpsampleTrilinear3d, x, size, alignCorners, scaleFactor),
            ("nearest" or "linear" or "bilinear" or "bicubic" or "trilinear" or "area", _) => throw new NotSupportedException(
                $"Got {x.Ndim}D input, but {mode} mode needs {(mode switch { "linear" => "3D", "nearest" => "3D, 4D or 5D", "trilinear" => "5D", "area" => "3D, 4D or 5D", _ => "4D" })} input (N, C, spatial...)."),
            _ => throw new NotSupportedException($"Interpolate mode \"{mode}\" is not supported; use \"nearest\", \"linear\", \"bilinear\", \"bicubic\", \"trilinear\" or \"area\"."),
        };
    }

    // "area" is an adaptive average pool to the output size (torch's interpolate does the same); a scale gives
    // floor(size · scale) per spatial dim.
    private static Tensor AreaResize(Tensor x, long[]? size, double[]? scaleFactor, int spatial)
    {
        if ((size is null) == (scaleFactor is null)) throw new ArgumentException("interpolate: must specify exactly one of output_size and scale_factors");
        var output = size ?? x.Shape.AsArray()[^spatial..].Select((s, i) => (long)Math.Floor((long)s * scaleFactor![scaleFactor.Length == 1 ? 0 : i])).ToArray();
        if (output.Length != spatial) throw new ArgumentException($"interpolate: expected {spatial} output sizes for a {x.Ndim}D input, got {output.Length}");
        return spatial switch
        {
            1 => AdaptiveAvgPool1d(x, output[0]),
            2 => AdaptiveAvgPool2d(x, output),
            _ => AdaptiveAvgPool3d(x, output),
        };
    }

    /// <summary>
    /// torch's scaled_dot_product_attention; with <paramref name="enableGqa"/>, a key and value with fewer heads than the
    /// query (grouped-query attention) serve consecutive groups of query heads, as if each were repeated to meet them.
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null, double dropoutP = 0, bool isCausal = false, double? scale = null, bool enableGqa = false) =>
        enableGqa
            ? Aten.CallKw(Aten.ScaledDotProductAttention, [query, key, value, attnMask, dropoutP, isCausal], ("scale", scale), ("enable_gqa", true))
            : Aten.CallKw(Aten.ScaledDotProductAttention, [query, key, value, attnMask, dropoutP, isCausal], ("scale", scale));

    /// <summary>one_hot; numClasses = -1 infers max + 1 from the data.</summary>
    public static Tensor OneHot(Tensor indices, long numClasses = -1) => Aten.Call(Aten.OneHot, indices, numClasses);
}

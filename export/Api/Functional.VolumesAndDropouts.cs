namespace Graphport;

/// <summary>torch.nn.functional's 3-D pooling (volumes, video) and the dropouts beyond plain dropout.</summary>
public static partial class Functional
{
    /// <summary>Max over (kD, kH, kW) windows of (N, C, D, H, W) or (C, D, H, W) input.</summary>
    public static Tensor MaxPool3d(Tensor x, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceilMode = false) =>
        Aten.Call(Aten.MaxPool3d, x, kernelSize, stride ?? [], padding ?? [0, 0, 0], dilation ?? [1, 1, 1], ceilMode);

    /// <summary>Means over (kD, kH, kW) windows of (N, C, D, H, W) or (C, D, H, W) input.</summary>
    public static Tensor AvgPool3d(Tensor x, long[] kernelSize, long[]? stride = null, long[]? padding = null, bool ceilMode = false, bool countIncludePad = true, long? divisorOverride = null) =>
        Aten.Call(Aten.AvgPool3d, x, kernelSize, stride ?? [], padding ?? [0, 0, 0], ceilMode, countIncludePad, divisorOverride);

    /// <summary>Means over the windows that split (D, H, W) into outputSize (d, h, w).</summary>
    public static Tensor AdaptiveAvgPool3d(Tensor x, long[] outputSize) => Aten.Call(Aten.AdaptiveAvgPool3dComposite, x, outputSize);

    /// <summary>In training, zeroes whole channels of (N, C, L) or unbatched (C, L) input with probability p and scales the rest by 1 / (1 − p).</summary>
    public static Tensor Dropout1d(Tensor x, double p = 0.5, bool training = true)
    {
        if (x.Ndim is not (2 or 3)) throw new ArgumentException($"dropout1d: Expected 2D or 3D input, but received a {x.Ndim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).");
        return x.Ndim == 3 ? Aten.Call(Aten.FeatureDropout, x, p, training) : Aten.Call(Aten.FeatureDropout, x.Unsqueeze(0), p, training).Squeeze(0);
    }

    /// <summary>In training, zeroes whole channels of (N, C, H, W) input with probability p and scales the rest.</summary>
    public static Tensor Dropout2d(Tensor x, double p = 0.5, bool training = true) => Aten.Call(Aten.FeatureDropout, x, p, training);

    /// <summary>In training, zeroes whole channels of (N, C, D, H, W) or unbatched (C, D, H, W) input with probability p and scales the rest.</summary>
    public static Tensor Dropout3d(Tensor x, double p = 0.5, bool training = true) =>
        x.Ndim == 4 ? Aten.Call(Aten.FeatureDropout, x.Unsqueeze(0), p, training).Squeeze(0) : Aten.Call(Aten.FeatureDropout, x, p, training);

    /// <summary>SELU networks' dropout: dropped values go to SELU's negative saturation and the result keeps mean 0 and variance 1.</summary>
    /// <summary>Alpha dropout of whole (sample, channel) slices in training; the identity otherwise.</summary>
    public static Tensor FeatureAlphaDropout(Tensor x, double p = 0.5, bool training = false) => Aten.Call(Aten.FeatureAlphaDropout, x, p, training);

    public static Tensor AlphaDropout(Tensor x, double p = 0.5, bool training = false) => Aten.Call(Aten.AlphaDropout, x, p, training);
}

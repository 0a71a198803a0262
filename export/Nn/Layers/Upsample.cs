namespace Graphport;

/// <summary>
/// Resizes (N, C, L) or (N, C, H, W) input to a size or by a scale factor (torch.nn.Upsample): "nearest", "linear",
/// "bilinear" or "bicubic", as Functional.Interpolate.
/// </summary>
public sealed class Upsample : UpsamplingLayer
{
    public Upsample(long[]? size = null, double[]? scaleFactor = null, string mode = "nearest", bool alignCorners = false) : base(size, scaleFactor, mode, alignCorners) { }

    /// <summary>The same scale factor along every spatial dim.</summary>
    public Upsample(double scaleFactor, string mode = "nearest", bool alignCorners = false) : this(null, [scaleFactor], mode, alignCorners) { }
}

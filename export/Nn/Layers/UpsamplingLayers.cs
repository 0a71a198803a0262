using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// What the upsampling layers share (torch.nn.Upsample and the 2-D ones torch keeps for older code): a size or a
/// scale factor (exactly one), a mode and whether corners align, run by Functional.Interpolate.
/// </summary>
public abstract class UpsamplingLayer : Module<Tensor, Tensor>
{
    private readonly long[]? size;
    private readonly double[]? scaleFactor;

    private protected UpsamplingLayer(long[]? size, double[]? scaleFactor, string mode, bool alignCorners)
    {
        if ((size is null) == (scaleFactor is null)) throw new ArgumentException($"{GetType().Name} takes either size or scaleFactor, not both and not neither.");
        this.size = size;
        this.scaleFactor = scaleFactor;
        Mode = mode;
        AlignCorners = alignCorners;
    }

    public string Mode { get; }
    public bool AlignCorners { get; }

    public override Tensor Forward(Tensor x) => Functional.Interpolate(x, size, scaleFactor, Mode, AlignCorners);

    // torch's repr: the size or scale factor, and the mode.
    protected override string ExtraRepr() =>
        (size is not null ? $"size=({string.Join(", ", size)})" : $"scale_factor={(scaleFactor!.Length == 1 ? PythonRepr.Float(scaleFactor[0]) : "(" + string.Join(", ", scaleFactor.Select(PythonRepr.Float)) + ")")}") + $", mode='{Mode}'";
}

/// <summary>Nearest-neighbour upsampling of (N, C, H, W) input (torch.nn.UpsamplingNearest2d: Upsample in mode "nearest").</summary>
public sealed class UpsamplingNearest2d : UpsamplingLayer
{
    public UpsamplingNearest2d(long[]? size = null, double[]? scaleFactor = null) : base(size, scaleFactor, "nearest", false) { }

    public UpsamplingNearest2d(double scaleFactor) : this(null, [scaleFactor]) { }
}

/// <summary>
/// Bilinear upsampling of (N, C, H, W) input with aligned corners (torch.nn.UpsamplingBilinear2d: Upsample in mode
/// "bilinear" with align_corners=True).
/// </summary>
public sealed class UpsamplingBilinear2d : UpsamplingLayer
{
    public UpsamplingBilinear2d(long[]? size = null, double[]? scaleFactor = null) : base(size, scaleFactor, "bilinear", true) { }

    public UpsamplingBilinear2d(double scaleFactor) : this(null, [scaleFactor]) { }
}

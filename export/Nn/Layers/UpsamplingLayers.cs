namespace Graphport;

/// <summary>
/// Nearest-neighbour upsampling of (N, C, H, W) input to a size or by a scale factor (torch.nn.UpsamplingNearest2d,
/// which torch keeps for older code: Upsample with mode "nearest").
/// </summary>
public sealed class UpsamplingNearest2d : Module<Tensor, Tensor>
{
    private readonly long[]? size;
    private readonly double[]? scaleFactor;

    public UpsamplingNearest2d(long[]? size = null, double[]? scaleFactor = null)
    {
        if ((size is null) == (scaleFactor is null)) throw new ArgumentException("UpsamplingNearest2d takes either size or scaleFactor, not both and not neither.");
        this.size = size;
        this.scaleFactor = scaleFactor;
    }

    public UpsamplingNearest2d(double scaleFactor) : this(null, [scaleFactor]) { }

    public override Tensor Forward(Tensor x) => Functional.Interpolate(x, size, scaleFactor, "nearest");

    protected override string ExtraRepr() => Upsample.Describe(size, scaleFactor, "nearest");
}

/// <summary>
/// Bilinear upsampling of (N, C, H, W) input with aligned corners (torch.nn.UpsamplingBilinear2d, which torch keeps
/// for older code: Upsample with mode "bilinear" and align_corners=True).
/// </summary>
public sealed class UpsamplingBilinear2d : Module<Tensor, Tensor>
{
    private readonly long[]? size;
    private readonly double[]? scaleFactor;

    public UpsamplingBilinear2d(long[]? size = null, double[]? scaleFactor = null)
    {
        if ((size is null) == (scaleFactor is null)) throw new ArgumentException("UpsamplingBilinear2d takes either size or scaleFactor, not both and not neither.");
        this.size = size;
        this.scaleFactor = scaleFactor;
    }

    public UpsamplingBilinear2d(double scaleFactor) : this(null, [scaleFactor]) { }

    public override Tensor Forward(Tensor x) => Functional.Interpolate(x, size, scaleFactor, "bilinear", alignCorners: true);

    protected override string ExtraRepr() => Upsample.Describe(size, scaleFactor, "bilinear");
}

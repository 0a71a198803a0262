namespace Graphport;

/// <summary>
/// The 2-D upsampling layers torch keeps for older code (torch.nn.UpsamplingNearest2d, UpsamplingBilinear2d): Upsample
/// with a fixed mode, to a size or by a scale factor.
/// </summary>
public abstract class UpsamplingLayer : Module<Tensor, Tensor>
{
    private readonly long[]? size;
    private readonly double[]? scaleFactor;

    private protected UpsamplingLayer(long[]? size, double[]? scaleFactor)
    {
        if ((size is null) == (scaleFactor is null)) throw new ArgumentException($"{GetType().Name} takes either size or scaleFactor, not both and not neither.");
        this.size = size;
        this.scaleFactor = scaleFactor;
    }

    private protected abstract string Mode { get; }

    private protected virtual bool AlignCorners => false;

    public override Tensor Forward(Tensor x) => Functional.Interpolate(x, size, scaleFactor, Mode, AlignCorners);

    protected override string ExtraRepr() => Upsample.Describe(size, scaleFactor, Mode);
}

/// <summary>Nearest-neighbour upsampling of (N, C, H, W) input (torch.nn.UpsamplingNearest2d).</summary>
public sealed class UpsamplingNearest2d : UpsamplingLayer
{
    public UpsamplingNearest2d(long[]? size = null, double[]? scaleFactor = null) : base(size, scaleFactor) { }

    public UpsamplingNearest2d(double scaleFactor) : base(null, [scaleFactor]) { }

    private protected override string Mode => "nearest";
}

/// <summary>Bilinear upsampling of (N, C, H, W) input with aligned corners (torch.nn.UpsamplingBilinear2d).</summary>
public sealed class UpsamplingBilinear2d : UpsamplingLayer
{
    public UpsamplingBilinear2d(long[]? size = null, double[]? scaleFactor = null) : base(size, scaleFactor) { }

    public UpsamplingBilinear2d(double scaleFactor) : base(null, [scaleFactor]) { }

    private protected override string Mode => "bilinear";

    private protected override bool AlignCorners => true;
}

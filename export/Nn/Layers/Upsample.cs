using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// Resizes (N, C, L) or (N, C, H, W) input to a size or by a scale factor (torch.nn.Upsample): "nearest", "linear",
/// "bilinear" or "bicubic", as Functional.Interpolate.
/// </summary>
public sealed class Upsample : Module<Tensor, Tensor>
{
    private readonly long[]? size;
    private readonly double[]? scaleFactor;

    public Upsample(long[]? size = null, double[]? scaleFactor = null, string mode = "nearest", bool alignCorners = false)
    {
        if ((size is null) == (scaleFactor is null)) throw new ArgumentException("Upsample takes either size or scaleFactor, not both and not neither.");
        this.size = size;
        this.scaleFactor = scaleFactor;
        Mode = mode;
        AlignCorners = alignCorners;
    }

    /// <summary>The same scale factor along every spatial dim.</summary>
    public Upsample(double scaleFactor, string mode = "nearest", bool alignCorners = false) : this(null, [scaleFactor], mode, alignCorners) { }

    public string Mode { get; }
    public bool AlignCorners { get; }

    public override Tensor Forward(Tensor x) => Functional.Interpolate(x, size, scaleFactor, Mode, AlignCorners);

    protected override string ExtraRepr() => Describe(size, scaleFactor, Mode);

    /// <summary>torch's repr of an upsampling layer: its size or scale factor, and mode.</summary>
    internal static string Describe(long[]? size, double[]? scaleFactor, string mode) =>
        (size is not null ? $"size=({string.Join(", ", size)})" : $"scale_factor={(scaleFactor!.Length == 1 ? PythonRepr.Float(scaleFactor[0]) : "(" + string.Join(", ", scaleFactor.Select(PythonRepr.Float)) + ")")}") + $", mode='{mode}'";
}

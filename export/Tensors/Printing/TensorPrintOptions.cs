namespace Graphport;

/// <summary>
/// The knobs of <c>torch.set_printoptions</c>. Torch keeps them as global state; here they are passed
/// explicitly so that printing stays a pure function, and <see cref="Default"/> is what an unconfigured
/// torch uses — the setting whose output Graphport must reproduce.
/// </summary>
public sealed record TensorPrintOptions
{
    public static TensorPrintOptions Default { get; } = new();

    /// <summary>Digits after the decimal point (fixed) or after the leading digit (scientific).</summary>
    public int Precision { get; init; } = 4;

    /// <summary>Element count above which a tensor is summarized with <c>...</c>; may be infinite.</summary>
    public double Threshold { get; init; } = 1000;

    /// <summary>Items kept at each end of a summarized dimension.</summary>
    public int EdgeItems { get; init; } = 3;

    /// <summary>Characters per line before a row of elements wraps.</summary>
    public int LineWidth { get; init; } = 80;

    /// <summary>Forces (true) or forbids (false) scientific notation; null lets the values decide.</summary>
    public bool? SciMode { get; init; }
}

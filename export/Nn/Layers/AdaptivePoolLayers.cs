namespace Graphport;

/// <summary>
/// The adaptive pools' target size (torch.nn.AdaptiveAvgPool1d/2d/3d, AdaptiveMaxPool1d/2d/3d): one size for every
/// spatial dim, or one per dim where null keeps that dim of the input (torch's None).
/// </summary>
public abstract class AdaptivePoolLayer : Module<Tensor, Tensor>
{
    private readonly bool uniform;

    private protected AdaptivePoolLayer(string layer, long?[] outputSize, bool uniform)
    {
        foreach (var size in outputSize)
            if (size is < 0) throw new ArgumentException($"{layer}: output sizes must not be negative, got {Describe(outputSize, uniform)}.", nameof(outputSize));
        OutputSize = outputSize;
        this.uniform = uniform;
    }

    /// <summary>The output's spatial size; a null entry keeps the input's size on that dim.</summary>
    public IReadOnlyList<long?> OutputSize { get; }

    /// <summary>The output size for this input: null entries replaced by the input's own (possibly symbolic) sizes.</summary>
    private protected SymInt[] SizeFor(Tensor x)
    {
        int rank = OutputSize.Count;
        if (x.Ndim < rank + 1)
            throw new ArgumentException($"{GetType().Name} expects a {rank + 1}-D or {rank + 2}-D input (channels, then {rank} spatial dims), got {x.Ndim}-D of shape {x.Shape}.");
        return OutputSize.Select((s, d) => s is long n ? (SymInt)n : x.Shape[x.Ndim - rank + d]).ToArray();
    }

    protected override string ExtraRepr() => $"output_size={Describe(OutputSize, uniform)}";

    private static string Describe(IReadOnlyList<long?> sizes, bool uniform) =>
        uniform ? $"{sizes[0]}" : "(" + string.Join(", ", sizes.Select(s => s is long n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "None")) + ")";
}

/// <summary>Means over outputSize windows that cover (N, C, L) input (torch.nn.AdaptiveAvgPool1d).</summary>
public sealed class AdaptiveAvgPool1d(long outputSize) : AdaptivePoolLayer("AdaptiveAvgPool1d", [outputSize], uniform: true)
{
    public override Tensor Forward(Tensor x) => Aten.Call(Aten.AdaptiveAvgPool1d, x, SizeFor(x));
}

/// <summary>Means over the windows that split (H, W) into the output size (torch.nn.AdaptiveAvgPool2d); null keeps a dim.</summary>
public sealed class AdaptiveAvgPool2d : AdaptivePoolLayer
{
    public AdaptiveAvgPool2d(long outputSize) : base("AdaptiveAvgPool2d", [outputSize, outputSize], uniform: true) { }

    public AdaptiveAvgPool2d(long? outputH, long? outputW) : base("AdaptiveAvgPool2d", [outputH, outputW], uniform: false) { }

    public override Tensor Forward(Tensor x) => Aten.Call(Aten.AdaptiveAvgPool2dComposite, x, SizeFor(x));
}

/// <summary>Means over the windows that split (D, H, W) into the output size (torch.nn.AdaptiveAvgPool3d); null keeps a dim.</summary>
public sealed class AdaptiveAvgPool3d : AdaptivePoolLayer
{
    public AdaptiveAvgPool3d(long outputSize) : base("AdaptiveAvgPool3d", [outputSize, outputSize, outputSize], uniform: true) { }

    public AdaptiveAvgPool3d(long? outputD, long? outputH, long? outputW) : base("AdaptiveAvgPool3d", [outputD, outputH, outputW], uniform: false) { }

    public override Tensor Forward(Tensor x) => Aten.Call(Aten.AdaptiveAvgPool3dComposite, x, SizeFor(x));
}

/// <summary>
/// Maxima over the windows that split the input's spatial dims into the output size; CallWithIndices also gives
/// their flat positions (torch's return_indices=True), for MaxUnpool.
/// </summary>
public abstract class AdaptiveMaxPoolLayer : AdaptivePoolLayer
{
    private protected AdaptiveMaxPoolLayer(string layer, long?[] outputSize, bool uniform) : base(layer, outputSize, uniform) { }

    public override Tensor Forward(Tensor x) => ForwardWithIndices(x).Values;

    /// <summary>(values, indices) of the maxima, the indices flat within each plane (volume in 3-D) of the input.</summary>
    public abstract (Tensor Values, Tensor Indices) ForwardWithIndices(Tensor x);

    /// <summary>ForwardWithIndices as a call of this module (recorded in the module stack while tracing).</summary>
    public (Tensor Values, Tensor Indices) CallWithIndices(Tensor x)
    {
        using var scope = EnterCall();
        return ForwardWithIndices(x);
    }
}

/// <summary>Maxima over outputSize windows that cover (N, C, L) input (torch.nn.AdaptiveMaxPool1d).</summary>
public sealed class AdaptiveMaxPool1d(long outputSize) : AdaptiveMaxPoolLayer("AdaptiveMaxPool1d", [outputSize], uniform: true)
{
    public override (Tensor Values, Tensor Indices) ForwardWithIndices(Tensor x) => Tensor.Pair(Aten.CallMulti(Aten.AdaptiveMaxPool1d, x, SizeFor(x)));
}

/// <summary>Maxima over the windows that split (H, W) into the output size (torch.nn.AdaptiveMaxPool2d); null keeps a dim.</summary>
public sealed class AdaptiveMaxPool2d : AdaptiveMaxPoolLayer
{
    public AdaptiveMaxPool2d(long outputSize) : base("AdaptiveMaxPool2d", [outputSize, outputSize], uniform: true) { }

    public AdaptiveMaxPool2d(long? outputH, long? outputW) : base("AdaptiveMaxPool2d", [outputH, outputW], uniform: false) { }

    public override (Tensor Values, Tensor Indices) ForwardWithIndices(Tensor x) => Tensor.Pair(Aten.CallMulti(Aten.AdaptiveMaxPool2d, x, SizeFor(x)));
}

/// <summary>Maxima over the windows that split (D, H, W) into the output size (torch.nn.AdaptiveMaxPool3d); null keeps a dim.</summary>
public sealed class AdaptiveMaxPool3d : AdaptiveMaxPoolLayer
{
    public AdaptiveMaxPool3d(long outputSize) : base("AdaptiveMaxPool3d", [outputSize, outputSize, outputSize], uniform: true) { }

    public AdaptiveMaxPool3d(long? outputD, long? outputH, long? outputW) : base("AdaptiveMaxPool3d", [outputD, outputH, outputW], uniform: false) { }

    public override (Tensor Values, Tensor Indices) ForwardWithIndices(Tensor x) => Tensor.Pair(Aten.CallMulti(Aten.AdaptiveMaxPool3d, x, SizeFor(x)));
}

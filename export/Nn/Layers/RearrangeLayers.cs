namespace Graphport;

/// <summary>[N, C·r², H, W] to [N, C, H·r, W·r] (torch.nn.PixelShuffle).</summary>
public sealed class PixelShuffle(long upscaleFactor) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.PixelShuffle(x, upscaleFactor);

    protected override string ExtraRepr() => $"upscale_factor={upscaleFactor}";
}

/// <summary>The channels regrouped, each group's interleaved (torch.nn.ChannelShuffle, ShuffleNet's).</summary>
public sealed class ChannelShuffle(long groups) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.ChannelShuffle(x, groups);

    protected override string ExtraRepr() => $"groups={groups}";
}

/// <summary>One dim unflattened into sizes (torch.nn.Unflatten).</summary>
public sealed class Unflatten(long dim, params long[] sizes) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x.Unflatten(dim, sizes);

    protected override string ExtraRepr() => $"dim={dim}, unflattened_size=({string.Join(", ", sizes)})";
}

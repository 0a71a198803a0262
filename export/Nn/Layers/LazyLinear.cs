namespace Graphport;

/// <summary>torch.nn.LazyLinear: a Linear whose in_features is the first input's last dim.</summary>
public sealed class LazyLinear(long outFeatures, bool hasBias = true) : LazyLayer<Linear>
{
    public long OutFeatures { get; } = outFeatures;

    protected override Linear Create(long inputSize) => new(inputSize, OutFeatures, hasBias);

    protected override long InputSize(Tensor x) => x.Ndim == 0 ? throw new ArgumentException("LazyLinear needs an input with at least one dimension (its last is in_features).") : x.Sizes[^1];
}

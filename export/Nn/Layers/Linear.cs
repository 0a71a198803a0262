namespace Graphport;

/// <summary>y = x Wᵀ + b (torch.nn.Linear); exports as aten.t + aten.addmm for 2-D inputs.</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public Linear(long inFeatures, long outFeatures, bool hasBias = true)
    {
        if (inFeatures < 0 || outFeatures < 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear needs non-negative sizes, got in_features={inFeatures}, out_features={outFeatures}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(Init.KaimingUniformDefault([outFeatures, inFeatures]));
        bias = hasBias ? new Parameter(Init.BiasDefault(outFeatures, inFeatures)) : null;
    }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    public Parameter Weight => weight;

    public Parameter? Bias => bias;

    public override Tensor Forward(Tensor x) => Functional.Linear(x, weight, bias);

    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={(bias is null ? "False" : "True")}";
}

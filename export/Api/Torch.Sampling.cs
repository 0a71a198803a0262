namespace Graphport;

/// <summary>torch.bernoulli, torch.normal, torch.multinomial and torch.poisson (seeded by Torch.ManualSeed).</summary>
public static partial class Torch
{
    /// <summary>1 with each element's probability, else 0.</summary>
    public static Graphport.Tensor Bernoulli(Graphport.Tensor probabilities) => Aten.Call(Aten.BernoulliTensor, probabilities);

    /// <summary>Normal samples with elementwise means and standard deviations (broadcast together).</summary>
    public static Graphport.Tensor Normal(Graphport.Tensor mean, Graphport.Tensor std) => Aten.Call(Aten.NormalTensorTensor, mean, std);

    public static Graphport.Tensor Normal(Graphport.Tensor mean, double std = 1) => Aten.Call(Aten.NormalTensorFloat, mean, std);

    public static Graphport.Tensor Normal(double mean, Graphport.Tensor std) => Aten.Call(Aten.NormalFloatTensor, mean, std);

    /// <summary>A tensor of size of normal samples with the given mean and standard deviation.</summary>
    public static Graphport.Tensor Normal(double mean, double std, long[] size, DType? dtype = null) => Aten.CallKw(Aten.NormalFloatFloat, [mean, std, size], WithDType(dtype));

    /// <summary>numSamples category indices per row, drawn in proportion to the row's non-negative weights.</summary>
    public static Graphport.Tensor Multinomial(Graphport.Tensor weights, long numSamples, bool replacement = false) => Aten.Call(Aten.Multinomial, weights, numSamples, replacement);

    /// <summary>Poisson counts with the elements as rates.</summary>
    public static Graphport.Tensor Poisson(Graphport.Tensor rates) => Aten.Call(Aten.Poisson, rates);
}

using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// Root-mean-square normalization over the last dims, times a learned weight (torch.nn.RMSNorm): what Llama-style
/// models normalize with. eps null is the dtype's machine epsilon.
/// </summary>
public sealed class RMSNorm : Module<Tensor, Tensor>
{
    private readonly Parameter? weight;

    public RMSNorm(long[] normalizedShape, double? eps = null, bool elementwiseAffine = true)
    {
        if (normalizedShape.Length == 0 || normalizedShape.Any(s => s <= 0))
            throw new ArgumentException($"RMSNorm needs a non-empty normalized shape of positive sizes, got [{string.Join(", ", normalizedShape)}].", nameof(normalizedShape));
        NormalizedShape = normalizedShape;
        Eps = eps;
        weight = elementwiseAffine ? new Parameter(Torch.Ones(normalizedShape)) : null;
    }

    public RMSNorm(long normalizedSize, double? eps = null, bool elementwiseAffine = true) : this([normalizedSize], eps, elementwiseAffine) { }

    public long[] NormalizedShape { get; }
    public double? Eps { get; }
    public Parameter? Weight => weight;

    public override Tensor Forward(Tensor x) => Functional.RmsNorm(x, NormalizedShape, weight, Eps);

    protected override string ExtraRepr() =>
        $"{PythonRepr.Tuple(NormalizedShape)}, eps={(Eps is double e ? PythonRepr.Float(e) : "None")}, elementwise_affine={(weight is null ? "False" : "True")}";
}

/// <summary>
/// Each (sample, channel) normalized over its spatial dims (torch.nn.InstanceNorm1d/2d/3d alike: the statistics are
/// each instance's own), then a learned per-channel affine when affine is true.
/// </summary>
public sealed class InstanceNorm : Module<Tensor, Tensor>
{
    private readonly Parameter? weight;
    private readonly Parameter? bias;

    public InstanceNorm(long numFeatures, double eps = 1e-5, bool affine = false)
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), $"InstanceNorm needs a positive number of features, got {numFeatures}.");
        NumFeatures = numFeatures;
        Eps = eps;
        weight = affine ? new Parameter(Torch.Ones(numFeatures)) : null;
        bias = affine ? new Parameter(Torch.Zeros(numFeatures)) : null;
    }

    public long NumFeatures { get; }
    public double Eps { get; }

    public override Tensor Forward(Tensor x) => Functional.InstanceNorm(x, weight, bias, Eps);

    protected override string ExtraRepr() => $"{NumFeatures}, eps={PythonRepr.Float(Eps)}, momentum=0.1, affine={(weight is null ? "False" : "True")}, track_running_stats=False";
}

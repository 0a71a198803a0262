using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// Batch normalization over the channel dim of (N, C) or (N, C, L) input (torch.nn.BatchNorm1d): running statistics
/// in eval mode, updated (buffer mutations in the exported program) in training mode, as BatchNorm2d.
/// </summary>
public sealed class BatchNorm1d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Buffer running_mean;
    private readonly Buffer running_var;
    private readonly Buffer num_batches_tracked;

    public BatchNorm1d(long numFeatures, double eps = 1e-5, double momentum = 0.1)
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), $"BatchNorm1d needs a positive number of features, got {numFeatures}.");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        weight = new Parameter(Torch.Ones(numFeatures));
        bias = new Parameter(Torch.Zeros(numFeatures));
        running_mean = new Buffer(Torch.Zeros(numFeatures));
        running_var = new Buffer(Torch.Ones(numFeatures));
        num_batches_tracked = new Buffer(Torch.Zeros(Array.Empty<long>(), DType.Int64));
    }

    public long NumFeatures { get; }
    public double Eps { get; }
    public double Momentum { get; }
    public Parameter Weight => weight;
    public Parameter BiasParameter => bias;
    public Buffer RunningMean => running_mean;
    public Buffer RunningVar => running_var;

    public override Tensor Forward(Tensor x)
    {
        CheckInputDim(x);
        if (Training) num_batches_tracked.Add_(1L);
        return Functional.BatchNorm(x, running_mean, running_var, weight, bias, Training, Momentum, Eps);
    }

    // Outside Forward: strict export inspects the exported root's Forward and would refuse a throw there.
    private static void CheckInputDim(Tensor x)
    {
        if (x.Ndim is not (2 or 3)) throw new ArgumentException($"BatchNorm1d expected 2D or 3D input (N, C) or (N, C, L), got {x.Ndim}D input of shape {x.Shape}.");
    }

    protected override string ExtraRepr() => $"{NumFeatures}, eps={PythonRepr.Float(Eps)}, momentum={PythonRepr.Float(Momentum)}, affine=True, track_running_stats=True";
}

using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// Batch normalization over the channel dim of NCHW input (torch.nn.BatchNorm2d). In eval mode it uses the
/// running statistics (exported as _native_batch_norm_legit_no_training); in training mode it updates them,
/// which export records as buffer mutations.
/// </summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Buffer running_mean;
    private readonly Buffer running_var;
    private readonly Buffer num_batches_tracked;

    public BatchNorm2d(long numFeatures, double eps = 1e-5, double momentum = 0.1)
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), $"BatchNorm2d needs a positive number of features, got {numFeatures}.");
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

    // A throw written in Forward itself would make strict export reject this layer when it is the exported root
    // (strict export inspects the root's Forward); library helpers are trusted code.
    private static void CheckInputDim(Tensor x)
    {
        if (x.Ndim != 4) throw new ArgumentException($"BatchNorm2d expected 4D input (N, C, H, W), got {x.Ndim}D input of shape {x.Shape}.");
    }

    protected override string ExtraRepr() => $"{NumFeatures}, eps={PythonRepr.Float(Eps)}, momentum={PythonRepr.Float(Momentum)}, affine=True, track_running_stats=True";
}

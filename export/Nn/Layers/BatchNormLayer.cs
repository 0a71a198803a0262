using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// What BatchNorm1d and BatchNorm2d share (torch's _BatchNorm): a per-channel affine (weight, bias), running statistics
/// (running_mean, running_var, num_batches_tracked) used in eval mode and updated in training mode (buffer mutations in
/// an exported program). The subclasses check the input's rank.
/// </summary>
public abstract class BatchNormLayer : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Buffer running_mean;
    private readonly Buffer running_var;
    private readonly Buffer num_batches_tracked;

    private protected BatchNormLayer(string kind, long numFeatures, double eps, double momentum)
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), $"{kind} needs a positive number of features, got {numFeatures}.");
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

    // Outside Forward: strict export inspects the exported root's Forward and would refuse a throw written there;
    // library helpers are trusted code.
    private protected abstract void CheckInputDim(Tensor x);

    protected override string ExtraRepr() => $"{NumFeatures}, eps={PythonRepr.Float(Eps)}, momentum={PythonRepr.Float(Momentum)}, affine=True, track_running_stats=True";
}

using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// What InstanceNorm1d/2d/3d share (torch's _InstanceNorm): each (sample, channel) normalized over its spatial dims,
/// a per-channel affine when affine is true, and, with trackRunningStats, running statistics (the batch's mean of
/// per-instance statistics, blended by momentum; torch leaves them unchanged when momentum is null) that eval mode
/// normalizes with. An unbatched input (no N) is taken as a batch of one.
/// </summary>
public abstract class InstanceNormLayer : Module<Tensor, Tensor>
{
    private readonly int spatialDims;
    private readonly Parameter? weight;
    private readonly Parameter? bias;
    private readonly Buffer? running_mean;
    private readonly Buffer? running_var;
    private readonly Buffer? num_batches_tracked;

    private protected InstanceNormLayer(int spatialDims, long numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats)
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), $"{GetType().Name} needs a positive number of features, got {numFeatures}.");
        this.spatialDims = spatialDims;
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            weight = new Parameter(Torch.Ones(numFeatures));
            bias = new Parameter(Torch.Zeros(numFeatures));
        }
        if (trackRunningStats)
        {
            running_mean = new Buffer(Torch.Zeros(numFeatures));
            running_var = new Buffer(Torch.Ones(numFeatures));
            num_batches_tracked = new Buffer(Torch.Zeros(Array.Empty<long>(), DType.Int64));
        }
    }

    public long NumFeatures { get; }
    public double Eps { get; }
    public double? Momentum { get; }
    public bool Affine => weight is not null;
    public bool TrackRunningStats => running_mean is not null;
    public Parameter? Weight => weight;
    public Parameter? Bias => bias;
    public Buffer? RunningMean => running_mean;
    public Buffer? RunningVar => running_var;

    public override Tensor Forward(Tensor x)
    {
        var batched = Batched(x);
        bool useInputStats = Training || running_mean is null;
        if (Training && running_mean is not null) UpdateRunningStats(batched);
        var y = Aten.Call(Aten.InstanceNorm, batched, weight, bias, running_mean, running_var, useInputStats, Momentum ?? 0.0, Eps, false);
        return ReferenceEquals(batched, x) ? y : y.Squeeze(0);
    }

    // Outside Forward: strict export inspects the exported root's Forward and would refuse a throw written there.
    private Tensor Batched(Tensor x)
    {
        if (x.Ndim != spatialDims + 1 && x.Ndim != spatialDims + 2)
            throw new ArgumentException($"{GetType().Name}: expected {spatialDims + 1}D or {spatialDims + 2}D input (got {x.Ndim}D input)");
        int channelDim = x.Ndim - spatialDims - 1;
        if (weight is not null && x.Shape[channelDim].AsConstant is long c && c != NumFeatures)
            throw new ArgumentException($"{GetType().Name}: expected input's size at dim={channelDim} to match num_features ({NumFeatures}), but got: {c}.");
        return x.Ndim == spatialDims + 1 ? x.Unsqueeze(0) : x;
    }

    // torch's instance_norm blends each channel's statistics with the batch's mean of the instances' mean and unbiased
    // variance; a null momentum blends with 0 (the statistics stay), and num_batches_tracked stays 0, as in torch.
    private void UpdateRunningStats(Tensor x)
    {
        double m = Momentum ?? 0.0;
        var spatial = Enumerable.Range(2, spatialDims).Select(d => (long)d).ToArray();
        var mean = x.Mean(spatial).Mean(0);
        var variance = x.Var(spatial).Mean(0);
        running_mean!.Copy_(running_mean * (1 - m) + mean * m);
        running_var!.Copy_(running_var! * (1 - m) + variance * m);
    }

    protected override string ExtraRepr() =>
        $"{NumFeatures}, eps={PythonRepr.Float(Eps)}, momentum={(Momentum is double m ? PythonRepr.Float(m) : "None")}, affine={Py(Affine)}, bias={Py(Affine)}, track_running_stats={Py(TrackRunningStats)}";

    private static string Py(bool b) => b ? "True" : "False";
}

/// <summary>Instance normalization of (N, C, L) or (C, L) input (torch.nn.InstanceNorm1d).</summary>
public sealed class InstanceNorm1d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = false, bool trackRunningStats = false)
    : InstanceNormLayer(1, numFeatures, eps, momentum, affine, trackRunningStats);

/// <summary>Instance normalization of (N, C, H, W) or (C, H, W) input (torch.nn.InstanceNorm2d).</summary>
public sealed class InstanceNorm2d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = false, bool trackRunningStats = false)
    : InstanceNormLayer(2, numFeatures, eps, momentum, affine, trackRunningStats);

/// <summary>Instance normalization of (N, C, D, H, W) or (C, D, H, W) input (torch.nn.InstanceNorm3d).</summary>
public sealed class InstanceNorm3d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = false, bool trackRunningStats = false)
    : InstanceNormLayer(3, numFeatures, eps, momentum, affine, trackRunningStats);

namespace Graphport;

/// <summary>
/// torch.nn's loss modules: each holds its options (and a class weight as the buffer "weight", as torch registers it)
/// and calls its Functional loss; reduction is "none", "mean" or "sum", checked when the module is made.
/// </summary>
public abstract class LossModule : Module<Tensor, Tensor, Tensor>
{
    protected LossModule(string reduction, params string[] extraReductions)
    {
        if (!extraReductions.Contains(reduction)) LossReduction.FromName(reduction);
        Reduction = reduction;
    }

    public string Reduction { get; }
}

/// <summary>Cross entropy of logits against class indices or class probabilities (torch.nn.CrossEntropyLoss).</summary>
public sealed class CrossEntropyLoss : LossModule
{
    private readonly Tensor? weight;

    public CrossEntropyLoss(Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean", double labelSmoothing = 0.0) : base(reduction)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"label_smoothing must be between 0.0 and 1.0. Got: {labelSmoothing}");
        if (weight is not null) this.weight = RegisterBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
    }

    public long IgnoreIndex { get; }
    public double LabelSmoothing { get; }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.CrossEntropy(input, target, weight, IgnoreIndex, Reduction, LabelSmoothing);
}

/// <summary>Negative log-likelihood of log-probabilities at class indices (torch.nn.NLLLoss).</summary>
public sealed class NLLLoss : LossModule
{
    private readonly Tensor? weight;

    public NLLLoss(Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean") : base(reduction)
    {
        if (weight is not null) this.weight = RegisterBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
    }

    public long IgnoreIndex { get; }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, weight, IgnoreIndex, Reduction);
}

/// <summary>Connectionist temporal classification loss (torch.nn.CTCLoss): Forward(logProbs, targets, inputLengths,
/// targetLengths), see <see cref="Functional.CtcLoss(Tensor, Tensor, Tensor, Tensor, long, string, bool)"/>.</summary>
public sealed class CTCLoss : Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    public CTCLoss(long blank = 0, string reduction = "mean", bool zeroInfinity = false)
    {
        LossReduction.FromName(reduction);
        Blank = blank;
        Reduction = reduction;
        ZeroInfinity = zeroInfinity;
    }

    public long Blank { get; }

    public string Reduction { get; }

    public bool ZeroInfinity { get; }

    public override Tensor Forward(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths) =>
        Functional.CtcLoss(logProbs, targets, inputLengths, targetLengths, Blank, Reduction, ZeroInfinity);
}

/// <summary>torch.nn.NLLLoss2d, torch's deprecated name of <see cref="NLLLoss"/> for (N, C, H, W) inputs.</summary>
public sealed class NLLLoss2d : LossModule
{
    private readonly Tensor? weight;

    public NLLLoss2d(Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean") : base(reduction)
    {
        if (weight is not null) this.weight = RegisterBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
    }

    public long IgnoreIndex { get; }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, weight, IgnoreIndex, Reduction);
}

/// <summary>
/// Cross entropy of logits from an inner linear layer (torch.nn.LinearCrossEntropyLoss, new in torch 2.14): the child
/// "linear" holds (C · d1 ⋯ dK, in_features) weights, reshaped to (C, d1, ..., dK, in_features) for
/// <see cref="Functional.LinearCrossEntropy"/>.
/// </summary>
public sealed class LinearCrossEntropyLoss : LossModule
{
    private readonly Linear linear;
    private readonly Tensor? weight;

    public LinearCrossEntropyLoss(long inFeatures, long numClasses, long[]? outFeatures = null, bool bias = false, string reduction = "mean", Tensor? weight = null, long ignoreIndex = -100, double labelSmoothing = 0.0) : base(reduction)
    {
        OutFeatures = outFeatures ?? [];
        if (weight is { } classWeights && (classWeights.Ndim != 1 || classWeights.Sizes[0] != numClasses))
            throw new ArgumentException($"expected weight shape to be ({numClasses},), got ({string.Join(", ", classWeights.Shape)})", nameof(weight));
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"expected label_smoothing to be in range [0, 1], got {labelSmoothing}");
        NumClasses = numClasses;
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
        if (weight is not null) this.weight = RegisterBuffer("weight", weight);
        linear = new Linear(inFeatures, OutFeatures.Aggregate(numClasses, (p, d) => p * d), hasBias: bias);
    }

    public long NumClasses { get; }

    public IReadOnlyList<long> OutFeatures { get; }

    public long IgnoreIndex { get; }

    public double LabelSmoothing { get; }

    public Linear Linear => linear;

    public override Tensor Forward(Tensor input, Tensor target)
    {
        long[] classShape = [NumClasses, .. OutFeatures];
        var linearWeight = linear.Weight.Reshape([.. classShape, linear.InFeatures]);
        return Functional.LinearCrossEntropy(input, linearWeight, target, linear.Bias?.Reshape(classShape), weight, Reduction, IgnoreIndex, LabelSmoothing);
    }
}

/// <summary>Mean squared error (torch.nn.MSELoss).</summary>
public sealed class MSELoss(string reduction = "mean") : LossModule(reduction)
{
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
}

/// <summary>Mean absolute error (torch.nn.L1Loss).</summary>
public sealed class L1Loss(string reduction = "mean") : LossModule(reduction)
{
    public override Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}

/// <summary>Squared below beta, absolute above (torch.nn.SmoothL1Loss).</summary>
public sealed class SmoothL1Loss : LossModule
{
    public SmoothL1Loss(string reduction = "mean", double beta = 1.0) : base(reduction)
    {
        if (beta < 0) throw new ArgumentOutOfRangeException(nameof(beta), $"smooth_l1_loss does not support negative values for beta (got {beta}).");
        Beta = beta;
    }

    public double Beta { get; }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.SmoothL1Loss(input, target, Reduction, Beta);
}

/// <summary>Squared below delta, delta times absolute above (torch.nn.HuberLoss).</summary>
public sealed class HuberLoss : LossModule
{
    public HuberLoss(string reduction = "mean", double delta = 1.0) : base(reduction)
    {
        if (delta <= 0) throw new ArgumentOutOfRangeException(nameof(delta), $"huber_loss does not support non-positive values for delta (got {delta}).");
        Delta = delta;
    }

    public double Delta { get; }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.HuberLoss(input, target, Reduction, Delta);
}

/// <summary>Binary cross entropy of probabilities (torch.nn.BCELoss).</summary>
public sealed class BCELoss : LossModule
{
    private readonly Tensor? weight;

    public BCELoss(Tensor? weight = null, string reduction = "mean") : base(reduction)
    {
        if (weight is not null) this.weight = RegisterBuffer("weight", weight);
    }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, weight, Reduction);
}

/// <summary>Binary cross entropy of logits, the sigmoid included (torch.nn.BCEWithLogitsLoss).</summary>
public sealed class BCEWithLogitsLoss : LossModule
{
    private readonly Tensor? weight;
    private readonly Tensor? posWeight;

    public BCEWithLogitsLoss(Tensor? weight = null, string reduction = "mean", Tensor? posWeight = null) : base(reduction)
    {
        if (weight is not null) this.weight = RegisterBuffer("weight", weight);
        if (posWeight is not null) this.posWeight = RegisterBuffer("pos_weight", posWeight);
    }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropyWithLogits(input, target, weight, Reduction, posWeight);
}

/// <summary>Kullback-Leibler divergence of log-probabilities from a target (torch.nn.KLDivLoss); "batchmean" is allowed.</summary>
public sealed class KLDivLoss(string reduction = "mean", bool logTarget = false) : LossModule(reduction, "batchmean")
{
    public bool LogTarget { get; } = logTarget;

    public override Tensor Forward(Tensor input, Tensor target) => Functional.KlDiv(input, target, Reduction, LogTarget);
}

/// <summary>Logistic loss for targets ±1 (torch.nn.SoftMarginLoss).</summary>
public sealed class SoftMarginLoss(string reduction = "mean") : LossModule(reduction)
{
    public override Tensor Forward(Tensor input, Tensor target) => Functional.SoftMarginLoss(input, target, Reduction);
}

/// <summary>The input where the target is 1, the hinge max(0, margin − input) where it is −1 (torch.nn.HingeEmbeddingLoss).</summary>
public sealed class HingeEmbeddingLoss(double margin = 1.0, string reduction = "mean") : LossModule(reduction)
{
    public double Margin { get; } = margin;

    public override Tensor Forward(Tensor input, Tensor target) => Functional.HingeEmbeddingLoss(input, target, Margin, Reduction);
}

/// <summary>Negative log-likelihood of a Poisson-distributed target (torch.nn.PoissonNLLLoss).</summary>
public sealed class PoissonNLLLoss(bool logInput = true, bool full = false, double eps = 1e-8, string reduction = "mean") : LossModule(reduction)
{
    public bool LogInput { get; } = logInput;
    public bool Full { get; } = full;
    public double Eps { get; } = eps;

    public override Tensor Forward(Tensor input, Tensor target) => Functional.PoissonNllLoss(input, target, LogInput, Full, Eps, Reduction);
}

/// <summary>Binary cross entropy of logits averaged over the classes (torch.nn.MultiLabelSoftMarginLoss).</summary>
public sealed class MultiLabelSoftMarginLoss : LossModule
{
    private readonly Tensor? weight;

    public MultiLabelSoftMarginLoss(Tensor? weight = null, string reduction = "mean") : base(reduction)
    {
        if (weight is not null) this.weight = RegisterBuffer("weight", weight);
    }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.MultilabelSoftMarginLoss(input, target, weight, Reduction);
}

/// <summary>What the losses over a pair of inputs and a ±1 target share: a margin and the reduction.</summary>
public abstract class PairMarginLoss : Module<Tensor, Tensor, Tensor, Tensor>
{
    private protected PairMarginLoss(double margin, string reduction)
    {
        LossReduction.FromName(reduction);
        Margin = margin;
        Reduction = reduction;
    }

    public double Margin { get; }
    public string Reduction { get; }
}

/// <summary>Ranks input1 above input2 where the target is 1, below where it is −1 (torch.nn.MarginRankingLoss).</summary>
public sealed class MarginRankingLoss(double margin = 0, string reduction = "mean") : PairMarginLoss(margin, reduction)
{
    public override Tensor Forward(Tensor input1, Tensor input2, Tensor target) => Functional.MarginRankingLoss(input1, input2, target, Margin, Reduction);
}

/// <summary>Pulls pairs together where the target is 1 and pushes them apart where it is −1, by cosine (torch.nn.CosineEmbeddingLoss).</summary>
public sealed class CosineEmbeddingLoss(double margin = 0, string reduction = "mean") : PairMarginLoss(margin, reduction)
{
    public override Tensor Forward(Tensor input1, Tensor input2, Tensor target) => Functional.CosineEmbeddingLoss(input1, input2, target, Margin, Reduction);
}

/// <summary>Keeps an anchor nearer its positive than its negative by a margin (torch.nn.TripletMarginLoss).</summary>
public sealed class TripletMarginLoss : Module<Tensor, Tensor, Tensor, Tensor>
{
    public TripletMarginLoss(double margin = 1.0, double p = 2, double eps = 1e-6, bool swap = false, string reduction = "mean")
    {
        LossReduction.FromName(reduction);
        Margin = margin;
        P = p;
        Eps = eps;
        Swap = swap;
        Reduction = reduction;
    }

    public double Margin { get; }
    public double P { get; }
    public double Eps { get; }
    public bool Swap { get; }
    public string Reduction { get; }

    public override Tensor Forward(Tensor anchor, Tensor positive, Tensor negative) =>
        Functional.TripletMarginLoss(anchor, positive, negative, Margin, P, Eps, Swap, Reduction);
}

/// <summary>Negative log-likelihood of a Gaussian with predicted mean and variance (torch.nn.GaussianNLLLoss).</summary>
public sealed class GaussianNLLLoss : Module<Tensor, Tensor, Tensor, Tensor>
{
    public GaussianNLLLoss(bool full = false, double eps = 1e-6, string reduction = "mean")
    {
        LossReduction.FromName(reduction);
        (Full, Eps, Reduction) = (full, eps, reduction);
    }

    public bool Full { get; }
    public double Eps { get; }
    public string Reduction { get; }

    public override Tensor Forward(Tensor input, Tensor target, Tensor var) => Functional.GaussianNllLoss(input, target, var, Full, Eps, Reduction);
}

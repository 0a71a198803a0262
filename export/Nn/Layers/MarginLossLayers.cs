namespace Graphport;

/// <summary>The multi-class hinge loss against one class index per sample (torch.nn.MultiMarginLoss); weight is a buffer.</summary>
public sealed class MultiMarginLoss : LossModule
{
    private readonly Tensor? weight;

    public MultiMarginLoss(long p = 1, double margin = 1, Tensor? weight = null, string reduction = "mean") : base(reduction)
    {
        if (p is not (1 or 2)) throw new ArgumentException("only p == 1 and p == 2 supported", nameof(p));
        if (weight is not null && weight.Ndim != 1) throw new ArgumentException($"weight must be one-dimensional (a weight per class), got shape {weight.Shape}.", nameof(weight));
        P = p;
        Margin = margin;
        if (weight is not null) this.weight = RegisterBuffer("weight", weight);
    }

    public long P { get; }
    public double Margin { get; }

    public override Tensor Forward(Tensor input, Tensor target) => Functional.MultiMarginLoss(input, target, P, Margin, weight, Reduction);
}

/// <summary>The multi-label hinge loss against each sample's listed target classes (torch.nn.MultiLabelMarginLoss).</summary>
public sealed class MultiLabelMarginLoss(string reduction = "mean") : LossModule(reduction)
{
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MultilabelMarginLoss(input, target, Reduction);
}

/// <summary>
/// The triplet loss over any distance (torch.nn.TripletMarginWithDistanceLoss): a distance module (PairwiseDistance
/// by default) is the child "distance_function", as torch registers it; a plain function is not a child.
/// </summary>
public sealed class TripletMarginWithDistanceLoss : Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Func<Tensor, Tensor, Tensor> distance;

    public TripletMarginWithDistanceLoss(Module<Tensor, Tensor, Tensor>? distanceFunction = null, double margin = 1.0, bool swap = false, string reduction = "mean")
    {
        (Margin, Swap, Reduction) = Checked(margin, swap, reduction);
        distance = RegisterModule("distance_function", distanceFunction ?? new PairwiseDistance()).Call;
    }

    public TripletMarginWithDistanceLoss(Func<Tensor, Tensor, Tensor> distanceFunction, double margin = 1.0, bool swap = false, string reduction = "mean")
    {
        ArgumentNullException.ThrowIfNull(distanceFunction);
        (Margin, Swap, Reduction) = Checked(margin, swap, reduction);
        distance = distanceFunction;
    }

    public double Margin { get; }
    public bool Swap { get; }
    public string Reduction { get; }

    public override Tensor Forward(Tensor anchor, Tensor positive, Tensor negative) =>
        Functional.TripletMarginWithDistanceLoss(anchor, positive, negative, distance, Margin, Swap, Reduction);

    private static (double, bool, string) Checked(double margin, bool swap, string reduction)
    {
        LossReduction.FromName(reduction);
        if (!(margin > 0)) throw new ArgumentException($"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} instead", nameof(margin));
        return (margin, swap, reduction);
    }
}

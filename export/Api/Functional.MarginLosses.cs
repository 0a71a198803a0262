namespace Graphport;

/// <summary>torch.nn.functional's multi-class margin losses and the triplet loss over any distance.</summary>
public static partial class Functional
{
    /// <summary>
    /// The multi-class hinge loss of (N, C) or (C) scores against one class index per sample: Σ_{i ≠ y} w[y] ·
    /// max(0, margin − x[y] + x[i])^p / C, p 1 or 2.
    /// </summary>
    public static Tensor MultiMarginLoss(Tensor input, Tensor target, long p = 1, double margin = 1, Tensor? weight = null, string reduction = "mean")
    {
        long r = LossReduction.FromName(reduction);
        if (p is not (1 or 2)) throw new ArgumentException("only p == 1 and p == 2 supported", nameof(p));
        if (weight is not null && weight.Ndim != 1) throw new ArgumentException($"weight must be one-dimensional (a weight per class), got shape {weight.Shape}.", nameof(weight));
        return Aten.Call(Aten.MultiMarginLoss, input, target, p, margin, weight, r);
    }

    /// <summary>
    /// The multi-label hinge loss of (N, C) or (C) scores against each sample's target classes, listed first in its
    /// row of target and ended by −1: Σ_{j listed} Σ_{i not listed} max(0, 1 − (x[j] − x[i])) / C.
    /// </summary>
    public static Tensor MultilabelMarginLoss(Tensor input, Tensor target, string reduction = "mean") =>
        Aten.Call(Aten.MultilabelMarginLoss, input, target, LossReduction.FromName(reduction));

    /// <summary>
    /// max(margin + d(anchor, positive) − d(anchor, negative), 0) for any distance d (PairwiseDistance when null);
    /// with swap, the negative's distance is the smaller of its distances to the anchor and to the positive. torch
    /// writes it in Python, so the graph records the distance's ops and clamp_min.
    /// </summary>
    public static Tensor TripletMarginWithDistanceLoss(Tensor anchor, Tensor positive, Tensor negative, Func<Tensor, Tensor, Tensor>? distanceFunction = null,
        double margin = 1.0, bool swap = false, string reduction = "mean")
    {
        long r = LossReduction.FromName(reduction);
        if (!(margin > 0)) throw new ArgumentException($"triplet_margin_with_distance_loss: expected margin to be greater than 0, got {margin} instead", nameof(margin));
        if (anchor.Ndim != positive.Ndim || positive.Ndim != negative.Ndim)
            throw new ArgumentException($"The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor {anchor.Ndim}D, positive {positive.Ndim}D, and negative {negative.Ndim}D inputs");
        var distance = distanceFunction ?? ((x1, x2) => PairwiseDistance(x1, x2));
        var toPositive = distance(anchor, positive);
        var toNegative = distance(anchor, negative);
        if (swap) toNegative = Aten.Call(Aten.Minimum, toNegative, distance(positive, negative));
        var loss = Aten.Call(Aten.ClampMin, Aten.Call(Aten.Sub, Aten.Call(Aten.AddScalar, toPositive, margin), toNegative), 0L);
        return r switch
        {
            LossReduction.Sum => Aten.Call(Aten.Sum, loss),
            LossReduction.Mean => Aten.Call(Aten.Mean, loss),
            _ => loss,
        };
    }
}

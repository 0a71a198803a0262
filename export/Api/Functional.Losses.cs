using Graphport.Operators;

namespace Graphport;

/// <summary>
/// torch.nn.functional's losses. Each records what torch records (the same ATen op, the same checks), takes
/// reduction as "none", "mean" or "sum", and runs eagerly on the CPU; RunDecompositions takes them to Core ATen, so
/// the CUDA backend runs them too.
/// </summary>
public static partial class Functional
{
    /// <summary>
    /// Cross entropy of logits (C), (N, C) or (N, C, d1, ...): against class indices (N, d1, ...), or class
    /// probabilities of the input's own shape. Targets equal to ignoreIndex count for nothing; labelSmoothing mixes in
    /// the uniform distribution.
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean", double labelSmoothing = 0.0) =>
        Aten.Call(Aten.CrossEntropyLoss, input, target, weight, LossReduction.FromName(reduction), ignoreIndex, labelSmoothing);

    /// <summary>
    /// Connectionist temporal classification loss (torch.nn.functional.ctc_loss) of per-frame log-probabilities
    /// (T, N, C) (or (T, C) for one sequence) against label sequences, padded (N, S) or concatenated (sum of
    /// targetLengths), each sequence's frame and label counts given; "mean" divides each loss by its label count
    /// before averaging over the batch. A sequence too long for its frames has an infinite loss (0 with zeroInfinity).
    /// </summary>
    public static Tensor CtcLoss(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths, long blank = 0, string reduction = "mean", bool zeroInfinity = false) =>
        Aten.Call(Aten.CtcLossTensor, logProbs, targets, inputLengths, targetLengths, blank, LossReduction.FromName(reduction), zeroInfinity);

    /// <summary><see cref="CtcLoss(Tensor, Tensor, Tensor, Tensor, long, string, bool)"/> with the lengths as numbers
    /// (fixed in an exported program).</summary>
    public static Tensor CtcLoss(Tensor logProbs, Tensor targets, long[] inputLengths, long[] targetLengths, long blank = 0, string reduction = "mean", bool zeroInfinity = false) =>
        Aten.Call(Aten.CtcLossIntList, logProbs, targets, inputLengths.Select(l => (SymInt)l).ToArray(), targetLengths.Select(l => (SymInt)l).ToArray(), blank, LossReduction.FromName(reduction), zeroInfinity);

    /// <summary>
    /// Cross entropy of input transformed to logits by linearWeight (torch.nn.functional.linear_cross_entropy, new in
    /// torch 2.14): linearWeight (C, d1, ..., dK, in_features) gives logits (N, C, d1, ..., dK) for input (N,
    /// in_features); targets and the other arguments are <see cref="CrossEntropy"/>'s. torch's chunked options (a memory
    /// saving for training) are not taken: the logits are formed whole, which is what its reference computes.
    /// </summary>
    public static Tensor LinearCrossEntropy(Tensor input, Tensor linearWeight, Tensor target, Tensor? linearBias = null, Tensor? weight = null, string reduction = "mean", long ignoreIndex = -100, double labelSmoothing = 0.0)
    {
        if (linearWeight.Ndim < 2) throw new ArgumentException($"linear_cross_entropy: linear_weight must be (C, ..., in_features), got {linearWeight.Ndim}-D", nameof(linearWeight));
        var classShape = linearWeight.Shape.Take(linearWeight.Ndim - 1).ToArray();
        SymInt outputs = classShape.Aggregate((SymInt)1, (p, s) => p * s);
        var flatWeight = linearWeight.Reshape([outputs, linearWeight.Size(-1)]);
        var flatBias = linearBias?.Reshape([outputs]);
        var logits = Linear(input, flatWeight, flatBias);
        if (classShape.Length > 1) logits = logits.Reshape([.. logits.Shape.Take(logits.Ndim - 1), .. classShape]);
        return CrossEntropy(logits, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /// <summary>Negative log-likelihood of log-probabilities (C), (N, C) or (N, C, d1, ...) at class indices.</summary>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean") =>
        Aten.Call(Aten.NllLossNd, input, target, weight, LossReduction.FromName(reduction), ignoreIndex);

    /// <summary>(input − target)², the two broadcast to one shape as torch broadcasts them.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, string reduction = "mean")
    {
        long r = LossReduction.FromName(reduction);
        var (x, y) = BroadcastPair(input, target);
        return Aten.Call(Aten.MseLoss, x, y, r);
    }

    /// <summary>|input − target|.</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, string reduction = "mean")
    {
        long r = LossReduction.FromName(reduction);
        var (x, y) = BroadcastPair(input, target);
        return Aten.Call(Aten.L1Loss, x, y, r);
    }

    /// <summary>Squared below beta (halved and divided by beta), absolute above; a beta of 0 is the l1 loss.</summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, string reduction = "mean", double beta = 1.0)
    {
        long r = LossReduction.FromName(reduction);
        var (x, y) = BroadcastPair(input, target);
        return beta == 0 ? Aten.Call(Aten.L1Loss, x, y, r) : Aten.Call(Aten.SmoothL1Loss, x, y, r, beta);
    }

    /// <summary>Squared (halved) below delta, delta times the absolute above.</summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, string reduction = "mean", double delta = 1.0)
    {
        long r = LossReduction.FromName(reduction);
        var (x, y) = BroadcastPair(input, target);
        return Aten.Call(Aten.HuberLoss, x, y, r, delta);
    }

    /// <summary>Binary cross entropy of probabilities in [0, 1] against targets of the same shape.</summary>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean")
    {
        long r = LossReduction.FromName(reduction);
        RequireSameSize(input, target, "binary_cross_entropy");
        if (weight is not null)
            weight = Aten.Call(Aten.Expand, weight, ShapeRules.Broadcast(target.Shape.AsArray(), weight.Shape.AsArray()));
        return Aten.Call(Aten.BinaryCrossEntropy, input, target, weight, r);
    }

    /// <summary>Binary cross entropy of logits (sigmoid included, computed stably); posWeight weighs the positives per class.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean", Tensor? posWeight = null)
    {
        long r = LossReduction.FromName(reduction);
        RequireSameSize(input, target, "binary_cross_entropy_with_logits");
        return Aten.Call(Aten.BinaryCrossEntropyWithLogits, input, target, weight, posWeight, r);
    }

    /// <summary>
    /// Kullback-Leibler divergence of log-probabilities from a target (probabilities, or log-probabilities with
    /// logTarget). "batchmean" divides the sum by the batch size, which is the divergence's definition; "mean" divides
    /// by every element.
    /// </summary>
    public static Tensor KlDiv(Tensor input, Tensor target, string reduction = "mean", bool logTarget = false)
    {
        long r = reduction == "batchmean" ? LossReduction.Sum : LossReduction.FromName(reduction);
        var reduced = Aten.CallKw(Aten.KlDiv, [input, target, r], ("log_target", logTarget));
        return reduction == "batchmean" && input.Ndim != 0 ? Aten.Call(Aten.Div, reduced, input.Shape[0]) : reduced;
    }

    /// <summary>log(1 + exp(−target · input)) for targets ±1.</summary>
    public static Tensor SoftMarginLoss(Tensor input, Tensor target, string reduction = "mean") =>
        Aten.Call(Aten.SoftMarginLoss, input, target, LossReduction.FromName(reduction));

    /// <summary>max(0, −target · (input1 − input2) + margin): target 1 wants input1 ranked higher, −1 input2.</summary>
    public static Tensor MarginRankingLoss(Tensor input1, Tensor input2, Tensor target, double margin = 0, string reduction = "mean")
    {
        long r = LossReduction.FromName(reduction);
        if (input1.Ndim != input2.Ndim || input1.Ndim != target.Ndim)
            throw new ArgumentException($"margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: {input1.Shape}, input2: {input2.Shape}, target: {target.Shape} ");
        return Aten.Call(Aten.MarginRankingLoss, input1, input2, target, margin, r);
    }

    /// <summary>input where target is 1, max(0, margin − input) where it is −1.</summary>
    public static Tensor HingeEmbeddingLoss(Tensor input, Tensor target, double margin = 1.0, string reduction = "mean") =>
        Aten.Call(Aten.HingeEmbeddingLoss, input, target, margin, LossReduction.FromName(reduction));

    /// <summary>1 − cos(input1, input2) where target is 1, max(0, cos − margin) where it is −1, per row.</summary>
    public static Tensor CosineEmbeddingLoss(Tensor input1, Tensor input2, Tensor target, double margin = 0, string reduction = "mean") =>
        Aten.Call(Aten.CosineEmbeddingLoss, input1, input2, target, margin, LossReduction.FromName(reduction));

    /// <summary>Negative log-likelihood of a Poisson target: exp(input) − target · input for a log rate (logInput), else input − target · log(input + eps); full adds Stirling's term.</summary>
    public static Tensor PoissonNllLoss(Tensor input, Tensor target, bool logInput = true, bool full = false, double eps = 1e-8, string reduction = "mean") =>
        Aten.Call(Aten.PoissonNllLoss, input, target, logInput, full, eps, LossReduction.FromName(reduction));

    /// <summary>max(0, d(anchor, positive) − d(anchor, negative) + margin) with the p-norm distance; swap also tries d(positive, negative).</summary>
    public static Tensor TripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative, double margin = 1.0, double p = 2, double eps = 1e-6, bool swap = false, string reduction = "mean") =>
        Aten.Call(Aten.TripletMarginLoss, anchor, positive, negative, margin, p, eps, swap, LossReduction.FromName(reduction));

    /// <summary>
    /// Binary cross entropy of logits per class, averaged over the classes (the last dim): a loss per sample, then
    /// reduced. torch writes it in Python, so its ops are what the graph records.
    /// </summary>
    public static Tensor MultilabelSoftMarginLoss(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean")
    {
        long r = LossReduction.FromName(reduction);
        var loss = Aten.Call(Aten.Neg, Aten.Call(Aten.Add,
            Aten.Call(Aten.Mul, target, Aten.Call(Aten.LogSigmoid, input)),
            Aten.Call(Aten.Mul, Aten.Call(Aten.Rsub, target, 1L), Aten.Call(Aten.LogSigmoid, Aten.Call(Aten.Neg, input)))));
        if (weight is not null) loss = Aten.Call(Aten.Mul, loss, weight);
        long classDim = input.Ndim - 1;
        loss = Aten.Call(Aten.Div, Aten.Call(Aten.SumDim, loss, new[] { classDim }), input.Shape[(int)classDim]);
        return LossReduction.Apply(loss, r);
    }

    /// <summary>
    /// Negative log-likelihood of a Gaussian with the predicted mean (input) and variance (var: the input's shape, one
    /// per sample (its last dim dropped or 1), clamped to eps): ½·(log var + (input − target)² / var), plus ½·log 2π
    /// with full. A negative variance fails the call when its values are known (eagerly); an exported program clamps it.
    /// </summary>
    public static Tensor GaussianNllLoss(Tensor input, Tensor target, Tensor var, bool full = false, double eps = 1e-6, string reduction = "mean")
    {
        long r = LossReduction.FromName(reduction);
        SymInt[] sizes = var.Shape.AsArray(), inputSizes = input.Shape.AsArray();
        if (!ShapeRules.SameSizes(sizes, inputSizes))
        {
            if (ShapeRules.SameSizes(sizes, inputSizes[..^1])) var = var.Unsqueeze(-1);
            else if (!(var.Ndim == input.Ndim && ShapeRules.SameSizes(sizes[..^1], inputSizes[..^1]) && sizes[^1] == 1))
                throw new ArgumentException($"var is of incorrect size: {var.Shape} for an input of {input.Shape}; give one variance per element, per sample ({Graphs.PythonRepr.Tuple(inputSizes[..^1].Select(s => s.Hint).ToArray())}) or with a last dim of 1.");
        }
        if (Tracing.Tracer.Current is null && !var.IsFake && (var < 0.0).Any().Item<bool>()) throw new ArgumentException("var has negative entry/entries: a variance is at least 0.");
        var clamped = Aten.Call(Aten.ClampMin, var, eps);
        var loss = (clamped.Log() + (input - target).Pow(2.0) / clamped) * 0.5;
        if (full) loss = loss + 0.5 * Math.Log(2 * Math.PI);
        return LossReduction.Apply(loss, r);
    }

    /// <summary>torch.broadcast_tensors of two, which torch's functional losses call first.</summary>
    private static (Tensor, Tensor) BroadcastPair(Tensor a, Tensor b)
    {
        var both = (Tensor[])Aten.Dispatch(Aten.BroadcastTensors, [new[] { a, b }])!;
        return (both[0], both[1]);
    }

    private static void RequireSameSize(Tensor input, Tensor target, string op)
    {
        if (!ShapeRules.SameSizes(input.Shape.AsArray(), target.Shape.AsArray()))
            throw new ArgumentException($"{op}: the target's size {target.Shape} differs from the input's {input.Shape}; give the target the input's shape (one target per input element).");
    }
}

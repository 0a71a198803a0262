using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The losses ATen writes with other ops (CompositeImplicitAutograd), so tracing records their bodies: cross_entropy_loss
/// (class indices, class probabilities, label smoothing), nll_loss_nd / nll_loss / nll_loss2d, l1_loss, kl_div,
/// margin_ranking_loss, hinge_embedding_loss, cosine_embedding_loss, poisson_nll_loss and triplet_margin_loss, each
/// in the order ATen computes it. Bodies are methods, not lambdas (see Aten.PointwiseComposites.cs).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload CrossEntropyLoss = Composite("cross_entropy_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, SymInt ignore_index=-100, float label_smoothing=0.0) -> Tensor", CrossEntropyLossBody);
    public static readonly OpOverload NllLossNd = Composite("nll_loss_nd(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, SymInt ignore_index=-100) -> Tensor", NllLossNdBody);
    public static readonly OpOverload NllLoss = Composite("nll_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, SymInt ignore_index=-100) -> Tensor", NllLossBody);
    public static readonly OpOverload NllLoss2d = Composite("nll_loss2d(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, SymInt ignore_index=-100) -> Tensor", NllLoss2dBody);
    public static readonly OpOverload L1Loss = Composite("l1_loss(Tensor self, Tensor target, int reduction=Mean) -> Tensor", L1LossBody);
    public static readonly OpOverload KlDiv = Composite("kl_div(Tensor self, Tensor target, int reduction=Mean, *, bool log_target=False) -> Tensor", KlDivBody);
    public static readonly OpOverload MarginRankingLoss = Composite("margin_ranking_loss(Tensor input1, Tensor input2, Tensor target, float margin=0.0, int reduction=Mean) -> Tensor", MarginRankingLossBody);
    public static readonly OpOverload HingeEmbeddingLoss = Composite("hinge_embedding_loss(Tensor self, Tensor target, float margin=1.0, int reduction=Mean) -> Tensor", HingeEmbeddingLossBody);
    public static readonly OpOverload CosineEmbeddingLoss = Composite("cosine_embedding_loss(Tensor input1, Tensor input2, Tensor target, float margin=0.0, int reduction=Mean) -> Tensor", CosineEmbeddingLossBody);
    public static readonly OpOverload PoissonNllLoss = Composite("poisson_nll_loss(Tensor input, Tensor target, bool log_input, bool full, float eps, int reduction) -> Tensor", PoissonNllLossBody);
    public static readonly OpOverload TripletMarginLoss = Composite("triplet_margin_loss(Tensor anchor, Tensor positive, Tensor negative, float margin=1.0, float p=2, float eps=1e-06, bool swap=False, int reduction=Mean) -> Tensor", TripletMarginLossBody);

    private static string SizesText(Tensor t) => $"[{string.Join(", ", t.Shape.AsArray().Select(s => s.Hint))}]";

    /// <summary>
    /// A target of the input's own shape holds class probabilities; otherwise class indices, through nll_loss_nd of
    /// the log-softmax, with label smoothing mixing in the mean log-probability over the classes.
    /// </summary>
    private static object? CrossEntropyLossBody(object?[] a)
    {
        var self = T0(a);
        var target = Tn(a, 1);
        var weight = (Tensor?)a[2];
        long reduction = LossReduction.Check(L(a[3]), "cross_entropy_loss");
        var ignoreIndex = S(a[4]);
        double smoothing = D(a[5]);
        if (!(smoothing >= 0 && smoothing <= 1))
            throw new ArgumentException($"label_smoothing must be between 0.0 and 1.0. Got: {smoothing}");
        if (self.Ndim == 0)
            throw new ArgumentException("cross_entropy needs an input with a class dim (shape (C) or (N, C, ...)), got a 0-dim tensor.");
        int classDim = self.Ndim == 1 ? 0 : 1;
        if (ShapeRules.SameSizes(self.Shape.AsArray(), target.Shape.AsArray()))
        {
            if (!target.DType.IsFloatingPoint())
                throw new ArgumentException($"Expected floating point type for target with class probabilities, got {target.DType.TorchName()}: a target of the input's shape {SizesText(self)} holds probabilities; class indices have no class dim.");
            if ((long)ignoreIndex >= 0)
                throw new ArgumentException($"ignore_index is not supported for floating point target (got ignore_index={(long)ignoreIndex}); leave it at -100.");
            return CrossEntropyProbabilities(self, target, weight, reduction, smoothing, classDim);
        }
        var logProbabilities = Call(LogSoftmaxInt, self, (long)classDim, self.DType);
        if (smoothing > 0) return CrossEntropySmoothed(logProbabilities, target, weight, reduction, ignoreIndex, smoothing, classDim);
        return Call(NllLossNd, logProbabilities, target, weight, reduction, ignoreIndex);
    }

    /// <summary>The weight viewed to broadcast along the class dim of an input of <paramref name="rank"/> dims.</summary>
    private static Tensor ClassWeight(Tensor weight, int rank, int classDim)
    {
        if (rank == 1) return weight;
        var shape = Enumerable.Repeat((SymInt)1, rank).ToArray();
        shape[classDim] = weight.Shape[0];
        return Call(View, weight, shape);
    }

    private static Tensor CrossEntropyProbabilities(Tensor self, Tensor target, Tensor? weight, long reduction, double smoothing, int classDim)
    {
        var classes = self.Shape[classDim];
        if (weight is { } w && (w.Ndim != 1 || (bool)!(w.Shape[0] == classes)))
            throw new ArgumentException($"cross_entropy: weight tensor should be defined either for all {classes.Hint} classes or no classes but got weight tensor of shape: {SizesText(w)}");
        var input = Call(LogSoftmaxInt, self, (long)classDim, self.DType);
        var mixed = smoothing > 0 ? Call(Add, Call(Mul, target, 1 - smoothing), smoothing / (long)classes) : target;
        var product = Call(Mul, input, mixed);
        if (weight is not null) product = Call(Mul, product, ClassWeight(weight, self.Ndim, classDim));
        switch (reduction)
        {
            case LossReduction.None:
                return Call(Neg, Call(SumDim, product, new long[] { classDim }));
            case LossReduction.Sum:
                return Call(Neg, Call(Sum, product));
            default:
                var summed = Call(Neg, Call(Sum, product));
                // Mean over the samples (every element but the classes); no samples is NaN, as in ATen.
                if (self.Numel() == 0) return Call(FillScalar, summed, double.NaN);
                return Call(Div, summed, self.Numel() / classes);
        }
    }

    private static Tensor CrossEntropySmoothed(Tensor input, Tensor target, Tensor? weight, long reduction, SymInt ignoreIndex, double smoothing, int classDim)
    {
        var classes = input.Shape[classDim];
        var nll = Call(NllLossNd, input, target, weight, reduction, ignoreIndex);
        var ignored = Call(EqScalar, target, ignoreIndex);
        var smooth = weight is null
            ? Call(Neg, Call(SumDim, input, new long[] { classDim }))
            : Call(Neg, Call(SumDim, Call(Mul, input, ClassWeight(weight, input.Ndim, classDim)), new long[] { classDim }));
        smooth = Call(MaskedFill, smooth, ignored, 0.0);
        Tensor smoothTerm = reduction switch
        {
            LossReduction.Sum => Call(Sum, smooth),
            LossReduction.None => smooth,
            // Normalized by the weights of the targets counted, as nll_loss's mean is: weights gathered at index 0
            // for ignored targets (always valid) and masked out.
            _ when weight is not null => Call(Div, Call(Sum, smooth),
                Call(Sum, Call(MaskedFill, Call(View, Call(Gather, weight, 0L, Call(FlattenUsingInts, Call(MaskedFill, target, ignored, 0L), 0L, -1L)), target.Shape.AsArray()), ignored, 0.0))),
            _ => Call(Div, Call(Sum, smooth), Call(Sum, Call(LogicalNot, ignored))),
        };
        return Call(Add, Call(Mul, nll, 1 - smoothing), Call(Mul, smoothTerm, smoothing / (long)classes));
    }

    /// <summary>
    /// nll_loss of any rank: (C) or (N, C) go to nll_loss, (N, C, H, W) to nll_loss2d, and the rest are viewed as
    /// (N, C, 1, rest) for nll_loss2d, the per-position losses viewed back.
    /// </summary>
    private static object? NllLossNdBody(object?[] a)
    {
        var self = T0(a);
        var target = Tn(a, 1);
        if (self.Ndim < 1) throw new ArgumentException($"Expected 1 or more dimensions (got {self.Ndim}): nll_loss takes log-probabilities (C) or (N, C, ...).");
        if (self.Ndim != 1 && !(target.Ndim >= 1 && self.Shape[0] == target.Shape[0]))
            throw new ArgumentException($"Expected input batch_size ({self.Shape[0].Hint}) to match target batch_size ({(target.Ndim == 0 ? 0 : target.Shape[0].Hint)}).");
        if (self.Ndim <= 2) return Call(NllLoss, a);
        if (self.Ndim == 4) return Call(NllLoss2d, a);
        SymInt n = self.Shape[0], c = self.Shape[1];
        var spatial = self.Shape.AsArray()[2..];
        if (!ShapeRules.SameSizes(target.Shape.AsArray()[1..], spatial)) throw new ArgumentException($"Expected target size [{string.Join(", ", new[] { n.Hint }.Concat(spatial.Select(s => s.Hint)))}], got {SizesText(target)}: the target is the input without its class dim 1.");
        var input = Call(Contiguous, self);
        var labels = Call(Contiguous, target);
        input = self.Numel() == 0 ? Call(View, input, new SymInt[] { n, c, 0, 0 }) : Call(View, input, new SymInt[] { n, c, 1, -1 });
        labels = target.Numel() == 0 ? Call(View, labels, new SymInt[] { n, 0, 0 }) : Call(View, labels, new SymInt[] { n, 1, -1 });
        var loss = Call(NllLoss2d, input, labels, a[2], a[3], a[4]);
        return L(a[3]) == LossReduction.None ? Call(View, loss, new[] { n }.Concat(spatial).ToArray()) : loss;
    }

    private static object? NllLossBody(object?[] a) => CallMulti(NllLossForward, a)[0];

    private static object? NllLoss2dBody(object?[] a) => CallMulti(NllLoss2dForward, a)[0];

    private static object? L1LossBody(object?[] a) =>
        LossReduction.Apply(Call(Abs, Call(Sub, a[0], a[1])), LossReduction.Check(L(a[2]), "l1_loss"));

    private static object? KlDivBody(object?[] a)
    {
        var self = T0(a);
        var target = Tn(a, 1);
        if (self.DType.IsIntegral(includeBool: true) || target.DType.IsIntegral(includeBool: true))
            throw new ArgumentException($"kl_div: Integral inputs not supported (got {self.DType.TorchName()} and {target.DType.TorchName()}); the input is log-probabilities in floating point.");
        var output = B(a[3])
            ? Call(Mul, Call(Exp, target), Call(Sub, target, self))
            : Call(Sub, Call(XlogyTensor, target, target), Call(Mul, target, self));
        return LossReduction.Apply(output, LossReduction.Check(L(a[2]), "kl_div"));
    }

    private static object? MarginRankingLossBody(object?[] a)
    {
        var unclamped = Call(Add, Call(Mul, Call(Neg, a[2]), Call(Sub, a[0], a[1])), a[3]);
        return LossReduction.Apply(Call(ClampMin, unclamped, 0L), LossReduction.Check(L(a[4]), "margin_ranking_loss"));
    }

    private static object? HingeEmbeddingLossBody(object?[] a)
    {
        var self = T0(a);
        var target = Tn(a, 1);
        var zeros = Call(ZerosLike, self);
        var marginClamp = Call(ClampMin, Call(Rsub, self, a[2]), 0L);
        var outputMargin = Call(Where, Call(NeScalar, target, 1L), marginClamp, zeros);
        var outputSelf = Call(Where, Call(NeScalar, target, -1L), self, zeros);
        return LossReduction.Apply(Call(Add, outputMargin, outputSelf), LossReduction.Check(L(a[3]), "hinge_embedding_loss"));
    }

    private static object? CosineEmbeddingLossBody(object?[] a)
    {
        Tensor x1 = T0(a), x2 = Tn(a, 1), target = Tn(a, 2);
        if (target.Ndim > 1) throw new ArgumentException($"0D or 1D target tensor expected, multi-target not supported (got a {target.Ndim}D target)");
        if (target.Ndim == 1 && (x1.Ndim != 2 || x2.Ndim != 2))
            throw new ArgumentException($"1D target tensor expects 2D input tensors, but found inputs with sizes {SizesText(x1)} and {SizesText(x2)}.");
        if (target.Ndim == 0 && (x1.Ndim != 1 || x2.Ndim != 1))
            throw new ArgumentException($"0D target tensor expects 1D input tensors, but found inputs with sizes {SizesText(x1)} and {SizesText(x2)}.");
        long dim = target.Ndim;
        const double epsilon = 1e-12;
        var productSum = Call(SumDim, Call(Mul, x1, x2), new[] { dim });
        var squared1 = Call(Add, Call(SumDim, Call(Mul, x1, x1), new[] { dim }), epsilon);
        var squared2 = Call(Add, Call(SumDim, Call(Mul, x2, x2), new[] { dim }), epsilon);
        var cos = Call(Div, productSum, Call(Sqrt, Call(Mul, squared1, squared2)));
        var zeros = Call(ZerosLike, cos);
        var positive = Call(Rsub, cos, 1L);
        var negative = Call(ClampMin, Call(Sub, cos, a[3]), 0L);
        var output = Call(Add, Call(Where, Call(EqScalar, target, 1L), positive, zeros), Call(Where, Call(EqScalar, target, -1L), negative, zeros));
        return LossReduction.Apply(output, LossReduction.Check(L(a[4]), "cosine_embedding_loss"));
    }

    private static object? PoissonNllLossBody(object?[] a)
    {
        Tensor input = T0(a), target = Tn(a, 1);
        var loss = B(a[2])
            ? Call(Sub, Call(Exp, input), Call(Mul, target, input))
            : Call(Sub, input, Call(Mul, target, Call(Log, Call(Add, input, a[4]))));
        if (B(a[3]))
        {
            // Stirling's approximation of log(target!), counted only where target > 1.
            var stirling = Call(Add, Call(Sub, Call(Mul, target, Call(Log, target)), target), Call(Mul, Call(Log, Call(Mul, target, 2 * Math.PI)), 0.5));
            loss = Call(Add, loss, Call(MaskedFill, stirling, Call(LeScalar, target, 1L), 0L));
        }
        return LossReduction.Apply(loss, LossReduction.Check(L(a[5]), "poisson_nll_loss"));
    }

    private static object? TripletMarginLossBody(object?[] a)
    {
        Tensor anchor = T0(a), positive = Tn(a, 1), negative = Tn(a, 2);
        if (anchor.Ndim != positive.Ndim || anchor.Ndim != negative.Ndim)
            throw new ArgumentException($"The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor {anchor.Ndim}D, positive {positive.Ndim}D, and negative {negative.Ndim}D inputs");
        double p = D(a[4]), eps = D(a[5]);
        var toPositive = Call(PairwiseDistance, anchor, positive, p, eps);
        var toNegative = Call(PairwiseDistance, anchor, negative, p, eps);
        if (B(a[6])) toNegative = Call(MinOther, toNegative, Call(PairwiseDistance, positive, negative, p, eps));
        var output = Call(ClampMin, Call(Sub, Call(Add, toPositive, a[3]), toNegative), 0L);
        return LossReduction.Apply(output, LossReduction.Check(L(a[7]), "triplet_margin_loss"));
    }
}

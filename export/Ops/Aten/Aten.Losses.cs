using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The loss ops torch's export keeps as nodes (each has its own ATen kernel): nll_loss_forward and
/// nll_loss2d_forward (what cross_entropy and nll_loss reach), mse_loss, smooth_l1_loss, huber_loss,
/// binary_cross_entropy, binary_cross_entropy_with_logits and soft_margin_loss. Each has torch's schema and checks, a
/// symbolic meta, a CPU kernel (export/Ops/Eager/LossKernels.cs) and a decomposition to Core ATen
/// (export/Decompositions/BuiltinDecompositions.Losses.cs). The losses ATen writes with other ops are in
/// Aten.LossComposites.cs.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload NllLossForward = Def("nll_loss_forward(Tensor self, Tensor target, Tensor? weight, int reduction, SymInt ignore_index) -> (Tensor output, Tensor total_weight)",
        meta: a => NllLossMeta(a, spatial: false), kernel: a => LossKernels.NllLoss(T0(a), Tn(a, 1), (Tensor?)a[2], L(a[3]), L(a[4])), tags: "");

    public static readonly OpOverload NllLoss2dForward = Def("nll_loss2d_forward(Tensor self, Tensor target, Tensor? weight, int reduction, SymInt ignore_index) -> (Tensor output, Tensor total_weight)",
        meta: a => NllLossMeta(a, spatial: true), kernel: a => LossKernels.NllLoss(T0(a), Tn(a, 1), (Tensor?)a[2], L(a[3]), L(a[4])), tags: "");

    public static readonly OpOverload MseLoss = Def("mse_loss(Tensor self, Tensor target, int reduction=Mean) -> Tensor",
        meta: a => PointwiseLossMeta("mse_loss", a, L(a[2])), kernel: a => LossKernels.Pointwise(LossKernels.Squared, T0(a), Tn(a, 1), L(a[2])));

    public static readonly OpOverload SmoothL1Loss = Def("smooth_l1_loss(Tensor self, Tensor target, int reduction=Mean, float beta=1.0) -> Tensor",
        meta: a =>
        {
            if (D(a[3]) < 0) throw new ArgumentException($"smooth_l1_loss does not support negative values for beta (got {D(a[3])}); a beta of 0 is the l1 loss.");
            return PointwiseLossMeta("smooth_l1_loss", a, L(a[2]));
        },
        kernel: a => LossKernels.Pointwise(LossKernels.SmoothL1(D(a[3])), T0(a), Tn(a, 1), L(a[2])));

    public static readonly OpOverload HuberLoss = Def("huber_loss(Tensor self, Tensor target, int reduction=Mean, float delta=1.0) -> Tensor",
        meta: a =>
        {
            if (D(a[3]) <= 0) throw new ArgumentException($"huber_loss does not support non-positive values for delta (got {D(a[3])}); pass a delta above 0.");
            // ATen writes the loss into a tensor like self: a wider target is computed with, then narrowed to self's dtype.
            var meta = PointwiseLossMeta("huber_loss", a, L(a[2]));
            return new TensorMeta(T0(a).DType, meta.Shape);
        },
        kernel: a => LossKernels.Pointwise(LossKernels.Huber(D(a[3])), T0(a), Tn(a, 1), L(a[2]), T0(a).DType));

    public static readonly OpOverload BinaryCrossEntropy = Def("binary_cross_entropy(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean) -> Tensor",
        meta: BinaryCrossEntropyMeta, kernel: a => LossKernels.BinaryCrossEntropy(T0(a), Tn(a, 1), (Tensor?)a[2], L(a[3])));

    public static readonly OpOverload BinaryCrossEntropyWithLogits = Def("binary_cross_entropy_with_logits(Tensor self, Tensor target, Tensor? weight=None, Tensor? pos_weight=None, int reduction=Mean) -> Tensor",
        meta: BinaryCrossEntropyWithLogitsMeta, kernel: a => LossKernels.BinaryCrossEntropyWithLogits(T0(a), Tn(a, 1), (Tensor?)a[2], (Tensor?)a[3], L(a[4])));

    public static readonly OpOverload SoftMarginLoss = Def("soft_margin_loss(Tensor self, Tensor target, int reduction=Mean) -> Tensor",
        meta: a =>
        {
            PointwiseLossMeta("soft_margin_loss", a, L(a[2]));
            ExpandsTo("soft_margin_loss", "target", Tn(a, 1), T0(a));
            return new TensorMeta(T0(a).DType, L(a[2]) == LossReduction.None ? T0(a).Shape.AsArray() : []);
        },
        kernel: a => LossKernels.Pointwise(LossKernels.SoftMargin, T0(a), Tn(a, 1), L(a[2]), T0(a).DType));

    /// <summary>
    /// The result of a loss over two broadcast operands: their broadcast shape, or a scalar when reduced, in their
    /// promoted dtype, which must be floating-point (ATen's loss kernels have no integer variants).
    /// </summary>
    private static TensorMeta PointwiseLossMeta(string op, object?[] a, long reduction)
    {
        var self = T0(a);
        var target = Tn(a, 1);
        LossReduction.Check(reduction, op);
        var dtype = ShapeRules.ResultType([self, target]);
        if (!dtype.IsFloatingPoint() || !self.DType.IsFloatingPoint())
            throw new ArgumentException($"{op} computes in floating point, but its input is {self.DType.TorchName()} and its target {target.DType.TorchName()}; convert them with .Float().");
        var shape = BroadcastLossShapes(op, self.Shape.AsArray(), target.Shape.AsArray());
        return new TensorMeta(dtype, reduction == LossReduction.None ? shape : []);
    }

    private static SymInt[] BroadcastLossShapes(string op, SymInt[] a, SymInt[] b)
    {
        try
        {
            return ShapeRules.Broadcast(a, b);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{op}: the input's shape [{string.Join(", ", a.Select(s => s.Hint))}] and the target's [{string.Join(", ", b.Select(s => s.Hint))}] do not broadcast ({e.Message}); give them the same shape.", e);
        }
    }

    /// <summary>Checks that an operand broadcasts to the input's own shape (the loss has the input's shape).</summary>
    private static void ExpandsTo(string op, string what, Tensor operand, Tensor self)
    {
        if (!ShapeRules.SameSizes(BroadcastLossShapes(op, self.Shape.AsArray(), operand.Shape.AsArray()), self.Shape.AsArray()))
            throw new ArgumentException($"{op}: the {what}'s shape [{string.Join(", ", operand.Shape.AsArray().Select(s => s.Hint))}] must broadcast to the input's [{string.Join(", ", self.Shape.AsArray().Select(s => s.Hint))}]; give it the input's shape.");
    }

    private static object BinaryCrossEntropyMeta(object?[] a)
    {
        var self = T0(a);
        var target = Tn(a, 1);
        var weight = (Tensor?)a[2];
        long reduction = LossReduction.Check(L(a[3]), "binary_cross_entropy");
        if (!self.DType.IsFloatingPoint())
            throw new ArgumentException($"binary_cross_entropy takes probabilities in floating point, but its input is {self.DType.TorchName()}; convert it with .Float().");
        if (target.DType != self.DType || (weight is not null && weight.DType != self.DType))
            throw new ArgumentException($"binary_cross_entropy needs its target{(weight is null ? "" : " and weight")} in the input's dtype {self.DType.TorchName()}, got {target.DType.TorchName()}{(weight is null ? "" : " and " + weight.DType.TorchName())}; convert them with .To(input.DType).");
        ExpandsTo("binary_cross_entropy", "target", target, self);
        if (weight is not null) ExpandsTo("binary_cross_entropy", "weight", weight, self);
        return new TensorMeta(self.DType, reduction == LossReduction.None ? self.Shape.AsArray() : []);
    }

    private static object BinaryCrossEntropyWithLogitsMeta(object?[] a)
    {
        var self = T0(a);
        var target = Tn(a, 1);
        long reduction = LossReduction.Check(L(a[4]), "binary_cross_entropy_with_logits");
        var operands = new[] { self, target, (Tensor?)a[2], (Tensor?)a[3] }.OfType<Tensor>().ToArray();
        var dtype = ShapeRules.ResultType(operands);
        if (!self.DType.IsFloatingPoint() || !dtype.IsFloatingPoint())
            throw new ArgumentException($"binary_cross_entropy_with_logits takes logits in floating point, but its input is {self.DType.TorchName()}; convert it with .Float().");
        var shape = self.Shape.AsArray();
        foreach (var t in operands.Skip(1)) shape = BroadcastLossShapes("binary_cross_entropy_with_logits", shape, t.Shape.AsArray());
        return new TensorMeta(dtype, reduction == LossReduction.None ? shape : []);
    }

    /// <summary>
    /// nll_loss_forward: input (C) or (N, C) with a target () or (N); nll_loss2d_forward: input (N, C, H, W) with a
    /// target (N, H, W). The output is per sample for reduction none (a scalar for a single 1-D sample), else a
    /// scalar; total_weight is always a scalar. Targets out of range are data, which the kernel checks.
    /// </summary>
    private static object NllLossMeta(object?[] a, bool spatial)
    {
        var self = T0(a);
        var target = Tn(a, 1);
        var weight = (Tensor?)a[2];
        string op = spatial ? "nll_loss2d_forward" : "nll_loss_forward";
        long reduction = LossReduction.Check(L(a[3]), op);
        if (!self.DType.IsFloatingPoint())
            throw new ArgumentException($"{op} takes log-probabilities in floating point, but its input is {self.DType.TorchName()}; convert it with .Float().");
        if (target.DType is not (DType.Int64 or DType.UInt8))
            throw new ArgumentException($"{op}: expected target dtype to be Long or Byte, but got {target.DType.TorchName()}; class indices are int64 (target.Long()), and class probabilities go to cross_entropy.");
        string Sizes(Tensor t) => $"[{string.Join(", ", t.Shape.AsArray().Select(s => s.Hint))}]";
        SymInt[] outShape;
        int classDim;
        if (spatial)
        {
            if (self.Ndim != 4) throw new ArgumentException($"only batches of spatial inputs supported (4D tensors), but got input of dimension: {self.Ndim}");
            if (target.Ndim != 3) throw new ArgumentException($"only batches of spatial targets supported (3D tensors) but got targets of dimension: {target.Ndim}");
            if (!(self.Shape[0] == target.Shape[0]) || !(self.Shape[2] == target.Shape[1]) || !(self.Shape[3] == target.Shape[2]))
                throw new ArgumentException($"size mismatch (got input: {Sizes(self)} , target: {Sizes(target)}): the target is the input without its class dim 1.");
            classDim = 1;
            outShape = reduction == LossReduction.None ? [self.Shape[0], self.Shape[2], self.Shape[3]] : [];
        }
        else
        {
            if (self.Ndim is < 1 or > 2) throw new ArgumentException($"input tensor should be 1D or 2D, got {self.Ndim}D; nll_loss (nll_loss_nd) reshapes other ranks.");
            if (target.Ndim > 1) throw new ArgumentException($"0D or 1D target tensor expected, multi-target not supported (got a {target.Ndim}D target)");
            if (self.Ndim == 1 && target.Ndim != 0)
                throw new ArgumentException($"size mismatch (got input: {Sizes(self)}, target: {Sizes(target)}): a 1-D input is one sample's classes and takes one class index, a 0-D target.");
            if (self.Ndim == 2 && !(target.Ndim == 1 && self.Shape[0] == target.Shape[0]))
                throw new ArgumentException($"size mismatch (got input: {Sizes(self)}, target: {Sizes(target)}): one class index per row of the input.");
            classDim = self.Ndim - 1;
            outShape = reduction == LossReduction.None && self.Ndim == 2 ? [self.Shape[0]] : [];
        }
        if (weight is { } w)
        {
            if (w.Ndim != 1 || !(w.Shape[0] == self.Shape[classDim]))
                throw new ArgumentException($"weight tensor should be defined either for all {self.Shape[classDim].Hint} classes or no classes but got weight tensor of shape: {Sizes(w)}");
            if (w.DType != self.DType)
                throw new ArgumentException($"{op}: the weight is {w.DType.TorchName()} but the input is {self.DType.TorchName()}; convert it with weight.To(input.DType).");
        }
        return new[] { new TensorMeta(self.DType, outShape), new TensorMeta(self.DType, []) };
    }
}

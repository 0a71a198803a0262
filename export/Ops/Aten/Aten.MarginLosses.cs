using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The multi-class margin losses torch's export keeps as nodes: multi_margin_loss (one target class per sample, hinge
/// against every other class) and multilabel_margin_loss (several target classes per sample, listed until the first
/// −1, hinged against every class not listed). Input is (C) or (N, C); each sample's loss is divided by C. Kernels in
/// export/Ops/Eager/MarginLossKernels.cs, decompositions in BuiltinDecompositions.MarginLosses.cs.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload MultiMarginLoss = Def("multi_margin_loss(Tensor self, Tensor target, Scalar p=1, Scalar margin=1, Tensor? weight=None, int reduction=Mean) -> Tensor",
        meta: MultiMarginLossMeta,
        kernel: a => MarginLossKernels.MultiMargin(T0(a), Tn(a, 1), (long)D(a[2]), D(a[3]), (Tensor?)a[4], L(a[5])));

    public static readonly OpOverload MultilabelMarginLoss = Def("multilabel_margin_loss(Tensor self, Tensor target, int reduction=Mean) -> Tensor",
        meta: MultilabelMarginLossMeta,
        kernel: a => MarginLossKernels.MultilabelMargin(T0(a), Tn(a, 1), L(a[2])));

    /// <summary>ATen's check of a margin loss's input: a non-empty vector, or a matrix whose batch alone may be empty.</summary>
    private static void MarginLossInput(Tensor self)
    {
        bool valid = (self.Ndim == 1 && self.Shape[0].AsConstant != 0) || (self.Ndim == 2 && self.Shape[1].AsConstant != 0);
        if (!valid) throw new ArgumentException($"Expected non-empty vector or matrix with optional 0-dim batch size, but got: [{string.Join(", ", self.Shape)}]");
        if (!self.DType.IsFloatingPoint()) throw new NotSupportedException($"\"multi_margin_loss_cpu_kernel\" not implemented for '{DTypeNames.Capitalized(self.DType)}'");
    }

    private static object MultiMarginLossMeta(object?[] a)
    {
        var self = T0(a);
        var target = Tn(a, 1);
        MarginLossInput(self);
        long reduction = LossReduction.Check(L(a[5]), "multi_margin_loss");
        if (D(a[2]) is not (1.0 or 2.0)) throw new ArgumentException("only p == 1 and p == 2 supported");
        if (target.DType != DType.Int64) throw new ArgumentException($"expected scalar type Long but found {DTypeNames.Capitalized(target.DType)}");
        SymInt samples = self.Ndim == 2 ? self.Shape[0] : 1;
        if (target.Ndim > 1 || target.Numel() != samples)
            throw new ArgumentException($"multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples (batch size). Expected target size [{samples}], but got [{string.Join(", ", target.Shape)}]. Input has shape [{string.Join(", ", self.Shape)}].");
        if (a[4] is Tensor weight && (weight.Ndim != 1 || !weight.Shape[0].Equals(self.Shape[^1])))
            throw new ArgumentException($"inconsistent weight size, expected {self.Shape[^1]} but got [{string.Join(", ", weight.Shape)}]");
        // ATen gives a loss per sample only when reduction is none and the target has a batch dim (a 1-D input with a
        // one-element target included); otherwise one number.
        return new TensorMeta(self.DType, reduction == LossReduction.None && target.Ndim > 0 ? [samples] : []);
    }

    private static object MultilabelMarginLossMeta(object?[] a)
    {
        var self = T0(a);
        var target = Tn(a, 1);
        MarginLossInput(self);
        long reduction = LossReduction.Check(L(a[2]), "multilabel_margin_loss");
        if (target.DType != DType.Int64) throw new ArgumentException($"expected scalar type Long but found {DTypeNames.Capitalized(target.DType)}");
        if (!self.Shape.SequenceEqual(target.Shape) && !(self.Ndim == 1 && target.Ndim <= 1 && target.Numel().Equals(self.Shape[0])))
            throw new ArgumentException($"inconsistent target size: [{string.Join(", ", target.Shape)}] for input of size: [{string.Join(", ", self.Shape)}]");
        return new TensorMeta(self.DType, reduction == LossReduction.None && self.Ndim == 2 ? [self.Shape[0]] : []);
    }
}

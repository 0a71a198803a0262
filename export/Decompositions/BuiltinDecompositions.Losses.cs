using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Decompositions of the loss ops of Aten.Losses.cs to Core ATen, as torch's decompositions write them:
/// nll_loss(2d)_forward → a gather of the target's class (the ignored ones sent to class 0 and masked out) and sums,
/// the pointwise losses → sub/abs/pow/where chains, then mean or sum.
/// </summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterLosses()
    {
        Register("aten::nll_loss_forward", NllLossForwardDecomposition);
        Register("aten::nll_loss2d_forward", NllLossForwardDecomposition);
        Register("aten::mse_loss", a => LossReduction.Apply(Aten.Call(Aten.PowTensorScalar, Aten.Call(Aten.Sub, a[0], a[1]), 2L), Aten.L(a[2])));
        Register("aten::smooth_l1_loss", a =>
        {
            double beta = Aten.D(a[3]);
            var z = Aten.Call(Aten.Abs, Aten.Call(Aten.Sub, a[0], a[1]));
            var inside = Aten.Call(Aten.Div, Aten.Call(Aten.Mul, Aten.Call(Aten.PowTensorScalar, z, 2L), 0.5), beta);
            var loss = Aten.Call(Aten.Where, Aten.Call(Aten.LtScalar, z, beta), inside, Aten.Call(Aten.Sub, z, 0.5 * beta));
            return LossReduction.Apply(loss, Aten.L(a[2]));
        });
        Register("aten::huber_loss", a =>
        {
            double delta = Aten.D(a[3]);
            var self = T(a[0]);
            var z = Aten.Call(Aten.Abs, Aten.Call(Aten.Sub, self, a[1]));
            var inside = Aten.Call(Aten.Mul, Aten.Call(Aten.Mul, z, 0.5), z);
            var outside = Aten.Call(Aten.Mul, Aten.Call(Aten.Sub, z, 0.5 * delta), delta);
            var loss = Aten.Call(Aten.Where, Aten.Call(Aten.LtScalar, z, delta), inside, outside);
            // The kernel writes into a tensor like self (a wider target computes wider, then narrows).
            if (loss.DType != self.DType) loss = Aten.CallKw(Aten.ToCopy, [loss], ("dtype", self.DType));
            return LossReduction.Apply(loss, Aten.L(a[2]));
        });
        Register("aten::soft_margin_loss", a =>
        {
            var self = T(a[0]);
            var loss = Aten.Call(Aten.Log1p, Aten.Call(Aten.Exp, Aten.Call(Aten.Mul, Aten.Call(Aten.Neg, self), a[1])));
            if (loss.DType != self.DType) loss = Aten.CallKw(Aten.ToCopy, [loss], ("dtype", self.DType));
            return LossReduction.Apply(loss, Aten.L(a[2]));
        });
        Register("aten::binary_cross_entropy", a =>
        {
            var self = T(a[0]);
            var target = T(a[1]);
            // (target − 1) · max(log(1 − x), −100) − target · max(log x, −100): the floor keeps certain wrong answers finite.
            var missed = Aten.Call(Aten.Mul, Aten.Call(Aten.Sub, target, 1L), Aten.Call(Aten.Clamp, Aten.Call(Aten.Log1p, Aten.Call(Aten.Neg, self)), -100L, null));
            var hit = Aten.Call(Aten.Mul, target, Aten.Call(Aten.Clamp, Aten.Call(Aten.Log, self), -100L, null));
            var loss = Aten.Call(Aten.Sub, missed, hit);
            if (a[2] is Tensor weight) loss = Aten.Call(Aten.Mul, loss, weight);
            return LossReduction.Apply(loss, Aten.L(a[3]));
        });
        Register("aten::binary_cross_entropy_with_logits", a =>
        {
            var self = T(a[0]);
            var target = T(a[1]);
            // log σ(x) = min(x, 0) − log1p(exp(−|x|)), finite for every finite logit.
            var logSigmoid = Aten.Call(Aten.Sub, Aten.Call(Aten.Minimum, self, Aten.CallKw(Aten.ScalarTensor, [0L], ("dtype", self.DType))),
                Aten.Call(Aten.Log1p, Aten.Call(Aten.Exp, Aten.Call(Aten.Neg, Aten.Call(Aten.Abs, self)))));
            if (a[3] is Tensor posWeight)
                logSigmoid = Aten.Call(Aten.Mul, Aten.Call(Aten.Add, Aten.Call(Aten.Mul, Aten.Call(Aten.Sub, posWeight, 1L), target), 1L), logSigmoid);
            var loss = Aten.Call(Aten.Sub, Aten.Call(Aten.Mul, Aten.Call(Aten.Rsub, target, 1L), self), logSigmoid);
            if (a[2] is Tensor weight) loss = Aten.Call(Aten.Mul, loss, weight);
            return LossReduction.Apply(loss, Aten.L(a[4]));
        });
    }

    /// <summary>
    /// −weight[t] · self[..., t, ...] gathered along the class dim, 0 where the target is ignore_index (whose class is
    /// read from index 0, always valid, then masked out); total_weight sums the counted weights (the count of counted
    /// targets without a weight). A target outside the classes is an index error of the gather.
    /// </summary>
    private static object? NllLossForwardDecomposition(object?[] a)
    {
        var self = T(a[0]);
        var target = T(a[1]);
        var weight = (Tensor?)a[2];
        long reduction = Aten.L(a[3]);
        var ignoreIndex = Aten.S(a[4]);
        long classDim = self.Ndim < 2 ? 0 : 1;
        Tensor? classWeight = null;
        if (weight is not null)
        {
            classWeight = weight;
            if (self.Ndim > 1)
            {
                var shape = Enumerable.Repeat((SymInt)1, self.Ndim).ToArray();
                shape[classDim] = weight.Shape[0];
                classWeight = Aten.Call(Aten.View, weight, shape);
            }
            self = Aten.Call(Aten.Mul, self, classWeight);
        }
        var counted = Aten.Call(Aten.NeScalar, target, ignoreIndex);
        var safeTarget = Aten.Call(Aten.Unsqueeze, Aten.Call(Aten.WhereScalarOther, counted, target, 0L), classDim);
        var picked = Aten.Call(Aten.Neg, Aten.Call(Aten.SqueezeDims, Aten.Call(Aten.Gather, self, classDim, safeTarget), new[] { classDim }));
        var result = Aten.Call(Aten.WhereScalarOther, counted, picked, 0.0);
        if (reduction == LossReduction.None && self.Ndim > 1)
            return new[] { result, Aten.CallKw(Aten.Full, [Array.Empty<SymInt>(), 0.0], ("dtype", self.DType)) };
        Tensor totalWeight;
        if (classWeight is not null)
        {
            var weights = Aten.Call(Aten.SqueezeDims, Aten.Call(Aten.Gather, Aten.Call(Aten.Expand, classWeight, self.Shape.AsArray()), classDim, safeTarget), new[] { classDim });
            totalWeight = Aten.Call(Aten.Sum, Aten.Call(Aten.WhereScalarOther, counted, weights, 0.0));
        }
        else
        {
            totalWeight = Aten.CallKw(Aten.ToCopy, [Aten.Call(Aten.Sum, counted)], ("dtype", self.DType));
        }
        if (reduction == LossReduction.Sum) result = Aten.Call(Aten.Sum, result);
        else if (reduction == LossReduction.Mean) result = Aten.Call(Aten.Div, Aten.Call(Aten.Sum, result), totalWeight);
        return new[] { result, totalWeight };
    }
}

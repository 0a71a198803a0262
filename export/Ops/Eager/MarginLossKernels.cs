namespace Graphport.Operators;

/// <summary>
/// Eager kernels of multi_margin_loss and multilabel_margin_loss (Aten.MarginLosses.cs), in double per sample: the
/// hinge terms of a sample summed and divided by its number of classes, then reduced over the samples.
/// </summary>
internal static class MarginLossKernels
{
    /// <summary>
    /// Σ_{i ≠ y} w[y] · max(0, margin − x[y] + x[i])^p / C per sample, y its target class; a target outside the
    /// classes fails naming it.
    /// </summary>
    public static Tensor MultiMargin(Tensor self, Tensor target, long p, double margin, Tensor? weight, long reduction)
    {
        var x = Eager.Dense<double>(self);
        var targets = Eager.Dense<long>(target);
        var w = weight is null ? null : Eager.Dense<double>(weight);
        long classes = self.Sizes[^1], samples = self.Ndim == 2 ? self.Sizes[0] : 1;
        var losses = new double[samples];
        for (long n = 0; n < samples; n++)
        {
            long y = targets[n];
            if (y < 0 || y >= classes)
                throw new IndexValueException($"multi_margin_loss: target {y} is out of range: class indices run from 0 to {classes - 1}.");
            double sum = 0, own = x[n * classes + y];
            for (long i = 0; i < classes; i++)
            {
                if (i == y) continue;
                double z = margin - own + x[n * classes + i];
                if (z <= 0) continue;
                double term = p == 2 ? z * z : z;
                sum += w is null ? term : w[y] * term;
            }
            losses[n] = sum / classes;
        }
        bool perSample = reduction == LossReduction.None && target.Ndim > 0;
        return LossKernels.Reduce(losses, perSample ? [samples] : [], reduction, self.DType);
    }

    /// <summary>
    /// Σ_{j listed} Σ_{i not listed} max(0, 1 − (x[j] − x[i])) / C per sample, where the listed classes are the
    /// sample's targets up to the first negative one (−1 by convention); a listed target outside the classes fails naming it.
    /// </summary>
    public static Tensor MultilabelMargin(Tensor self, Tensor target, long reduction)
    {
        var x = Eager.Dense<double>(self);
        var targets = Eager.Dense<long>(target);
        long classes = self.Sizes[^1], samples = self.Ndim == 2 ? self.Sizes[0] : 1;
        var losses = new double[samples];
        var listed = new bool[classes];
        for (long n = 0; n < samples; n++)
        {
            Array.Clear(listed);
            long count = 0;
            for (; count < classes; count++)
            {
                long t = targets[n * classes + count];
                if (t < 0) break;
                if (t >= classes)
                    throw new IndexValueException($"multilabel_margin_loss: target {t} is out of range: class indices run from 0 to {classes - 1}, and a negative one (-1) ends a sample's list.");
                listed[t] = true;
            }
            double sum = 0;
            for (long j = 0; j < count; j++)
            {
                double own = x[n * classes + targets[n * classes + j]];
                for (long i = 0; i < classes; i++)
                    if (!listed[i]) sum += Math.Max(0, 1 - own + x[n * classes + i]);
            }
            losses[n] = sum / classes;
        }
        bool perSample = reduction == LossReduction.None && self.Ndim == 2;
        return LossKernels.Reduce(losses, perSample ? [samples] : [], reduction, self.DType);
    }
}

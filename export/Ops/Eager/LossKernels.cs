namespace Graphport.Operators;

/// <summary>
/// Eager kernels of the loss ops of Aten.Losses.cs. Every element is computed and summed in double and rounded once
/// to the result's dtype; a mean over no elements is NaN, as in torch.
/// </summary>
internal static class LossKernels
{
    public static double Squared(double x, double y) => (x - y) * (x - y);

    public static Func<double, double, double> SmoothL1(double beta) => (x, y) =>
    {
        double z = Math.Abs(x - y);
        return z < beta ? 0.5 * z * z / beta : z - 0.5 * beta;
    };

    public static Func<double, double, double> Huber(double delta) => (x, y) =>
    {
        double z = Math.Abs(x - y);
        return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
    };

    /// <summary>log(1 + e^(−x·y)).</summary>
    public static double SoftMargin(double x, double y) => LogOnePlus(Math.Exp(-x * y));

    /// <summary>log(1 + v) accurate for small v (the rounding of 1 + v divided back out).</summary>
    private static double LogOnePlus(double v)
    {
        double u = 1 + v;
        return u == 1 ? v : double.IsInfinity(u) ? u : Math.Log(u) * v / (u - 1);
    }

    /// <summary>A loss of two broadcast operands, element by element, then reduced.</summary>
    public static Tensor Pointwise(Func<double, double, double> loss, Tensor self, Tensor target, long reduction, DType? resultDType = null)
    {
        var shape = Operand(self, target, out var x, out var y);
        var values = new double[x.Length];
        for (int i = 0; i < values.Length; i++) values[i] = loss(x[i], y[i]);
        return Reduce(values, shape, reduction, resultDType ?? ShapeRules.ResultType([self, target]));
    }

    /// <summary>
    /// (y − 1) · max(log(1 − x), −100) − y · max(log x, −100), times the weight: the −100 floor keeps a certain
    /// wrong answer finite, as torch's kernel does. Inputs and targets outside [0, 1] are refused, as torch refuses them.
    /// </summary>
    public static Tensor BinaryCrossEntropy(Tensor self, Tensor target, Tensor? weight, long reduction)
    {
        var shape = self.Sizes;
        var x = Expanded(self, shape);
        var y = Expanded(target, shape);
        var w = weight is null ? null : Expanded(weight, shape);
        var values = new double[x.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (!(x[i] >= 0 && x[i] <= 1))
                throw new ArgumentException($"binary_cross_entropy: all elements of input should be between 0 and 1 (element {i} is {x[i]}); pass logits to binary_cross_entropy_with_logits instead.");
            if (!(y[i] >= 0 && y[i] <= 1))
                throw new ArgumentException($"binary_cross_entropy: all elements of target should be between 0 and 1 (element {i} is {y[i]}).");
            double v = (y[i] - 1) * Math.Max(LogOnePlus(-x[i]), -100) - y[i] * Math.Max(Math.Log(x[i]), -100);
            values[i] = w is null ? v : v * w[i];
        }
        return Reduce(values, shape, reduction, self.DType);
    }

    /// <summary>
    /// (1 − y) · x − log_weight · log σ(x) with log_weight = 1 + (pos_weight − 1) · y, times the weight; log σ(x) as
    /// min(x, 0) − log(1 + e^−|x|), finite for every finite logit.
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor self, Tensor target, Tensor? weight, Tensor? posWeight, long reduction)
    {
        var operands = new[] { self, target, weight, posWeight }.OfType<Tensor>().ToArray();
        var shape = ShapeRules.Broadcast(operands.Select(t => (IReadOnlyList<SymInt>)t.Shape.AsArray())).Select(v => (long)v).ToArray();
        var x = Expanded(self, shape);
        var y = Expanded(target, shape);
        var w = weight is null ? null : Expanded(weight, shape);
        var p = posWeight is null ? null : Expanded(posWeight, shape);
        var values = new double[x.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double logSigmoid = Math.Min(x[i], 0) - LogOnePlus(Math.Exp(-Math.Abs(x[i])));
            double logWeight = p is null ? 1 : 1 + (p[i] - 1) * y[i];
            double v = (1 - y[i]) * x[i] - logWeight * logSigmoid;
            values[i] = w is null ? v : v * w[i];
        }
        return Reduce(values, shape, reduction, ShapeRules.ResultType(operands));
    }

    /// <summary>
    /// nll_loss_forward and nll_loss2d_forward: −weight[t] · self[n, t, ...] per position, 0 where the target is
    /// ignore_index; total_weight sums the weights of the positions counted (0 for reduction none over a batch).
    /// </summary>
    public static Tensor[] NllLoss(Tensor self, Tensor target, Tensor? weight, long reduction, long ignoreIndex)
    {
        var x = Eager.Dense<double>(self);
        var targets = Eager.Dense<long>(target);
        var w = weight is null ? null : Eager.Dense<double>(weight);
        var sizes = self.Sizes;
        bool batched = self.Ndim >= 2;
        long classes = batched ? sizes[1] : sizes[0];
        long inner = batched ? sizes.Skip(2).Aggregate(1L, (a, b) => a * b) : 1;
        var losses = new double[targets.Length];
        double total = 0, sum = 0;
        for (long i = 0; i < targets.LongLength; i++)
        {
            long t = targets[i];
            if (t == ignoreIndex) continue;
            if (t < 0 || t >= classes)
                throw new IndexValueException($"Target {t} is out of bounds: class indices run from 0 to {classes - 1} (or are ignore_index, {ignoreIndex}).");
            long n = i / inner, pos = i % inner;
            double weightOfClass = w is null ? 1 : w[t];
            double loss = -weightOfClass * x[(n * classes + t) * inner + pos];
            losses[i] = loss;
            total += weightOfClass;
            sum += loss;
        }
        var dtype = self.DType;
        if (reduction == LossReduction.None && batched)
            return [Eager.Wrap(losses, target.Sizes, dtype), Eager.Wrap(new[] { 0.0 }, [], dtype)];
        double output = reduction == LossReduction.Mean ? sum / total : sum;
        return [Eager.Wrap(new[] { output }, [], dtype), Eager.Wrap(new[] { total }, [], dtype)];
    }

    // The operands broadcast to one shape, as doubles in row-major order.
    private static long[] Operand(Tensor a, Tensor b, out double[] x, out double[] y)
    {
        var shape = ShapeRules.Broadcast(a.Shape.AsArray(), b.Shape.AsArray()).Select(s => (long)s).ToArray();
        x = Expanded(a, shape);
        y = Expanded(b, shape);
        return shape;
    }

    private static double[] Expanded(Tensor t, long[] shape) =>
        Eager.Dense<double>(t.Sizes.SequenceEqual(shape) ? t : Aten.Call(Aten.Expand, t, shape));

    /// <summary>Per-element losses as they are (in <paramref name="shape"/>), or their mean (NaN when empty) or sum.</summary>
    internal static Tensor Reduce(double[] values, long[] shape, long reduction, DType dtype)
    {
        if (reduction == LossReduction.None) return Eager.Wrap(values, shape, dtype);
        double sum = 0;
        foreach (var v in values) sum += v;
        double result = reduction == LossReduction.Mean ? (values.Length == 0 ? double.NaN : sum / values.Length) : sum;
        return Eager.Wrap(new[] { result }, [], dtype);
    }
}

namespace Graphport.Operators;

/// <summary>
/// The CTC loss by the forward (alpha) recursion over each sequence's frames, in log space and double precision: the
/// labels interleaved with blanks (2L + 1 states), each state reached from itself, the state before, or two before
/// when that skips a blank between different labels; the loss is minus the log of the paths ending in the last label
/// or the blank after it. A sequence its frames cannot hold has an infinite loss (zero with zero_infinity).
/// </summary>
internal static class CtcLossKernel
{
    /// <summary>Lengths given as a tensor of integers (one per sequence, or a scalar for one sequence).</summary>
    public static long[] Lengths(string name, Tensor lengths)
    {
        if (lengths.DType.IsFloatingPoint() || lengths.DType == DType.Bool)
            throw new ArgumentException($"ctc_loss: {name} must hold integers, got {lengths.DType.TorchName()}");
        return lengths.ToArray<long>();
    }

    public static Tensor Loss(Tensor logProbs, Tensor targets, long[] inputLengths, long[] targetLengths, long blank, long reduction, bool zeroInfinity)
    {
        bool unbatched = logProbs.Ndim == 2;
        long frames = logProbs.Sizes[0], batch = unbatched ? 1 : logProbs.Sizes[1], classes = logProbs.Sizes[^1];
        if (blank < 0 || blank >= classes) throw new ArgumentException($"ctc_loss: blank must be in label range: blank {blank} with {classes} classes");
        if (inputLengths.Length != batch) throw new ArgumentException($"ctc_loss: input_lengths must be of size batch_size: {inputLengths.Length} lengths for a batch of {batch}");
        if (targetLengths.Length != batch) throw new ArgumentException($"ctc_loss: target_lengths must be of size batch_size: {targetLengths.Length} lengths for a batch of {batch}");
        if (targets.Ndim is not (1 or 2)) throw new ArgumentException($"ctc_loss: targets must be padded (N, S) or concatenated (sum of target_lengths), got {targets.Ndim}-D");
        bool padded = targets.Ndim == 2;
        if (padded && targets.Sizes[0] != batch) throw new ArgumentException($"ctc_loss: padded targets have {targets.Sizes[0]} rows for a batch of {batch}; give one row per sequence");
        var labels = targets.ToArray<long>();
        long maxLabels = padded ? targets.Sizes[1] : labels.Length;
        long offset = 0;
        var starts = new long[batch];
        for (int b = 0; b < batch; b++)
        {
            long t = inputLengths[b], l = targetLengths[b];
            if (t < 0 || t > frames) throw new ArgumentException($"Expected input_lengths to have value at most {frames}, but got value {t} (while checking arguments for ctc_loss_allocate_outputs)");
            if (l < 0) throw new ArgumentException($"ctc_loss: target_lengths must not be negative, got {l}");
            if (padded)
            {
                if (l > maxLabels) throw new ArgumentException($"Expected tensor to have size at least {l} at dimension 1, but got size {maxLabels} for argument #2 'targets' (while checking arguments for ctc_loss_allocate_outputs)");
                starts[b] = b * maxLabels;
            }
            else
            {
                starts[b] = offset;
                offset += l;
                if (offset > labels.Length) throw new ArgumentException($"ctc_loss: target_lengths add up to {targetLengths.Sum()} labels, but targets holds {labels.Length}");
            }
            for (long i = starts[b]; i < starts[b] + l; i++)
                if (labels[i] < 0 || labels[i] >= classes) throw new ArgumentException($"ctc_loss: target {labels[i]} of sequence {b} is not a class index in [0, {classes})");
        }

        var lp = logProbs.To(DType.Float64).Contiguous().ToArray<double>();
        var losses = new double[batch];
        for (int b = 0; b < batch; b++)
        {
            double loss = SequenceLoss(lp, b, batch, classes, inputLengths[b], labels, starts[b], targetLengths[b], blank);
            losses[b] = zeroInfinity && double.IsPositiveInfinity(loss) ? 0 : loss;
        }
        double[] reduced = reduction switch
        {
            // Each sequence's loss over its label count (at least 1), then the mean over the batch.
            LossReduction.Mean => [losses.Select((v, b) => v / Math.Max(1, targetLengths[b])).Sum() / batch],
            LossReduction.Sum => [losses.Sum()],
            _ => losses,
        };
        long[] shape = reduction == LossReduction.None && !unbatched ? [batch] : [];
        return Eager.Wrap(reduced, shape, logProbs.DType);
    }

    private static double SequenceLoss(double[] lp, int b, long batch, long classes, long frames, long[] labels, long start, long count, long blank)
    {
        if (frames == 0) return count == 0 ? 0 : double.PositiveInfinity;
        int states = (int)(2 * count + 1);
        long Label(int s) => s % 2 == 0 ? blank : labels[start + s / 2];
        double LogProb(long t, long c) => lp[(t * batch + b) * classes + c];
        var alpha = new double[states];
        var next = new double[states];
        Array.Fill(alpha, double.NegativeInfinity);
        alpha[0] = LogProb(0, blank);
        if (states > 1) alpha[1] = LogProb(0, Label(1));
        for (long t = 1; t < frames; t++)
        {
            for (int s = 0; s < states; s++)
            {
                double a = alpha[s];
                if (s > 0) a = LogAdd(a, alpha[s - 1]);
                if (s > 1 && Label(s) != blank && Label(s) != Label(s - 2)) a = LogAdd(a, alpha[s - 2]);
                next[s] = a + LogProb(t, Label(s));
            }
            (alpha, next) = (next, alpha);
        }
        double last = states > 1 ? LogAdd(alpha[states - 1], alpha[states - 2]) : alpha[0];
        return -last;
    }

    private static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        double max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }
}

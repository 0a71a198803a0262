using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Eager kernels of batch norm with batch statistics (_native_batch_norm_legit and .no_stats), native_dropout, and the
/// layer/group norm backward ops. Statistics accumulate in double; results are cast to the op's dtypes.
/// </summary>
internal static class NormalizationKernels
{
    /// <summary>Batch-norm statistics dtype: float32 for half precision, else the input's.</summary>
    internal static DType StatDType(DType input) => input is DType.Float16 or DType.BFloat16 ? DType.Float32 : input;

    private static double[]? OptionalDense(object? t) => t is Tensor tensor ? Eager.Dense<double>(tensor) : null;

    /// <summary>Per-channel mean and biased variance of an (N, C, *) tensor, and the element count per channel.</summary>
    private static (double[] Mean, double[] Var, long Count) ChannelStats(double[] x, long n, long c, long inner)
    {
        var mean = new double[c];
        var variance = new double[c];
        long count = n * inner;
        for (long ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (long b = 0; b < n; b++)
                for (long i = 0; i < inner; i++) sum += x[(b * c + ch) * inner + i];
            double m = count == 0 ? double.NaN : sum / count;
            double sq = 0;
            for (long b = 0; b < n; b++)
                for (long i = 0; i < inner; i++)
                {
                    double d = x[(b * c + ch) * inner + i] - m;
                    sq += d * d;
                }
            mean[ch] = m;
            variance[ch] = count == 0 ? double.NaN : sq / count;
        }
        return (mean, variance, count);
    }

    private static double[] Normalize(double[] x, long n, long c, long inner, double[] mean, double[] rstd, double[]? w, double[]? b)
    {
        var o = new double[x.LongLength];
        for (long bi = 0; bi < n; bi++)
            for (long ch = 0; ch < c; ch++)
            {
                double scale = rstd[ch] * (w?[ch] ?? 1), shift = b?[ch] ?? 0;
                long base_ = (bi * c + ch) * inner;
                for (long i = 0; i < inner; i++) o[base_ + i] = (x[base_ + i] - mean[ch]) * scale + shift;
            }
        return o;
    }

    private static (long N, long C, long Inner) Dims(Tensor input)
    {
        if (input.Ndim < 2) throw new ArgumentException($"batch_norm: expected input with at least 2 dimensions (N, C, ...), got {input.Ndim}");
        return (input.Sizes[0], input.Sizes[1], input.Sizes.Skip(2).Aggregate(1L, (x, y) => x * y));
    }

    /// <summary>
    /// _native_batch_norm_legit: in training, normalizes with batch statistics and updates running_mean/running_var in
    /// place (momentum-weighted, unbiased variance); in eval, normalizes with the running statistics.
    /// </summary>
    public static readonly KernelFunction BatchNormLegit = a =>
    {
        var input = Aten.T0(a);
        PoolingKernels.RequireFloat("batch_norm", input);
        Tensor runningMean = Aten.Tn(a, 3), runningVar = Aten.Tn(a, 4);
        bool training = Aten.B(a[5]);
        double momentum = Aten.D(a[6]), eps = Aten.D(a[7]);
        var (n, c, inner) = Dims(input);
        var x = Eager.Dense<double>(input);
        var stat = StatDType(input.DType);
        if (!training)
        {
            var rm = Eager.Dense<double>(runningMean);
            var rstdEval = Eager.Dense<double>(runningVar).Select(v => 1 / Math.Sqrt(v + eps)).ToArray();
            var outEval = Normalize(x, n, c, inner, rm, rstdEval, OptionalDense(a[1]), OptionalDense(a[2]));
            return new[] { Eager.Wrap(outEval, input.Sizes, input.DType), Tensor.Empty(stat, [0]), Tensor.Empty(stat, [0]) };
        }
        var (mean, variance, count) = ChannelStats(x, n, c, inner);
        var rstd = variance.Select(v => 1 / Math.Sqrt(v + eps)).ToArray();
        var output = Normalize(x, n, c, inner, mean, rstd, OptionalDense(a[1]), OptionalDense(a[2]));
        var oldMean = Eager.Dense<double>(runningMean);
        var oldVar = Eager.Dense<double>(runningVar);
        var newMean = new double[c];
        var newVar = new double[c];
        for (long ch = 0; ch < c; ch++)
        {
            double unbiased = count > 1 ? variance[ch] * count / (count - 1) : variance[ch];
            newMean[ch] = (1 - momentum) * oldMean[ch] + momentum * mean[ch];
            newVar[ch] = (1 - momentum) * oldVar[ch] + momentum * unbiased;
        }
        Eager.CopyInto(runningMean, Eager.Wrap(newMean, runningMean.Sizes, DType.Float64));
        Eager.CopyInto(runningVar, Eager.Wrap(newVar, runningVar.Sizes, DType.Float64));
        return new[] { Eager.Wrap(output, input.Sizes, input.DType), Eager.Wrap(mean, [c], stat), Eager.Wrap(rstd, [c], stat) };
    };

    /// <summary>_native_batch_norm_legit.no_stats: batch statistics only (there are no running statistics to use or update).</summary>
    public static readonly KernelFunction BatchNormNoStats = a =>
    {
        var input = Aten.T0(a);
        PoolingKernels.RequireFloat("batch_norm", input);
        double eps = Aten.D(a[5]);
        var (n, c, inner) = Dims(input);
        var x = Eager.Dense<double>(input);
        var (mean, variance, _) = ChannelStats(x, n, c, inner);
        var rstd = variance.Select(v => 1 / Math.Sqrt(v + eps)).ToArray();
        var output = Normalize(x, n, c, inner, mean, rstd, OptionalDense(a[1]), OptionalDense(a[2]));
        var stat = StatDType(input.DType);
        return new[] { Eager.Wrap(output, input.Sizes, input.DType), Eager.Wrap(mean, [c], stat), Eager.Wrap(rstd, [c], stat) };
    };

    /// <summary>native_dropout: keeps each element with probability 1 − p (scaled by 1/(1 − p)) and returns the keep mask.</summary>
    public static readonly KernelFunction NativeDropout = a =>
    {
        var input = Aten.T0(a);
        double p = Aten.D(a[1]);
        bool train = a[2] is not false;
        if (!train || input.NumelLong == 0)
            return new[] { Aten.Call(Aten.Clone, input), Eager.Full(DType.Bool, input.Sizes, true) };
        var keep = new float[input.NumelLong];
        RandomGenerator.Default.Bernoulli(keep, 1 - p);
        var mask = keep.Select(k => k != 0).ToArray();
        double scale = p >= 1 ? 0 : 1 / (1 - p);
        var x = Eager.Dense<double>(input);
        var o = new double[x.LongLength];
        // input · mask · scale as torch computes it: a dropped -x is -0.0, a dropped NaN or inf stays NaN.
        for (long i = 0; i < o.LongLength; i++) o[i] = x[i] * (mask[i] ? 1 : 0) * scale;
        return new[] { Eager.Wrap(o, input.Sizes, input.DType), Eager.Wrap(mask, input.Sizes, DType.Bool) };
    };

    /// <summary>
    /// native_layer_norm_backward: with x̂ = (x − mean)·rstd and g = dy·w over each normalized row of N elements,
    /// dx = rstd/N·(N·g − Σg − x̂·Σ(g·x̂)); dw = Σ_rows dy·x̂; db = Σ_rows dy. Masked-off outputs are null (None).
    /// </summary>
    public static readonly KernelFunction LayerNormBackward = a =>
    {
        Tensor grad = Aten.T0(a), input = Aten.Tn(a, 1);
        var normalized = Aten.Ls(a[2]);
        var mask = (bool[])a[7]!;
        long cols = normalized.Aggregate(1L, (x, y) => x * y);
        long rows = cols == 0 ? 0 : input.NumelLong / cols;
        var dy = Eager.Dense<double>(grad);
        var x = Eager.Dense<double>(input);
        var mean = Eager.Dense<double>(Aten.Tn(a, 3));
        var rstd = Eager.Dense<double>(Aten.Tn(a, 4));
        var w = OptionalDense(a[5]);
        var dx = new double[x.LongLength];
        var dw = new double[cols];
        var db = new double[cols];
        for (long r = 0; r < rows; r++)
        {
            double sumG = 0, sumGx = 0;
            long b0 = r * cols;
            for (long j = 0; j < cols; j++)
            {
                double xhat = (x[b0 + j] - mean[r]) * rstd[r];
                double g = dy[b0 + j] * (w?[j] ?? 1);
                sumG += g;
                sumGx += g * xhat;
                dw[j] += dy[b0 + j] * xhat;
                db[j] += dy[b0 + j];
            }
            for (long j = 0; j < cols; j++)
            {
                double xhat = (x[b0 + j] - mean[r]) * rstd[r];
                double g = dy[b0 + j] * (w?[j] ?? 1);
                dx[b0 + j] = rstd[r] / cols * (cols * g - sumG - xhat * sumGx);
            }
        }
        var weight = a[5] as Tensor;
        var bias = a[6] as Tensor;
        return new[]
        {
            mask[0] ? Eager.Wrap(dx, input.Sizes, input.DType) : null,
            mask[1] && weight is not null ? Eager.Wrap(dw, weight.Sizes, weight.DType) : null,
            mask[2] && bias is not null ? Eager.Wrap(db, bias.Sizes, bias.DType) : null,
        };
    };

    /// <summary>
    /// native_group_norm_backward: per (sample, group) of M = (C/G)·HxW elements, with g = dy·w_c,
    /// dx = rstd·(g − mean(g) − x̂·mean(g·x̂)); dw_c = Σ dy·x̂; db_c = Σ dy. Masked-off outputs are null (None).
    /// </summary>
    public static readonly KernelFunction GroupNormBackward = a =>
    {
        Tensor grad = Aten.T0(a), input = Aten.Tn(a, 1);
        long n = Aten.L(a[5]), c = Aten.L(a[6]), hxw = Aten.L(a[7]), groups = Aten.L(a[8]);
        var mask = (bool[])a[9]!;
        long d = c / groups;
        var dy = Eager.Dense<double>(grad);
        var x = Eager.Dense<double>(input);
        var mean = Eager.Dense<double>(Aten.Tn(a, 2));
        var rstd = Eager.Dense<double>(Aten.Tn(a, 3));
        var w = OptionalDense(a[4]);
        var dx = new double[x.LongLength];
        var dw = new double[c];
        var db = new double[c];
        double m = d * hxw;
        for (long b = 0; b < n; b++)
            for (long g = 0; g < groups; g++)
            {
                long stat = b * groups + g;
                double sumG = 0, sumGx = 0;
                for (long ch = g * d; ch < (g + 1) * d; ch++)
                    for (long s = 0; s < hxw; s++)
                    {
                        long i = (b * c + ch) * hxw + s;
                        double xhat = (x[i] - mean[stat]) * rstd[stat];
                        double gg = dy[i] * (w?[ch] ?? 1);
                        sumG += gg;
                        sumGx += gg * xhat;
                        dw[ch] += dy[i] * xhat;
                        db[ch] += dy[i];
                    }
                for (long ch = g * d; ch < (g + 1) * d; ch++)
                    for (long s = 0; s < hxw; s++)
                    {
                        long i = (b * c + ch) * hxw + s;
                        double xhat = (x[i] - mean[stat]) * rstd[stat];
                        double gg = dy[i] * (w?[ch] ?? 1);
                        dx[i] = rstd[stat] * (gg - sumG / m - xhat * sumGx / m);
                    }
            }
        return new[]
        {
            mask[0] ? Eager.Wrap(dx, input.Sizes, input.DType) : null,
            mask[1] ? Eager.Wrap(dw, [c], input.DType) : null,
            mask[2] ? Eager.Wrap(db, [c], input.DType) : null,
        };
    };
}

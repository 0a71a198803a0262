using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Eager kernels of the sampling ops beyond rand/randn: bernoulli of a probability tensor, uniform, normal and
/// exponential fills, normal with tensor moments, multinomial draws and Poisson counts, all from the default
/// generator (Torch.ManualSeed makes them repeat), computed in double and returned in the op's dtype.
/// </summary>
internal static class SamplingKernels
{
    private static double[] Uniforms(long n)
    {
        var u = new double[n];
        RandomGenerator.Default.FillUniform(u);
        return u;
    }

    /// <summary>1 where a uniform draw falls below the element's probability.</summary>
    public static Tensor Bernoulli(Tensor probabilities)
    {
        var p = probabilities.ToArray<double>();
        if (p.Any(v => !(v >= 0 && v <= 1))) throw new ArgumentException("bernoulli: all elements of the probability tensor must be in [0, 1]");
        var u = Uniforms(p.Length);
        return Eager.Wrap([.. u.Select((v, i) => v < p[i] ? 1.0 : 0.0)], probabilities.Sizes, probabilities.DType);
    }

    public static Tensor Uniform(Tensor like, double from, double to)
    {
        var u = Uniforms(like.NumelLong);
        return Eager.Wrap([.. u.Select(v => from + (to - from) * v)], like.Sizes, like.DType);
    }

    public static Tensor Normal(long[] shape, DType dtype, Func<long, (double Mean, double Std)> moments)
    {
        var values = new double[ShapeMath.Numel(shape)];
        RandomGenerator.Default.FillNormal(values);
        for (long i = 0; i < values.Length; i++)
        {
            var (mean, std) = moments(i);
            values[i] = mean + std * values[i];
        }
        return Eager.Wrap(values, shape, dtype);
    }

    /// <summary>-log(1 - u) / λ.</summary>
    public static Tensor Exponential(Tensor like, double lambda)
    {
        var u = Uniforms(like.NumelLong);
        return Eager.Wrap([.. u.Select(v => -Math.Log(1 - v) / lambda)], like.Sizes, like.DType);
    }

    /// <summary>
    /// Indices drawn per row in proportion to its non-negative weights: with replacement by the inverse of the running
    /// sum, without by drawing one at a time and removing it.
    /// </summary>
    public static Tensor Multinomial(Tensor weights, long samples, bool replacement)
    {
        var rows = weights.Ndim == 1 ? weights.Unsqueeze(0) : weights;
        long count = rows.Sizes[0], categories = rows.Sizes[1];
        var w = rows.ToArray<double>();
        var result = new long[count * samples];
        for (long r = 0; r < count; r++)
        {
            var row = w.AsSpan((int)(r * categories), (int)categories).ToArray();
            if (row.Any(v => v < 0 || !double.IsFinite(v))) throw new ArgumentException("multinomial: probability tensor contains either `inf`, `nan` or element < 0");
            int positive = row.Count(v => v > 0);
            if (positive == 0) throw new ArgumentException("multinomial: invalid multinomial distribution (sum of probabilities <= 0)");
            if (!replacement && samples > positive) throw new ArgumentException("multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement");
            for (long s = 0; s < samples; s++)
            {
                double total = row.Sum(), target = Uniforms(1)[0] * total, running = 0;
                int pick = -1;
                for (int c = 0; c < row.Length; c++)
                {
                    if (row[c] <= 0) continue;
                    pick = c;
                    running += row[c];
                    if (target < running) break;
                }
                result[r * samples + s] = pick;
                if (!replacement) row[pick] = 0;
            }
        }
        var shape = weights.Ndim == 1 ? new[] { samples } : [count, samples];
        return Eager.Wrap(result, shape, DType.Int64);
    }

    /// <summary>Poisson counts: Knuth's product of uniforms for small rates, Hörmann's transformed rejection (PTRS) above.</summary>
    public static Tensor Poisson(Tensor rates)
    {
        var lambda = rates.ToArray<double>();
        if (lambda.Any(v => !(v >= 0))) throw new ArgumentException("poisson: rates must be non-negative");
        var counts = new double[lambda.Length];
        for (int i = 0; i < lambda.Length; i++) counts[i] = lambda[i] < 10 ? Knuth(lambda[i]) : TransformedRejection(lambda[i]);
        return Eager.Wrap(counts, rates.Sizes, rates.DType);
    }

    private static double Knuth(double lambda)
    {
        if (lambda == 0) return 0;
        double limit = Math.Exp(-lambda), product = Uniforms(1)[0];
        long k = 0;
        while (product > limit)
        {
            k++;
            product *= Uniforms(1)[0];
        }
        return k;
    }

    private static double TransformedRejection(double lambda)
    {
        double root = Math.Sqrt(lambda), logLambda = Math.Log(lambda);
        double b = 0.931 + 2.53 * root, a = -0.059 + 0.02483 * b;
        double inverseAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            var draws = Uniforms(2);
            double u = draws[0] - 0.5, v = draws[1], us = 0.5 - Math.Abs(u);
            double k = Math.Floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.Log(v) + Math.Log(inverseAlpha) - Math.Log(a / (us * us) + b) <= -lambda + k * logLambda - SpecialFunctions.LogGamma(k + 1)) return k;
        }
    }
}

using System.Numerics;

namespace Graphport.Cpu;

public static partial class Indexing
{
    /// <summary>Number of elements torch.arange produces: ⌈(end − start) / step⌉, validated for step sign.</summary>
    public static long ArangeLength(double start, double end, double step)
    {
        if (step == 0 || double.IsNaN(step))
            throw new ArgumentException($"Indexing.Arange: step = {step}; expected a nonzero step", nameof(step));
        if (!double.IsFinite(start) || !double.IsFinite(end))
            throw new ArgumentException($"Indexing.Arange: range [{start}, {end}) is not finite; expected finite start and end", double.IsFinite(start) ? nameof(end) : nameof(start));
        if ((step > 0 && end < start) || (step < 0 && end > start))
            throw new ArgumentException($"Indexing.Arange: upper bound {end} and lower bound {start} are inconsistent with step sign of {step}; expected (end − start) to have the sign of step", nameof(step));
        return (long)Math.Ceiling((end - start) / step);
    }

    /// <summary>arange for floating types: element i is start + i·step computed in double, then rounded to T.</summary>
    public static T[] Arange<T>(double start, double end, double step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = ArangeLength(start, end, step);
        var r = new T[n];
        for (long i = 0; i < n; i++) r[i] = T.CreateTruncating(start + step * i);
        return r;
    }

    /// <summary>arange for int64: start, start+step, ... up to but excluding end.</summary>
    public static long[] Arange(long start, long end, long step)
    {
        if (step == 0)
            throw new ArgumentException($"Indexing.Arange: step = 0; expected a nonzero step", nameof(step));
        if ((step > 0 && end < start) || (step < 0 && end > start))
            throw new ArgumentException($"Indexing.Arange: upper bound {end} and lower bound {start} are inconsistent with step sign of {step}; expected (end − start) to have the sign of step", nameof(step));
        // Exact integer ceil-division: a double division can be off for huge ranges.
        long n = (end - start + step - Math.Sign(step)) / step;
        var r = new long[Math.Max(n, 0)];
        for (long i = 0; i < r.Length; i++) r[i] = start + i * step;
        return r;
    }

    /// <summary>linspace with torch's CPU formula: the first half counts up from start, the second half down from end (so both ends are exact); the step is computed in T.</summary>
    public static T[] Linspace<T>(double start, double end, long steps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (steps < 0)
            throw new ArgumentException($"Indexing.Linspace: steps = {steps}; expected steps >= 0", nameof(steps));
        var r = new T[steps];
        if (steps == 0) return r;
        T s = T.CreateTruncating(start), e = T.CreateTruncating(end);
        if (steps == 1)
        {
            r[0] = s;
            return r;
        }
        T step = (e - s) / T.CreateTruncating(steps - 1);
        long half = steps / 2;
        for (long i = 0; i < steps; i++)
            r[i] = i < half ? s + step * T.CreateTruncating(i) : e - step * T.CreateTruncating(steps - i - 1);
        return r;
    }
}

using Graphport.Operators;

namespace Graphport;

/// <summary>
/// linspace: steps evenly spaced values from start to end, both included. torch's CPU kernel computes the first half
/// forward from start and the second half back from end, each value as one fused multiply-add with a step rounded to
/// the result's type (integers: start and end truncated, the values computed in double and truncated), so both ends
/// are exact; the kernel here does the same and
/// gives torch's values to the bit. Not a core op: decomposed into arange arithmetic and a where between the halves,
/// which rounds the product and the sum apart (a last-place difference at most).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Linspace = Def($"linspace(Scalar start, Scalar end, int steps, *, {FactoryOptions}) -> Tensor", meta: a =>
    {
        long steps = L(a[2]);
        if (steps < 0) throw new ArgumentException("number of steps must be non-negative");
        var dtype = (DType?)a[3] ?? DType.Float32;
        if (dtype == DType.Bool) throw new ArgumentException("linspace: a Bool result is not supported (\"linspace_cpu\" not implemented for 'Bool'); ask for a number dtype.");
        return new TensorMeta(dtype, [steps]);
    }, kernel: a => LinspaceKernel(D(a[0]), D(a[1]), L(a[2]), (DType?)a[3] ?? DType.Float32));

    private static Tensor LinspaceKernel(double start, double end, long steps, DType dtype)
    {
        // One step is start alone.
        long half = steps == 1 ? 1 : steps / 2;
        if (dtype is DType.Float32 or DType.Float16 or DType.BFloat16)
        {
            float s = (float)start, e = (float)end, step = steps > 1 ? (e - s) / (steps - 1) : 0f;
            var values = new float[steps];
            for (long i = 0; i < steps; i++)
                values[i] = i < half ? MathF.FusedMultiplyAdd(step, i, s) : MathF.FusedMultiplyAdd(-step, steps - 1 - i, e);
            return Eager.Wrap(values, [steps], dtype);
        }
        // An integer result takes start and end as integers first (torch converts them to the result's type).
        if (dtype != DType.Float64) (start, end) = (Math.Truncate(start), Math.Truncate(end));
        double stepD = steps > 1 ? (end - start) / (steps - 1) : 0;
        var doubles = new double[steps];
        for (long i = 0; i < steps; i++)
            doubles[i] = i < half ? Math.FusedMultiplyAdd(stepD, i, start) : Math.FusedMultiplyAdd(-stepD, steps - 1 - i, end);
        if (dtype == DType.Float64) return Eager.Wrap(doubles, [steps], dtype);
        // Integer results truncate toward zero, as torch's cast does.
        return Eager.Wrap(doubles.Select(v => (long)v).ToArray(), [steps], dtype);
    }

    /// <summary>linspace in core ops: start + step·i for the first half (all of one step), end − step·(steps − 1 − i) for the rest.</summary>
    internal static Tensor LinspaceDecomposition(object?[] a)
    {
        double start = D(a[0]), end = D(a[1]);
        long steps = L(a[2]);
        var dtype = (DType?)a[3] ?? DType.Float32;
        bool single = dtype is DType.Float32 or DType.Float16 or DType.BFloat16;
        var compute = single ? DType.Float32 : DType.Float64;
        if (!dtype.IsFloatingPoint()) (start, end) = (Math.Truncate(start), Math.Truncate(end));
        double step = steps <= 1 ? 0 : single ? (float)((float)end - (float)start) / (steps - 1) : (end - start) / (steps - 1);
        if (single) (start, end, step) = ((float)start, (float)end, (float)step);
        var index = CallKw(ArangeStartStep, [0L, steps, 1L], ("dtype", compute));
        var forward = Call(Add, Call(Mul, index, step), start);
        var backward = Call(Add, Call(Mul, Call(Sub, index, (double)(steps - 1)), step), end);
        var values = Call(Where, Call(LtScalar, index, (double)(steps == 1 ? 1 : steps / 2)), forward, backward);
        return values.DType == dtype ? values : CallKw(ToCopy, [values], ("dtype", dtype));
    }
}

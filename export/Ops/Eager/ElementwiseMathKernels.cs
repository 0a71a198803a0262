using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Eager kernels of the elementwise math that has no vectorized loop (special functions, frexp, nextafter, gcd):
/// operands broadcast and read as double (or long, or in their own float width where the answer depends on it),
/// the function applied to each element, the result converted to the op's dtype.
/// </summary>
internal static class ElementwiseMathKernels
{
    public static Tensor Map(Tensor x, DType result, Func<double, double> f)
    {
        var shape = x.Sizes;
        var values = Read<double>(x, shape, DType.Float64);
        var output = new double[values.Length];
        CpuParallel.For(values.Length, 256, (start, end) =>
        {
            for (long i = start; i < end; i++) output[i] = f(values[i]);
        });
        return Eager.Wrap(output, shape, result);
    }

    public static Tensor Map(Tensor x, Tensor y, DType result, Func<double, double, double> f)
    {
        var shape = BroadcastShape(x, y);
        var left = Read<double>(x, shape, DType.Float64);
        var right = Read<double>(y, shape, DType.Float64);
        var output = new double[left.Length];
        CpuParallel.For(left.Length, 256, (start, end) =>
        {
            for (long i = start; i < end; i++) output[i] = f(left[i], right[i]);
        });
        return Eager.Wrap(output, shape, result);
    }

    public static Tensor MapToBool(Tensor x, Func<double, bool> f)
    {
        var shape = x.Sizes;
        var values = Read<double>(x, shape, DType.Float64);
        var output = new bool[values.Length];
        for (long i = 0; i < values.Length; i++) output[i] = f(values[i]);
        return Eager.Wrap(output, shape, DType.Bool);
    }

    public static Tensor MapIntegers(Tensor x, Tensor y, DType result, Func<long, long, long> f)
    {
        var shape = BroadcastShape(x, y);
        var left = Read<long>(x, shape, DType.Int64);
        var right = Read<long>(y, shape, DType.Int64);
        var output = new long[left.Length];
        for (long i = 0; i < left.Length; i++) output[i] = f(left[i], right[i]);
        return Eager.Wrap(output, shape, result);
    }

    /// <summary>
    /// A binary function of two float tensors evaluated in <paramref name="dtype"/>'s own width (nextafter's next
    /// float32 is not the next double): float32 and float64 directly, float16 and bfloat16 through float.
    /// </summary>
    public static Tensor MapInWidth(Tensor x, Tensor y, DType dtype, Func<float, float, float> single, Func<double, double, double> wide)
    {
        var shape = BroadcastShape(x, y);
        if (dtype == DType.Float64)
        {
            var left = Read<double>(x, shape, DType.Float64);
            var right = Read<double>(y, shape, DType.Float64);
            var output = new double[left.Length];
            for (long i = 0; i < left.Length; i++) output[i] = wide(left[i], right[i]);
            return Eager.Wrap(output, shape, dtype);
        }
        var a = Read<float>(x, shape, DType.Float32);
        var b = Read<float>(y, shape, DType.Float32);
        var result = new float[a.Length];
        for (long i = 0; i < a.Length; i++) result[i] = single(a[i], b[i]);
        return Eager.Wrap(result, shape, dtype);
    }

    /// <summary>x = mantissa · 2^exponent with |mantissa| in [0.5, 1) (0, ±inf and NaN keep exponent 0), as C's frexp.</summary>
    public static Tensor[] Frexp(Tensor x)
    {
        var shape = x.Sizes;
        var values = Read<double>(x, shape, DType.Float64);
        var mantissas = new double[values.Length];
        var exponents = new int[values.Length];
        for (long i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (v == 0 || !double.IsFinite(v))
            {
                mantissas[i] = v;
                continue;
            }
            int exponent = Math.ILogB(v) + 1;
            mantissas[i] = Math.ScaleB(v, -exponent);
            exponents[i] = exponent;
        }
        return [Eager.Wrap(mantissas, shape, x.DType), Eager.Wrap(exponents, shape, DType.Int32)];
    }

    private static long[] BroadcastShape(Tensor x, Tensor y) =>
        ShapeRules.Broadcast(x.Shape.AsArray(), y.Shape.AsArray()).Select(s => (long)s).ToArray();

    private static T[] Read<T>(Tensor t, long[] shape, DType readAs)
    {
        var copy = Tensor.Empty(readAs, shape);
        Eager.CopyInto(copy, t);
        return (T[])copy.Storage.Data;
    }
}

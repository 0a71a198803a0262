namespace Graphport.Tests.TensorApi;

/// <summary>
/// Seeded random tensors and the index arithmetic naive reference computations need. References compute in
/// double from the values a tensor actually holds (after rounding to its dtype), never through the engine's ops.
/// </summary>
internal static class Reference
{
    /// <summary>A tensor of uniform values in [lo, hi) from a fixed seed, stored in <paramref name="dtype"/>.</summary>
    public static Tensor Random(int seed, long[] shape, DType dtype = DType.Float32, double lo = -3, double hi = 3)
    {
        var rng = new Random(seed);
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var values = new double[n];
        for (long i = 0; i < n; i++) values[i] = lo + (hi - lo) * rng.NextDouble();
        var t = Tensor.FromArray(values, shape);
        return dtype == DType.Float64 ? t : t.To(dtype);
    }

    /// <summary>Random integers in [lo, hi) as a tensor of an integer dtype.</summary>
    public static Tensor RandomInts(int seed, long[] shape, long lo, long hi, DType dtype = DType.Int64)
    {
        var rng = new Random(seed);
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var values = new long[n];
        for (long i = 0; i < n; i++) values[i] = rng.NextInt64(lo, hi);
        var t = Tensor.FromArray(values, shape);
        return dtype == DType.Int64 ? t : t.To(dtype);
    }

    /// <summary>The tensor's values in row-major order, exactly (every dtype converts to double without loss).</summary>
    public static double[] Values(Tensor t) => t.ToArray<double>();

    public static long[] Sizes(Tensor t) => t.Shape.ToLongs();

    public static long Numel(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Every multi-index of <paramref name="shape"/> in row-major order.</summary>
    public static IEnumerable<long[]> Indices(long[] shape)
    {
        long n = Numel(shape);
        for (long flat = 0; flat < n; flat++) yield return Unravel(shape, flat);
    }

    public static long[] Unravel(long[] shape, long flat)
    {
        var idx = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    public static long Flat(long[] shape, long[] idx)
    {
        long f = 0;
        for (int d = 0; d < shape.Length; d++) f = f * shape[d] + idx[d];
        return f;
    }

    /// <summary>Reads element <paramref name="idx"/> of a row-major array of <paramref name="shape"/>, broadcasting from the right.</summary>
    public static double AtBroadcast(double[] values, long[] shape, long[] outIdx)
    {
        int lead = outIdx.Length - shape.Length;
        long f = 0;
        for (int d = 0; d < shape.Length; d++) f = f * shape[d] + (shape[d] == 1 ? 0 : outIdx[lead + d]);
        return values[f];
    }

    public static void AssertShape(long[] expected, Tensor actual) =>
        Assert.Equal(expected, Sizes(actual));

    /// <summary>Checks shape, dtype and every element against a reference, with torch.allclose-style tolerances.</summary>
    public static void AssertClose(double[] expected, long[] shape, Tensor actual, double rtol = 1e-5, double atol = 1e-6, DType? dtype = null)
    {
        Assert.Equal(shape, Sizes(actual));
        if (dtype is DType d) Assert.Equal(d, actual.DType);
        var a = Values(actual);
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++) AssertElement(expected[i], a[i], rtol, atol, i);
    }

    public static void AssertElement(double e, double a, double rtol, double atol, long i)
    {
        if (double.IsNaN(e)) { Assert.True(double.IsNaN(a), $"[{i}] expected NaN, got {a}"); return; }
        if (double.IsInfinity(e)) { Assert.True(e == a, $"[{i}] expected {e}, got {a}"); return; }
        Assert.True(Math.Abs(e - a) <= atol + rtol * Math.Abs(e), $"[{i}] expected {e:R}, got {a:R} (|diff| {Math.Abs(e - a):E2})");
    }

    /// <summary>Two tensors of the same shape agree within tolerances (for eager-versus-exported comparisons).</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double rtol = 1e-5, double atol = 1e-6)
    {
        Assert.Equal(Sizes(expected), Sizes(actual));
        Assert.Equal(expected.DType, actual.DType);
        var e = Values(expected);
        var a = Values(actual);
        for (int i = 0; i < a.Length; i++) AssertElement(e[i], a[i], rtol, atol, i);
    }

    /// <summary>Tolerances for results computed in float32 versus the double reference.</summary>
    public static (double Rtol, double Atol) Tol(DType dtype) => dtype == DType.Float64 ? (1e-10, 1e-12) : (1e-4, 1e-5);
}

using Graphport.Tests.OpOracle;

namespace Graphport.Tests.CoreOps;

/// <summary>Calls ops by name and builds seeded inputs for the core-op kernel tests; references are written per test.</summary>
internal static class CoreOpCalls
{
    public static Tensor Op(string name, params object?[] args) => (Tensor)Torch.Ops[name].Call(args)!;

    public static Tensor[] Multi(string name, params object?[] args) => (Tensor[])Torch.Ops[name].Call(args)!;

    public static Tensor Random(int seed, long[] shape, DType dtype = DType.Float64, double lo = -3, double hi = 3) =>
        OracleInputs.Make(new Random(seed), shape, dtype, lo, hi);

    public static double[] Values(Tensor t) => t.ToArray<double>();

    public static long[] Sizes(Tensor t) => t.Shape.ToLongs();

    /// <summary>Checks shape, dtype and values against a reference computed in double.</summary>
    public static void AssertValues(double[] expected, long[] shape, Tensor actual, DType dtype, double rtol = 1e-12, double atol = 1e-12)
    {
        Assert.Equal(shape, Sizes(actual));
        Assert.Equal(dtype, actual.DType);
        var a = Values(actual);
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(expected[i])) { Assert.True(double.IsNaN(a[i]), $"[{i}] expected NaN, got {a[i]}"); continue; }
            Assert.True(expected[i] == a[i] || Math.Abs(expected[i] - a[i]) <= atol + rtol * Math.Abs(expected[i]), $"[{i}] expected {expected[i]:R}, got {a[i]:R}");
        }
    }

    /// <summary>Row-major multi-indices of a shape.</summary>
    public static IEnumerable<long[]> Indices(long[] shape) => TensorApi.Reference.Indices(shape);

    public static long Flat(long[] shape, long[] idx) => TensorApi.Reference.Flat(shape, idx);

    public static long Numel(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Σ a·b over all elements, the inner product adjoint tests compare.</summary>
    public static double Dot(Tensor a, Tensor b) => Values(a).Zip(Values(b)).Sum(p => p.First * p.Second);
}

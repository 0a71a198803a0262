namespace Graphport.Tests.OpOracle;

/// <summary>Compares two results of the same op call (tensor, tensor list or scalar) with tolerances set by dtype.</summary>
internal static class Agree
{
    /// <summary>
    /// Tolerances between two float computations of the same math. A kernel rounds once to the result dtype while a
    /// decomposition rounds after each of its ops (and may sum in another order), so the bound is a few units in the
    /// last place of the dtype: float64 (2^-53) and float32 (2^-24) leave ample room at 1e-9 / 1e-5; float16 (2^-11)
    /// gets about 8 ulps, bfloat16 (2^-8) about 5 ulps, with an absolute floor for results near zero.
    /// </summary>
    public static (double Rtol, double Atol) Tolerance(DType dtype) => dtype switch
    {
        DType.Float64 => (1e-9, 1e-12),
        DType.Float32 => (1e-5, 1e-5),
        DType.Float16 => (4e-3, 2e-3),
        DType.BFloat16 => (2e-2, 2e-2),
        _ => (0, 0),
    };

    public static void Results(object? expected, object? actual, Agreement agreement, string context)
    {
        switch (expected)
        {
            case Tensor e:
                Tensors(e, Assert.IsAssignableFrom<Tensor>(actual), agreement, context);
                break;
            case Tensor[] es:
                var actuals = Assert.IsAssignableFrom<Tensor[]>(actual);
                Assert.True(es.Length == actuals.Length, $"{context}: {es.Length} outputs expected, got {actuals.Length}");
                for (int i = 0; i < es.Length; i++) Tensors(es[i], actuals[i], agreement, $"{context} output {i}");
                break;
            default:
                Assert.True(Equals(expected, actual), $"{context}: expected {expected}, got {actual}");
                break;
        }
    }

    public static void Tensors(Tensor expected, Tensor actual, Agreement agreement, string context)
    {
        Assert.True(expected.DType == actual.DType, $"{context}: dtype {expected.DType.TorchName()} expected, got {actual.DType.TorchName()}");
        Assert.True(expected.Shape.ToLongs().SequenceEqual(actual.Shape.ToLongs()), $"{context}: shape {expected.Shape} expected, got {actual.Shape}");
        if (agreement == Agreement.ShapeAndDType) return;
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        var (rtol, atol) = Tolerance(expected.DType);
        for (int i = 0; i < e.Length; i++)
        {
            if (double.IsNaN(e[i]) && double.IsNaN(a[i])) continue;
            if (e[i] == a[i]) continue;
            Assert.True(Math.Abs(e[i] - a[i]) <= atol + rtol * Math.Abs(e[i]),
                $"{context}: element {i} expected {e[i]:R}, got {a[i]:R} (|diff| {Math.Abs(e[i] - a[i]):E2}, {expected.DType.TorchName()} rtol {rtol} atol {atol})");
        }
    }
}

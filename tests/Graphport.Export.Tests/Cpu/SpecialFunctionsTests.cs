using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

public class SpecialFunctionsTests
{
    /// <summary>erf by composite Simpson integration of 2/√π·e^(−t²), independent of the library's series.</summary>
    private static double ErfByIntegration(double x)
    {
        int n = 4000;
        double h = x / n, sum = 1 + Math.Exp(-x * x);
        for (int i = 1; i < n; i++) sum += (i % 2 == 1 ? 4 : 2) * Math.Exp(-(i * h) * (i * h));
        return 2 / Math.Sqrt(Math.PI) * sum * h / 3;
    }

    [Fact]
    public void Double_erf_matches_numerical_integration_across_both_branches()
    {
        for (double x = -6.5; x <= 6.5; x += 0.0371)
            CpuTestData.AssertClose(ErfByIntegration(x), SpecialFunctions.Erf(x), 1e-13, 1e-14, "erf", (long)(x * 100));
    }

    [Fact]
    public void Float_erf_is_within_two_ulp_of_the_double_reference_including_tiny_inputs()
    {
        var rng = new Random(13);
        var xs = CpuTestData.Floats(rng, 5000, -5, 5).Concat([1e-30f, -1e-8f, 0.927734375f, 0.9277344f, 3.9f, 10f, -30f]).ToArray();
        var ys = new float[xs.Length];
        SpecialFunctions.Erf(xs, ys);
        for (int i = 0; i < xs.Length; i++)
        {
            double e = SpecialFunctions.Erf((double)xs[i]);
            double ulp = Math.Max(Math.Abs(MathF.BitIncrement((float)e) - (float)e), float.Epsilon);
            Assert.True(Math.Abs(ys[i] - e) <= 2 * ulp, $"erf({xs[i]:R}) = {ys[i]:R}, expected {e:R}");
            Assert.Equal(ys[i], SpecialFunctions.Erf(xs[i]), 1e-7f);
        }
    }
}

using System.Text.Json.Nodes;
using Graphport.Kernels.Conformance;

namespace Graphport.GpuBench;

/// <summary>An <see cref="OutputComparison"/> as the kit's JSON records it.</summary>
public static class OutputComparisonJson
{
    public static void WriteTo(this OutputComparison comparison, JsonObject record, double tolerance)
    {
        record["passed"] = comparison.Passes(tolerance);
        record["max_abs_diff"] = JsonOut.Number(comparison.MaxDiff);
        record["output_scale"] = JsonOut.Number(comparison.Scale);
        record["relative_diff"] = JsonOut.Number(comparison.Relative);
        record["tolerance"] = tolerance;
        if (comparison.Problem is not null) record["problem"] = comparison.Problem;
    }
}

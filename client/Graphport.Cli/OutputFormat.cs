using System.Globalization;
using Graphport.Grains;

namespace Graphport.Cli;

/// <summary>How cluster results print: version lines, tensors as JSON-friendly objects.</summary>
public static class OutputFormat
{
    public static string Version(ProgramVersionInfo v) =>
        $"{v.Ref}  {v.Kind.ToString().ToLowerInvariant()}  {v.OpCount} ops  {Bytes(v.WeightBytes)} weights  from {v.Origin}";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 30 => (bytes / (double)(1 << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1 << 20 => (bytes / (double)(1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (bytes / (double)(1 << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    /// <summary>A tensor for --json: dtype, shape, and its values flattened (row-major).</summary>
    public static object Tensor(Tensor t) => new
    {
        dtype = TensorData.WireName(t.DType),
        shape = t.Shape.Select(s => (long)s).ToArray(),
        data = t.To(DType.Float64).ToArray<double>(),
    };
}

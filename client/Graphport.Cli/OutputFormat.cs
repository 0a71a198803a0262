using System.Globalization;
using Graphport.Grains;

namespace Graphport.Cli;

/// <summary>How cluster results print: version lines, tensors as JSON-friendly objects.</summary>
public static class OutputFormat
{
    public static string Version(ProgramVersionInfo v) =>
        $"{v.Ref}  {v.Kind.ToString().ToLowerInvariant()}  {v.OpCount} ops  {Bytes(v.WeightBytes)} weights  from {v.Origin}";

    /// <summary>
    /// Where a version's program came from in the first place: its own origin, or for a decomposed version the
    /// origin of the version it was decomposed from ("onnx:resnet18.onnx" rather than "decomposed from v1 with core").
    /// </summary>
    public static string FirstOrigin(ProgramInfo program, ProgramVersionInfo version)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(version);
        var current = version;
        // Bounded by the version count, so a damaged chain of DerivedFrom cannot loop.
        for (int step = 0; step < program.Versions.Length && current.DerivedFrom is int parent; step++)
        {
            var from = program.Versions.FirstOrDefault(v => v.Version == parent);
            if (from is null) break;
            current = from;
        }
        return current.Origin;
    }

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

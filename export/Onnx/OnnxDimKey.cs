using System.Globalization;

namespace Graphport.Onnx;

/// <summary>What a dim-size key names among a model's runtime inputs.</summary>
public enum OnnxDimKeyKind
{
    /// <summary>A dim_param ("batch") of an open dim.</summary>
    Named,

    /// <summary>"input:axis" of an open dim.</summary>
    OpenAxis,

    /// <summary>"input:axis" of a dim the model fixes (see <see cref="OnnxDimKey.FixedSize"/>).</summary>
    FixedAxis,

    /// <summary>Neither a dim_param nor an existing input's axis.</summary>
    Unknown,
}

/// <summary>
/// A key of <see cref="OnnxImportOptions.DimSizes"/> resolved against a graph: the one reading of "batch" and "x:2"
/// that the importer and the CLI's --dim both check against.
/// </summary>
public readonly record struct OnnxDimKey(OnnxDimKeyKind Kind, long? FixedSize = null)
{
    public static OnnxDimKey Resolve(OnnxGraph graph, string key)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(key);
        var inputs = graph.RuntimeInputs;
        if (inputs.Any(i => i.Shape?.Any(d => d.Value is null && d.Param == key) == true)) return new(OnnxDimKeyKind.Named);
        int colon = key.LastIndexOf(':');
        var input = colon > 0 ? inputs.FirstOrDefault(i => i.Name == key[..colon]) : null;
        string axisText = key[(colon + 1)..];
        // Only the canonical spelling ("x:2", not "x:02") names an axis, as the importer looks sizes up by that text.
        if (input?.Shape is not { } shape || !int.TryParse(axisText, NumberStyles.None, CultureInfo.InvariantCulture, out int axis)
            || axis >= shape.Count || axis.ToString(CultureInfo.InvariantCulture) != axisText)
            return new(OnnxDimKeyKind.Unknown);
        return shape[axis].Value is { } size ? new(OnnxDimKeyKind.FixedAxis, size) : new(OnnxDimKeyKind.OpenAxis);
    }

    /// <summary>The graph's open dims as messages name them: "batch (input_ids:0)", or "x:2" for an unnamed one.</summary>
    public static IReadOnlyList<string> DescribeOpen(OnnxGraph graph) =>
        graph.RuntimeInputs
            .SelectMany(input => (input.Shape ?? []).Select((dim, d) => (dim, axis: $"{input.Name}:{d}")))
            .Where(x => x.dim.Value is null)
            .Select(x => x.dim.Param is { Length: > 0 } p ? $"{p} ({x.axis})" : x.axis)
            .ToList();
}

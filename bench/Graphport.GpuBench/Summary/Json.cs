using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Graphport.GpuBench.Summary;

/// <summary>
/// Lenient reading of result files written by other programs: Python's NaN/Infinity become null, a missing key
/// or a value of another kind reads as null, numbers may come as strings.
/// </summary>
public static partial class Json
{
    public static JsonNode? Parse(string text)
    {
        var cleaned = NonFinite().Replace(text, "${pre}null");
        return JsonNode.Parse(cleaned, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
    }

    public static JsonNode? Get(this JsonNode? node, string key) =>
        node is JsonObject o && o.TryGetPropertyValue(key, out var v) ? v : null;

    /// <summary>The first of several keys that is present.</summary>
    public static JsonNode? GetAny(this JsonNode? node, params string[] keys) =>
        keys.Select(node.Get).FirstOrDefault(v => v is not null);

    public static JsonNode? Path(this JsonNode? node, params string[] keys) => keys.Aggregate(node, (n, k) => n.Get(k));

    public static double? Number(this JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        if (v.TryGetValue<double>(out var d)) return double.IsFinite(d) ? d : null;
        if (v.TryGetValue<long>(out var l)) return l;
        if (v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        return null;
    }

    public static string? Text(this JsonNode? node)
    {
        if (node is not JsonValue v) return node is null ? null : node.ToJsonString();
        if (v.TryGetValue<string>(out var s)) return s;
        if (v.TryGetValue<bool>(out var b)) return b ? "true" : "false";
        if (v.TryGetValue<long>(out var l)) return l.ToString(CultureInfo.InvariantCulture);
        if (v.Number() is double d) return d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString("G6", CultureInfo.InvariantCulture);
        return v.ToJsonString();
    }

    public static bool? Bool(this JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        if (v.TryGetValue<bool>(out var b)) return b;
        if (v.TryGetValue<string>(out var s)) return s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("ok", StringComparison.OrdinalIgnoreCase) || s.Equals("passed", StringComparison.OrdinalIgnoreCase);
        return v.Number() is double d ? d != 0 : null;
    }

    public static IEnumerable<JsonNode> Items(this JsonNode? node) => node is JsonArray a ? a.OfType<JsonNode>() : [];

    public static bool IsScalar(this JsonNode? node) => node is JsonValue;

    [GeneratedRegex(@"(?<pre>[:\[,]\s*)-?(?:NaN|Infinity)(?=\s*[,\]}])")]
    private static partial Regex NonFinite();
}

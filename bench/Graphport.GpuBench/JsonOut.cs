using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Graphport.GpuBench;

/// <summary>
/// Results as JSON DOM nodes (trim-safe: no reflection-based serialization), written whole to a temporary file
/// and renamed, so a process killed mid-write leaves the previous complete file.
/// </summary>
public static class JsonOut
{
    // Relaxed escaping keeps CUDA source and messages readable ('+', '<', quotes) in a file no browser renders.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(string path, JsonNode node)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, node.ToJsonString(Indented) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A double as JSON, with NaN and infinities (which JSON cannot hold) as null.</summary>
    public static JsonNode? Number(double? value) => value is double v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>An exception as a record: its type, its message (capped) and where it was thrown.</summary>
    public static JsonObject Error(Exception e)
    {
        var inner = e is AggregateException { InnerException: { } first } ? first : e;
        return new JsonObject
        {
            ["type"] = inner.GetType().FullName,
            ["message"] = Cap(inner.Message, 6000),
            ["at"] = Cap(string.Join("\n", (inner.StackTrace ?? "").Split('\n').Take(6).Select(l => l.Trim())), 2000),
        };
    }

    public static string Cap(string text, int length) => text.Length <= length ? text : text[..length] + $"... ({text.Length - length} more characters)";
}

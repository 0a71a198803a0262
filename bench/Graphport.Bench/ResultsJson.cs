using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Graphport.Bench;

/// <summary>
/// Writes the timings in the torch script's shape ({key: {median_ms, p10_ms, p90_ms, runs, ...}}) so the two
/// files can be compared side by side, plus the machine and runtime that produced them.
/// </summary>
public static class ResultsJson
{
    public static void Write(string path, IReadOnlyList<ExportTiming> timings)
    {
        var root = new JsonObject();
        foreach (var t in timings)
        {
            root[t.Key] = new JsonObject
            {
                ["median_ms"] = t.MedianMs,
                ["p10_ms"] = t.P10Ms,
                ["p90_ms"] = t.P90Ms,
                ["runs"] = t.SamplesMs.Count,
                ["first_ms"] = t.FirstMs,
                ["nodes"] = t.Nodes,
                ["strict"] = t.Strict,
                ["max_abs_diff"] = t.MaxAbsDiff,
                ["samples_ms"] = new JsonArray(t.SamplesMs.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["runtime"] = RuntimeInformation.FrameworkDescription,
                ["cpu_count"] = Environment.ProcessorCount,
            };
        }
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
    }
}

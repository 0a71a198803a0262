using System.Globalization;
using System.Text.Json.Nodes;

namespace Graphport.GpuBench.Summary;

/// <summary>zoo.json's per-batch entries by (model, batch), and the order the summary's tables list such rows in.</summary>
public static class ZooRows
{
    public static Dictionary<(string Model, long Batch), JsonNode> Entries(JsonNode? zoo)
    {
        var entries = new Dictionary<(string, long), JsonNode>();
        foreach (var m in zoo.Get("models").Items())
            if (m.Get("model").Text() is { } name && m.Get("batches") is JsonObject batches)
                foreach (var (key, entry) in batches)
                    if (entry is not null && long.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var batch)) entries[(name, batch)] = entry;
        return entries;
    }

    /// <summary>The zoo's model order (unknown models last), then batch size; each row once.</summary>
    public static List<(string Model, long Batch)> Ordered(IEnumerable<(string Model, long Batch)> rows, List<string> models) =>
        rows.Distinct().OrderBy(k => models.IndexOf(k.Model) is var i && i < 0 ? int.MaxValue : i).ThenBy(k => k.Batch).ToList();
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Graphport.GpuBench.Summary;

/// <summary>One PyTorch latency: a model at a batch size in one mode (eager, torch.compile with some mode).</summary>
public sealed record PeerTiming(string Model, long Batch, string Mode, double MedianMs, double? P90Ms);

/// <summary>
/// PyTorch's timings from torch_peer.json, read without fixing its layout: any object holding a median
/// ("median_ms", "median") is one timing, and its model, batch and mode come from fields on the way down
/// ("model", "batch", "mode", ...) or from the keys of the path (a zoo model's name, "1"/"b32"/"batch_32", and
/// whatever is left, e.g. "eager" or "compile/max-autotune"). Numbers directly under a mode-like key
/// ("eager_ms": 0.41) count too, once model and batch are known.
/// </summary>
public static partial class PeerTimings
{
    private static readonly string[] MedianKeys = ["median_ms", "median", "p50_ms", "latency_ms"];
    private static readonly string[] ModelKeys = ["model", "model_name"];
    private static readonly string[] BatchKeys = ["batch", "batch_size", "bs"];
    private static readonly string[] ModeKeys = ["mode", "backend", "variant", "compile_mode", "runner", "kind"];
    private static readonly HashSet<string> Containers = new(StringComparer.OrdinalIgnoreCase)
    {
        "models", "results", "latency", "latencies", "timings", "timing", "batches", "modes", "runs", "peers", "torch", "data", "by_batch", "by_mode", "stats",
    };

    public static List<PeerTiming> Extract(JsonNode? root, IReadOnlyCollection<string> models)
    {
        var found = new List<PeerTiming>();
        Walk(root, [], new Dictionary<string, string>(), models, found);
        // One value per (model, batch, mode): the first found.
        return found.GroupBy(t => (t.Model, t.Batch, t.Mode)).Select(g => g.First()).ToList();
    }

    private static void Walk(JsonNode? node, List<string> path, Dictionary<string, string> context, IReadOnlyCollection<string> models, List<PeerTiming> found)
    {
        switch (node)
        {
            case JsonObject obj:
            {
                var inner = new Dictionary<string, string>(context);
                foreach (var (key, value) in obj)
                {
                    if (value is not JsonValue || Role(key) is not { } role) continue;
                    if (value.Text() is { Length: > 0 } text) inner[role] = text;
                }
                if (obj.GetAny(MedianKeys).Number() is double median)
                {
                    Emit(path, inner, models, median, obj.GetAny("p90_ms", "p90").Number(), found);
                    return;
                }
                foreach (var (key, value) in obj)
                {
                    if (key.StartsWith('_')) continue; // "_meta" and the like
                    if (value is JsonValue && value.Number() is double number && IsModeLike(key) && !IsStatistic(key))
                    {
                        Emit([.. path, Regex.Replace(key, "(_median)?_ms$", "")], inner, models, number, null, found);
                        continue;
                    }
                    if (value is JsonObject or JsonArray) Walk(value, [.. path, key], inner, models, found);
                }
                break;
            }
            case JsonArray array:
                foreach (var item in array) Walk(item, path, context, models, found);
                break;
        }
    }

    private static void Emit(List<string> path, Dictionary<string, string> context, IReadOnlyCollection<string> models, double median, double? p90, List<PeerTiming> found)
    {
        var rest = new List<string>();
        string? model = context.GetValueOrDefault("model") is { } m ? Canonical(m, models) : null;
        string? name = context.GetValueOrDefault("name");
        if (model is null && name is not null && Canonical(name, models) is { } byName) model = byName;
        else if (name is not null && !context.ContainsKey("mode") && Canonical(name, models) is null) context = new(context) { ["mode"] = name };
        long? batch = context.GetValueOrDefault("batch") is { } b && long.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        foreach (var segment in path)
        {
            if (model is null && Canonical(segment, models) is { } named) { model = named; continue; }
            if (batch is null && BatchOf(segment) is long n) { batch = n; continue; }
            if (Canonical(segment, models) is not null || Containers.Contains(segment)) continue;
            rest.Add(segment);
        }
        if (model is null || batch is null) return;
        string mode = context.GetValueOrDefault("mode") is { } explicitMode
            ? string.Join("/", new[] { explicitMode }.Concat(rest.Where(r => !r.Equals(explicitMode, StringComparison.OrdinalIgnoreCase))))
            : rest.Count > 0 ? string.Join("/", rest) : "torch";
        found.Add(new PeerTiming(model, batch.Value, mode, median, p90));
    }

    private static string? Role(string key)
    {
        if (ModelKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) return "model";
        if (key.Equals("name", StringComparison.OrdinalIgnoreCase)) return "name";
        if (BatchKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) return "batch";
        if (ModeKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) return "mode";
        return null;
    }

    /// <summary>The zoo's spelling of a model name ("ResNet18", "resnet-18" → "resnet18"), or null.</summary>
    public static string? Canonical(string text, IReadOnlyCollection<string> models)
    {
        var key = Normalize(text);
        return models.FirstOrDefault(m => Normalize(m) == key);
    }

    private static string Normalize(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    public static long? BatchOf(string segment) =>
        BatchPattern().Match(segment) is { Success: true } match ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static bool IsModeLike(string key) =>
        ModeWords().IsMatch(key);

    private static bool IsStatistic(string key) =>
        StatisticWords().IsMatch(key);

    [GeneratedRegex(@"^(?:b|bs|batch|batch_size)?[_=\-]?(\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex BatchPattern();

    [GeneratedRegex("eager|compile|inductor|cudagraph|overhead|autotune|default", RegexOptions.IgnoreCase)]
    private static partial Regex ModeWords();

    [GeneratedRegex(@"(^|_)(p\d+|min|max|mean|std|first|warm|warmup|runs|count|samples)(_|$)|compile_s$|compile_time|seconds|_s$|diff|error", RegexOptions.IgnoreCase)]
    private static partial Regex StatisticWords();
}

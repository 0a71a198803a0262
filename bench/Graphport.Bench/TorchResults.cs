using System.Text.Json;

namespace Graphport.Bench;

/// <summary>
/// torch.export timings written by bench/torch/export_time.py: {model: {median_ms, p10_ms, p90_ms, runs,
/// torch_version}}; keys are "Mlp50", "ResNet18" (strict) and "Mlp50/non-strict", ... .
/// </summary>
public sealed class TorchResults
{
    private readonly Dictionary<string, double> medians;

    private TorchResults(Dictionary<string, double> medians, string? version)
    {
        this.medians = medians;
        Version = version;
    }

    public string? Version { get; }

    public double? MedianMs(string key) => medians.TryGetValue(key, out double ms) ? ms : null;

    public static TorchResults Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var medians = new Dictionary<string, double>(StringComparer.Ordinal);
        string? version = null;
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("median_ms", out var median)) continue;
            medians[entry.Name] = median.GetDouble();
            if (entry.Value.TryGetProperty("torch_version", out var v) && v.ValueKind == JsonValueKind.String) version ??= v.GetString();
        }
        return new TorchResults(medians, version);
    }
}

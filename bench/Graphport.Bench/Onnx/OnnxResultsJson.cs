using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Graphport.Bench;

/// <summary>Writes the ONNX benchmark's results ({model: {medians, ratios, samples, ...}}) with the machine that produced them.</summary>
public static class OnnxResultsJson
{
    public static void Write(string path, IReadOnlyList<OnnxTiming> timings)
    {
        var root = new JsonObject();
        foreach (var t in timings)
        {
            root[t.Model] = new JsonObject
            {
                ["input"] = t.Input,
                ["nodes"] = t.Nodes,
                ["import_ms"] = t.ImportMs,
                ["first_run_ms"] = t.FirstRunMs,
                ["ours_median_ms"] = t.OursMedianMs,
                ["ort_1thread_median_ms"] = t.OrtOneThreadMedianMs,
                ["ort_default_threads_median_ms"] = t.OrtDefaultThreadsMedianMs,
                ["ours_over_ort_1thread"] = t.OursMedianMs / t.OrtOneThreadMedianMs,
                ["ours_over_ort_default_threads"] = t.OursMedianMs / t.OrtDefaultThreadsMedianMs,
                ["max_error_over_peak_vs_ort_1thread"] = t.ErrorVsOrtOneThread,
                ["max_error_over_peak_vs_ort_default_threads"] = t.ErrorVsOrtDefaultThreads,
                ["ours_samples_ms"] = Samples(t.OursMs),
                ["ort_1thread_samples_ms"] = Samples(t.OrtOneThreadMs),
                ["ort_default_threads_samples_ms"] = Samples(t.OrtDefaultThreadsMs),
                ["runtime"] = RuntimeInformation.FrameworkDescription,
                ["cpu_count"] = Environment.ProcessorCount,
            };
        }
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            // Input labels keep their × rather than \u00D7; the file is read by people as much as by scripts.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + Environment.NewLine);
    }

    private static JsonArray Samples(IReadOnlyList<double> samples) =>
        new(samples.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
}

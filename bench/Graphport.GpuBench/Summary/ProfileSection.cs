using System.Text;
using System.Text.Json.Nodes;

namespace Graphport.GpuBench.Summary;

/// <summary>
/// The "where the time goes" section from profile.json: each variant of the backend's GEMM settings per model
/// and batch (wall-clock median, and whether it still matched the interpreter), the device time of every step
/// summed by kind, and the slowest steps.
/// </summary>
public static class ProfileSection
{
    public static void Append(StringBuilder md, JsonNode? profile)
    {
        md.Append("## Where the time goes (profile.json)\n\n");
        if (profile is null)
        {
            md.Append("profile.json did not come back.\n\n");
            return;
        }
        var variants = profile.Get("variants").Items().Select(v => v.Text() ?? "").ToList();
        md.Append("Each variant compiled, checked against the CPU interpreter (✗: outside the zoo tolerance) and timed like the zoo table (wall clock, host tensors in and out). " +
                  "`default`: the backend's defaults at the time of the run (on 2026-11-26: TF32 convolution GEMMs, 8 cuBLASLt candidates timed; since then cuBLASLt's first choice); `heuristic_first`: cuBLASLt's first choice untimed; `autotuned`: 8 candidates timed per GEMM; `float32_convolutions`: convolution GEMMs in exact float32; `tf32_all`: every GEMM on TF32; `index64`: 64-bit index math in every generated kernel; `direct_conv`: convolutions of up to 32 output channels over images of 1024+ pixels as one direct kernel instead of im2col + GEMM; `im2col_only`: the convolution autotuner off (since 2026-11-26 `default` times both plans of such buckets and keeps the faster; zoo.json's backend_messages say which); `no_bn_folding`: inference batch norms computed per element instead of folded into the convolution before them (folding is the default since 2026-11-26). " +
                  "Steps: each step of the default variant alone between two CUDA events (no graph, so the sum exceeds the graph's replay).\n\n");
        var header = new List<string> { "model", "batch" };
        header.AddRange(variants.Select(v => $"{v} ms"));
        header.AddRange(["steps ms by kind", "slowest steps (ms)"]);
        var table = new MarkdownTable([.. header]);
        foreach (var model in profile.Get("models").Items())
        {
            foreach (var (key, entry) in model.AsObject().Where(kv => kv.Key.StartsWith("batch", StringComparison.Ordinal) && kv.Value is JsonObject))
            {
                var row = new List<string?> { model.Get("model").Text(), key["batch".Length..] };
                foreach (var v in variants)
                {
                    var variant = entry.Path("variants", v);
                    row.Add(variant.Get("median_ms").Number() is double ms
                        ? MarkdownTable.Num(ms) + (variant.Get("passed").Bool() == false ? " ✗" : "")
                        : variant.Get("error") is not null ? "error" : "");
                }
                var steps = entry.Get("steps").Items().ToList();
                row.Add(string.Join(", ", steps.GroupBy(s => s.Get("kind").Text() ?? "?").Select(g => $"{g.Key} {MarkdownTable.Num(g.Sum(s => s.Get("ms").Number() ?? 0))}")));
                row.Add(string.Join("; ", steps.OrderByDescending(s => s.Get("ms").Number() ?? 0).Take(3).Select(s => $"{s.Get("name").Text()} {MarkdownTable.Num(s.Get("ms").Number())}")));
                table.Add([.. row]);
            }
        }
        md.Append(table).Append('\n');
    }
}

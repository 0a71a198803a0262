using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Graphport.Zoo;
using static Graphport.GpuBench.Summary.MarkdownTable;

namespace Graphport.GpuBench.Summary;

/// <summary>
/// Issue 5's goal in one table: each zoo model and batch against the faster torch.compile mode, like for like.
/// Graphport's wall clock (host tensors in and out) is weighed against PyTorch's `*_host_io` modes, which copy
/// the same inputs in and outputs out; Graphport's kernels alone (device_compute_ms: the bucket's graph replayed
/// with its inputs kept on the device, copied device to device into their slots, and no host copies; runs before
/// it had only the replay with host copies, which errs against us) against PyTorch's plain modes, which take device
/// tensors and leave the result there. A row is "at or below" only
/// when both ratios are at most 1; a mode that was not measured is named, never assumed.
/// </summary>
public static class CompileVerdict
{
    public static void Append(StringBuilder md, JsonNode? zoo, JsonNode? peer)
    {
        md.Append("## Against torch.compile, like for like\n\n");
        var models = ModelZoo.All.Select(m => m.Name).ToList();
        var compiled = PeerTimings.Extract(peer, models).Where(t => !t.Mode.Contains("eager", StringComparison.OrdinalIgnoreCase)).ToList();
        if (zoo is null || compiled.Count == 0)
        {
            md.Append(zoo is null ? "zoo.json did not come back.\n\n" : "No torch.compile timing could be read from torch_peer.json.\n\n");
            return;
        }
        md.Append("Best torch.compile mode per row (`reduce-overhead` or `max-autotune-no-cudagraphs`, whichever measured faster). " +
                  "Host I/O: our `Run` on host tensors against PyTorch copying the same inputs in and outputs out. Device: our kernels replayed between two device events " +
                  "with the inputs already on the device and the outputs left there (* where only the replay with its copies was measured) against PyTorch on device tensors. Ratio below 1: Graphport is faster.\n\n");
        var table = new MarkdownTable("model", "batch", "ours host I/O ms", "torch.compile host I/O ms", "ratio", "ours device ms", "torch.compile device ms", "ratio", "verdict", "torch.compile modes measured");
        int atOrBelow = 0, rows = 0;
        // Every row either side measured: a model whose Graphport run failed still shows, as not measured.
        var entries = ZooRows.Entries(zoo);
        var keys = ZooRows.Ordered(entries.Keys.Concat(compiled.Select(t => (t.Model, t.Batch))), models);
        foreach (var (model, batch) in keys)
        {
            var entry = entries.GetValueOrDefault((model, batch));
            var mine = compiled.Where(t => t.Model == model && t.Batch == batch).ToList();
            var hostIo = mine.Where(t => IsHostIo(t.Mode)).MinBy(t => t.MedianMs);
            var onDevice = mine.Where(t => !IsHostIo(t.Mode)).MinBy(t => t.MedianMs);
            double? oursWall = entry.Path("latency", "median_ms").Number();
            double? compute = entry.Get("device_compute_ms").Number();
            double? oursDevice = compute ?? entry.Get("device_replay_ms").Number();
            double? hostRatio = oursWall / hostIo?.MedianMs;
            double? deviceRatio = oursDevice / onDevice?.MedianMs;
            string verdict = hostRatio is null && deviceRatio is null ? "not measured"
                : (hostRatio ?? 0) <= 1 && (deviceRatio ?? 0) <= 1 ? (hostRatio is null || deviceRatio is null ? "at or below (one side measured)" : "at or below")
                : "above";
            rows++;
            if (verdict == "at or below") atOrBelow++;
            table.Add(model, batch.ToString(CultureInfo.InvariantCulture), Num(oursWall), Num(hostIo?.MedianMs), Ratio(hostRatio), Num(oursDevice) + (compute is null && oursDevice is not null ? "*" : ""),
                Num(onDevice?.MedianMs), Ratio(deviceRatio), verdict, string.Join(", ", mine.Select(t => t.Mode).Distinct().Order(StringComparer.Ordinal)));
        }
        md.Append($"{atOrBelow} of {rows} model/batch rows at or below torch.compile on both counts.\n\n").Append(table).Append('\n');
    }

    private static bool IsHostIo(string mode) => mode.Contains("host_io", StringComparison.OrdinalIgnoreCase);

    private static string Ratio(double? ratio) => ratio is double r ? Num(r) + "×" : "";
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Graphport.Zoo;
using static Graphport.GpuBench.Summary.MarkdownTable;

namespace Graphport.GpuBench.Summary;

/// <summary>
/// `summarize`: bench/RESULTS-gpu.md from what a device run sent back (the app's JSON, torch_peer.json,
/// torch_export.json, op_reference.json, pt2_load.json, the fixtures' results.json, steps.json). Every section
/// reads its files leniently; a missing file becomes a line saying so, never an error.
/// </summary>
public static class Summarizer
{
    public static int Run(SummarizeOptions options)
    {
        using var results = new ResultsFolder(options.ResultsDirs);
        var markdown = Render(results, DateTime.UtcNow);
        var folder = Path.GetDirectoryName(Path.GetFullPath(options.OutPath));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllText(options.OutPath, markdown);
        Console.Write(markdown);
        Console.WriteLine($"\nwrote {options.OutPath}");
        return 0;
    }

    public static string Render(ResultsFolder results, DateTime now)
    {
        var device = results.Read("device.json");
        var steps = results.Read("steps.json");
        var ops = results.Read("ops.json");
        var zoo = results.Read("zoo.json");
        var bandwidth = results.Read("bandwidth.json");
        var programs = results.Read("programs.json");
        var peer = results.Read("torch_peer.json");
        // Every run's PyTorch timings, latest first: PeerTimings keeps the first value of each model, batch and mode.
        var peers = results.ReadAll("torch_peer.json");
        var mergedPeers = peers.Count > 1 ? new JsonArray(peers.Select(p => (JsonNode?)p.Node.DeepClone()).ToArray()) : peer;
        var export = results.Read("torch_export.json");
        var opReference = results.Read("op_reference.json");
        var pt2Load = results.Read("pt2_load.json");
        var fixtures = results.Read("results.json");
        var env = results.ReadText("env.txt");
        var profile = results.Read("profile.json");
        var onnx = results.Read("onnx.json");

        var md = new StringBuilder();
        md.Append("# GPU results\n\n");
        md.Append(results.Folders.Count == 1
            ? "Written by `Graphport.GpuBench summarize` from one device run of `bench/gpu/run.sh` (see bench/gpu/README.md). Do not edit by hand; run the kit again.\n\n"
            : $"Written by `Graphport.GpuBench summarize` from {results.Folders.Count} device runs of `bench/gpu/run.sh` (see bench/gpu/README.md), latest first: Graphport's numbers come from the latest run unless listed below; PyTorch timings are merged, the latest run's first. Do not edit by hand; run the kit again.\n\n");
        Header(md, device, peer, fixtures, env, now);
        Steps(md, steps);
        Ops(md, ops, opReference);
        ZooCorrectness(md, zoo);
        CompileVerdict.Append(md, zoo, mergedPeers);
        Latency(md, zoo, mergedPeers);
        OnnxSection.Append(md, onnx);
        ProfileSection.Append(md, profile);
        BandwidthSection(md, bandwidth, device);
        ExecutorSection.Append(md, results.Read("executor.json"));
        FaultSection(md, results.Read("fault.json"));
        ExportSection(md, export, programs);
        Interop(md, fixtures, pt2Load);
        if (results.Folders.Count > 1)
        {
            md.Append("## Runs merged\n\n");
            for (int i = 0; i < results.Folders.Count; i++)
            {
                var taken = results.Origins.Where(o => o.Value == i).Select(o => $"`{o.Key}`").ToList();
                var peerRun = peers.FirstOrDefault(p => p.Run == i).Node;
                var timings = peerRun is null ? [] : PeerTimings.Extract(peerRun, ModelZoo.All.Select(m => m.Name).ToList());
                var measured = timings.Count == 0 ? "no PyTorch timings" : "PyTorch " + string.Join("; ", timings.GroupBy(t => t.Mode)
                    .Select(g => $"{g.Key}: {string.Join(", ", g.GroupBy(t => t.Model).Select(m => $"{m.Key} b{string.Join("/b", m.Select(t => t.Batch).Order())}"))}"));
                md.Append($"- `{Path.GetFileName(results.Folders[i])}`{(i == 0 ? " (latest; Graphport's numbers)" : "")}: {(i > 0 && taken.Count > 0 ? $"files {string.Join(", ", taken)}; " : "")}{measured}\n");
            }
            md.Append('\n');
        }
        if (results.Missing.Count > 0 || results.Problems.Count > 0)
        {
            md.Append("## What was missing\n\n");
            foreach (var name in results.Missing.Distinct()) md.Append($"- `{name}` did not come back (its step failed, timed out or did not run; see the steps table).\n");
            foreach (var problem in results.Problems) md.Append($"- {problem}\n");
            md.Append('\n');
        }
        return md.ToString();
    }

    private static void Header(StringBuilder md, JsonNode? device, JsonNode? peer, JsonNode? fixtures, string? env, DateTime now)
    {
        md.Append($"- Summarized: {now:yyyy-MM-dd HH:mm} UTC\n");
        if (device.Get("timestamp_utc").Text() is { } ran) md.Append($"- Run on the device: {ran}\n");
        if (device is null) md.Append("- Device: unknown (device.json did not come back)\n");
        else if (device.Get("available").Bool() == true)
            md.Append($"- Device: {device.Get("description").Text() ?? device.Get("name").Text()}, compute capability {device.Get("compute_capability").Text()}, {Num(device.Get("peak_bandwidth_gbs").Number(), 4)} GB/s peak ({device.Get("peak_bandwidth_source").Text()})\n");
        else md.Append($"- Device: none: {device.Get("message").Text()}\n");
        if (device.Get("nvrtc_version").Text() is { } nvrtc && !nvrtc.StartsWith("error", StringComparison.Ordinal)) md.Append($"- NVRTC {nvrtc}; options {string.Join(" ", device.Get("nvrtc_options").Items().Select(o => o.Text()))}\n");
        if (device.Get("libraries") is JsonObject libraries)
            foreach (var (name, lib) in libraries) md.Append($"- {name}: {lib.Get("message").Text()}\n");
        if (device.Path("host", "runtime").Text() is { } runtime)
            md.Append($"- Host: {runtime}, {device.Path("host", "os").Text()}, {device.Path("host", "cpu_count").Text()} cores\n");
        var torch = (peer.Get("torch") is JsonValue v ? v.Text() : null) ?? peer.Get("torch_version").Text() ?? peer.Path("_meta", "torch_version").Text() ?? fixtures.Get("torch_version").Text();
        if (torch is not null) md.Append($"- PyTorch {torch}{(peer.Get("cuda") is JsonValue cuda ? $", CUDA {cuda.Text()}" : "")}\n");
        if (peer.Get("settings") is JsonObject settings)
            md.Append($"- PyTorch peer settings: {string.Join(", ", settings.Where(kv => kv.Value is JsonValue).Select(kv => $"{kv.Key} {kv.Value.Text()}"))}\n");
        if (peer.Get("inductor_cache") is JsonObject cache)
        {
            // Since 2026-11-27 torch.compile's caches travel between leases (bench/gpu/inductor_cache.py).
            var came = cache.Get("in");
            var went = cache.Get("out");
            md.Append("- PyTorch Inductor cache: " + (came is null ? "none brought in" : came.Get("used").Bool() == true
                    ? $"{came.Get("files").Text()} files brought in from a run of {came.Path("made_on", "made_utc").Text()}"
                    : $"not brought in ({came.Get("why").Text()})") +
                (went is null ? "" : went.Get("skipped").Text() is { } skipped ? $"; none sent back ({skipped})"
                    : $"; {went.Get("files").Text()} files sent back as {went.Get("file").Text()} ({Num(went.Get("bytes").Number() / 1048576)} MiB)") + "\n");
        }
        if (env is not null)
            foreach (var line in env.Split('\n').Where(l => l.StartsWith("gpu:", StringComparison.Ordinal) || l.StartsWith("kit:", StringComparison.Ordinal) || l.StartsWith("torch:", StringComparison.Ordinal)).Take(4))
                if (line.Split(':', 2)[1].Trim().Length > 0) md.Append($"- {line.Trim()}\n");
        md.Append('\n');
    }

    private static void Steps(StringBuilder md, JsonNode? steps)
    {
        md.Append("## Steps of run.sh\n\n");
        var items = steps.Items().ToList();
        if (items.Count == 0) items = steps.Get("steps").Items().ToList();
        if (items.Count == 0) { md.Append("steps.json did not come back (or lists no steps).\n\n"); return; }
        var table = new MarkdownTable("step", "exit code", "seconds", "limit s", "status");
        foreach (var s in items)
        {
            var rc = s.Get("rc").Number();
            var status = s.Get("status").Text() ?? (rc switch { 0 => "ok", 124 or 137 => "timed out", null => "", _ => "failed" });
            table.Add(s.Get("name").Text(), s.Get("rc").Text(), Num(s.Get("seconds").Number()), s.Get("timeout_s").Text(), status);
        }
        md.Append(table).Append('\n');
    }

    private static void Ops(StringBuilder md, JsonNode? ops, JsonNode? opReference)
    {
        md.Append("## Op conformance\n\n");
        if (ops is null) md.Append("ops.json did not come back.\n\n");
        else
        {
            var cases = ops.Get("cases").Items().ToList();
            int passed = cases.Count(c => c.Get("status").Text() == "passed");
            int fallback = cases.Count(c => c.Get("fell_back_to_cpu").Bool() == true || c.Get("host_ops").Items().Any());
            md.Append($"{passed} of {cases.Count} cases pass on `{ops.Get("backend").Text()}` against the CPU interpreter ({fallback} ran something on the CPU). ");
            md.Append("Tolerance: max |cuda − cpu| ≤ tol × max(max |cpu|, 1), as in BackendOpTests.\n\n");
            var table = new MarkdownTable("case", "result", "max diff", "relative", "tol", "on CPU", "first run ms", "message");
            foreach (var c in cases)
                table.Add(c.Get("name").Text(), c.Get("status").Text(), Num(c.Get("max_abs_diff").Number()), Num(c.Get("relative_diff").Number()),
                    Num(c.Get("tolerance").Number()), OnCpu(c), Num(c.Get("first_run_ms").Number()), Cap(c.Path("error", "message").Text() ?? c.Get("problem").Text()));
            md.Append(table).Append('\n');
            if (ops.Get("index_check") is { } check)
                md.Append(check.Get("passed").Bool() == true
                    ? $"Index check (`{check.Get("backend").Text()}`): an embedding id past its table was refused ({Cap(check.Get("message").Text())}), and the next call matched the CPU.\n\n"
                    : $"Index check (`{check.Get("backend").Text()}`): **failed**: {Cap(check.Path("error", "message").Text() ?? check.Get("problem").Text() ?? check.ToJsonString())}\n\n");
        }
        md.Append("### The same cases in PyTorch (op_reference.json)\n\n");
        md.Append(opReference is null ? "op_reference.json did not come back.\n\n" : OpReference(opReference));
    }

    private static string OnCpu(JsonNode record)
    {
        if (record.Get("fell_back_to_cpu").Bool() == true) return "whole program";
        var host = record.Get("host_ops").Items().Select(h => h.Text()).ToList();
        return host.Count == 0 ? "" : string.Join(", ", host);
    }

    private static void ZooCorrectness(StringBuilder md, JsonNode? zoo)
    {
        md.Append("## Zoo models: CUDA against the CPU interpreter\n\n");
        if (zoo is null) { md.Append("zoo.json did not come back.\n\n"); return; }
        md.Append($"{zoo.Get("correct").Text() ?? "?"} of {zoo.Get("compared").Text() ?? "?"} model/batch outputs match on `{zoo.Get("backend").Text()}` (relative tolerance {Num(ZooBench.Tolerance)}).\n\n");
        var table = new MarkdownTable("model", "batch", "result", "max diff", "relative", "on CPU", "convolutions", "compile ms", "first run ms", "message");
        foreach (var m in zoo.Get("models").Items())
        {
            var batches = m.Get("batches") as JsonObject;
            if (batches is null || batches.Count == 0)
            {
                table.Add(m.Get("model").Text(), "", m.Get("status").Text(), "", "", OnCpu(m), "", Num(m.Get("compile_ms").Number()), "", Cap(m.Path("error", "message").Text() ?? m.Get("problem").Text()));
                continue;
            }
            foreach (var (batch, e) in batches)
                table.Add(m.Get("model").Text(), batch, e.Get("status").Text(), Num(e.Get("max_abs_diff").Number()), Num(e.Get("relative_diff").Number()), OnCpu(m),
                    ConvolutionChoice(m, batch), Num(m.Get("compile_ms").Number()), Num(e.Get("first_run_ms").Number()), Cap(e.Path("error", "message").Text() ?? e.Get("problem").Text()));
        }
        md.Append(table).Append('\n');
    }

    // What the convolution autotuner kept for this batch's bucket ("cuda backend: s0=32: 5 of 13 convolution(s) faster
    // direct; replay ...; keeping mixed."), as "mixed (5 of 13 direct)"; empty where it had nothing to weigh.
    internal static string ConvolutionChoice(JsonNode? model, string batch)
    {
        var message = model.Get("backend_messages").Items().Select(x => x.Text() ?? "")
            .FirstOrDefault(x => x.Contains($"={batch}:", StringComparison.Ordinal) && x.Contains("; keeping ", StringComparison.Ordinal));
        if (message is null) return "";
        var kept = message[(message.LastIndexOf("; keeping ", StringComparison.Ordinal) + "; keeping ".Length)..].TrimEnd('.');
        var faster = System.Text.RegularExpressions.Regex.Match(message, @"(\d+) of (\d+) convolution\(s\) faster direct( \((\d+) on the wide schedule\))?");
        return faster.Success
            ? $"{kept} ({faster.Groups[1].Value} of {faster.Groups[2].Value} faster direct{(faster.Groups[4].Success ? $", {faster.Groups[4].Value} wide" : "")})"
            : kept;
    }

    private static void Latency(StringBuilder md, JsonNode? zoo, JsonNode? peer)
    {
        md.Append("## Latency and throughput\n\n");
        var models = ModelZoo.All.Select(m => m.Name).ToList();
        var timings = PeerTimings.Extract(peer, models);
        var modes = timings.Select(t => t.Mode).Distinct().OrderBy(m => m.Contains("eager", StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(m => m, StringComparer.Ordinal).ToList();
        md.Append("Graphport: wall-clock median of `ICompiledProgram.Run` on the CUDA backend (host tensors in and out, so the copies to and from the device are included; kernels replayed as CUDA graphs); `ours device ms`: the same bucket's replay alone between two device events (graphs and the DMA copies, without the host's staging and output allocation; runs since 2026-11-26 21:00 UTC); `ours compute ms`: that replay without the host copies, inputs kept on the device (copied device to device into their slots) and outputs left there (runs since 2026-11-26 23:00 UTC; run 5's first version left the inputs uncopied, fixed since). ");
        md.Append(peer is null
            ? "PyTorch: torch_peer.json did not come back.\n\n"
            : $"PyTorch: {(modes.Count == 0 ? "no timings could be read from torch_peer.json" : string.Join(", ", modes.Select(m => $"`{m}`")))} from torch_peer.json on the same programs and weights (median of calls each bracketed by torch.cuda.synchronize; see bench/gpu/torch_peer.py); PyTorch's plain modes take device tensors and leave the result on the device, its `*_host_io` modes copy inputs in and outputs out as Graphport's calls do. Ratio = Graphport / PyTorch (below 1: Graphport is faster).\n\n");
        var headers = new List<string> { "model", "batch", "ours median ms", "ours device ms", "ours compute ms", "ours p90 ms", "ours samples/s" };
        foreach (var mode in modes) headers.AddRange([$"{mode} ms", $"ours / {mode}"]);
        var table = new MarkdownTable([.. headers]);
        var entries = ZooRows.Entries(zoo);
        var keys = ZooRows.Ordered(entries.Where(kv => kv.Value.Get("latency") is not null).Select(kv => kv.Key).Concat(timings.Select(t => (t.Model, t.Batch))), models);
        foreach (var (model, batch) in keys)
        {
            var entry = entries.GetValueOrDefault((model, batch));
            var latency = entry.Get("latency");
            double? median = latency.Get("median_ms").Number();
            var row = new List<string?> { model, batch.ToString(CultureInfo.InvariantCulture), Num(median), Num(entry.Get("device_replay_ms").Number()), Num(entry.Get("device_compute_ms").Number()), Num(latency.Get("p90_ms").Number()), Num(latency.Get("throughput_per_s").Number(), 4) };
            foreach (var mode in modes)
            {
                var t = timings.FirstOrDefault(x => x.Model == model && x.Batch == batch && x.Mode == mode);
                row.Add(Num(t?.MedianMs));
                row.Add(median is double o && t is not null && t.MedianMs > 0 ? Num(o / t.MedianMs) + "×" : "");
            }
            table.Add([.. row]);
        }
        md.Append(keys.Count == 0 ? "No latency was measured (no device, or zoo.json did not come back).\n\n" : table + "\n");
    }

    private static void BandwidthSection(StringBuilder md, JsonNode? bandwidth, JsonNode? device)
    {
        md.Append("## Memory bandwidth (large pointwise add)\n\n");
        if (bandwidth is null) { md.Append("bandwidth.json did not come back.\n\n"); return; }
        var peak = bandwidth.Get("peak_gbs").Number() ?? device.Get("peak_bandwidth_gbs").Number();
        md.Append($"{bandwidth.Get("op").Text()}, {bandwidth.Get("elements").Text()} elements ({Num(bandwidth.Get("bytes_per_tensor").Number() / (1 << 20))} MiB per tensor); {bandwidth.Get("counting").Text()}");
        md.Append(peak is null ? ".\n\n" : $"; peak {Num(peak, 4)} GB/s ({bandwidth.Get("peak_source").Text() ?? device.Get("peak_bandwidth_source").Text()}).\n\n");
        if (bandwidth.Get("skipped").Text() is { } skipped) { md.Append($"Not timed: {skipped}\n\n"); return; }
        var table = new MarkdownTable("kernel", "median ms", "GB/s", "of peak", "checked", "message");
        if (bandwidth.Get("results") is JsonObject results)
            foreach (var (name, r) in results)
                table.Add(name, Num(r.Get("median_ms").Number()), Num(r.Get("gbs").Number(), 4), r.Get("fraction_of_peak").Number() is double f ? $"{f * 100:0}%" : "",
                    r.Get("verified").Text(), Cap(r.Path("error", "message").Text() ?? r.Get("problem").Text()));
        md.Append(table).Append('\n');
    }

    private static void FaultSection(StringBuilder md, JsonNode? fault)
    {
        md.Append("## A kernel fault (fault.json)\n\n");
        if (fault is null) { md.Append("fault.json did not come back.\n\n"); return; }
        if (fault.Get("skipped").Text() is { } skipped) { md.Append($"Not run: {skipped}\n\n"); return; }
        md.Append($"{fault.Get("kernel").Text()}. The CUDA executor backend moves its programs to the CPU and the silo's health check turns unhealthy when `CudaException.ContextLost` says so; ");
        md.Append(fault.Get("passed").Bool() == true ? "on this device it did, for the fault and for the call after it.\n\n" : "**on this device it did not**:\n\n");
        var table = new MarkdownTable("call", "error", "CUresult", "context lost");
        foreach (var key in new[] { "fault", "next_call" })
            table.Add(key, Cap(fault.Path(key, "error").Text()), fault.Path(key, "result").Text(), fault.Path(key, "context_lost").Text());
        md.Append(table).Append('\n');
        // Since 2026-11-27 the probe also runs a program of the executor grains' CUDA backend after the fault.
        if (fault.Get("executor") is JsonObject executor)
            md.Append(executor.Get("passed").Bool() == true
                ? $"A program of the executor grains' CUDA backend, run after the fault, threw `DeviceLostException` and the backend gave up the GPU (supports GPU afterwards: {executor.Get("supports_gpu_after").Text()}): \"{Cap(executor.Get("message").Text(), 400)}\"\n\n"
                : $"**The executor grains' CUDA backend did not report the lost device as it should**: {Cap(executor.Get("message").Text() ?? executor.Path("error", "message").Text(), 400)}\n\n");
    }

    private static void ExportSection(StringBuilder md, JsonNode? export, JsonNode? programs)
    {
        md.Append("## Export\n\n");
        if (programs is not null)
        {
            var table = new MarkdownTable("zoo program", "nodes", "parameters", ".pt2 KiB", "export ms (this process, first)", "message");
            foreach (var p in programs.Items())
                table.Add(p.Get("model").Text(), p.Get("nodes").Text(), p.Get("parameters").Text(), Num(p.Get("bytes").Number() / 1024), Num(p.Get("export_ms").Number()), Cap(p.Path("error", "message").Text()));
            md.Append(table).Append('\n');
        }
        md.Append("### torch.export on the device machine's CPU (torch_export.json)\n\n");
        if (export is not JsonObject timings) { md.Append("torch_export.json did not come back.\n\n"); return; }
        var t = new MarkdownTable("key", "median ms", "p90 ms", "runs", "nodes");
        foreach (var (key, v) in timings.Where(kv => !kv.Key.StartsWith('_')))
            t.Add(key, Num(v.Get("median_ms").Number()), Num(v.Get("p90_ms").Number()), v.Get("runs").Text(), v.Get("nodes").Text());
        md.Append(t).Append("\nFor the Graphport/torch ratio: copy it to bench/results/torch_export.json and run `dotnet run -c Release --project bench/Graphport.Bench -- export --torch bench/results/torch_export.json`.\n\n");
    }

    private static void Interop(StringBuilder md, JsonNode? fixtures, JsonNode? pt2Load)
    {
        md.Append("## .pt2 interop with torch.export\n\n");
        md.Append("### tests/fixtures/pt2/make_fixtures.py (results.json)\n\n");
        if (fixtures is null) md.Append("results.json did not come back.\n\n");
        else
        {
            var table = new MarkdownTable("fixture", "status", "checks", "error");
            foreach (var f in fixtures.Get("fixtures").Items())
                table.Add(f.Get("fixture").Text(), f.Get("status").Text(),
                    f.Get("checks") is JsonObject checks ? string.Join("; ", checks.Select(kv => $"{kv.Key}: {kv.Value.Text()}")) : "",
                    Cap(f.Get("error").Text()?.Trim().Split('\n').LastOrDefault()));
            md.Append(table).Append('\n');
        }
        md.Append("### Our programs (bench/Graphport.OpReference's ours/) in torch.export.load (pt2_load.json)\n\n");
        md.Append(pt2Load is null ? "pt2_load.json did not come back.\n\n" : Pt2Load(pt2Load));
    }

    /// <summary>op_reference.json: the summary counts, then the ops and cases that did not agree with torch.</summary>
    private static string OpReference(JsonNode report)
    {
        var results = report.Get("results").Items().ToList();
        if (report.Get("summary") is not JsonObject summary) return Generic(report);
        var sb = new StringBuilder();
        sb.Append($"PyTorch {report.Get("torch").Text()} on the CPU against our CPU kernels: {string.Join(", ", summary.Select(kv => $"{kv.Key} {kv.Value.Text()}"))}");
        if (report.Get("core_ops_covered").Text() is { } covered) sb.Append($"; Core ATen ops covered {covered} of {report.Get("core_ops_total").Text()}");
        if (report.Get("schema_differences") is JsonObject schemas) sb.Append($"; {schemas.Count} schema difference(s)");
        if (report.Get("error").Text() is { } error) sb.Append($"; the script failed: {Cap(error, 300)}");
        sb.Append(".\n\n");
        var bad = results.Where(r => r.Get("status").Text() is not ("match" or "both_error")).ToList();
        if (bad.Count > 0)
        {
            var table = new MarkdownTable("case", "op", "status", "max abs", "max rel", "message");
            foreach (var r in bad.Take(60))
                table.Add(r.Get("id").Text(), r.Get("op").Text(), r.Get("status").Text(), Num(r.Get("max_abs").Number()), Num(r.Get("max_rel").Number()), Cap(r.Get("message").Text(), 200));
            sb.Append(table);
            if (bad.Count > 60) sb.Append($"\n… and {bad.Count - 60} more (op_reference.json in results.tgz).\n");
            sb.Append('\n');
        }
        if (report.Get("schema_differences") is JsonObject differences && differences.Count > 0)
        {
            var table = new MarkdownTable("op", "torch", "ours");
            foreach (var (op, d) in differences.Take(30)) table.Add(op, Cap(d.Get("torch").Text(), 150), Cap(d.Get("ours").Text(), 150));
            sb.Append(table).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>pt2_load.json: per archive, each step's status (load, run, torch_resave, run_decompositions).</summary>
    private static string Pt2Load(JsonNode report)
    {
        if (report.Get("archives") is not JsonObject archives) return Generic(report);
        var sb = new StringBuilder();
        if (report.Get("summary") is JsonObject summary) sb.Append(string.Join(", ", summary.Select(kv => $"{kv.Key} {kv.Value.Text()}"))).Append(".\n\n");
        var stepNames = archives.SelectMany(a => a.Value.Get("steps") is JsonObject s ? s.Select(kv => kv.Key) : []).Distinct().ToList();
        var table = new MarkdownTable(["archive", "status", .. stepNames, "first error"]);
        foreach (var (name, a) in archives)
        {
            var steps = a.Get("steps") as JsonObject;
            var cells = stepNames.Select(s => steps.Get(s) is { } st ? st.Get("status").Text() + (st.Get("max_abs_diff").Number() is double d ? $" ({Num(d)})" : "") : "");
            var error = steps?.Select(kv => kv.Value.Get("error").Text()).FirstOrDefault(e => e is not null);
            table.Add([name, a.Get("status").Text(), .. cells, Cap(error?.Split('\n')[0], 200)]);
        }
        return sb.Append(table).Append('\n').ToString();
    }

    /// <summary>
    /// A table of a JSON file whose layout this summarizer does not know: its list of records (the root array,
    /// the largest array of objects in the root, or the root's object-valued entries, keyed by name), with the
    /// scalar fields as columns; the root's scalar fields as one line above.
    /// </summary>
    public static string Generic(JsonNode root)
    {
        var sb = new StringBuilder();
        List<(string? Key, JsonObject Record)> records;
        if (root is JsonArray array) records = array.OfType<JsonObject>().Select(o => ((string?)null, o)).ToList();
        else if (root is JsonObject obj)
        {
            var scalars = obj.Where(kv => kv.Value is JsonValue).Select(kv => $"{kv.Key}: {kv.Value.Text()}").ToList();
            if (scalars.Count > 0) sb.Append(Cap(string.Join("; ", scalars), 600)).Append("\n\n");
            var biggest = obj.Where(kv => kv.Value is JsonArray a && a.OfType<JsonObject>().Any()).OrderByDescending(kv => ((JsonArray)kv.Value!).Count).FirstOrDefault();
            records = biggest.Value is JsonArray list
                ? list.OfType<JsonObject>().Select(o => ((string?)null, o)).ToList()
                : obj.Where(kv => kv.Value is JsonObject && !kv.Key.StartsWith('_')).Select(kv => ((string?)kv.Key, (JsonObject)kv.Value!)).ToList();
        }
        else return $"{root.Text()}\n\n";
        if (records.Count == 0) return sb.Append("(no records)\n\n").ToString();
        var columns = records.SelectMany(r => r.Record.Where(kv => kv.Value is JsonValue || kv.Value is null).Select(kv => kv.Key)).Distinct().Take(8).ToList();
        bool keyed = records.Any(r => r.Key is not null);
        var table = new MarkdownTable([.. (keyed ? new[] { "name" } : []), .. columns]);
        foreach (var (key, record) in records.Take(60))
        {
            var cells = columns.Select(c => record.Get(c) is { } v && v.Number() is double d && v.Text() is not "true" and not "false" ? Num(d, 4) : Cap(record.Get(c).Text(), 120));
            table.Add([.. (keyed ? new[] { key } : []), .. cells]);
        }
        return sb.Append(table).Append('\n').ToString();
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Graphport.Bench;
using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Zoo;

namespace Graphport.GpuBench;

/// <summary>
/// zoo.json: every zoo model exported (dynamic batch), compiled once on the CUDA backend, and at batch 1 and 32
/// (1) compared with the CPU interpreter and (2) timed: warm-up runs, then up to N runs or a few seconds, whichever
/// ends first; median, p90 and throughput. A timed call is what a caller sees: host tensors in, host tensors out
/// (copies to and from the device included). Without a device the comparison runs on the CPU twin and nothing
/// is timed.
/// </summary>
public static class ZooBench
{
    /// <summary>Relative tolerance against the interpreter (float32 everywhere; summation order differs).</summary>
    public const double Tolerance = 1e-3;

    public static string Run(BenchContext context)
    {
        var records = new JsonArray();
        var file = context.PathOf("zoo.json");
        var root = new JsonObject
        {
            ["backend"] = context.Device is null ? "cpu-twin" : "cuda",
            ["reference"] = "cpu",
            ["device"] = context.DeviceMessage,
            ["batches"] = new JsonArray(RunOptions.Batches.Select(b => (JsonNode?)JsonValue.Create(b)).ToArray()),
            ["runs"] = context.Options.Runs,
            ["warmup"] = context.Options.Warmup,
            ["seconds_per_case"] = SecondsPerCase(context),
            ["timing"] = "wall clock (Stopwatch) around ICompiledProgram.Run: host inputs in, host outputs out",
            ["models"] = records,
        };
        int correct = 0, cases = 0;
        // --resume: the models an earlier process of this phase finished (or failed) stay as they are.
        var earlier = context.Options.Resume ? Earlier(file) : [];
        foreach (var model in ModelZoo.All)
        {
            if (earlier.TryGetValue(model.Name, out var done))
            {
                records.Add(done);
                foreach (var (_, entry) in done["batches"] as JsonObject ?? [])
                {
                    cases++;
                    if (entry?["passed"]?.GetValue<bool>() == true) correct++;
                }
                continue;
            }
            var record = new JsonObject { ["model"] = model.Name };
            records.Add(record);
            if (context.SecondsLeft <= 5)
            {
                record["status"] = "skipped";
                record["problem"] = "time budget spent";
                JsonOut.Write(file, root);
                continue;
            }
            try
            {
                var (ok, total) = RunModel(context, model, record, () => JsonOut.Write(file, root));
                correct += ok;
                cases += total;
                record["status"] = "done";
            }
            catch (Exception e)
            {
                record["status"] = "error";
                record["error"] = JsonOut.Error(e);
                context.Say($"zoo {model.Name}: {e.GetType().Name}: {JsonOut.Cap(e.Message, 300)}");
                if (Graphport.Kernels.Runtime.CudaException.FindContextLoss(e) is { } lost)
                {
                    // The models after this one would each fail at their first CUDA call: stop, and let run.sh resume.
                    JsonOut.Write(file, root);
                    throw new ContextLostException($"zoo {model.Name}", lost);
                }
            }
            JsonOut.Write(file, root);
        }
        root["correct"] = correct;
        root["compared"] = cases;
        JsonOut.Write(file, root);
        return $"{correct} of {cases} model/batch outputs match the interpreter on {root["backend"]}";
    }

    // The model records of an earlier zoo.json that finished one way or the other (done or error), by name.
    private static Dictionary<string, JsonObject> Earlier(string file)
    {
        var result = new Dictionary<string, JsonObject>();
        if (!File.Exists(file)) return result;
        try
        {
            foreach (var m in JsonNode.Parse(File.ReadAllText(file))?["models"] as JsonArray ?? [])
                if (m is JsonObject record && record["model"]?.GetValue<string>() is { } name && record["status"]?.GetValue<string>() is "done" or "error")
                    result[name] = (JsonObject)record.DeepClone();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or InvalidOperationException)
        {
            // An unreadable earlier file: run every model again.
        }
        return result;
    }

    private static double SecondsPerCase(BenchContext context) => context.Options.Quick ? 1 : 4;

    private static (int Correct, int Total) RunModel(BenchContext context, ZooModel model, JsonObject record, Action save)
    {
        var clock = Stopwatch.StartNew();
        var program = ZooPrograms.Export(model);
        record["export_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        record["nodes"] = program.Graph.Nodes.Count;

        var log = new List<string>();
        IExecutionBackend backend = context.Device is null ? new CpuTwinBackend() : context.NewCudaBackend(log);
        record["backend"] = backend.Name;
        clock.Restart();
        using var compiled = backend.Compile(program);
        record["compile_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        using var cpu = new CpuBackend().Compile(program);
        var batches = new JsonObject();
        record["batches"] = batches;
        int correct = 0, total = 0;
        foreach (var batch in RunOptions.Batches)
        {
            if (context.Device is null && context.Options.Quick && batch > 1) continue;
            var entry = new JsonObject();
            batches[batch.ToString(System.Globalization.CultureInfo.InvariantCulture)] = entry;
            try
            {
                total++;
                if (RunBatch(context, model, batch, cpu, compiled, entry)) correct++;
            }
            catch (Exception e)
            {
                entry["status"] = "error";
                entry["passed"] = false;
                entry["error"] = JsonOut.Error(e);
                // A lost context ends the model (and the phase, which says so once and writes the file).
                if (Graphport.Kernels.Runtime.CudaException.FindContextLoss(e) is not null) throw;
            }
            context.Say($"zoo {model.Name} batch {batch}: {entry["status"]}" +
                (entry["max_abs_diff"] is { } d ? $", max diff {d}" : "") +
                (entry["latency"] is JsonObject l ? $", median {l["median_ms"]} ms, {l["throughput_per_s"]}/s" : "") +
                (entry["error"] is JsonObject err ? $" ({JsonOut.Cap(err["message"]?.GetValue<string>() ?? "", 300)})" : ""));
            save();
        }
        Fallbacks(backend, compiled, log).WriteTo(record);
        return (correct, total);
    }

    private static Fallback Fallbacks(IExecutionBackend backend, ICompiledProgram compiled, List<string> log)
    {
        lock (log) return OpConformance.Fallbacks(backend, compiled, log);
    }

    private static bool RunBatch(BenchContext context, ZooModel model, long batch, ICompiledProgram cpu, ICompiledProgram compiled, JsonObject entry)
    {
        Torch.ManualSeed(ZooPrograms.SeedOf(model) * 1000 + (ulong)batch);
        var inputs = model.ExampleInputs(batch).Cast<Tensor>().ToArray();
        var clock = Stopwatch.StartNew();
        var expected = cpu.Run(inputs);
        entry["cpu_interpreter_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 2);
        clock.Restart();
        var actual = compiled.Run(inputs);
        // The first call at a batch size builds its bucket: NVRTC (or the kernel cache), module load, graph capture.
        entry["first_run_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 2);
        var comparison = OutputComparison.Of(expected, actual);
        comparison.WriteTo(entry, Tolerance);
        bool ok = comparison.Passes(Tolerance);
        entry["status"] = ok ? "passed" : "failed";
        if (context.Device is not null)
        {
            entry["latency"] = Time(context, compiled, inputs, batch);
            // The same call's device share alone (graphs and DMA copies, no host staging or output allocation).
            if (compiled is IProfiledProgram profiled)
            {
                try { entry["device_replay_ms"] = Math.Round(profiled.ReplayMilliseconds(inputs), 4); }
                catch (Exception e) when (e is not OutOfMemoryException && Graphport.Kernels.Runtime.CudaException.FindContextLoss(e) is null) { entry["device_replay_error"] = JsonOut.Cap(e.Message, 300); }
                // The kernels alone, inputs and outputs left on the device: what PyTorch's plain modes time.
                try { entry["device_compute_ms"] = JsonOut.Number(Math.Round(profiled.ReplayMilliseconds(inputs, includeCopies: false), 4)); }
                catch (Exception e) when (e is not OutOfMemoryException && Graphport.Kernels.Runtime.CudaException.FindContextLoss(e) is null) { entry["device_compute_error"] = JsonOut.Cap(e.Message, 300); }
            }
        }
        return ok;
    }

    internal static JsonObject Time(BenchContext context, ICompiledProgram compiled, Tensor[] inputs, long batch)
    {
        for (int i = 0; i < context.Options.Warmup; i++) compiled.Run(inputs);
        var samples = new List<double>();
        var limit = Stopwatch.StartNew();
        double seconds = Math.Min(SecondsPerCase(context), Math.Max(context.SecondsLeft / 4, 0.2));
        while (samples.Count < context.Options.Runs && (samples.Count < 3 || limit.Elapsed.TotalSeconds < seconds))
        {
            long start = Stopwatch.GetTimestamp();
            compiled.Run(inputs);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        double median = Stats.Median(samples);
        return new JsonObject
        {
            ["median_ms"] = Math.Round(median, 4),
            ["p10_ms"] = Math.Round(Stats.Percentile(samples, 0.1), 4),
            ["p90_ms"] = Math.Round(Stats.Percentile(samples, 0.9), 4),
            ["min_ms"] = Math.Round(samples.Min(), 4),
            ["mean_ms"] = Math.Round(samples.Average(), 4),
            ["runs"] = samples.Count,
            ["throughput_per_s"] = Math.Round(batch / (median / 1000), 1),
            ["samples_ms"] = new JsonArray(samples.Select(s => (JsonNode?)JsonValue.Create(Math.Round(s, 4))).ToArray()),
        };
    }
}

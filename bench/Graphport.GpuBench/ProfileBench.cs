using System.Diagnostics;
using System.Text.Json.Nodes;
using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Zoo;

namespace Graphport.GpuBench;

/// <summary>
/// profile.json: where each zoo model's time goes on the device, and what the backend's settings are worth. At
/// batch 1 and 32, each variant (the defaults; 64-bit index math in every kernel; every eligible convolution
/// direct; the convolution autotuner off; batch norms not folded) is compiled, checked against the CPU
/// interpreter and timed as ZooBench times (wall clock, host tensors in and out); the default variant is also
/// profiled step by step (each step alone between two CUDA events). Needs a device; without one it says so and
/// writes nothing else.
/// </summary>
public static class ProfileBench
{
    private static readonly (string Name, Func<CudaBackendOptions, CudaBackendOptions> Configure)[] Variants =
    [
        // Run 3 (2026-11-26) settled cuBLASLt autotuning, TF32 convolutions and TF32 everywhere (bench/RESULTS-gpu.md);
        // what is left to weigh is what came after it.
        ("default", o => o),
        ("index64", o => o with { NarrowIndices = false }),
        ("direct_conv", o => o with { Planner = o.Planner with { DirectSmallChannelConvolutions = true } }),
        ("im2col_only", o => o with { ConvolutionAutotune = false }),
        ("no_bn_folding", o => o with { Planner = o.Planner with { FoldBatchNorms = false } }),
    ];

    public static string Run(BenchContext context)
    {
        var file = context.PathOf("profile.json");
        var models = new JsonArray();
        var root = new JsonObject
        {
            ["device"] = context.DeviceMessage,
            ["variants"] = new JsonArray(Variants.Select(v => (JsonNode?)JsonValue.Create(v.Name)).ToArray()),
            ["timing"] = "variants: wall-clock median of ICompiledProgram.Run as in zoo.json; steps: device time of each step alone (CUDA events, no graph), median",
            ["models"] = models,
        };
        JsonOut.Write(file, root);
        if (context.Device is null) return $"skipped: {context.DeviceMessage}";
        int done = 0;
        foreach (var model in ModelZoo.All)
        {
            var record = new JsonObject { ["model"] = model.Name };
            models.Add(record);
            try
            {
                var program = ZooPrograms.Export(model);
                using var cpu = new CpuBackend().Compile(program);
                foreach (var batch in RunOptions.Batches)
                {
                    if (context.SecondsLeft <= 5)
                    {
                        record[$"batch{batch}"] = new JsonObject { ["skipped"] = "time budget spent" };
                        continue;
                    }
                    record[$"batch{batch}"] = Batch(context, model, program, cpu, batch);
                    JsonOut.Write(file, root);
                }
                done++;
            }
            catch (Exception e)
            {
                record["error"] = JsonOut.Error(e);
                context.Say($"profile {model.Name}: {e.GetType().Name}: {JsonOut.Cap(e.Message, 300)}");
            }
            JsonOut.Write(file, root);
        }
        return $"{done} of {ModelZoo.All.Count} models profiled";
    }

    private static JsonObject Batch(BenchContext context, ZooModel model, ExportedProgram program, ICompiledProgram cpu, long batch)
    {
        Torch.ManualSeed(ZooPrograms.SeedOf(model) * 1000 + (ulong)batch);
        var inputs = model.ExampleInputs(batch).Cast<Tensor>().ToArray();
        var expected = cpu.Run(inputs);
        var entry = new JsonObject();
        var variants = new JsonObject();
        entry["variants"] = variants;
        foreach (var (name, configure) in Variants)
        {
            var v = new JsonObject();
            variants[name] = v;
            try
            {
                var log = new List<string>();
                var backend = context.NewCudaBackend(log, configure);
                using var compiled = backend.Compile(program);
                var clock = Stopwatch.StartNew();
                var actual = compiled.Run(inputs);
                v["first_run_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
                var comparison = OutputComparison.Of(expected, actual);
                v["max_abs_diff"] = comparison.MaxDiff;
                v["relative"] = comparison.Relative;
                v["passed"] = comparison.Passes(ZooBench.Tolerance);
                v["median_ms"] = ZooBench.Time(context, compiled, inputs, batch)["median_ms"]?.DeepClone();
                if (name == "default" && compiled is IProfiledProgram profiled)
                {
                    var steps = profiled.Profile(inputs, 10);
                    entry["steps_total_ms"] = Math.Round(steps.Sum(s => s.Milliseconds), 4);
                    entry["steps"] = new JsonArray(steps.Select(s => (JsonNode?)new JsonObject
                    {
                        ["name"] = s.Name,
                        ["kind"] = s.Kind,
                        ["ms"] = Math.Round(s.Milliseconds, 4),
                        ["comment"] = JsonOut.Cap(s.Comment, 240),
                    }).ToArray());
                }
            }
            catch (Exception e)
            {
                v["error"] = JsonOut.Error(e);
            }
        }
        context.Say($"profile {model.Name} batch {batch}: " + string.Join(", ", variants.Select(kv =>
            $"{kv.Key} {(kv.Value?["median_ms"] is { } m ? m.ToString() + " ms" : "error")}{(kv.Value?["passed"] is { } p && !p.GetValue<bool>() ? $" (differs: {kv.Value?["relative"]})" : "")}")) +
            (entry["steps_total_ms"] is { } total ? $"; steps {total} ms" : ""));
        return entry;
    }
}

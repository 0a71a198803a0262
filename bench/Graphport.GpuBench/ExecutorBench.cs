using System.Diagnostics;
using System.Text.Json.Nodes;
using Graphport.Grains;
using Graphport.Kernels.Compilation;
using Graphport.Kernels.Conformance;
using Graphport.Zoo;
using Microsoft.Extensions.Logging.Abstractions;

namespace Graphport.GpuBench;

/// <summary>
/// executor.json: the zoo through the classes an executor grain on a GPU silo uses, not the kernels-level backend
/// the zoo phase times: <see cref="BackendSelector"/> over <see cref="CudaExecutionBackend"/> and the CPU
/// interpreter for the silo's cuda:0, each model compiled by the backend it picks (with a kernel store given to it,
/// as a silo gives its cluster's: the run's kernel cache here) and run at batch 2 against the CPU interpreter. On a machine without a GPU the selector must pick
/// the CPU, as a GPU silo without a usable device does, and the outputs are then equal.
/// </summary>
public static class ExecutorBench
{
    public static readonly ExecutionDevice Gpu = new(ExecutionDevice.CudaKind, 0, "the lent GPU");

    public static string Run(BenchContext context)
    {
        var file = context.PathOf("executor.json");
        // The run's kernel cache, so the zoo phase's CUBINs are found again (device time is short); what counts is
        // that the backend compiles through the store it is given, as a silo gives it its cluster's.
        var storeFolder = context.KernelCacheFolder;
        var messages = new List<string>();
        using var cuda = new CudaExecutionBackend(new ListLogger<CudaExecutionBackend>(messages), new LocalFolderBlobStore(storeFolder));
        var cpu = new CpuInterpreterBackend();
        var (backend, device) = new BackendSelector([cuda, cpu], Gpu, new ListLogger<BackendSelector>(messages)).Select();
        var models = new JsonArray();
        var root = new JsonObject
        {
            ["device"] = Gpu.ToString(),
            ["backend"] = backend.Name,
            ["runs_on"] = device.ToString(),
            ["cuda_status"] = cuda.OpenAttempted ? cuda.Status : null,
            ["tolerance"] = ZooBench.Tolerance,
            ["models"] = models,
        };
        int passed = 0;
        foreach (var model in ModelZoo.All)
        {
            var record = new JsonObject { ["model"] = model.Name };
            models.Add(record);
            try
            {
                var program = ZooPrograms.Export(model);
                var clock = Stopwatch.StartNew();
                using var compiled = backend.Compile(program, device);
                record["compile_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
                using var reference = cpu.Compile(program, ExecutionDevice.Cpu);
                Torch.ManualSeed(ZooPrograms.SeedOf(model) * 1000 + 2);
                var inputs = model.ExampleInputs(2).Cast<Tensor>().ToArray();
                var expected = reference.Run(inputs);
                clock.Restart();
                var actual = compiled.Run(inputs);
                record["first_run_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 2);
                record["backend"] = compiled.Backend;
                var comparison = OutputComparison.Of(expected, actual);
                comparison.WriteTo(record, ZooBench.Tolerance);
                if (comparison.Passes(ZooBench.Tolerance)) passed++;
            }
            catch (Exception e)
            {
                record["error"] = JsonOut.Error(e);
                if (e is DeviceLostException || Graphport.Kernels.Runtime.CudaException.FindContextLoss(e) is not null)
                {
                    JsonOut.Write(file, root);
                    throw;
                }
            }
            JsonOut.Write(file, root);
        }
        // The store it was given, not the user's cache folder, holds what the CUDA backend compiled.
        root["kernel_store_files"] = Directory.Exists(storeFolder) ? Directory.GetFiles(storeFolder, "*.cubin").Length : 0;
        root["lost"] = cuda.Lost;
        root["messages"] = new JsonArray(messages.Take(40).Select(m => (JsonNode?)JsonValue.Create(JsonOut.Cap(m, 400))).ToArray());
        root["passed"] = passed;
        JsonOut.Write(file, root);
        bool onGpu = context.Device is not null;
        if (onGpu && backend != cuda) throw new InvalidOperationException($"a GPU is here, but the selector picked {backend.Name}: {cuda.Status}");
        if (!onGpu && backend == cuda) throw new InvalidOperationException("no GPU is here, but the selector picked the CUDA backend");
        return $"{passed} of {ModelZoo.All.Count} zoo models match the CPU interpreter through {backend.Name} on {device}"
            + (onGpu ? $"; {root["kernel_store_files"]} CUBINs in the kernel store it was given" : $" ({cuda.Status})");
    }
}

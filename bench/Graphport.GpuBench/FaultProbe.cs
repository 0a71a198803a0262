using System.Text.Json.Nodes;
using Graphport.Kernels.Compilation;
using Graphport.Kernels.Runtime;

namespace Graphport.GpuBench;

/// <summary>
/// fault.json: what the lost-context handling (CudaException.ContextLost; the CUDA executor backend's move to the
/// CPU, tested on the CPU with a stand-in) meets on a real device. A kernel stores through a null pointer; the
/// synchronize after it must fail with an error that <see cref="CudaException.ContextLost"/> calls lost, and so
/// must an unrelated call after it (the driver keeps the fault for the process). It poisons this process's CUDA
/// context, so it is a phase of its own, run last and alone (bench/gpu/run.sh's gpubench_fault step).
/// </summary>
public static class FaultProbe
{
    private const string Source = """
        extern "C" __global__ void store_through_null(float* target) { target[threadIdx.x] = 1.0f; }
        """;

    public static string Run(BenchContext context)
    {
        var file = context.PathOf("fault.json");
        var root = new JsonObject { ["kernel"] = "store_through_null: each thread of one block stores to target[threadIdx.x] with target = 0" };
        if (context.Device is not { } device)
        {
            root["skipped"] = context.DeviceMessage;
            JsonOut.Write(file, root);
            return $"not run: {context.DeviceMessage}";
        }
        var compiler = new NvrtcCompiler(new KernelCache(new LocalFolderBlobStore(context.KernelCacheFolder)));
        using var module = device.LoadModule(compiler.Compile(Source, "fault_probe.cu", device.Architecture, []));
        using var stream = device.CreateStream();
        using var launch = new KernelLaunch(module.GetFunction("store_through_null"), 1, 32, 0, [0UL]);
        root["fault"] = Attempt(() =>
        {
            launch.Launch(stream);
            stream.Synchronize();
        });
        // Any later call, even one that touches nothing of the faulting kernel's.
        root["next_call"] = Attempt(() => device.Allocate(4096).Dispose());
        bool lost = root["fault"]?["context_lost"]?.GetValue<bool>() == true && root["next_call"]?["context_lost"]?.GetValue<bool>() == true;
        root["passed"] = lost;
        JsonOut.Write(file, root);
        return lost
            ? $"a store through null lost the context ({root["fault"]?["error"]}); the next call failed the same way"
            : throw new InvalidOperationException($"the fault was not reported as a lost context: {root.ToJsonString()}");
    }

    private static JsonObject Attempt(Action call)
    {
        try
        {
            call();
            return new JsonObject { ["error"] = null, ["context_lost"] = false };
        }
        catch (CudaException e)
        {
            return new JsonObject { ["error"] = e.Message, ["result"] = (int)e.Result, ["context_lost"] = e.ContextLost };
        }
    }
}

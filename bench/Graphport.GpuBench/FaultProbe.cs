using System.Text.Json.Nodes;
using Graphport.Kernels.Compilation;
using Graphport.Grains;
using Graphport.Kernels.Runtime;
using Graphport.Zoo;

namespace Graphport.GpuBench;

/// <summary>
/// fault.json: what the lost-context handling (CudaException.ContextLost; the CUDA executor backend's move to the
/// CPU, tested on the CPU with a stand-in) meets on a real device. A kernel stores through a null pointer; the
/// synchronize after it must fail with an error that <see cref="CudaException.ContextLost"/> calls lost, and so
/// must an unrelated call after it (the driver keeps the fault for the process). It poisons this process's CUDA
/// context, so it is a phase of its own, run last and alone (bench/gpu/run.sh's gpubench_fault step). The grain
/// side is checked in the same process: a program compiled before the fault by <see cref="CudaExecutionBackend"/>
/// (what executor grains on a GPU silo use) must fail after it with <see cref="DeviceLostException"/>, which
/// executors answer by moving to the CPU, and the backend must then say it is lost and support the GPU no more.
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
        var messages = new List<string>();
        using var executor = new CudaExecutionBackend(new ListLogger<CudaExecutionBackend>(messages), new LocalFolderBlobStore(context.KernelCacheFolder));
        var mlp = ModelZoo.Get("mlp");
        Torch.ManualSeed(7);
        var inputs = mlp.ExampleInputs(2).Cast<Tensor>().ToArray();
        using var onGpu = executor.Supports(ExecutorBench.Gpu) ? executor.Compile(ZooPrograms.Export(mlp), ExecutorBench.Gpu) : null;
        onGpu?.Run(inputs);
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
        root["executor"] = ExecutorAfterFault(executor, onGpu, inputs, messages);
        bool lost = root["fault"]?["context_lost"]?.GetValue<bool>() == true && root["next_call"]?["context_lost"]?.GetValue<bool>() == true;
        bool moved = root["executor"]?["passed"]?.GetValue<bool>() == true;
        root["passed"] = lost && moved;
        JsonOut.Write(file, root);
        return lost && moved
            ? $"a store through null lost the context ({root["fault"]?["error"]}); the next call failed the same way; the executor backend's program then threw DeviceLostException and the backend gave up the GPU"
            : throw new InvalidOperationException($"the fault was not {(lost ? "handled by the executor backend" : "reported as a lost context")}: {root.ToJsonString()}");
    }

    // An executor's program after the fault: DeviceLostException (its cue to recompile for the CPU), and the backend
    // lost for good, so the backend selector sends new programs to the CPU.
    private static JsonObject ExecutorAfterFault(CudaExecutionBackend executor, Graphport.Grains.ICompiledProgram? onGpu, Tensor[] inputs, List<string> messages)
    {
        if (onGpu is null) return new JsonObject { ["passed"] = false, ["problem"] = $"the executor backend did not open the GPU: {executor.Status}" };
        var record = new JsonObject();
        try
        {
            onGpu.Run(inputs);
            record["device_lost_exception"] = false;
            record["problem"] = "the program ran after the fault";
        }
        catch (DeviceLostException e)
        {
            record["device_lost_exception"] = true;
            record["message"] = JsonOut.Cap(e.Message, 400);
        }
        catch (Exception e)
        {
            record["device_lost_exception"] = false;
            record["problem"] = $"{e.GetType().Name}: {JsonOut.Cap(e.Message, 400)}";
        }
        record["lost"] = executor.Lost;
        record["supports_gpu_after"] = executor.Supports(ExecutorBench.Gpu);
        record["messages"] = new JsonArray(messages.Select(m => (JsonNode?)JsonValue.Create(JsonOut.Cap(m, 300))).ToArray());
        record["passed"] = record["device_lost_exception"]!.GetValue<bool>() && executor.Lost is not null && !record["supports_gpu_after"]!.GetValue<bool>();
        return record;
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

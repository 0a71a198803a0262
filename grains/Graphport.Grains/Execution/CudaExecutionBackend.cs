using Microsoft.Extensions.Logging;
using CudaKernels = Graphport.Kernels.Backends;

namespace Graphport.Grains;

/// <summary>
/// Runs programs on the silo's GPU with the CUDA backend (kernels/: NVRTC-compiled fused kernels, cuBLASLt, CUDA
/// graphs). The device opens on the first GPU request, never on a CPU silo. Where it cannot open (no driver, no
/// GPU, no NVRTC or cuBLASLt), <see cref="Supports"/> is false, the reason is logged once ("no CUDA device: ...") and BackendSelector
/// falls back to the CPU backend, so the silo still serves. Ops without a CUDA kernel run on the host inside the
/// CUDA program, said once each in the log.
/// </summary>
public sealed class CudaExecutionBackend : IExecutionBackend, IDisposable
{
    public const string BackendName = "cuda";

    private readonly Lazy<(CudaKernels.CudaBackend? Backend, string Message)> cuda;
    private int ordinal;

    public CudaExecutionBackend(ILogger<CudaExecutionBackend> logger) =>
        cuda = new(() => Open(logger, ordinal));

    public string Name => BackendName;

    /// <summary>The opened device ("opened NVIDIA H100 ..."), or why none opened ("no CUDA device: ...").</summary>
    public string Status => cuda.Value.Message;

    /// <summary>Whether this silo has tried to open a CUDA device (only a GPU silo's first request does).</summary>
    public bool OpenAttempted => cuda.IsValueCreated;

    public bool Supports(ExecutionDevice device)
    {
        if (!device.IsGpu) return false;
        // The silo's device (Kubernetes gives each pod its GPU as device 0); read before the device opens.
        if (!cuda.IsValueCreated) ordinal = device.Index;
        return cuda.Value.Backend is not null;
    }

    public ICompiledProgram Compile(ExportedProgram program, ExecutionDevice device)
    {
        ArgumentNullException.ThrowIfNull(program);
        var backend = cuda.Value.Backend ?? throw new InvalidOperationException($"The CUDA backend cannot run programs here: {cuda.Value.Message}");
        using var activity = ExecutionSpans.Compile(BackendName, device, program);
        return new CudaProgram(backend.Compile(program), device);
    }

    private static (CudaKernels.CudaBackend?, string) Open(ILogger logger, int ordinal)
    {
        var options = new CudaKernels.CudaBackendOptions { Log = message => logger.LogWarning("{Message}", message) };
        if (CudaKernels.CudaBackend.TryCreate(out var backend, out var message, options, ordinal))
        {
            logger.LogInformation("CUDA backend: {Device}", message);
            return (backend, message);
        }
        logger.LogWarning("{Reason}; this silo runs programs on the CPU", message);
        return (null, message);
    }

    public void Dispose()
    {
        if (cuda.IsValueCreated) cuda.Value.Backend?.Dispose();
    }

    private sealed class CudaProgram(CudaKernels.ICompiledProgram compiled, ExecutionDevice device) : ICompiledProgram
    {
        public string Backend => BackendName;

        public ExecutionDevice Device => device;

        public Tensor[] Run(IReadOnlyList<Tensor> inputs)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            using var activity = ExecutionSpans.Execute(BackendName, device);
            return TensorLists.Flatten(compiled.Run(inputs));
        }

        public void Dispose() => compiled.Dispose();
    }
}

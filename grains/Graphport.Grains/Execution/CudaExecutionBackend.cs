using Graphport.Kernels.Compilation;
using Microsoft.Extensions.Logging;
using CudaKernels = Graphport.Kernels.Backends;

namespace Graphport.Grains;

/// <summary>
/// Runs programs on the silo's GPU with the CUDA backend (kernels/: NVRTC-compiled fused kernels, cuBLASLt, CUDA
/// graphs). The device opens on the first GPU request, never on a CPU silo. Where it cannot open (no driver, no
/// GPU, no NVRTC or cuBLASLt), <see cref="Supports"/> is false, the reason is logged once ("no CUDA device: ...") and BackendSelector
/// falls back to the CPU backend, so the silo still serves. Ops without a CUDA kernel run on the host inside the
/// CUDA program, said once each in the log. A kernel fault (an illegal address, say) loses the process's CUDA
/// context for good: the backend then says so in <see cref="Lost"/> (logged once, critical), supports nothing
/// more, and throws <see cref="DeviceLostException"/>, which executors answer by moving to the CPU.
/// </summary>
public sealed class CudaExecutionBackend : IExecutionBackend, IDisposable
{
    public const string BackendName = "cuda";

    private readonly Lazy<(CudaKernels.CudaBackend? Backend, string Message)> cuda;
    private readonly ILogger logger;
    private int ordinal;
    private string? lost;

    /// <param name="kernelStore">
    /// Where compiled kernels are kept: the silo registers its cluster's store (the data folder's kernels/, or Azure
    /// Blob storage); without one, the user's cache folder.
    /// </param>
    public CudaExecutionBackend(ILogger<CudaExecutionBackend> logger, IKernelBlobStore? kernelStore = null)
    {
        this.logger = logger;
        KernelStore = kernelStore;
        cuda = new(() => Open(logger, ordinal, kernelStore));
    }

    /// <summary>The store the device's compiler keeps CUBINs in; null: the user's cache folder.</summary>
    public IKernelBlobStore? KernelStore { get; }

    public string Name => BackendName;

    public string? Lost => Volatile.Read(ref lost);

    /// <summary>The opened device ("opened NVIDIA H100 ..."), or why none opened ("no CUDA device: ...").</summary>
    public string Status => cuda.Value.Message;

    /// <summary>Whether this silo has tried to open a CUDA device (only a GPU silo's first request does).</summary>
    public bool OpenAttempted => cuda.IsValueCreated;

    public bool Supports(ExecutionDevice device)
    {
        if (!device.IsGpu || Lost is not null) return false;
        // The silo's device (Kubernetes gives each pod its GPU as device 0); read before the device opens.
        if (!cuda.IsValueCreated) ordinal = device.Index;
        return cuda.Value.Backend is not null;
    }

    public ICompiledProgram Compile(ExportedProgram program, ExecutionDevice device)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (Lost is { } reason) throw new DeviceLostException(BackendName, reason);
        var backend = cuda.Value.Backend ?? throw new InvalidOperationException($"The CUDA backend cannot run programs here: {cuda.Value.Message}");
        // kernels/' CudaBackend records the compile and execute spans itself.
        return new CudaProgram(Guard(() => backend.Compile(program)), device, this);
    }

    /// <summary>Runs a CUDA call; a fault that lost the context marks this backend lost and becomes DeviceLostException.</summary>
    internal T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (Graphport.Kernels.Runtime.CudaException.FindContextLoss(e) is { } cause)
        {
            var reason = $"{cause.Message} (the CUDA driver keeps a kernel fault for the whole process)";
            if (Interlocked.CompareExchange(ref lost, reason, null) is null)
                logger.LogCritical("GPU lost: {Reason}; programs move to the CPU backend, and the health check reports unhealthy until the silo restarts", reason);
            throw new DeviceLostException(BackendName, Lost!, e);
        }
    }

    private static (CudaKernels.CudaBackend?, string) Open(ILogger logger, int ordinal, IKernelBlobStore? kernelStore)
    {
        var options = new CudaKernels.CudaBackendOptions { Log = message => logger.LogWarning("{Message}", message), KernelStore = kernelStore };
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
        if (!cuda.IsValueCreated) return;
        // A lost context fails its own teardown too; the silo is stopping, and the process's exit frees the device.
        try { cuda.Value.Backend?.Dispose(); }
        catch (Graphport.Kernels.Runtime.CudaException) when (Lost is not null) { }
    }

    private sealed class CudaProgram(CudaKernels.ICompiledProgram compiled, ExecutionDevice device, CudaExecutionBackend owner) : ICompiledProgram
    {
        public string Backend => BackendName;

        public ExecutionDevice Device => device;

        public Tensor[] Run(IReadOnlyList<Tensor> inputs)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            if (owner.Lost is { } reason) throw new DeviceLostException(BackendName, reason);
            return owner.Guard(() => TensorLists.Flatten(compiled.Run(inputs)));
        }

        public void Dispose()
        {
            // Freeing device memory in a lost context fails too; the process's restart frees it.
            try { compiled.Dispose(); }
            catch (Graphport.Kernels.Runtime.CudaException) when (owner.Lost is not null) { }
        }
    }
}

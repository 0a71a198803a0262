using Graphport.Kernels.Compilation;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Backends;

/// <summary>Settings of the CUDA backend.</summary>
public sealed record CudaBackendOptions
{
    public PlannerOptions Planner { get; init; } = PlannerOptions.Default;

    public BucketPolicy Buckets { get; init; } = BucketPolicy.Exact;

    /// <summary>Buckets kept compiled at once (each holds a module and a captured graph).</summary>
    public int BucketCapacity { get; init; } = 8;

    /// <summary>Replay each bucket as a captured CUDA graph (off: launch kernel by kernel, for debugging).</summary>
    public bool UseGraphs { get; init; } = true;

    /// <summary>cuBLASLt workspace (32 MiB is what Hopper's fastest algorithms ask for).</summary>
    public long CublasWorkspaceBytes { get; init; } = 32L << 20;

    public IKernelBlobStore? KernelStore { get; init; }

    /// <summary>Where the backend says what it does (host fallbacks, compile times); stderr when null.</summary>
    public Action<string>? Log { get; init; }
}

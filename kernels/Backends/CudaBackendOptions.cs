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

    /// <summary>
    /// Let the GEMMs of lowered convolutions use TF32 tensor cores (10-bit mantissa inputs, float32 accumulation):
    /// what PyTorch does by default for convolutions (torch.backends.cudnn.allow_tf32), and on by default here for
    /// the same reason: on an H100 it makes a ResNet-50 at batch 32 1.6 times faster, while its outputs stay within
    /// 5e-5 of float32's (bench/RESULTS-gpu.md, profile). Turn it off for bit-for-bit float32 products.
    /// </summary>
    public bool AllowTf32Convolutions { get; init; } = true;

    /// <summary>Let matrix products use TF32 tensor cores (PyTorch: torch.backends.cuda.matmul.allow_tf32, off by default).</summary>
    public bool AllowTf32Matmuls { get; init; }

    /// <summary>
    /// cuBLASLt algorithms the heuristic proposes that are timed on the device for each GEMM when a bucket is built;
    /// the fastest is kept. 1 (the default): the heuristic's first, untimed - on the H100 the timed choice (8
    /// candidates, each timed back to back) made the zoo's graphs 3 % slower on average, faster in 5 of 14 cases
    /// (bench/RESULTS-gpu.md, profile), since a kernel that wins back to back need not win inside a graph.
    /// </summary>
    public int MatmulAlgorithmCandidates { get; init; } = 1;

    /// <summary>
    /// Pointwise kernels whose index math provably fits 32 bits compute it in 32-bit integers (kernels/Codegen/
    /// IndexWidth.cs); off: every kernel indexes in 64 bits.
    /// </summary>
    public bool NarrowIndices { get; init; } = true;

    /// <summary>
    /// When a bucket has convolutions a <see cref="Planning.DirectConvKernel"/> could take (few output channels, big
    /// images), build it both ways - im2col + cuBLASLt, and direct - time both replays on the device, and keep the
    /// faster (as cudnn.benchmark picks a convolution algorithm by timing). Costs one more compile per such bucket;
    /// the choice is said once per bucket. Off: the planner options decide alone.
    /// </summary>
    public bool ConvolutionAutotune { get; init; } = true;

    /// <summary>Replays timed per candidate plan by <see cref="ConvolutionAutotune"/>.</summary>
    public int AutotuneReplays { get; init; } = 20;

    /// <summary>
    /// Where compiled CUBINs are kept: null, a folder (<see cref="LocalFolderBlobStore.DefaultRoot"/>); a silo passes
    /// its cluster's store, so a restarted or new GPU silo loads kernels another one compiled.
    /// </summary>
    public IKernelBlobStore? KernelStore { get; init; }

    /// <summary>Where the backend says what it does (host fallbacks, compile times); stderr when null.</summary>
    public Action<string>? Log { get; init; }
}

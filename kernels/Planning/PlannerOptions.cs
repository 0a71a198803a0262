namespace Graphport.Kernels.Planning;

/// <summary>How a convolution with groups = 1 is computed.</summary>
public enum ConvolutionStrategy
{
    /// <summary>im2col (or nothing, for 1x1) into a cuBLASLt GEMM; grouped and transposed convs go direct.</summary>
    Auto,

    /// <summary>Every convolution as a direct generated reduction (what the twin-only tests like: no library call).</summary>
    Direct,
}

/// <summary>Knobs of the fusion planner; the defaults are what the CUDA backend uses.</summary>
public sealed record PlannerOptions
{
    /// <summary>Values with more users than one are stored, unless they are this small (then recomputing is cheaper).</summary>
    public long SmallInlineNumel { get; init; } = 4096;

    /// <summary>
    /// A view of a value that is not stored yet reads it through index math composed with every view before it; once
    /// that math would exceed this many nodes (<see cref="Codegen.IndexExpr.Size"/>), the value is stored first. A
    /// ShuffleNet's sixteen channel shuffles (view, transpose, view, each over the last) grew it without bound.
    /// </summary>
    public long MaxViewIndexSize { get; init; } = 1024;

    /// <summary>Fuse ReLU (and tanh-GELU) after a matrix product into cuBLASLt's epilogue.</summary>
    public bool FuseMatmulEpilogues { get; init; } = true;

    /// <summary>
    /// Also fuse erf-GELU into cuBLASLt's GELU epilogue. cuBLASLt documents no formula; where it is the tanh
    /// approximation the results move by up to ~1e-3, so this is off unless a device run showed it harmless.
    /// </summary>
    public bool ApproximateErfGeluInMatmul { get; init; }

    /// <summary>Merge a pointwise kernel into the reduction or normalization that feeds it.</summary>
    public bool FuseEpilogues { get; init; } = true;

    /// <summary>Merge pointwise kernels over the same shape that do not depend on each other into one launch (<see cref="SiblingFusion"/>).</summary>
    public bool FuseSiblings { get; init; } = true;

    /// <summary>
    /// Run the products of one input by several weights (a layer's query, key and value projections; its gate and up
    /// projections) as one product by the weights side by side (<c>FusionPlanner.TryLowerSharedInputProjections</c>).
    /// </summary>
    public bool FuseProjections { get; init; } = true;

    public ConvolutionStrategy Convolutions { get; init; } = ConvolutionStrategy.Auto;

    /// <summary>
    /// Float32 convolutions with at most <see cref="DirectConvolutionMaxChannels"/> output channels over images of
    /// 1024 pixels or more (or 8192 pixels over the batch) run as a <see cref="DirectConvKernel"/> instead of
    /// im2col + GEMM. Off here; the CUDA
    /// backend's convolution autotuner (CudaBackendOptions.ConvolutionAutotune) plans each such bucket both ways,
    /// times both on the device and keeps the faster.
    /// </summary>
    public bool DirectSmallChannelConvolutions { get; init; }

    /// <summary>Of the convolutions <see cref="DirectSmallChannelConvolutions"/> would take, only these nodes (null: all).</summary>
    public IReadOnlySet<string>? DirectConvolutionNodes { get; init; }

    /// <summary>Of the direct convolutions, these nodes get the wide schedule (<see cref="DirectConvKernel.Wide"/>); null: none.</summary>
    public IReadOnlySet<string>? WideDirectConvolutionNodes { get; init; }

    public const long DirectConvolutionMaxChannels = 64;

    /// <summary>
    /// Fold an inference batch norm into the convolution before it (its weights and bias, computed once from the
    /// constants), as ONNX Runtime does; off: the norm is a per-element expression in the next kernel.
    /// </summary>
    public bool FoldBatchNorms { get; init; } = true;

    /// <summary>Ops to run on the host even though a lowering exists (tests of the fallback path use it).</summary>
    public IReadOnlySet<string> ForceHost { get; init; } = new HashSet<string>();

    public static PlannerOptions Default { get; } = new();
}

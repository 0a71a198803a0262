namespace Graphport.Kernels.Backends;

/// <summary>How a dynamic program's calls are grouped into compiled, graph-captured shape buckets.</summary>
public enum BucketPolicy
{
    /// <summary>One bucket per distinct set of sizes seen (always correct; least padding).</summary>
    Exact,

    /// <summary>
    /// The batch size is rounded up to a power of two (clamped to its range) and inputs are zero-padded, so a
    /// serving process captures at most log2(max) graphs. Only for programs whose rows are independent along the
    /// batch dimension (every zoo model in eval mode); the caller vouches for that.
    /// </summary>
    PowerOfTwoBatch,
}

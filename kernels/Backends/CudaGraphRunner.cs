using Graphport.Kernels.Planning;
using Graphport.Kernels.Runtime;

namespace Graphport.Kernels.Backends;

/// <summary>
/// Chooses the bucket for each call (<see cref="ShapeBucketSelector"/>), builds it on first use (compile + capture
/// once), evicts the least recently used beyond capacity, pads a smaller batch up to its bucket and slices the
/// outputs back.
/// </summary>
internal sealed class CudaGraphRunner(ShapeBucketSelector selector, Func<ShapeBinding, CudaBucket> build)
{
    private readonly Dictionary<ShapeBinding, CudaBucket> buckets = [];

    public object?[] Run(ExportedProgram program, IReadOnlyList<Tensor> inputs, CudaStream stream)
    {
        var (actual, bucket, compiled) = Get(program, inputs);
        if (bucket.Equals(actual)) return compiled.Run(inputs, stream);
        var padded = BatchPadding.Pad(program, inputs, actual, bucket);
        var outputs = compiled.Run(padded, stream);
        return BatchPadding.Slice(program, outputs, actual, bucket);
    }

    /// <summary>Per-step device times of the bucket these inputs use (inputs must fill it exactly).</summary>
    public IReadOnlyList<StepTime> Profile(ExportedProgram program, IReadOnlyList<Tensor> inputs, CudaStream stream, int repeats)
    {
        var (actual, bucket, compiled) = Get(program, inputs);
        if (!bucket.Equals(actual)) throw new ArgumentException($"Profile takes inputs that fill their bucket exactly ({bucket}); these bind {actual}.", nameof(inputs));
        return compiled.Profile(inputs, stream, repeats);
    }

    /// <summary>Device time of one replay of the bucket these inputs fill exactly.</summary>
    public double ReplayMilliseconds(ExportedProgram program, IReadOnlyList<Tensor> inputs, CudaStream stream, int repeats, bool includeCopies = true)
    {
        var (actual, bucket, compiled) = Get(program, inputs);
        if (!bucket.Equals(actual)) throw new ArgumentException($"Replay timing takes inputs that fill their bucket exactly ({bucket}); these bind {actual}.", nameof(inputs));
        return compiled.ReplayMilliseconds(stream, repeats, includeCopies);
    }

    private (ShapeBinding Actual, ShapeBinding Bucket, CudaBucket Compiled) Get(ExportedProgram program, IReadOnlyList<Tensor> inputs)
    {
        var actual = ProgramPreparation.Bind(program, inputs);
        var bucket = selector.BucketFor(actual);
        if (selector.Touch(bucket) is { } evicted && buckets.Remove(evicted, out var old)) old.Dispose();
        if (!buckets.TryGetValue(bucket, out var compiled))
        {
            compiled = build(bucket);
            buckets[bucket] = compiled;
        }
        return (actual, bucket, compiled);
    }

    public void Clear()
    {
        foreach (var b in buckets.Values) b.Dispose();
        buckets.Clear();
    }
}

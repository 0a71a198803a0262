using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Backends;

/// <summary>
/// Picks the bucket a call runs in and keeps at most <see cref="Capacity"/> buckets, evicting the least recently
/// used. Pure bookkeeping (no device), so the CUDA graph runner's choice of graphs is tested on any machine.
/// </summary>
public sealed class ShapeBucketSelector(BucketPolicy policy, string? batchSymbol, long batchMax, int capacity = 8)
{
    private readonly LinkedList<ShapeBinding> recent = new();

    public BucketPolicy Policy { get; } = policy;

    public int Capacity { get; } = Math.Max(capacity, 1);

    public IReadOnlyCollection<ShapeBinding> Buckets => recent;

    /// <summary>The bucket for a call with these sizes (padded batch under <see cref="BucketPolicy.PowerOfTwoBatch"/>).</summary>
    public ShapeBinding BucketFor(ShapeBinding actual)
    {
        if (Policy == BucketPolicy.Exact || batchSymbol is null || !actual.Values.TryGetValue(batchSymbol, out var batch)) return actual;
        long padded = 1;
        while (padded < batch) padded *= 2;
        padded = Math.Min(padded, Math.Max(batchMax, batch));
        var values = actual.Values.ToDictionary(kv => kv.Key, kv => kv.Key == batchSymbol ? padded : kv.Value);
        return new ShapeBinding(values);
    }

    /// <summary>Marks a bucket used; returns the bucket that had to make room for it, if any.</summary>
    public ShapeBinding? Touch(ShapeBinding bucket)
    {
        var node = recent.Find(bucket);
        if (node is not null)
        {
            recent.Remove(node);
            recent.AddFirst(node);
            return null;
        }
        recent.AddFirst(bucket);
        if (recent.Count <= Capacity) return null;
        var evicted = recent.Last!.Value;
        recent.RemoveLast();
        return evicted;
    }
}

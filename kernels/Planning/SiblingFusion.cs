namespace Graphport.Kernels.Planning;

/// <summary>
/// Merges pointwise kernels over the same iteration space that do not depend on each other into one launch holding
/// each one's stores (a decoding step's key and value cache writes, the write-backs of the buffers a program updates):
/// on a GPU a launch costs microseconds whatever it does, and a decoding step of a small model is mostly launches. A
/// kernel moves up to a sibling only past steps it does not depend on, and the two may not read what the other writes
/// nor write the same buffer, since the threads of one launch run in no fixed order.
/// </summary>
internal static class SiblingFusion
{
    // Stores one merged kernel holds at most (its registers grow with them), and steps a kernel looks back for a sibling.
    private const int MaxStores = 8;
    private const int Window = 8;

    public static List<KernelStep> Apply(IReadOnlyList<KernelStep> input)
    {
        var steps = input.ToList();
        for (int j = 1; j < steps.Count; j++)
        {
            if (steps[j] is not PointwiseKernel later) continue;
            for (int a = j - 1; a >= Math.Max(0, j - Window); a--)
            {
                if (!Independent(steps[a], later)) break;
                if (steps[a] is PointwiseKernel earlier && SameSpace(earlier.Space, later.Space) && earlier.Stores.Count + later.Stores.Count <= MaxStores)
                {
                    steps[a] = earlier with { Comment = $"{earlier.Comment}; and {later.Comment}", Stores = [.. earlier.Stores, .. later.Stores] };
                    steps.RemoveAt(j--);
                    break;
                }
            }
        }
        return steps;
    }

    private static bool SameSpace(IterationSpace a, IterationSpace b) => a.Linear == b.Linear && a.Prefix == b.Prefix && a.Shape.SequenceEqual(b.Shape);

    // Neither reads what the other writes, and they write different buffers.
    private static bool Independent(KernelStep a, KernelStep b)
    {
        var aWrites = a.Writes().ToHashSet();
        var bWrites = b.Writes().ToHashSet();
        return !aWrites.Overlaps(bWrites) && !b.Reads().Any(aWrites.Contains) && !a.Reads().Any(bWrites.Contains);
    }
}

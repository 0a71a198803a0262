namespace Graphport.Operators;

/// <summary>
/// The strides torch gives a new tensor laid out like another (empty_like and clone, c10's
/// is_non_overlapping_and_dense and infer_dense_strides), on sizes that may be symbolic: a comparison that the
/// symbols' ranges cannot settle is decided with a guard for ordinary sizes and taken as false for data-dependent ones.
/// </summary>
internal static class MemoryLayout
{
    /// <summary>The strides of a fresh tensor with <paramref name="l"/>'s sizes in <paramref name="format"/> (null: preserve_format).</summary>
    public static SymInt[] StridesFor(ViewLayout l, object? format)
    {
        switch (FormatOf(format))
        {
            case MemoryFormat.Contiguous:
                return TensorMeta.ContiguousStrides(l.Shape);
            case MemoryFormat.ChannelsLast:
                if (l.Rank != 4) throw new ArgumentException("required rank 4 tensor to use channels_last format");
                return ChannelsLastStrides(l.Shape, [1, 3, 2, 0]);
            case MemoryFormat.ChannelsLast3d:
                if (l.Rank != 5) throw new ArgumentException("required rank 5 tensor to use channels_last_3d format");
                return ChannelsLastStrides(l.Shape, [1, 4, 3, 2, 0]);
            default:
                // An empty tensor counts as contiguous, so as dense: its strides are kept too.
                if (l.IsContiguous || l.Shape.Any(s => s.AsConstant == 0) || IsNonOverlappingAndDense(l)) return (SymInt[])l.Strides.Clone();
                return InferDenseStrides(l);
        }
    }

    private static MemoryFormat FormatOf(object? format) => format switch
    {
        null => MemoryFormat.Preserve,
        MemoryFormat m => m,
        long n => (MemoryFormat)n,
        int n => (MemoryFormat)n,
        // torch's names, with or without "torch." (as op cases and Python-side callers write them).
        string name => Enum.GetValues<MemoryFormat>().FirstOrDefault(f => f.TorchName() == name.Replace("torch.", "", StringComparison.Ordinal), (MemoryFormat)0) is var f && f != 0
            ? f
            : throw new ArgumentException($"Not a memory format: {name}."),
        _ => throw new ArgumentException($"Not a memory format: {format}."),
    };

    private static bool Decide(SymBool b) => b.AsConstant ?? b.Env!.GuardOrFalse(b.Expr);

    /// <summary>
    /// c10's compute_non_overlapping_and_dense: with dimensions of size 0 or 1 left out and the rest sorted by stride,
    /// each stride is the product of the sizes before it (the elements fill their memory exactly once).
    /// </summary>
    public static bool IsNonOverlappingAndDense(ViewLayout l)
    {
        int rank = l.Rank;
        if (rank == 1) return Decide(l.Shape[0] < 2) || Decide(l.Strides[0] == 1);
        var perm = Enumerable.Range(0, rank).ToList();
        // Stable insertion sort: dimensions of size < 2 go last, the others by increasing stride.
        bool Before(int a, int b)
        {
            if (Decide(l.Shape[a] < 2)) return false;
            if (Decide(l.Shape[b] < 2)) return true;
            return Decide(l.Strides[a] < l.Strides[b]);
        }
        for (int i = 1; i < rank; i++)
        {
            for (int j = i; j > 0 && Before(perm[j], perm[j - 1]); j--)
                (perm[j], perm[j - 1]) = (perm[j - 1], perm[j]);
        }
        SymInt required = 1;
        foreach (int d in perm)
        {
            if (Decide(l.Shape[d] < 2)) return true;
            if (!Decide(l.Strides[d] == required)) return false;
            required *= l.Shape[d];
        }
        return true;
    }

    /// <summary>
    /// c10's infer_dense_strides: dense strides that keep the input's order of dimensions in memory (by stride, the
    /// smaller size first among equal strides; a stride-0 dimension stays where it is).
    /// </summary>
    public static SymInt[] InferDenseStrides(ViewLayout l)
    {
        int rank = l.Rank;
        // perm[0] is the innermost dimension; start from row-major order.
        var perm = Enumerable.Range(0, rank).Reverse().ToArray();
        int ShouldSwap(int d0, int d1)
        {
            SymInt s0 = l.Strides[d0], s1 = l.Strides[d1];
            if (Decide(s0 == 0) || Decide(s1 == 0)) return 0;
            if (Decide(s0 < s1)) return -1;
            if (Decide(s0 > s1)) return 1;
            if (Decide(l.Shape[d0] > l.Shape[d1])) return 1;
            return 0;
        }
        for (int i = 1; i < rank; i++)
        {
            int d1 = i;
            for (int d0 = i - 1; d0 >= 0; d0--)
            {
                int comparison = ShouldSwap(perm[d0], perm[d1]);
                if (comparison > 0)
                {
                    (perm[d0], perm[d1]) = (perm[d1], perm[d0]);
                    d1 = d0;
                }
                else if (comparison < 0)
                {
                    break;
                }
            }
        }
        // Sizes 0 and 1 do not advance the stride (a symbolic size is taken as larger).
        var strides = new SymInt[rank];
        SymInt running = 1;
        foreach (int d in perm)
        {
            strides[d] = running;
            if (l.Shape[d].AsConstant is not (0 or 1)) running *= l.Shape[d];
        }
        return strides;
    }

    /// <summary>c10's get_channels_last_strides_2d/3d: channels innermost, then the spatial dims from last to first, then batch.</summary>
    private static SymInt[] ChannelsLastStrides(SymInt[] shape, int[] innermostFirst)
    {
        var strides = new SymInt[shape.Length];
        SymInt running = 1;
        foreach (int d in innermostFirst)
        {
            strides[d] = running;
            running *= shape[d];
        }
        return strides;
    }
}

namespace Graphport.Operators;

/// <summary>
/// Eager kernels of the order statistics torch keeps as single ops (kthvalue, mode, nanmedian): each slice along a
/// dim is read out (as double, which holds every float and the integers a tally holds exactly), its value and
/// index picked, and the values returned in the input's dtype.
/// </summary>
internal static class OrderStatisticKernels
{
    /// <summary>The k-th smallest (1-based) of each slice; NaN sorts last and ties keep their order, as a stable sort.</summary>
    public static Tensor[] Kthvalue(Tensor x, long k, int dim, bool keepdim) =>
        PerSlice(x, dim, keepdim, slice => Sorted(slice)[(int)(k - 1)]);

    /// <summary>
    /// The most frequent value of each slice (the smallest of equally frequent ones) and the index of its last
    /// occurrence, as ATen's CPU kernel answers.
    /// </summary>
    public static Tensor[] Mode(Tensor x, int dim, bool keepdim) => PerSlice(x, dim, keepdim, slice =>
    {
        var sorted = Sorted(slice);
        (double Value, long Index) best = sorted[0];
        int bestCount = 0;
        for (int start = 0; start < sorted.Length;)
        {
            int end = start;
            while (end + 1 < sorted.Length && sorted[end + 1].Value.Equals(sorted[start].Value)) end++;
            if (end - start + 1 > bestCount)
            {
                bestCount = end - start + 1;
                best = (sorted[start].Value, sorted.Skip(start).Take(bestCount).Max(p => p.Index));
            }
            start = end + 1;
        }
        return best;
    });

    /// <summary>The lower middle of each slice's numbers, NaNs left out (NaN, index 0, for a slice of only NaNs).</summary>
    public static Tensor[] Nanmedian(Tensor x, int dim, bool keepdim) => PerSlice(x, dim, keepdim, slice =>
    {
        var numbers = Sorted(slice).Where(p => !double.IsNaN(p.Value)).ToArray();
        return numbers.Length == 0 ? (double.NaN, 0) : numbers[(numbers.Length - 1) / 2];
    });

    // (value, index) pairs in ascending order, NaN last, ties by index.
    private static (double Value, long Index)[] Sorted(ReadOnlySpan<double> slice)
    {
        var pairs = new (double Value, long Index)[slice.Length];
        for (int i = 0; i < slice.Length; i++) pairs[i] = (slice[i], i);
        Array.Sort(pairs, (p, q) =>
        {
            bool pNan = double.IsNaN(p.Value), qNan = double.IsNaN(q.Value);
            int byValue = pNan || qNan ? pNan.CompareTo(qNan) : p.Value.CompareTo(q.Value);
            return byValue != 0 ? byValue : p.Index.CompareTo(q.Index);
        });
        return pairs;
    }

    private delegate (double Value, long Index) SlicePick(ReadOnlySpan<double> slice);

    private static Tensor[] PerSlice(Tensor x, int dim, bool keepdim, SlicePick pick)
    {
        var sizes = x.Sizes;
        if (sizes.Length == 0) sizes = [1];
        long length = sizes[dim];
        long inner = 1;
        for (int d = dim + 1; d < sizes.Length; d++) inner *= sizes[d];
        long outer = length == 0 ? 0 : sizes.Aggregate(1L, (p, s) => p * s) / (length * inner);
        var values = new double[outer * inner];
        var indices = new long[outer * inner];
        var data = x.ToArray<double>();
        var slice = new double[length];
        for (long o = 0; o < outer; o++)
            for (long i = 0; i < inner; i++)
            {
                for (long j = 0; j < length; j++) slice[j] = data[(o * length + j) * inner + i];
                (values[o * inner + i], indices[o * inner + i]) = pick(slice);
            }
        var shape = x.Sizes.Length == 0 ? []
            : keepdim ? sizes.Select((s, d) => d == dim ? 1 : s).ToArray()
            : sizes.Where((_, d) => d != dim).ToArray();
        return [Eager.Wrap(values, shape, x.DType), Eager.Wrap(indices, shape, DType.Int64)];
    }
}

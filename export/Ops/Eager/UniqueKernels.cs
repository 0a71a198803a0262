namespace Graphport.Operators;

/// <summary>
/// Eager kernels of the ops whose result size is the data's (unique, unique along a dim, unique_consecutive,
/// bincount). Integer tensors compare as long (exactly), floating ones as double; values come back in the input's
/// dtype, inverse indices and counts as int64.
/// </summary>
internal static class UniqueKernels
{
    /// <summary>_unique2: the distinct elements ascending; per element the index of its value; per value how many.</summary>
    public static Tensor[] Unique(Tensor self, bool returnInverse, bool returnCounts)
    {
        var keys = Keys(self);
        var order = Enumerable.Range(0, keys.Length).OrderBy(i => keys[i], Comparer<double>.Create(CompareNumbers)).ToArray();
        var values = new List<int>();
        var inverse = new long[keys.Length];
        var counts = new List<long>();
        for (int k = 0; k < order.Length; k++)
        {
            if (k == 0 || CompareNumbers(keys[order[k]], keys[order[k - 1]]) != 0)
            {
                values.Add(order[k]);
                counts.Add(0);
            }
            inverse[order[k]] = values.Count - 1;
            counts[^1]++;
        }
        return [Flat(self).IndexSelect(0, Longs([.. values.Select(v => (long)v)])), returnInverse ? Longs(inverse, self.Sizes) : Longs([]), returnCounts ? Longs([.. counts]) : Longs([])];
    }

    /// <summary>unique_consecutive: runs of equal elements collapsed to one (of the flattened tensor).</summary>
    public static Tensor[] UniqueConsecutive(Tensor self, bool returnInverse, bool returnCounts)
    {
        var keys = Keys(self);
        var starts = new List<long>();
        var inverse = new long[keys.Length];
        var counts = new List<long>();
        for (int i = 0; i < keys.Length; i++)
        {
            if (i == 0 || CompareNumbers(keys[i], keys[i - 1]) != 0)
            {
                starts.Add(i);
                counts.Add(0);
            }
            inverse[i] = starts.Count - 1;
            counts[^1]++;
        }
        return [Flat(self).IndexSelect(0, Longs([.. starts])), returnInverse ? Longs(inverse, self.Sizes) : Longs([]), returnCounts ? Longs([.. counts]) : Longs([])];
    }

    /// <summary>
    /// unique_dim (and unique_consecutive with a dim): the distinct slices along dim, in lexicographic order (or in
    /// their order, runs collapsed, when consecutive).
    /// </summary>
    public static Tensor[] UniqueSlices(Tensor self, int dim, bool consecutive, bool returnInverse, bool returnCounts)
    {
        long n = self.Sizes[dim];
        var rows = Keys(self.Movedim(dim, 0).Contiguous());
        int width = n == 0 ? 0 : (int)(rows.Length / n);
        int CompareRows(long p, long q)
        {
            for (int j = 0; j < width; j++)
            {
                int c = CompareNumbers(rows[p * width + j], rows[q * width + j]);
                if (c != 0) return c;
            }
            return 0;
        }
        var order = Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray();
        if (!consecutive) order = [.. order.OrderBy(i => i, Comparer<long>.Create(CompareRows))];
        var picked = new List<long>();
        var inverse = new long[n];
        var counts = new List<long>();
        for (int k = 0; k < order.Length; k++)
        {
            if (k == 0 || CompareRows(order[k], order[k - 1]) != 0)
            {
                picked.Add(order[k]);
                counts.Add(0);
            }
            inverse[order[k]] = picked.Count - 1;
            counts[^1]++;
        }
        return [self.IndexSelect(dim, Longs([.. picked])), returnInverse ? Longs(inverse) : Longs([]), returnCounts ? Longs([.. counts]) : Longs([])];
    }

    /// <summary>bincount: per value 0 … max(max + 1, minlength) - 1 its count (or sum of weights).</summary>
    public static Tensor Bincount(Tensor self, Tensor? weights, long minlength)
    {
        var values = self.ToArray<long>();
        if (values.Any(v => v < 0)) throw new ArgumentException("bincount only supports 1-d non-negative integral inputs; got a negative value.");
        long length = Math.Max(values.Length == 0 ? 0 : values.Max() + 1, minlength);
        if (weights is null)
        {
            var counts = new long[length];
            foreach (var v in values) counts[v]++;
            return Longs(counts);
        }
        var w = weights.ToArray<double>();
        var sums = new double[length];
        for (int i = 0; i < values.Length; i++) sums[values[i]] += w[i];
        return Eager.Wrap(sums, [length], weights.DType.IsFloatingPoint() ? weights.DType : DType.Float64);
    }

    // NaN after every number and equal to NaN, so sorting and run detection are total orders.
    private static int CompareNumbers(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.IsNaN(a).CompareTo(double.IsNaN(b)) : a.CompareTo(b);

    // int64 values beyond 2^53 would collide as doubles: integers are ranked as longs and compared by rank.
    private static double[] Keys(Tensor t)
    {
        if (t.DType.IsFloatingPoint()) return t.ToArray<double>();
        var longs = t.ToArray<long>();
        var ranks = longs.Distinct().Order().Select((v, i) => (v, i)).ToDictionary(p => p.v, p => (double)p.i);
        return [.. longs.Select(v => ranks[v])];
    }

    private static Tensor Flat(Tensor t) => t.Reshape(-1);

    private static Tensor Longs(long[] data, long[]? shape = null) => Eager.Wrap(data, shape ?? [data.Length], DType.Int64);
}

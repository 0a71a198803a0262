namespace Graphport.Cpu;

/// <summary>Shape arithmetic and argument checks shared by the kernels.</summary>
public static class ShapeMath
{
    public static long Numel(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (long s in shape) n *= s;
        return n;
    }

    public static long[] ContiguousStrides(ReadOnlySpan<long> shape)
    {
        var strides = new long[shape.Length];
        long acc = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = acc;
            acc *= Math.Max(shape[d], 1);
        }
        return strides;
    }

    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>Maps a possibly negative dim into [0, rank), naming <paramref name="argument"/> when it is out of range.</summary>
    public static int NormalizeDim(int dim, int rank, string argument)
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
            throw new ArgumentException($"dim {dim} is out of range for a tensor of rank {rank}; expected -{r} <= {argument} < {r}", argument);
        return dim < 0 ? dim + r : dim;
    }

    public static void CheckPermutation(int[] perm, int rank, string kernel)
    {
        if (perm.Length != rank)
            throw new ArgumentException($"{kernel}: permutation has {perm.Length} entries but the layout has rank {rank}; expected {rank}", nameof(perm));
        var seen = new bool[rank];
        foreach (int p in perm)
        {
            if (p < 0 || p >= rank || seen[p])
                throw new ArgumentException($"{kernel}: permutation [{string.Join(", ", perm)}] is not a permutation of 0..{rank - 1}; expected each dim exactly once", nameof(perm));
            seen[p] = true;
        }
    }

    /// <summary>Numpy/torch broadcast of two shapes (aligned at the trailing dim).</summary>
    public static long[] BroadcastShapes(ReadOnlySpan<long> a, ReadOnlySpan<long> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            long db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"shapes {Format(a)} and {Format(b)} are not broadcastable: size {da} vs {db} at dim {i}; expected equal sizes or 1", nameof(b));
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Normalizes a set of reduction dims (empty means all) into a sorted, duplicate-free mask.</summary>
    public static bool[] DimMask(ReadOnlySpan<int> dims, int rank, string kernel)
    {
        var mask = new bool[rank];
        if (dims.Length == 0)
        {
            Array.Fill(mask, true);
            return mask;
        }
        foreach (int d0 in dims)
        {
            int d = NormalizeDim(d0, rank, "dim");
            if (mask[d])
                throw new ArgumentException($"{kernel}: dim {d0} appears more than once in dims [{string.Join(", ", dims.ToArray())}]; expected distinct dims", "dims");
            mask[d] = true;
        }
        return mask;
    }

    internal static int ToInt(long value, string kernel, string argument)
    {
        if (value > int.MaxValue || value < int.MinValue)
            throw new ArgumentException($"{kernel}: {argument} = {value} does not fit in 32 bits; expected at most {int.MaxValue}", argument);
        return (int)value;
    }

    internal static void CheckLength(long actual, long expected, string kernel, string argument)
    {
        if (actual < expected)
            throw new ArgumentException($"{kernel}: {argument} has {actual} elements; expected at least {expected}", argument);
    }

    internal static void CheckSameShape(long[] expected, long[] actual, string kernel, string argument)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
            throw new ArgumentException($"{kernel}: {argument} has shape {Format(actual)}; expected shape {Format(expected)} (broadcast inputs must be expanded to the output shape)", argument);
    }
}

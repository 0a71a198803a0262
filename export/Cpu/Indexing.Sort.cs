using System.Numerics;

namespace Graphport.Cpu;

public static partial class Indexing
{
    /// <summary>Stable sort along <paramref name="dim"/>: equal values keep their order; NaN sorts above +inf (last ascending, first descending).</summary>
    public static (Dense<T> Values, Dense<long> Indices) Sort<T>(T[] x, StridedLayout layout, int dim, bool descending) where T : unmanaged, INumber<T>
        => SortCore(x, layout, dim, descending, -1, "Indexing.Sort");

    /// <summary>The k largest (or smallest) entries along <paramref name="dim"/>, in sorted order, with their indices.</summary>
    public static (Dense<T> Values, Dense<long> Indices) Topk<T>(T[] x, StridedLayout layout, long k, int dim, bool largest) where T : unmanaged, INumber<T>
    {
        layout.Validate(x.Length, "Indexing.Topk", "input");
        int d = ShapeMath.NormalizeDim(dim, layout.Rank, nameof(dim));
        long size = layout.Rank == 0 ? 1 : layout.Shape[d];
        if (k < 0 || k > size)
            throw new ArgumentException($"Indexing.Topk: k = {k} is out of range for dim {d} of size {size}; expected 0 <= k <= {size}", nameof(k));
        return SortCore(x, layout, dim, largest, k, "Indexing.Topk");
    }

    private readonly struct Keyed<T>(T value, long index)
    {
        public readonly T Value = value;
        public readonly long Index = index;
    }

    /// <summary>Orders by value (NaN greatest), ties by original position, so an unstable sort yields the stable order.</summary>
    private readonly struct KeyedComparer<T>(bool descending) : IComparer<Keyed<T>> where T : INumber<T>
    {
        public int Compare(Keyed<T> a, Keyed<T> b)
        {
            int c = CompareValues(a.Value, b.Value);
            if (descending) c = -c;
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        }

        private static int CompareValues(T a, T b)
        {
            bool na = T.IsNaN(a), nb = T.IsNaN(b);
            if (na || nb) return na == nb ? 0 : na ? 1 : -1;
            return a < b ? -1 : a > b ? 1 : 0;
        }
    }

    private static (Dense<T>, Dense<long>) SortCore<T>(T[] x, StridedLayout layout, int dim, bool descending, long take, string k) where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        layout.Validate(x.Length, k, "input");
        int rank = layout.Rank;
        var view = rank == 0 ? layout.Unsqueeze(0) : layout;
        int d = ShapeMath.NormalizeDim(dim, view.Rank, nameof(dim));
        // Move dim last so every row to sort is contiguous.
        var perm = Enumerable.Range(0, view.Rank).Where(i => i != d).Append(d).ToArray();
        var moved = view.Permute(perm);
        var rows = StridedCopy.ToContiguous(x, moved);
        int n = (int)view.Shape[d];
        int kept = take < 0 ? n : (int)take;
        long rowCount = n == 0 ? ShapeMath.Numel(moved.Shape.AsSpan(0, moved.Rank - 1)) : rows.Length / n;
        var vals = new T[rowCount * kept];
        var idxs = new long[rowCount * kept];
        var comparer = new KeyedComparer<T>(descending);
        CpuParallel.For(rowCount, n * Math.Log2(n + 2) * 4, (r0, r1) =>
        {
            var keyed = new Keyed<T>[n];
            for (long r = r0; r < r1; r++)
            {
                for (int i = 0; i < n; i++) keyed[i] = new Keyed<T>(rows[r * n + i], i);
                keyed.AsSpan().Sort(comparer);
                for (int i = 0; i < kept; i++)
                {
                    vals[r * kept + i] = keyed[i].Value;
                    idxs[r * kept + i] = keyed[i].Index;
                }
            }
        });
        // Move the sorted dim back to its place.
        var movedShape = moved.Shape[..^1].Append(kept).ToArray();
        var inverse = new int[view.Rank];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        var back = StridedLayout.Contiguous(movedShape).Permute(inverse);
        var outShape = rank == 0 ? Array.Empty<long>() : back.Shape;
        var v = StridedCopy.ToContiguous(vals, back);
        var ix = StridedCopy.ToContiguous(idxs, back);
        return (new Dense<T>(v, outShape), new Dense<long>(ix, (long[])outShape.Clone()));
    }
}

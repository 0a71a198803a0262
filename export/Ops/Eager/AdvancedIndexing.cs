namespace Graphport.Operators;

/// <summary>
/// torch's advanced indexing (x[idx0, None, idx2], boolean masks) resolved on real tensors into the storage offset of
/// every selected element. index.Tensor gathers at those offsets; index_put scatters at them.
/// </summary>
internal static class AdvancedIndexing
{
    /// <summary>The selected elements of a tensor of <paramref name="sizes"/>/<paramref name="strides"/>: result shape and storage offsets.</summary>
    public static (long[] Shape, long[] Offsets) Resolve(long[] sizes, long[] strides, long offset, Tensor?[] indices)
    {
        var perDim = ExpandMasks(sizes, indices);
        int rank = sizes.Length;
        var indexedDims = Enumerable.Range(0, perDim.Count).Where(d => perDim[d] is not null).ToArray();
        if (indexedDims.Length == 0)
            return (sizes, SubOffsets(sizes, strides, Enumerable.Range(0, rank).ToArray()).Select(o => o + offset).ToArray());
        var broadcast = ShapeRules.Broadcast(indexedDims.Select(d => (IReadOnlyList<SymInt>)perDim[d]!.Shape.AsArray())).Select(s => (long)s).ToArray();
        long nb = Numel(broadcast);
        // Each indexed dim's indices expanded to the broadcast shape, wrapped and bounds-checked, times its stride.
        var indexOffsets = new long[nb];
        foreach (var d in indexedDims)
        {
            var idx = perDim[d]!;
            var (data, layout) = Eager.As<long>(idx);
            var expanded = Cpu.StridedCopy.ToContiguous(data, layout.BroadcastTo(broadcast));
            for (long b = 0; b < nb; b++)
            {
                long i = expanded[b];
                if (i < -sizes[d] || i >= sizes[d])
                    throw new IndexValueException($"index {i} is out of bounds for dimension {d} with size {sizes[d]}");
                indexOffsets[b] += (i < 0 ? i + sizes[d] : i) * strides[d];
            }
        }
        bool adjacent = indexedDims[^1] - indexedDims[0] == indexedDims.Length - 1;
        var plain = Enumerable.Range(0, rank).Where(d => d >= perDim.Count || perDim[d] is null).ToArray();
        // Adjacent indexed dims keep their place (pre dims, then the broadcast index dims, then post dims);
        // separated ones move to the front, as torch (and NumPy) do.
        var pre = adjacent ? plain.Where(d => d < indexedDims[0]).ToArray() : [];
        var post = adjacent ? plain.Where(d => d > indexedDims[^1]).ToArray() : plain;
        var preOffsets = SubOffsets(sizes, strides, pre);
        var postOffsets = SubOffsets(sizes, strides, post);
        var shape = pre.Select(d => sizes[d]).Concat(broadcast).Concat(post.Select(d => sizes[d])).ToArray();
        var offsets = new long[preOffsets.LongLength * nb * postOffsets.LongLength];
        long n = 0;
        foreach (var p in preOffsets)
            for (long b = 0; b < nb; b++)
                foreach (var q in postOffsets)
                    offsets[n++] = offset + p + indexOffsets[b] + q;
        return (shape, offsets);
    }

    private static long Numel(long[] shape) => shape.Aggregate(1L, (x, y) => x * y);

    /// <summary>Offsets (relative) of every element of the sub-array spanned by <paramref name="dims"/>, row-major.</summary>
    private static long[] SubOffsets(long[] sizes, long[] strides, int[] dims)
    {
        var subSizes = dims.Select(d => sizes[d]).ToArray();
        var subStrides = dims.Select(d => strides[d]).ToArray();
        var result = new long[Numel(subSizes)];
        var index = new long[dims.Length];
        for (long n = 0; n < result.LongLength; n++)
        {
            long o = 0;
            for (int k = 0; k < dims.Length; k++) o += index[k] * subStrides[k];
            result[n] = o;
            StridedLoops.Increment(index, subSizes);
        }
        return result;
    }

    /// <summary>One entry per self dim: a long index tensor or null. A k-dim boolean mask becomes k long tensors (its nonzero coordinates).</summary>
    private static List<Tensor?> ExpandMasks(long[] sizes, Tensor?[] indices)
    {
        var result = new List<Tensor?>();
        foreach (var index in indices)
        {
            if (index is null)
            {
                result.Add(null);
                continue;
            }
            if (index.DType is DType.Bool or DType.UInt8)
            {
                if (index.Ndim == 0) throw new NotSupportedException("Indexing with a 0-dimensional boolean mask (x[True]) is not supported; use Unsqueeze.");
                int start = result.Count;
                for (int k = 0; k < index.Ndim; k++)
                    if (start + k >= sizes.Length || index.Sizes[k] != sizes[start + k])
                        throw new IndexOutOfRangeException($"The shape of the mask [{string.Join(", ", index.Sizes)}] at index {k} does not match the shape of the indexed tensor [{string.Join(", ", sizes)}] at index {start + k}");
                var coordinates = (Tensor)Aten.Nonzero.Kernel!([index.DType == DType.Bool ? index : index.To(DType.Bool)])!;
                for (int k = 0; k < index.Ndim; k++) result.Add(Aten.Call(Aten.Select, coordinates, 1L, (long)k));
                continue;
            }
            result.Add(index);
        }
        if (result.Count > sizes.Length)
            throw new IndexOutOfRangeException($"too many indices for tensor of dimension {sizes.Length} (got {result.Count})");
        return result;
    }
}

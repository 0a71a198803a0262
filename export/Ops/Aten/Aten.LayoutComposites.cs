using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Rearrangements torch's export keeps as single nodes (repeat_interleave by a number, tensor_split, movedim,
/// swapaxes, rot90, fliplr, flipud, channel_shuffle, meshgrid, broadcast_tensors) and index_add, in core views, copies and scatters.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload RepeatInterleaveSelfInt = Composite("repeat_interleave.self_int(Tensor self, SymInt repeats, int? dim=None, *, SymInt? output_size=None) -> Tensor", RepeatInterleaveSelfIntBody);
    public static readonly OpOverload TensorSplitSections = Composite("tensor_split.sections(Tensor(a -> *) self, SymInt sections, int dim=0) -> Tensor(a)[]", TensorSplitSectionsBody);
    public static readonly OpOverload TensorSplitIndices = Composite("tensor_split.indices(Tensor(a -> *) self, SymInt[] indices, int dim=0) -> Tensor(a)[]", TensorSplitIndicesBody);
    public static readonly OpOverload MovedimInt = Composite("movedim.int(Tensor(a) self, int source, int destination) -> Tensor(a)", MovedimIntBody);
    public static readonly OpOverload MovedimIntList = Composite("movedim.intlist(Tensor(a) self, int[] source, int[] destination) -> Tensor(a)", MovedimIntListBody);
    public static readonly OpOverload Swapaxes = Composite("swapaxes(Tensor(a) self, int axis0, int axis1) -> Tensor(a)", SwapaxesBody);
    public static readonly OpOverload Rot90 = Composite("rot90(Tensor self, int k=1, int[] dims=[0,1]) -> Tensor", Rot90Body);
    public static readonly OpOverload Fliplr = Composite("fliplr(Tensor self) -> Tensor", FliplrBody);
    public static readonly OpOverload Flipud = Composite("flipud(Tensor self) -> Tensor", FlipudBody);
    public static readonly OpOverload ChannelShuffle = Composite("channel_shuffle(Tensor self, SymInt groups) -> Tensor", ChannelShuffleBody);
    public static readonly OpOverload Meshgrid = Composite("meshgrid(Tensor[] tensors) -> Tensor[]", MeshgridBody);
    public static readonly OpOverload MeshgridIndexing = Composite("meshgrid.indexing(Tensor[] tensors, *, str indexing) -> Tensor[]", MeshgridIndexingBody);
    public static readonly OpOverload BroadcastTensors = Composite("broadcast_tensors(Tensor[] tensors) -> Tensor[]", BroadcastTensorsBody);
    public static readonly OpOverload IndexAdd = Composite("index_add(Tensor self, int dim, Tensor index, Tensor source, *, Scalar alpha=1) -> Tensor", IndexAddBody);

    // Each element repeated in place along dim (the flattened tensor when dim is null): a new axis after dim expanded
    // to the count, then folded into dim. Grouped-query attention repeats its key and value heads this way.
    private static object? RepeatInterleaveSelfIntBody(object?[] a)
    {
        var self = T0(a);
        if (a[2] is null) self = Call(Reshape, self, new SymInt[] { -1 });
        int dim = ShapeRules.WrapDim(a[2] is null ? 0 : L(a[2]), self.Ndim);
        var repeats = S(a[1]);
        if (repeats.AsConstant is < 0) throw new ArgumentException("repeat_interleave: repeats can not be negative");
        var spread = self.Shape.AsArray().ToList();
        spread.Insert(dim + 1, repeats);
        var expanded = Call(Expand, Call(Unsqueeze, self, (long)(dim + 1)), spread.ToArray());
        var shape = self.Shape.AsArray().ToArray();  // a copy: AsArray is the tensor's own
        shape[dim] = shape[dim] * repeats;
        return Call(Reshape, expanded, shape);
    }

    // sections pieces: the first size % sections of them one longer.
    private static object? TensorSplitSectionsBody(object?[] a)
    {
        var self = T0(a);
        int dim = ShapeRules.WrapDim(L(a[2]), self.Ndim);
        long sections = L(a[1]);
        if (sections <= 0) throw new ArgumentException($"number of sections must be larger than 0, got {sections}");
        long size = (long)self.Shape[dim], quotient = size / sections, remainder = size % sections;
        var pieces = new Tensor[sections];
        long start = 0;
        for (long i = 0; i < sections; i++)
        {
            long length = quotient + (i < remainder ? 1 : 0);
            pieces[i] = Call(Slice, self, (long)dim, start, start + length, 1L);
            start += length;
        }
        return pieces;
    }

    // Pieces between consecutive indices (clamped to the size), as numpy's array_split cuts.
    private static object? TensorSplitIndicesBody(object?[] a)
    {
        var self = T0(a);
        int dim = ShapeRules.WrapDim(L(a[2]), self.Ndim);
        long size = (long)self.Shape[dim];
        var cuts = Ls(a[1]).Select(i => Math.Clamp(i < 0 ? i + size : i, 0, size)).ToList();
        var pieces = new List<Tensor>();
        long start = 0;
        foreach (var cut in cuts.Append(size))
        {
            long end = Math.Max(cut, start);
            pieces.Add(Call(Slice, self, (long)dim, start, end, 1L));
            start = end;
        }
        return pieces.ToArray();
    }

    private static object? MovedimIntBody(object?[] a) => Moved(T0(a), [L(a[1])], [L(a[2])]);

    private static object? MovedimIntListBody(object?[] a) => Moved(T0(a), Longs(a[1]), Longs(a[2]));

    private static long[] Longs(object? list) => list switch
    {
        long[] l => l,
        SymInt[] s => s.Select(x => (long)x).ToArray(),
        _ => [L(list)],
    };

    // The permute that puts each source dim at its destination and the others, in order, in the places left.
    private static Tensor Moved(Tensor self, long[] source, long[] destination)
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"movedim: Invalid source or destination dims: source ({source.Length} dims) should contain the same number of dims as destination ({destination.Length} dims)");
        int rank = self.Ndim;
        var from = source.Select(d => ShapeRules.WrapDim(d, rank)).ToArray();
        var to = destination.Select(d => ShapeRules.WrapDim(d, rank)).ToArray();
        if (from.Distinct().Count() != from.Length || to.Distinct().Count() != to.Length)
            throw new ArgumentException("movedim: repeated dim in `source` or `destination`");
        var order = new long[rank];
        Array.Fill(order, -1);
        for (int i = 0; i < from.Length; i++) order[to[i]] = from[i];
        var rest = Enumerable.Range(0, rank).Where(d => !from.Contains(d)).GetEnumerator();
        for (int i = 0; i < rank; i++)
            if (order[i] < 0 && rest.MoveNext()) order[i] = rest.Current;
        return Call(Permute, self, order);
    }

    private static object? SwapaxesBody(object?[] a) => Call(Transpose, a[0], a[1], a[2]);

    // Counter-clockwise quarter turns in the plane of dims, from the first dim towards the second, as numpy's rot90.
    private static object? Rot90Body(object?[] a)
    {
        var self = T0(a);
        var dims = Longs(a[2]);
        if (dims.Length != 2) throw new ArgumentException($"expected total rotation dims == 2, but got dims = {dims.Length}");
        long d0 = ShapeRules.WrapDim(dims[0], self.Ndim), d1 = ShapeRules.WrapDim(dims[1], self.Ndim);
        if (d0 == d1) throw new ArgumentException($"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}");
        long k = ((L(a[1]) % 4) + 4) % 4;
        return k switch
        {
            1 => Call(Transpose, Call(Flip, self, new[] { d1 }), d0, d1),
            2 => Call(Flip, self, new[] { d0, d1 }),
            3 => Call(Transpose, Call(Flip, self, new[] { d0 }), d0, d1),
            _ => Call(Clone, self),
        };
    }

    private static object? FliplrBody(object?[] a)
    {
        if (T0(a).Ndim < 2) throw new ArgumentException("Input must be >= 2-d.");
        return Call(Flip, a[0], new[] { 1L });
    }

    private static object? FlipudBody(object?[] a)
    {
        if (T0(a).Ndim < 1) throw new ArgumentException("Input must be >= 1-d.");
        return Call(Flip, a[0], new[] { 0L });
    }

    // [n, c, ...] seen as [n, groups, c / groups, ...], the two group dims swapped, folded back.
    private static object? ChannelShuffleBody(object?[] a)
    {
        var self = T0(a);
        var groups = S(a[1]);
        var shape = self.Shape.AsArray().ToArray();
        if (self.Ndim < 3) throw new ArgumentException($"channel_shuffle expects input to have at least 3 dimensions, but got input with sizes [{string.Join(", ", shape)}]");
        if (groups.AsConstant is long g && (g <= 0 || shape[1].AsConstant is long c && c % g != 0))
            throw new ArgumentException($"Number of channels must be divisible by groups. Got {shape[1]} channels and {groups} groups.");
        SymInt[] grouped = [shape[0], groups, shape[1] / groups, .. shape[2..]];
        return Call(Reshape, Call(Transpose, Call(Reshape, self, grouped), 1L, 2L), shape);
    }

    // Each tensor expanded to the shape they broadcast to, unless it has that shape already (ATen's expand_outplace).
    private static object? BroadcastTensorsBody(object?[] a)
    {
        var tensors = (Tensor[])a[0]!;
        var shape = ShapeRules.Broadcast(tensors.Select(t => (IReadOnlyList<SymInt>)t.Shape.AsArray()));
        return tensors.Select(t => ShapeRules.SameSizes(t.Shape.AsArray(), shape) ? t : Call(Expand, t, shape)).ToArray();
    }

    private static object? MeshgridBody(object?[] a) => Grids((Tensor[])a[0]!, "ij");

    private static object? MeshgridIndexingBody(object?[] a) => Grids((Tensor[])a[0]!, (string)a[1]!);

    // Each input (0-d or 1-d) viewed along its own axis and expanded to the grid; "xy" swaps the first two axes.
    private static Tensor[] Grids(Tensor[] tensors, string indexing)
    {
        if (indexing is not ("ij" or "xy")) throw new ArgumentException($"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}");
        if (tensors.Length == 0) throw new ArgumentException("torch.meshgrid expects a non-empty TensorList");
        var ordered = tensors.ToArray();
        bool swap = indexing == "xy" && ordered.Length >= 2;
        if (swap) (ordered[0], ordered[1]) = (ordered[1], ordered[0]);
        var shape = ordered.Select(t => t.Ndim switch
        {
            0 => (SymInt)1,
            1 => t.Shape[0],
            _ => throw new ArgumentException($"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t.Ndim}D"),
        }).ToArray();
        var grids = ordered.Select((t, i) =>
        {
            var axis = Enumerable.Repeat((SymInt)1, shape.Length).ToArray();
            axis[i] = -1;
            return Call(Expand, Call(Reshape, t, axis), shape);
        }).ToArray();
        if (swap) (grids[0], grids[1]) = (grids[1], grids[0]);
        return grids;
    }

    // self with alpha · source added at index along dim: a scatter_add whose index is the given one spread over source.
    private static object? IndexAddBody(object?[] a)
    {
        var self = T0(a);
        var source = Tn(a, 3);
        var index = Tn(a, 2);
        int dim = ShapeRules.WrapDim(L(a[1]), Math.Max(self.Ndim, 1));
        if (index.Ndim > 1) throw new ArgumentException("index_add_(): Index is supposed to be a vector");
        var along = Enumerable.Repeat((SymInt)1, Math.Max(source.Ndim, 1)).ToArray();
        along[dim] = -1;
        var spread = Call(Expand, Call(Reshape, index, along), source.Ndim == 0 ? [(SymInt)1] : source.Shape.AsArray().ToArray());
        var values = Scaled(source, a[4]);
        return Call(ScatterAdd, self, (long)dim, spread, source.Ndim == 0 ? Call(Reshape, values, new SymInt[] { 1 }) : values);
    }
}

using Graphport.Cpu;
using Graphport.Operators;
using Graphport.Tracing;

namespace Graphport;

/// <summary>
/// Core ATen ops about layout and shape: flip, repeat, split_with_sizes (a multi-output view) and the size
/// queries sym_numel / sym_stride / sym_storage_offset / sym_is_contiguous that return SymInt or SymBool.
/// </summary>
internal static partial class Aten
{
    private static int[] UniqueDims(string op, long[] dims, int rank)
    {
        var wrapped = dims.Select(d => ShapeRules.WrapDim(d, rank)).ToArray();
        if (wrapped.Distinct().Count() != wrapped.Length) throw new ArgumentException($"{op}: dims has duplicates, original flip dims size={dims.Length}, but unique flip dims size={wrapped.Distinct().Count()}");
        return wrapped;
    }

    public static readonly OpOverload Flip = Def("flip(Tensor self, int[] dims) -> Tensor", meta: a =>
    {
        UniqueDims("flip", Ls(a[1]), T0(a).Ndim);
        return new TensorMeta(T0(a).DType, T0(a).Shape.AsArray());
    }, kernel: a =>
    {
        var self = T0(a);
        var layout = Eager.LayoutOf(self);
        var dims = UniqueDims("flip", Ls(a[1]), self.Ndim);
        // A 0-dim tensor flips along dim 0 or -1 to itself.
        if (self.Ndim > 0) foreach (var d in dims) layout = layout.Flip(d);
        return Eager.Materialize(self, layout);
    }, tags: "core");

    public static readonly OpOverload Repeat = Def("repeat(Tensor self, SymInt[] repeats) -> Tensor", meta: a =>
    {
        var self = T0(a);
        var repeats = Ss(a[1]);
        if (repeats.Length < self.Ndim)
            throw new ArgumentException("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        foreach (var r in repeats)
            if (r.AsConstant is < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {r}: [{string.Join(", ", repeats)}]");
        int lead = repeats.Length - self.Ndim;
        var shape = repeats.Select((r, i) => i < lead ? r : r * self.Shape[i - lead]).ToArray();
        return new TensorMeta(self.DType, shape);
    }, kernel: a =>
    {
        var self = T0(a);
        var repeats = Ls(a[1]);
        int lead = repeats.Length - self.Ndim;
        // Read self through a layout of (repeat, size) pairs, the repeat axis with stride 0; copied out row-major,
        // output index r·size + i along each dim holds self[i].
        var pairedShape = new long[2 * repeats.Length];
        var pairedStrides = new long[2 * repeats.Length];
        for (int i = 0; i < repeats.Length; i++)
        {
            pairedShape[2 * i] = repeats[i];
            pairedShape[2 * i + 1] = i < lead ? 1 : self.Sizes[i - lead];
            pairedStrides[2 * i + 1] = i < lead ? 0 : self.strides[i - lead];
        }
        var copied = Eager.Materialize(self, new StridedLayout(pairedShape, pairedStrides, self.offset));
        var shape = repeats.Select((r, i) => r * pairedShape[2 * i + 1]).ToArray();
        return new Tensor(copied.Storage, shape, Tensor.ContiguousStrides(shape), 0);
    }, tags: "core");

    /// <summary>The layouts of split_with_sizes' outputs: consecutive slices of one dim, sharing self's storage.</summary>
    private static ViewLayout[] SplitLayouts(Tensor self, SymInt[] sizes, long dimArg)
    {
        var l = ViewLayout.Of(self);
        if (l.Rank == 0) throw new ArgumentException("split_with_sizes expects at least a 1-dimensional tensor");
        int dim = ShapeRules.WrapDim(dimArg, l.Rank);
        foreach (var s in sizes)
            if (s.AsConstant is < 0) throw new ArgumentException($"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[{string.Join(", ", sizes)}]");
        SymInt total = 0;
        foreach (var s in sizes) total += s;
        var sumsToSize = total == l.Shape[dim];
        // Sizes read out of the data (a mixture of experts' tokens per expert, GraniteMoE's split) cannot be summed
        // while tracing: as torch._check does, the sum is taken as right and asserted when the program runs.
        if (sumsToSize.AsConstant is null && sumsToSize.Expr.FreeSymbols().Any(s => s.Unbacked) && Tracer.Current?.ShapeEnv is { } env)
            CheckDataDependent(env, sumsToSize);
        else if (!sumsToSize)
            throw new ArgumentException($"split_with_sizes expects split_sizes to sum exactly to {l.Shape[dim].Hint} (input tensor's size at dimension {dim}), but got split_sizes=[{string.Join(", ", sizes)}]");
        var result = new ViewLayout[sizes.Length];
        SymInt start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            var shape = (SymInt[])l.Shape.Clone();
            shape[dim] = sizes[i];
            result[i] = new ViewLayout(shape, l.Strides, l.Offset + start * l.Strides[dim]);
            start += sizes[i];
        }
        return result;
    }

    public static readonly OpOverload SplitWithSizes = Def("split_with_sizes(Tensor(a -> *) self, SymInt[] split_sizes, int dim=0) -> Tensor(a)[]",
        meta: a => SplitLayouts(T0(a), Ss(a[1]), L(a[2])).Select(l => new TensorMeta(T0(a).DType, l.Shape, l.Strides)).ToArray(),
        kernel: a => SplitLayouts(T0(a), Ss(a[1]), L(a[2])).Select(l => new Tensor(T0(a).Storage, Eager.Longs(l.Shape), Eager.Longs(l.Strides), (long)l.Offset)).ToArray(),
        tags: "core");

    public static readonly OpOverload SymNumel = Def("sym_numel(Tensor self) -> SymInt", meta: a => T0(a).Numel(), kernel: a => T0(a).Numel(), tags: "core");

    public static readonly OpOverload SymStride = Def("sym_stride.int(Tensor self, int dim) -> SymInt",
        meta: a => ViewLayout.Of(T0(a)).Strides[ShapeRules.WrapDim(L(a[1]), T0(a).Ndim, allowScalar: false)],
        kernel: a => ViewLayout.Of(T0(a)).Strides[ShapeRules.WrapDim(L(a[1]), T0(a).Ndim, allowScalar: false)],
        tags: "core");

    /// <summary>Traced tensors are laid out from offset 0 of their own storage, so the traced value is 0.</summary>
    public static readonly OpOverload SymStorageOffset = Def("sym_storage_offset(Tensor self) -> SymInt",
        meta: a => ViewLayout.Of(T0(a)).Offset, kernel: a => ViewLayout.Of(T0(a)).Offset, tags: "core");

    public static readonly OpOverload SymIsContiguous = Def("sym_is_contiguous(Tensor self, MemoryFormat memory_format=contiguous_format) -> SymBool",
        meta: a => IsContiguousAs(T0(a), a[1] as string), kernel: a => IsContiguousAs(T0(a), a[1] as string), tags: "core");

    /// <summary>Row-major contiguity, or channels-last (NHWC order of strides) for a 4-D tensor when asked.</summary>
    private static SymBool IsContiguousAs(Tensor t, string? memoryFormat)
    {
        var l = ViewLayout.Of(t);
        if (memoryFormat is "channels_last" or "torch.channels_last")
        {
            if (l.Rank != 4) return new SymBool(false);
            int[] order = [0, 2, 3, 1];
            var permuted = new ViewLayout(order.Select(i => l.Shape[i]).ToArray(), order.Select(i => l.Strides[i]).ToArray(), l.Offset);
            return new SymBool(permuted.IsContiguous);
        }
        return new SymBool(l.IsContiguous);
    }
}

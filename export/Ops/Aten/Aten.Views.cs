using Graphport.Operators;
using Graphport.Shapes;
using Graphport.Tracing;

namespace Graphport;

/// <summary>View ops: outputs share the input's storage with new sizes/strides; one layout function serves meta and kernel.</summary>
internal static partial class Aten
{
    private static OpOverload ViewOp(string schema, Func<ViewLayout, object?[], ViewLayout> layout, string tags = "core,view")
    {
        return Def(schema,
            meta: args =>
            {
                var t = T0(args);
                var l = layout(ViewLayout.Of(t), args);
                return new TensorMeta(t.DType, l.Shape, l.Strides);
            },
            kernel: args =>
            {
                var t = T0(args);
                var l = layout(ViewLayout.Of(t), args);
                return new Tensor(t.Storage, l.Shape.Select(s => (long)s).ToArray(), l.Strides.Select(s => (long)s).ToArray(), (long)l.Offset);
            },
            tags);
    }

    public static readonly OpOverload T = ViewOp("t(Tensor(a) self) -> Tensor(a)", (l, _) =>
    {
        if (l.Rank > 2) throw new ArgumentException($"t() expects a tensor with <= 2 dimensions, but self is {l.Rank}D");
        return l.Rank < 2 ? l : new ViewLayout([l.Shape[1], l.Shape[0]], [l.Strides[1], l.Strides[0]], l.Offset);
    }, "view");

    public static readonly OpOverload Transpose = ViewOp("transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)", (l, a) =>
    {
        if (l.Rank == 0) return l;
        int d0 = ShapeRules.WrapDim(L(a[1]), l.Rank), d1 = ShapeRules.WrapDim(L(a[2]), l.Rank);
        var shape = (SymInt[])l.Shape.Clone();
        var strides = (SymInt[])l.Strides.Clone();
        (shape[d0], shape[d1]) = (shape[d1], shape[d0]);
        (strides[d0], strides[d1]) = (strides[d1], strides[d0]);
        return new ViewLayout(shape, strides, l.Offset);
    }, "view");

    public static readonly OpOverload Permute = ViewOp("permute(Tensor(a) self, int[] dims) -> Tensor(a)", (l, a) =>
    {
        var dims = Ls(a[1]);
        if (dims.Length != l.Rank)
            throw new ArgumentException($"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {l.Rank} is not equal to len(dims) = {dims.Length}");
        var seen = new bool[l.Rank];
        var shape = new SymInt[l.Rank];
        var strides = new SymInt[l.Rank];
        for (int i = 0; i < dims.Length; i++)
        {
            int d = ShapeRules.WrapDim(dims[i], l.Rank);
            if (seen[d]) throw new ArgumentException($"permute(): duplicate dims are not allowed (dim {d} appears twice in [{string.Join(", ", dims)}])");
            seen[d] = true;
            shape[i] = l.Shape[d];
            strides[i] = l.Strides[d];
        }
        return new ViewLayout(shape, strides, l.Offset);
    });

    public static readonly OpOverload View = ViewOp("view(Tensor(a) self, SymInt[] size) -> Tensor(a)", (l, a) => Reshaped(l, Ss(a[1]), "view"));

    public static readonly OpOverload UnsafeView = Def("_unsafe_view(Tensor self, SymInt[] size) -> Tensor",
        meta: a => new TensorMeta(T0(a).DType, ShapeRules.InferSize(Ss(a[1]), T0(a).Numel(), "_unsafe_view")),
        kernel: a =>
        {
            var t = T0(a);
            var contiguous = t.IsContiguous() ? t : Eager.Contiguous(t);
            var shape = ShapeRules.InferSize(Ss(a[1]), t.Numel(), "_unsafe_view").Select(s => (long)s).ToArray();
            return new Tensor(contiguous.Storage, shape, Tensor.ContiguousStrides(shape), contiguous.offset);
        });

    internal static ViewLayout Reshaped(ViewLayout l, SymInt[] requested, string opName)
    {
        var numel = ShapeRules.Product(l.Shape);
        var shape = ShapeRules.InferSize(requested, numel, opName);
        if (l.IsContiguous) return new ViewLayout(shape, TensorMeta.ContiguousStrides(shape), l.Offset);
        var strides = ComputeViewStrides(l.Shape, l.Strides, shape)
            ?? throw new ArgumentException("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .Reshape(...) instead.");
        return new ViewLayout(shape, strides, l.Offset);
    }

    /// <summary>Strides that let a tensor be seen with a new shape without copying, or null (torch's computeStride).</summary>
    internal static SymInt[]? ComputeViewStrides(SymInt[] oldShape, SymInt[] oldStrides, SymInt[] newShape)
    {
        var newStrides = new SymInt[newShape.Length];
        if (oldShape.Length == 0) return newShape.Select(_ => new SymInt(1)).ToArray();
        var numel = ShapeRules.Product(oldShape);
        if (numel == 0 && oldShape.Length == newShape.Length && oldShape.Zip(newShape).All(p => p.First.Equals(p.Second))) return (SymInt[])oldStrides.Clone();
        if (numel == 0) return TensorMeta.ContiguousStrides(newShape);
        int viewD = newShape.Length - 1;
        SymInt chunkBaseStride = oldStrides[^1];
        SymInt tensorNumel = 1, viewNumel = 1;
        for (int tensorD = oldShape.Length - 1; tensorD >= 0; tensorD--)
        {
            tensorNumel *= oldShape[tensorD];
            if (tensorD == 0 || (!(oldShape[tensorD - 1] == 1) && !(oldStrides[tensorD - 1] == tensorNumel * chunkBaseStride)))
            {
                while (viewD >= 0 && ((viewNumel < tensorNumel) || newShape[viewD] == 1))
                {
                    newStrides[viewD] = viewNumel * chunkBaseStride;
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (!(viewNumel == tensorNumel)) return null;
                if (tensorD > 0)
                {
                    chunkBaseStride = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    public static readonly OpOverload Expand = ViewOp("expand(Tensor(a) self, SymInt[] size, *, bool implicit=False) -> Tensor(a)", (l, a) =>
    {
        var size = Ss(a[1]);
        if (size.Length < l.Rank)
            throw new ArgumentException($"expand(torch.FloatTensor{{[{string.Join(", ", l.Shape)}]}}, size=[{string.Join(", ", size)}]): the number of sizes provided ({size.Length}) must be greater or equal to the number of dimensions in the tensor ({l.Rank})");
        var shape = new SymInt[size.Length];
        var strides = new SymInt[size.Length];
        int lead = size.Length - l.Rank;
        for (int i = size.Length - 1; i >= 0; i--)
        {
            int src = i - lead;
            if (src < 0)
            {
                if (size[i].AsConstant is < 0) throw new ArgumentException($"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}");
                shape[i] = size[i];
                strides[i] = 0;
                continue;
            }
            var have = l.Shape[src];
            var want = size[i].AsConstant == -1 ? have : size[i];
            if (have.Equals(want))
            {
                shape[i] = have;
                strides[i] = l.Strides[src];
            }
            else if (have == 1)
            {
                shape[i] = want;
                strides[i] = 0;
            }
            else if (want == have)
            {
                shape[i] = have;
                strides[i] = l.Strides[src];
            }
            else
            {
                throw new ArgumentException($"The expanded size of the tensor ({want.Hint}) must match the existing size ({have.Hint}) at non-singleton dimension {i}.  Target sizes: [{string.Join(", ", size)}].  Tensor sizes: [{string.Join(", ", l.Shape)}]");
            }
        }
        return new ViewLayout(shape, strides, l.Offset);
    });

    public static readonly OpOverload Slice = ViewOp("slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor(a)", (l, a) =>
    {
        if (l.Rank == 0) throw new ArgumentException("slice() cannot be applied to a 0-dim tensor.");
        int dim = ShapeRules.WrapDim(L(a[1]), l.Rank);
        var size = l.Shape[dim];
        SymInt step = S(a[4]);
        if (!(step > 0)) throw new ArgumentException($"slice step must be positive, got {step}");
        bool endIsNone = a[3] is null || S(a[3]).AsConstant is long e && e >= int.MaxValue;
        if (DataDependent(size) || (a[2] is not null && DataDependent(S(a[2]))) || (!endIsNone && DataDependent(S(a[3]))))
            return DataDependentSlice(l, dim, a[2] is null ? null : S(a[2]), endIsNone ? null : S(a[3]), step);
        SymInt start = a[2] is null ? 0 : S(a[2]);
        SymInt end = endIsNone ? size : S(a[3]);
        if (start.AsConstant is < 0 || (start.IsSymbolic && start < 0)) start += size;
        if (end.AsConstant is < 0 || (end.IsSymbolic && end < 0)) end += size;
        if (start < 0) start = 0;
        else if (start > size) start = size;
        if (end < start) end = start;
        else if (end > size) end = size;
        var length = (end - start + step - 1) / step;
        var shape = (SymInt[])l.Shape.Clone();
        var strides = (SymInt[])l.Strides.Clone();
        shape[dim] = length;
        strides[dim] = l.Strides[dim] * step;
        return new ViewLayout(shape, strides, l.Offset + start * l.Strides[dim]);
    });

    private static bool DataDependent(SymInt s) => s.IsSymbolic && s.Expr.FreeSymbols().Any(a => a.Unbacked);

    /// <summary>
    /// Slicing where the size or a bound comes from tensor data (u0 = y.Item()), as torch's fake slice
    /// (fake_impls.slice_forward): each bound is clamped into [0, size] where the symbols' ranges decide how
    /// (guard_or_false: an undecidable data-dependent comparison counts as false, no guard), and when they cannot,
    /// the length is a fresh data-dependent size u1 with Torch.Check(u1 &gt;= 0) and Torch.Check(u1 &lt;= size), which
    /// give it the range [0, size] and become run-time assertions after the slice.
    /// </summary>
    private static ViewLayout DataDependentSlice(ViewLayout l, int dim, SymInt? start, SymInt? end, SymInt step)
    {
        var size = l.Shape[dim];
        var env = size.Env ?? start?.Env ?? end?.Env ?? Tracer.Current?.ShapeEnv
            ?? throw new InvalidOperationException("slice: a data-dependent bound outside of an export.");
        bool GuardOrFalse(SymBool b) => b.AsConstant ?? env.GuardOrFalse(b.Expr);
        SymInt? Index(SymInt index)
        {
            if (GuardOrFalse((index >= 0) & (index <= size))) return index;
            if (GuardOrFalse((index < 0) & (index >= -size))) return index + size;
            if (GuardOrFalse(index < -size)) return 0;
            if (GuardOrFalse(index > size)) return size;
            if (GuardOrFalse(index >= 0)) return SymInt.Min(index, size);
            if (GuardOrFalse(index < 0)) return SymInt.Max(index + size, 0);
            return null;
        }
        SymInt? startIndex = start is { } s ? Index(s) : 0;
        SymInt? endIndex = end is { } e ? Index(e) : size;
        SymInt? length = null;
        if (startIndex is { } si && endIndex is { } ei)
        {
            if (GuardOrFalse(ei >= si)) length = (ei - si + step - 1) / step;
            else if (GuardOrFalse(si >= ei)) length = 0;
            // Both bounds are known but not their order (Min/Max of data-dependent values): max(end - start, 0).
            else length = (SymInt.Max(ei - si, 0) + step - 1) / step;
        }
        if (length is not { } known)
        {
            known = env.CreateUnbackedSymbol("slice()");
            CheckDataDependent(env, known >= 0);
            CheckDataDependent(env, known <= size);
        }
        var shape = (SymInt[])l.Shape.Clone();
        var strides = (SymInt[])l.Strides.Clone();
        shape[dim] = known;
        strides[dim] = l.Strides[dim] * step;
        // Traced metadata has no storage offset (torch gives an undecidable start a fresh one, u2 >= 0); only the
        // eager kernel, with plain numbers, uses it.
        return new ViewLayout(shape, strides, startIndex is { } offsetStart ? l.Offset + offsetStart * l.Strides[dim] : l.Offset);
    }

    /// <summary>
    /// torch._check on a data-dependent size inside a meta function: taken as true (narrowing ranges) and, unless
    /// the ranges already say so, recorded as a run-time assertion once the size is bound to a node.
    /// </summary>
    private static void CheckDataDependent(ShapeEnv env, SymBool statement)
    {
        if (statement.AsConstant is bool c)
        {
            if (!c) throw new ArgumentException($"Torch.Check failed: {statement} is false.");
            return;
        }
        if (env.TryDecide(statement.Expr) == true) return;
        env.Assume(statement.Expr);
        Tracer.Current?.DeferRuntimeAssert(statement.Expr);
    }

    public static readonly OpOverload Select = ViewOp("select.int(Tensor(a) self, int dim, SymInt index) -> Tensor(a)", (l, a) =>
    {
        if (l.Rank == 0) throw new IndexOutOfRangeException("select() cannot be applied to a 0-dim tensor.");
        int dim = ShapeRules.WrapDim(L(a[1]), l.Rank);
        var size = l.Shape[dim];
        SymInt index = S(a[2]);
        if (index < -size || index >= size)
            throw new IndexOutOfRangeException($"select(): index {index.Hint} out of range for tensor of size [{string.Join(", ", l.Shape)}] at dimension {dim}");
        if (index < 0) index += size;
        var shape = l.Shape.Where((_, i) => i != dim).ToArray();
        var strides = l.Strides.Where((_, i) => i != dim).ToArray();
        return new ViewLayout(shape, strides, l.Offset + index * l.Strides[dim]);
    });

    public static readonly OpOverload Unsqueeze = ViewOp("unsqueeze(Tensor(a) self, int dim) -> Tensor(a)", (l, a) =>
    {
        int dim = ShapeRules.WrapDim(L(a[1]), l.Rank + 1);
        var shape = l.Shape.ToList();
        var strides = l.Strides.ToList();
        SymInt stride = dim >= l.Rank ? 1 : l.Strides[dim] * l.Shape[dim];
        shape.Insert(dim, 1);
        strides.Insert(dim, stride);
        return new ViewLayout([.. shape], [.. strides], l.Offset);
    });

    public static readonly OpOverload SqueezeDims = ViewOp("squeeze.dims(Tensor(a) self, int[] dim) -> Tensor(a)", (l, a) =>
    {
        var dims = Ls(a[1]).Select(d => ShapeRules.WrapDim(d, l.Rank)).ToHashSet();
        return Squeezed(l, i => dims.Contains(i));
    });

    public static readonly OpOverload SqueezeDim = ViewOp("squeeze.dim(Tensor(a) self, int dim) -> Tensor(a)", (l, a) =>
    {
        int dim = ShapeRules.WrapDim(L(a[1]), l.Rank);
        return Squeezed(l, i => i == dim);
    });

    public static readonly OpOverload Squeeze = ViewOp("squeeze(Tensor(a) self) -> Tensor(a)", (l, _) => Squeezed(l, _ => true));

    private static ViewLayout Squeezed(ViewLayout l, Func<int, bool> candidate)
    {
        var shape = new List<SymInt>();
        var strides = new List<SymInt>();
        for (int i = 0; i < l.Rank; i++)
        {
            if (candidate(i) && l.Shape[i] == 1) continue;
            shape.Add(l.Shape[i]);
            strides.Add(l.Strides[i]);
        }
        return new ViewLayout([.. shape], [.. strides], l.Offset);
    }

    public static readonly OpOverload Alias = ViewOp("alias(Tensor(a) self) -> Tensor(a)", (l, _) => l);

    public static readonly OpOverload AsStrided = ViewOp("as_strided(Tensor(a) self, SymInt[] size, SymInt[] stride, SymInt? storage_offset=None) -> Tensor(a)", (l, a) =>
    {
        var size = Ss(a[1]);
        var stride = Ss(a[2]);
        if (size.Length != stride.Length) throw new ArgumentException($"mismatch in length of strides and shape: {size.Length} sizes, {stride.Length} strides");
        return new ViewLayout(size, stride, a[3] is null ? l.Offset : S(a[3]));
    });

    public static readonly OpOverload Diagonal = ViewOp("diagonal(Tensor(a) self, int offset=0, int dim1=0, int dim2=1) -> Tensor(a)", (l, a) =>
    {
        long offset = L(a[1]);
        int d1 = ShapeRules.WrapDim(L(a[2]), l.Rank), d2 = ShapeRules.WrapDim(L(a[3]), l.Rank);
        if (d1 == d2) throw new ArgumentException($"diagonal dimensions cannot be identical {d1}, {d2}");
        SymInt length = offset >= 0 ? SymInt.Min(l.Shape[d1], l.Shape[d2] - offset) : SymInt.Min(l.Shape[d1] + offset, l.Shape[d2]);
        if (length < 0) length = 0;
        SymInt start = offset >= 0 ? l.Offset + offset * l.Strides[d2] : l.Offset - offset * l.Strides[d1];
        var shape = new List<SymInt>();
        var strides = new List<SymInt>();
        for (int i = 0; i < l.Rank; i++)
        {
            if (i == d1 || i == d2) continue;
            shape.Add(l.Shape[i]);
            strides.Add(l.Strides[i]);
        }
        shape.Add(length);
        strides.Add(l.Strides[d1] + l.Strides[d2]);
        return new ViewLayout([.. shape], [.. strides], start);
    });

    public static readonly OpOverload SymSize = Def("sym_size.int(Tensor self, int dim) -> SymInt",
        meta: a => T0(a).Shape[ShapeRules.WrapDim(L(a[1]), T0(a).Ndim)],
        kernel: a => T0(a).Shape[ShapeRules.WrapDim(L(a[1]), T0(a).Ndim)],
        tags: "core");
}

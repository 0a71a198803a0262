using Graphport.Operators;

namespace Graphport;

/// <summary>Copying ops, dtype conversion, and the functional inverses of views (select_scatter, slice_scatter, ...).</summary>
internal static partial class Aten
{
    private static TensorMeta ContiguousLike(Tensor t, DType? dtype = null) => new(dtype ?? t.DType, t.Shape.AsArray());

    /// <summary>
    /// A copy laid out as torch's clone lays it out: memory_format=None (preserve_format) keeps the strides of a
    /// non-overlapping, dense tensor (x.T.clone() is still transposed, so x.T.clone().view(-1) fails as in torch) and
    /// gives any other tensor dense strides in the same dimension order; contiguous_format, channels_last and
    /// channels_last_3d give those layouts. Code that needs row-major memory must ask for contiguous_format.
    /// </summary>
    public static readonly OpOverload Clone = Def("clone(Tensor self, *, MemoryFormat? memory_format=None) -> Tensor",
        meta: a => new TensorMeta(T0(a).DType, T0(a).Shape.AsArray(), MemoryLayout.StridesFor(ViewLayout.Of(T0(a)), a[1])),
        kernel: a =>
        {
            var t = T0(a);
            var sizes = t.Sizes;
            var strides = MemoryLayout.StridesFor(ViewLayout.Of(t), a[1]).Select(s => (long)s).ToArray();
            var result = new Tensor(Storage.Allocate(t.DType, t.NumelLong), sizes, strides, 0);
            Eager.CopyInto(result, t);
            return result;
        },
        tags: "core");

    public static readonly OpOverload ToCopy = Def("_to_copy(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, bool non_blocking=False, MemoryFormat? memory_format=None) -> Tensor",
        meta: a => ContiguousLike(T0(a), (DType?)a[1]),
        kernel: a =>
        {
            var t = T0(a);
            return Eager.ConvertedCopy(t, (DType?)a[1] ?? t.DType);
        },
        tags: "core");

    public static readonly OpOverload Copy = Def("copy(Tensor self, Tensor src, bool non_blocking=False) -> Tensor",
        meta: a =>
        {
            var self = T0(a);
            ShapeRules.Broadcast(self.Shape.AsArray(), Tn(a, 1).Shape.AsArray());
            return ContiguousLike(self);
        },
        kernel: a =>
        {
            var result = Eager.Allocate(ContiguousLike(T0(a)));
            Eager.CopyInto(result, Tn(a, 1));
            return result;
        },
        tags: "core");

    public static readonly OpOverload Copy_ = InPlace("copy_(Tensor(a!) self, Tensor src, bool non_blocking=False) -> Tensor(a!)");

    public static readonly OpOverload FillScalar = Def("fill.Scalar(Tensor self, Scalar value) -> Tensor",
        meta: a =>
        {
            ScalarConversion.Check("fill", a[1], T0(a).DType);
            return ContiguousLike(T0(a));
        },
        kernel: a => Eager.Full(T0(a).DType, T0(a).Sizes, a[1]!),
        tags: "pointwise");

    public static readonly OpOverload FillScalar_ = InPlace("fill_.Scalar(Tensor(a!) self, Scalar value) -> Tensor(a!)");

    public static readonly OpOverload FillTensor = Def("fill.Tensor(Tensor self, Tensor value) -> Tensor",
        meta: a =>
        {
            if (Tn(a, 1).Ndim != 0) throw new ArgumentException($"fill_ only supports 0-dimension value tensor but got tensor with {Tn(a, 1).Ndim} dimensions.");
            return ContiguousLike(T0(a));
        },
        kernel: a =>
        {
            var result = Eager.Allocate(ContiguousLike(T0(a)));
            Eager.CopyInto(result, Tn(a, 1));
            return result;
        });

    public static readonly OpOverload FillTensor_ = InPlace("fill_.Tensor(Tensor(a!) self, Tensor value) -> Tensor(a!)");

    /// <summary>out = clone(base); view(out) = src — the shared body of every *_scatter op.</summary>
    private static OpOverload ScatterInverse(string schema, Func<OpOverload> viewOp)
    {
        return Def(schema,
            meta: a =>
            {
                var view = viewOp();
                var baseTensor = T0(a);
                var viewArgs = new object?[] { baseTensor }.Concat(a.Skip(2)).ToArray();
                var viewed = (TensorMeta)view.Meta!(viewArgs);
                var src = Tn(a, 1);
                if (!viewed.Shape.SequenceEqual(src.Shape.AsArray()) && !ShapeRules.Broadcast(viewed.Shape, src.Shape.AsArray()).SequenceEqual(viewed.Shape))
                    throw new ArgumentException($"{schema.Split('(')[0]}: expected src to have a size equal to the slice of self. src size = [{string.Join(", ", src.Shape)}], slice size = [{string.Join(", ", viewed.Shape)}]");
                return ContiguousLike(baseTensor);
            },
            kernel: a =>
            {
                var view = viewOp();
                var result = Eager.Allocate(ContiguousLike(T0(a)));
                Eager.CopyInto(result, T0(a));
                var target = (Tensor)view.Kernel!(new object?[] { result }.Concat(a.Skip(2)).ToArray())!;
                Eager.CopyInto(target, Tn(a, 1));
                return result;
            },
            tags: "core");
    }

    public static readonly OpOverload SelectScatter = ScatterInverse("select_scatter(Tensor self, Tensor src, int dim, SymInt index) -> Tensor", () => OpRegistry.Instance["aten::select.int"]);

    public static readonly OpOverload SliceScatter = ScatterInverse("slice_scatter(Tensor self, Tensor src, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor", () => OpRegistry.Instance["aten::slice.Tensor"]);

    public static readonly OpOverload DiagonalScatter = ScatterInverse("diagonal_scatter(Tensor self, Tensor src, int offset=0, int dim1=0, int dim2=1) -> Tensor", () => OpRegistry.Instance["aten::diagonal"]);

    public static readonly OpOverload AsStridedScatter = ScatterInverse("as_strided_scatter(Tensor self, Tensor src, SymInt[] size, SymInt[] stride, SymInt? storage_offset=None) -> Tensor", () => OpRegistry.Instance["aten::as_strided"]);
}

using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Picking elements by index or mask, built from gather, index and index_put as torch decomposes them:
/// take_along_dim (negative indices wrap), take (of the flattened tensor), index_fill, masked_select and argwhere
/// (their sizes depend on the data: an unbacked size, as torch's nonzero makes).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload TakeAlongDim = Composite("take_along_dim(Tensor self, Tensor indices, int? dim=None) -> Tensor", TakeAlongDimBody);
    public static readonly OpOverload Take = Composite("take(Tensor self, Tensor index) -> Tensor", TakeBody);
    public static readonly OpOverload IndexFillScalar = Composite("index_fill.int_Scalar(Tensor self, int dim, Tensor index, Scalar value) -> Tensor", IndexFillScalarBody);
    public static readonly OpOverload IndexFillTensor = Composite("index_fill.int_Tensor(Tensor self, int dim, Tensor index, Tensor value) -> Tensor", IndexFillTensorBody);
    public static readonly OpOverload MaskedSelect = Composite("masked_select(Tensor self, Tensor mask) -> Tensor", MaskedSelectBody);
    public static readonly OpOverload Argwhere = Composite("argwhere(Tensor self) -> Tensor", ArgwhereBody);

    // gather after both are broadcast to each other except along dim (over the flattened tensor without a dim).
    private static object? TakeAlongDimBody(object?[] a)
    {
        Tensor self = T0(a), indices = Tn(a, 1);
        if (indices.DType.IsFloatingPoint() || indices.DType == DType.Bool)
            throw new ArgumentException($"torch.take_along_dim(): dtype of indices should be int but got {indices.DType.TorchName()} instead");
        if (a[2] is null)
            return Call(Gather, Call(Reshape, self, new SymInt[] { -1 }), 0L, WrappedIndices(Call(Reshape, indices, new SymInt[] { -1 }), self.Numel()));
        if (self.Ndim != indices.Ndim)
            throw new ArgumentException($"torch.take_along_dim(): input and indices should have the same number of dimensions, but got {self.Ndim} dimensions for input, and {indices.Ndim} dimensions for indices");
        int dim = ShapeRules.WrapDim(L(a[2]), Math.Max(self.Ndim, 1));
        if (self.Ndim == 0) return Call(Clone, self);
        var selfShape = self.Shape.AsArray().ToArray();
        var indexShape = indices.Shape.AsArray().ToArray();
        selfShape[dim] = 1;
        indexShape[dim] = 1;
        var batch = ShapeRules.Broadcast(selfShape, indexShape);
        var selfSizes = (SymInt[])batch.Clone();
        selfSizes[dim] = self.Shape[dim];
        var indexSizes = (SymInt[])batch.Clone();
        indexSizes[dim] = indices.Shape[dim];
        var wrapped = WrappedIndices(Call(Expand, indices, indexSizes), self.Shape[dim]);
        return Call(Gather, Call(Expand, self, selfSizes), (long)dim, wrapped);
    }

    // Indices from -n count from the end, as torch's take and take_along_dim allow (index % n).
    private static Tensor WrappedIndices(Tensor indices, SymInt n)
    {
        var longs = indices.DType == DType.Int64 ? indices : Call(ToDType, indices, DType.Int64);
        return n.AsConstant == 0 ? longs : Call(RemainderScalar, longs, n.AsConstant is { } c ? c : (object)n);
    }

    private static object? TakeBody(object?[] a)
    {
        Tensor self = T0(a), index = Tn(a, 1);
        if (index.DType != DType.Int64) throw new ArgumentException($"take(): Expected a long tensor for index, but got {index.DType.TorchName()}");
        return Call(IndexTensor, Call(Reshape, self, new SymInt[] { -1 }), new Tensor?[] { index });
    }

    private static object? IndexFillScalarBody(object?[] a) =>
        IndexFill(T0(a), L(a[1]), Tn(a, 2), CallKw(ScalarTensor, [a[3]], ("dtype", T0(a).DType)));

    private static object? IndexFillTensorBody(object?[] a)
    {
        var value = Tn(a, 3);
        if (value.Ndim != 0) throw new ArgumentException($"index_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.Ndim} dimension(s).");
        return IndexFill(T0(a), L(a[1]), Tn(a, 2), Call(ToDType, value, T0(a).DType));
    }

    // index_put of the value at (…, index, …) along dim, every other dim whole.
    private static Tensor IndexFill(Tensor self, long dimArg, Tensor index, Tensor value)
    {
        if (index.Ndim > 1) throw new ArgumentException("index_fill_(): Index is supposed to be a vector");
        if (index.DType != DType.Int64) throw new ArgumentException($"index_fill_(): Expected dtype int64 for index, got {index.DType.TorchName()}");
        if (self.Ndim == 0) return Call(IndexPut, self, new Tensor?[] { Call(Reshape, index, new SymInt[] { -1 }) }, value, false);
        int dim = ShapeRules.WrapDim(dimArg, self.Ndim);
        var indices = new Tensor?[dim + 1];
        indices[dim] = WrappedIndices(Call(Reshape, index, new SymInt[] { -1 }), self.Shape[dim]);
        return Call(IndexPut, self, indices, value, false);
    }

    private static object? MaskedSelectBody(object?[] a)
    {
        Tensor self = T0(a), mask = Tn(a, 1);
        if (mask.DType != DType.Bool) throw new ArgumentException($"masked_select: expected BoolTensor for mask, got {mask.DType.TorchName()}; compare to make one (mask != 0).");
        var shape = ShapeRules.Broadcast(self.Shape.AsArray(), mask.Shape.AsArray());
        return Call(IndexTensor, Call(Expand, self, shape), new Tensor?[] { Call(Expand, mask, shape) });
    }

    private static object? ArgwhereBody(object?[] a) => Call(Nonzero, a[0]);
}

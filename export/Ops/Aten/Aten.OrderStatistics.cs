using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Order statistics: kthvalue, mode and nanmedian (ops torch keeps through decomposition, tagged
/// "no_decomposition"), and quantile and nanquantile (sorted once, the ranks interpolated as torch interpolates
/// them: linear, lower, higher, midpoint, nearest with halves to even).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Kthvalue = Def("kthvalue(Tensor self, int k, int dim=-1, bool keepdim=False) -> (Tensor values, Tensor indices)",
        meta: a => SliceStatisticMeta("kthvalue", T0(a), L(a[2]), B(a[3]), L(a[1])),
        kernel: a => OrderStatisticKernels.Kthvalue(T0(a), L(a[1]), ShapeRules.WrapDim(L(a[2]), Math.Max(T0(a).Ndim, 1)), B(a[3])), tags: "no_decomposition");
    public static readonly OpOverload Mode = Def("mode(Tensor self, int dim=-1, bool keepdim=False) -> (Tensor values, Tensor indices)",
        meta: a => SliceStatisticMeta("mode", T0(a), L(a[1]), B(a[2]), null),
        kernel: a => OrderStatisticKernels.Mode(T0(a), ShapeRules.WrapDim(L(a[1]), Math.Max(T0(a).Ndim, 1)), B(a[2])), tags: "no_decomposition");
    public static readonly OpOverload NanmedianDim = Def("nanmedian.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)",
        meta: a => SliceStatisticMeta("nanmedian", T0(a), L(a[1]), B(a[2]), null),
        kernel: a => OrderStatisticKernels.Nanmedian(T0(a), ShapeRules.WrapDim(L(a[1]), Math.Max(T0(a).Ndim, 1)), B(a[2])), tags: "no_decomposition");
    public static readonly OpOverload Nanmedian = Def("nanmedian(Tensor self) -> Tensor", meta: a =>
    {
        var x = T0(a);
        if (x.DType.IsComplex()) throw new ArgumentException("nanmedian() does not support complex inputs.");
        return new TensorMeta(x.DType, []);
    }, kernel: a =>
    {
        var x = T0(a);
        if (x.Numel() == 0) return CallKw(Full, [Array.Empty<SymInt>(), double.NaN], ("dtype", x.DType));
        return OrderStatisticKernels.Nanmedian(x.Reshape(-1), 0, keepdim: false)[0];
    }, tags: "no_decomposition");
    public static readonly OpOverload QuantileScalar = Composite("quantile.scalar(Tensor self, float q, int? dim=None, bool keepdim=False, *, str interpolation='linear') -> Tensor", QuantileBody);
    public static readonly OpOverload Quantile = Composite("quantile(Tensor self, Tensor q, int? dim=None, bool keepdim=False, *, str interpolation='linear') -> Tensor", QuantileBody);
    public static readonly OpOverload NanquantileScalar = Composite("nanquantile.scalar(Tensor self, float q, int? dim=None, bool keepdim=False, *, str interpolation='linear') -> Tensor", NanquantileBody);
    public static readonly OpOverload Nanquantile = Composite("nanquantile(Tensor self, Tensor q, int? dim=None, bool keepdim=False, *, str interpolation='linear') -> Tensor", NanquantileBody);

    private static TensorMeta[] SliceStatisticMeta(string name, Tensor x, long dim, bool keepdim, long? k)
    {
        if (x.DType.IsComplex()) throw new ArgumentException($"{name}() does not support complex inputs.");
        int rank = Math.Max(x.Ndim, 1);
        int d = ShapeRules.WrapDim(dim, rank);
        var sizes = x.Ndim == 0 ? new SymInt[] { 1 } : x.Shape.AsArray();
        var length = sizes[d];
        if (k is { } kth && (kth < 1 || (length.AsConstant is { } n && kth > n)))
            throw new ArgumentException($"kthvalue(): selected number k out of range for dimension {dim}: k = {kth}, but the dimension has {length} elements.");
        if (length.AsConstant == 0) throw new ArgumentException($"{name}(): Expected reduction dim {dim} to have non-zero size.");
        SymInt[] shape = x.Ndim == 0 ? []
            : keepdim ? sizes.Select((s, i) => i == d ? (SymInt)1 : s).ToArray()
            : sizes.Where((_, i) => i != d).ToArray();
        return [new TensorMeta(x.DType, shape), new TensorMeta(DType.Int64, (SymInt[])shape.Clone())];
    }

    // Both overloads: q a number or a tensor.
    private static object? QuantileBody(object?[] a) => QuantileOf(T0(a), a[1], a[2], B(a[3]), (string)a[4]!, ignoreNan: false, "quantile");

    private static object? NanquantileBody(object?[] a) => QuantileOf(T0(a), a[1], a[2], B(a[3]), (string)a[4]!, ignoreNan: true, "nanquantile");

    // The values at rank q·(n - 1) of each sorted slice (n counting only the numbers with ignoreNan; a slice with a
    // NaN, or with nothing but NaNs, answers NaN), one result per q in front of the reduced shape when q is 1-D.
    private static Tensor QuantileOf(Tensor x, object? q, object? dimArg, bool keepdim, string interpolation, bool ignoreNan, string name)
    {
        if (x.DType is not (DType.Float32 or DType.Float64))
            throw new ArgumentException($"{name}() input tensor must be either float or double dtype, got {x.DType.TorchName()}; convert it first (x.float()).");
        if (interpolation is not ("linear" or "lower" or "higher" or "midpoint" or "nearest"))
            throw new ArgumentException($"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest. Got {interpolation}");
        Tensor qs;
        if (q is Tensor qt)
        {
            if (qt.Ndim > 1) throw new ArgumentException($"{name}() q must be a scalar or 1D tensor, got a {qt.Ndim}-D tensor");
            if (qt.DType != x.DType) throw new ArgumentException($"{name}() q tensor must be same dtype as the input tensor ({x.DType.TorchName()}), got {qt.DType.TorchName()}");
            if (!qt.IsFake && qt.ToArray<double>().Any(v => !(v >= 0 && v <= 1))) throw new ArgumentException($"{name}() q values must be in the range [0, 1]");
            qs = qt;
        }
        else
        {
            double value = D(q);
            if (!(value >= 0 && value <= 1)) throw new ArgumentException($"{name}() q must be in the range [0, 1] but got {value}");
            qs = CallKw(ScalarTensor, [value], ("dtype", x.DType));
        }
        int rank = x.Ndim;
        Tensor values = dimArg is null ? Call(Reshape, x, new SymInt[] { -1 }) : x.Ndim == 0 ? Call(Reshape, x, new SymInt[] { 1 }) : Call(MovedimInt, x, L(dimArg), -1L);
        int dim = dimArg is null || rank == 0 ? 0 : ShapeRules.WrapDim(L(dimArg), rank);
        var length = values.Shape[values.Ndim - 1];
        if (length.AsConstant == 0) throw new ArgumentException($"{name}() input tensor must be non-empty");
        var sorted = CallMulti(Sort, values, -1L, false)[0];
        // q as [Q, 1, ..., 1] (or [1, ..., 1]) in front of the sorted slices' batch dims, its last dim the slice's.
        var qShape = (qs.Ndim == 1 ? new[] { qs.Shape[0] } : []).Concat(Enumerable.Repeat((SymInt)1, sorted.Ndim)).ToArray();
        var qColumn = Call(Reshape, qs, qShape);
        object lastIndex = length.AsConstant is { } n ? n - 1 : length - 1;
        var last = CallKw(ScalarTensor, [lastIndex], ("dtype", x.DType));
        Tensor ranks;
        if (ignoreNan)
        {
            var counted = Call(ToDType, Call(SumDim, Call(LogicalNot, Call(IsNan, sorted)), new long[] { -1 }, true), x.DType);
            ranks = Call(Mul, qColumn, Call(ClampMin, Call(Sub, counted, 1L), 0L));
            ranks = Call(Where, Call(EqScalar, counted, 0L), last, ranks);
        }
        else
        {
            var nanInSlice = Call(AnyDim, Call(IsNan, sorted), -1L, true);
            ranks = Call(Where, nanInSlice, last, Call(Mul, qColumn, last));
        }
        ranks = interpolation switch
        {
            "lower" => Call(Floor, ranks),
            "higher" => Call(Ceil, ranks),
            "nearest" => Call(Round, ranks),
            _ => ranks,
        };
        var below = Call(ToDType, Call(Floor, ranks), DType.Int64);
        var above = Call(ClampMax, Call(ToDType, Call(Ceil, ranks), DType.Int64), lastIndex);
        var gatherShape = ranks.Shape.AsArray().Take(ranks.Ndim - 1).Append(length).ToArray();
        var expanded = Call(Expand, sorted, gatherShape);
        var lower = Call(Gather, expanded, -1L, below);
        Tensor result = interpolation switch
        {
            "linear" => Call(LerpTensor, lower, Call(Gather, expanded, -1L, above), Call(Sub, ranks, Call(ToDType, below, x.DType))),
            "midpoint" => Call(LerpScalar, lower, Call(Gather, expanded, -1L, above), 0.5),
            _ => lower,
        };
        result = Call(SqueezeDim, result, -1L);
        if (!keepdim) return result;
        int front = qs.Ndim;
        if (dimArg is null)
            return Call(Reshape, result, result.Shape.AsArray().Take(front).Concat(Enumerable.Repeat((SymInt)1, rank)).ToArray());
        return rank == 0 ? result : Call(Unsqueeze, result, (long)(front + dim));
    }
}

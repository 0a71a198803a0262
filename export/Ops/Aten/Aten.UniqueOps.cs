using Graphport.Operators;
using Graphport.Shapes;
using Graphport.Tracing;

namespace Graphport;

/// <summary>
/// Ops whose result length is decided by the data: _unique2 (torch.unique), unique_dim, unique_consecutive and
/// bincount. Traced, each length is a fresh unbacked size (u0) with the run-time checks torch's export records
/// (u0 ≥ 0, and u0 ≤ the element count where that bounds it); eagerly, the data gives it.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Unique2 = Def("_unique2(Tensor self, bool sorted=True, bool return_inverse=False, bool return_counts=False) -> (Tensor, Tensor, Tensor)",
        meta: a => UniqueMeta("unique", T0(a), null, B(a[2]), B(a[3])),
        kernel: a => UniqueKernels.Unique(T0(a), B(a[2]), B(a[3])), tags: "no_decomposition");
    public static readonly OpOverload UniqueDim = Def("unique_dim(Tensor self, int dim, bool sorted=True, bool return_inverse=False, bool return_counts=False) -> (Tensor, Tensor, Tensor)",
        meta: a => UniqueMeta("unique_dim", T0(a), L(a[1]), B(a[3]), B(a[4])),
        kernel: a => UniqueKernels.UniqueSlices(T0(a), ShapeRules.WrapDim(L(a[1]), T0(a).Ndim), consecutive: false, B(a[3]), B(a[4])), tags: "no_decomposition");
    public static readonly OpOverload UniqueConsecutive = Def("unique_consecutive(Tensor self, bool return_inverse=False, bool return_counts=False, int? dim=None) -> (Tensor, Tensor, Tensor)",
        meta: a => UniqueMeta("unique_consecutive", T0(a), a[3] is null ? null : L(a[3]), B(a[1]), B(a[2])),
        kernel: a => a[3] is null
            ? UniqueKernels.UniqueConsecutive(T0(a), B(a[1]), B(a[2]))
            : UniqueKernels.UniqueSlices(T0(a), ShapeRules.WrapDim(L(a[3]), T0(a).Ndim), consecutive: true, B(a[1]), B(a[2])), tags: "no_decomposition");
    public static readonly OpOverload Bincount = Def("bincount(Tensor self, Tensor? weights=None, SymInt minlength=0) -> Tensor", meta: a =>
    {
        var self = T0(a);
        var weights = a[1] as Tensor;
        if (self.Ndim != 1 || !self.DType.IsIntegral(includeBool: false))
            throw new ArgumentException($"bincount only supports 1-d non-negative integral inputs; got a {self.Ndim}-D {self.DType.TorchName()} tensor.");
        long minlength = L(a[2]);
        if (minlength < 0) throw new ArgumentException("minlength should be >= 0");
        if (weights is not null && (weights.Ndim != 1 || (weights.Shape[0].AsConstant is { } w && self.Shape[0].AsConstant is { } n && w != n)))
            throw new ArgumentException("weights should be 1-d and have the same length as input");
        var dtype = weights is null ? DType.Int64 : weights.DType.IsFloatingPoint() ? weights.DType : DType.Float64;
        if (!self.IsFake)
        {
            var values = self.ToArray<long>();
            return new TensorMeta(dtype, [Math.Max(values.Length == 0 ? 0 : values.Max() + 1, minlength)]);
        }
        var length = TracingShapeEnv("bincount").CreateUnbackedSymbol("bincount()", new ValueRange(minlength, ValueRange.Infinity));
        Tracer.Current?.DeferRuntimeAssert((length >= 0L).Expr);
        return new TensorMeta(dtype, [length]);
    }, kernel: a => UniqueKernels.Bincount(T0(a), a[1] as Tensor, L(a[2])), tags: "no_decomposition");

    private static TensorMeta[] UniqueMeta(string name, Tensor self, long? dim, bool inverse, bool counts)
    {
        if (self.DType.IsComplex()) throw new ArgumentException($"{name} does not support complex tensors.");
        SymInt[] shape = self.Shape.AsArray();
        int d = dim is { } given ? ShapeRules.WrapDim(given, Math.Max(self.Ndim, 1)) : -1;
        if (dim is not null && self.Ndim == 0) throw new ArgumentException($"{name}: a dim was given for a 0-D tensor; flatten it or leave dim out.");
        SymInt total = dim is null ? self.Numel() : shape[d];
        SymInt found;
        if (!self.IsFake)
        {
            var real = dim is null
                ? (name == "unique_consecutive" ? UniqueKernels.UniqueConsecutive(self, false, false) : UniqueKernels.Unique(self, false, false))
                : UniqueKernels.UniqueSlices(self, d, name == "unique_consecutive", false, false);
            found = real[0].Shape[dim is null ? 0 : d];
        }
        else
        {
            found = TracingShapeEnv(name).CreateUnbackedSymbol($"{name}()", new ValueRange(0, total.AsConstant ?? ValueRange.Infinity));
            Tracer.Current?.DeferRuntimeAssert((found >= 0L).Expr);
            Tracer.Current?.DeferRuntimeAssert((found <= total).Expr);
        }
        SymInt[] valuesShape = dim is null ? [found] : shape.Select((s, i) => i == d ? found : s).ToArray();
        SymInt[] inverseShape = !inverse ? [0] : dim is null ? (SymInt[])shape.Clone() : [shape[d]];
        return [new TensorMeta(self.DType, valuesShape), new TensorMeta(DType.Int64, inverseShape), new TensorMeta(DType.Int64, counts ? [found] : [0])];
    }
}

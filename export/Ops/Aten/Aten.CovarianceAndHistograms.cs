using Graphport.Operators;

namespace Graphport;

/// <summary>
/// cov and corrcoef (rows are variables, columns observations; frequency and importance weights, any correction),
/// and histogram (equal-width bins over the data's or a given range, or given edges; weights; density), built from
/// reductions, products and an accumulating index_put. torch's export cannot trace cov and corrcoef (they check their
/// weights with a data-dependent aten.equal); here they export.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Cov = Composite("cov(Tensor self, *, int correction=1, Tensor? fweights=None, Tensor? aweights=None) -> Tensor", CovBody);
    public static readonly OpOverload Corrcoef = Composite("corrcoef(Tensor self) -> Tensor", CorrcoefBody);
    public static readonly OpOverload HistogramBinCount = Composite("histogram.bin_ct(Tensor self, int bins=100, *, float[]? range=None, Tensor? weight=None, bool density=False) -> (Tensor hist, Tensor bin_edges)", HistogramBinCountBody);
    public static readonly OpOverload HistogramBinsTensor = Composite("histogram.bins_tensor(Tensor self, Tensor bins, *, Tensor? weight=None, bool density=False) -> (Tensor hist, Tensor bin_edges)", HistogramBinsTensorBody);

    // Σ w (x - x̄)(x - x̄)ᵀ / (Σw - correction · Σ(w·a)/Σw), the weights the product of fweights and aweights.
    private static object? CovBody(object?[] a)
    {
        var x = T0(a);
        if (x.Ndim > 2) throw new ArgumentException($"cov(): expected input to have two or fewer dimensions but got an input with {x.Ndim} dimensions");
        if (x.DType.IsComplex()) throw new ArgumentException("cov(): complex inputs are not supported here; take .Real and .Imag apart.");
        var rows = x.Ndim < 2 ? Call(Reshape, x, new SymInt[] { 1, -1 }) : x;
        if (!rows.DType.IsFloatingPoint()) rows = Call(ToDType, rows, DTypeInfo.DefaultFloat);
        long correction = L(a[1]);
        Tensor? fweights = a[2] as Tensor, aweights = a[3] as Tensor;
        var observations = rows.Shape[1];
        foreach (var (weights, name) in new[] { (fweights, "fweights"), (aweights, "aweights") })
        {
            if (weights is null) continue;
            if (weights.Ndim > 1) throw new ArgumentException($"cov(): expected {name} to have one or fewer dimensions but got {name} with {weights.Ndim} dimensions");
            if (weights.Shape[0].AsConstant is { } count && observations.AsConstant is { } n && count != n)
                throw new ArgumentException($"cov(): expected {name} to have the same numel as there are observations in the input but got {count} != {n}");
            if (name == "fweights" && weights.DType.IsFloatingPoint()) throw new ArgumentException("cov(): expected fweights to have integral dtype");
            if (name == "aweights" && !weights.DType.IsFloatingPoint()) throw new ArgumentException("cov(): expected aweights to have floating point dtype");
            if (!weights.IsFake && Call(LtScalar, weights, 0L).ToArray<bool>().Any(b => b))
                throw new ArgumentException($"cov(): {name} cannot be negative");
        }
        Tensor? w = fweights is null ? aweights : aweights is null ? fweights : Call(Mul, fweights, aweights);
        Tensor average, weightSum;
        if (w is null)
        {
            average = Call(MeanDim, rows, new long[] { 1 }, true);
            weightSum = CallKw(ScalarTensor, [observations.AsConstant is { } n ? n : observations], ("dtype", rows.DType));
        }
        else
        {
            var wf = Call(ToDType, w, rows.DType);
            weightSum = Call(Sum, wf);
            average = Call(Div, Call(SumDim, Call(Mul, rows, wf), new long[] { 1 }, true), weightSum);
        }
        Tensor normalizer = correction == 0 ? weightSum
            : w is null || aweights is null ? Call(Sub, weightSum, correction)
            : Call(Sub, weightSum, Call(Div, Call(Mul, Call(Sum, Call(Mul, Call(ToDType, w, rows.DType), Call(ToDType, aweights, rows.DType))), (double)correction), weightSum));
        normalizer = Call(ClampMin, normalizer, 0L);
        var centred = Call(Sub, rows, average);
        var weighted = w is null ? centred : Call(Mul, centred, Call(ToDType, w, rows.DType));
        var covariance = Call(Div, Call(Mm, weighted, Call(Transpose, centred, 0L, 1L)), normalizer);
        return x.Ndim < 2 ? Call(Reshape, covariance, Array.Empty<SymInt>()) : covariance;
    }

    // cov / (σᵢ σⱼ), clipped to [-1, 1] against rounding.
    private static object? CorrcoefBody(object?[] a)
    {
        var x = T0(a);
        if (x.Ndim > 2) throw new ArgumentException($"corrcoef(): expected input to have two or fewer dimensions but got an input with {x.Ndim} dimensions");
        var covariance = Call(Cov, x, 1L, null, null);
        if (covariance.Ndim == 0) return Call(Div, covariance, covariance);
        var deviations = Call(Sqrt, Call(Diagonal, covariance, 0L, 0L, 1L));
        var scaled = Call(Div, Call(Div, covariance, Call(Unsqueeze, deviations, 1L)), Call(Unsqueeze, deviations, 0L));
        return Call(Clamp, scaled, -1.0, 1.0);
    }

    private static object? HistogramBinCountBody(object?[] a)
    {
        var x = T0(a);
        long bins = L(a[1]);
        if (bins <= 0) throw new ArgumentException($"torch.histogram(): bins must be > 0, but got {bins}");
        HistogramInput(x, a[3] as Tensor);
        Tensor low, high;
        if (a[2] is double[] { Length: 2 } range)
        {
            if (range[0] > range[1]) throw new ArgumentException($"torch.histogram(): min should not exceed max, but got min {range[0]} max {range[1]}");
            (low, high) = (CallKw(ScalarTensor, [range[0]], ("dtype", x.DType)), CallKw(ScalarTensor, [range[1]], ("dtype", x.DType)));
        }
        else if (a[2] is not null) throw new ArgumentException("torch.histogram(): range should have 2 elements");
        else (low, high) = (Call(Amin, x, Array.Empty<long>(), false), Call(Amax, x, Array.Empty<long>(), false));
        // An empty range widens to one unit around its value (numpy's and torch's rule).
        var flat = Call(EqTensor, low, high);
        low = Call(Where, flat, Call(Sub, low, 0.5), low);
        high = Call(Where, flat, Call(Add, high, 0.5), high);
        var steps = Call(Div, CallKw(ArangeStartStep, [0L, bins + 1, 1L], ("dtype", x.DType)), (double)bins);
        var edges = Call(Add, low, Call(Mul, steps, Call(Sub, high, low)));
        var position = Call(Floor, Call(Div, Call(Mul, Call(Sub, x, low), (double)bins), Call(Sub, high, low)));
        var index = Call(ClampMax, Call(ToDType, position, DType.Int64), bins - 1);
        var inside = Call(LogicalAnd, Call(GeTensor, x, low), Call(LeTensor, x, high));
        return Counted(x, index, inside, a[3] as Tensor, edges, bins, B(a[4]));
    }

    private static object? HistogramBinsTensorBody(object?[] a)
    {
        Tensor x = T0(a), edges = Tn(a, 1);
        if (edges.Ndim != 1 || edges.Shape[0].AsConstant is < 2) throw new ArgumentException("torch.histogram(): bins tensor should have one dimension and at least 2 elements");
        HistogramInput(x, a[2] as Tensor);
        long bins = (long)edges.Shape[0] - 1;
        var first = Call(Select, edges, 0L, (SymInt)0);
        var last = Call(Select, edges, 0L, (SymInt)bins);
        // The bin whose left edge is the last one at or below the value; the last edge closes the last bin.
        var index = Call(ClampMax, Call(Sub, CallKw(SearchsortedTensor, [edges, x], ("right", true)), 1L), bins - 1);
        var inside = Call(LogicalAnd, Call(GeTensor, x, first), Call(LeTensor, x, last));
        return Counted(x, Call(ClampMin, index, 0L), inside, a[2] as Tensor, Call(Clone, edges), bins, B(a[3]));
    }

    private static void HistogramInput(Tensor x, Tensor? weight)
    {
        if (!x.DType.IsFloatingPoint()) throw new ArgumentException($"torch.histogram: input tensor and bins tensors should have the same dtype, a floating one; got {x.DType.TorchName()}");
        if (weight is not null && !weight.Shape.Equals(x.Shape)) throw new ArgumentException("torch.histogram(): if weight tensor is provided it should have the same shape as the input tensor");
    }

    // Each value's weight (1 without weights) added into its bin, values outside the range left out.
    private static Tensor[] Counted(Tensor x, Tensor index, Tensor inside, Tensor? weight, Tensor edges, long bins, bool density)
    {
        var mass = Call(ToDType, inside, x.DType);
        if (weight is not null) mass = Call(Mul, mass, weight);
        var zeros = CallKw(Zeros, [new SymInt[] { bins }], ("dtype", x.DType));
        var flatIndex = Call(Reshape, Call(Where, inside, index, Call(ZerosLike, index)), new SymInt[] { -1 });
        var hist = Call(IndexPut, zeros, new Tensor?[] { flatIndex }, Call(Reshape, mass, new SymInt[] { -1 }), true);
        if (density)
        {
            var widths = Call(Diff, edges, 1L, 0L, null, null);
            hist = Call(Div, hist, Call(Mul, Call(Sum, hist), widths));
        }
        return [hist, edges];
    }
}

using Graphport.Operators;

namespace Graphport;

/// <summary>
/// histc: counts of the elements in each of <c>bins</c> equal-width bins between min and max (elements outside, and
/// NaN, are not counted; an element equal to max goes to the last bin). Mixture-of-experts layers count their tokens
/// per expert with it (transformers' grouped experts), so torch's exports of them record it. Not a core op: it
/// decomposes into arithmetic and a scatter_add of ones (<see cref="HistcDecomposition"/>).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Histc = Def("histc(Tensor self, int bins=100, Scalar min=0, Scalar max=0) -> Tensor", meta: a =>
    {
        var self = T0(a);
        CheckHistcArguments(self, L(a[1]), D(a[2]), D(a[3]));
        return new TensorMeta(self.DType, [L(a[1])]);
    }, kernel: a => HistcKernel(T0(a), L(a[1]), D(a[2]), D(a[3])));

    private static void CheckHistcArguments(Tensor self, long bins, double min, double max)
    {
        if (!self.DType.IsFloatingPoint())
            throw new ArgumentException($"torch.histc counts floating-point values, but got a {DTypeNames.Capitalized(self.DType)} tensor (torch's CPU histc refuses it too); convert it first, e.g. x.To(DType.Float32).");
        if (bins <= 0) throw new ArgumentException($"torch.histc: bins must be > 0, but got {bins}");
        if (max < min) throw new ArgumentException("torch.histc: max must be larger than min");
    }

    /// <summary>
    /// Rounds a value computed in double to the tensor's dtype, as torch's kernel computes each step in the input's
    /// type: the position of an element on a bin edge depends on those roundings.
    /// </summary>
    private static Func<double, double> RoundingTo(DType dtype) => dtype switch
    {
        DType.Float32 => v => (float)v,
        DType.Float16 => v => (double)(Half)v,
        DType.BFloat16 => v => (float)(BFloat16)v,
        _ => v => v,
    };

    private static Tensor HistcKernel(Tensor self, long bins, double min, double max)
    {
        var round = RoundingTo(self.DType);
        var values = Eager.Dense<double>(Eager.ConvertedCopy(self, DType.Float64));
        double lo = round(min), hi = round(max);
        if (lo == hi && values.Length > 0)
        {
            // Without a range, the data's own: torch's aminmax, which a NaN makes NaN (refused below).
            lo = double.PositiveInfinity;
            hi = double.NegativeInfinity;
            foreach (var v in values)
            {
                if (double.IsNaN(v)) (lo, hi) = (double.NaN, double.NaN);
                if (double.IsNaN(lo)) break;
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
        }
        if (lo == hi)
        {
            lo = round(lo - 1);
            hi = round(hi + 1);
        }
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
            throw new ArgumentException($"torch.histc: range of [{RangeEnd(lo)}, {RangeEnd(hi)}] is not finite; give min and max, or remove the infinite and NaN elements first");
        double width = round(hi - lo);
        var counts = new double[bins];
        foreach (var v in values)
        {
            if (!(v >= lo && v <= hi)) continue;
            long position = (long)round(round(round(v - lo) * bins) / width);
            counts[Math.Min(position, bins - 1)]++;
        }
        return Eager.Wrap(counts, [bins], self.DType);
    }

    private static string RangeEnd(double v) => double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf"
        : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// histc in core ops, step for step the kernel's arithmetic in the input's dtype: the bin of each element is
    /// ((x - min) * bins / (max - min)) truncated, the last edge folded into the last bin, and the counts a scatter_add
    /// of ones (zeros for elements outside the range). Without a range (min == max) the range is the data's amin and
    /// amax, widened by one either way when those are equal too.
    /// </summary>
    internal static Tensor HistcDecomposition(object?[] a)
    {
        var self = T0(a);
        long bins = L(a[1]);
        double min = D(a[2]), max = D(a[3]);
        var flat = Call(Reshape, self, new SymInt[] { -1 });
        Tensor Bound(double value) => CallKw(Full, [Array.Empty<SymInt>(), value], ("dtype", self.DType));
        Tensor lo = Bound(min), hi = Bound(max);
        // No elements: every count is zero (and an empty tensor has no amin to take a range from).
        if (flat.Shape[0].AsConstant == 0) return CallKw(Full, [new SymInt[] { bins }, 0.0], ("dtype", self.DType));
        if (RoundingTo(self.DType)(min) == RoundingTo(self.DType)(max))
        {
            lo = Call(Amin, flat, Array.Empty<long>(), false);
            hi = Call(Amax, flat, Array.Empty<long>(), false);
            var same = Call(EqTensor, lo, hi);
            lo = Call(Where, same, Call(Sub, lo, 1L), lo);
            hi = Call(Where, same, Call(Add, hi, 1L), hi);
        }
        var inside = Call(LogicalAnd, Call(GeTensor, flat, lo), Call(LeTensor, flat, hi));
        var position = Call(Div, Call(Mul, Call(Sub, flat, lo), bins), Call(Sub, hi, lo));
        // Outside the range the position may be negative, huge or NaN; those elements count zero at bin 0.
        var safe = Call(Where, inside, position, Bound(0));
        var bin = CallKw(ToCopy, [safe], ("dtype", DType.Int64));
        bin = Call(Clamp, bin, null, bins - 1);
        var ones = CallKw(ToCopy, [inside], ("dtype", self.DType));
        var zeros = CallKw(Full, [new SymInt[] { bins }, 0.0], ("dtype", self.DType));
        return Call(ScatterAdd, zeros, 0L, bin, ones);
    }
}

using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Running maxima and minima (with the index of the element that set them) and logcumsumexp, which torch's export
/// keeps as nodes: each position's value over a second copy of the dim masked to the positions at or before it (a
/// size² intermediate, fine for the short dims these scan), and logcumsumexp as a shifted cumsum of exponentials.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Cummax = Composite("cummax(Tensor self, int dim) -> (Tensor values, Tensor indices)", CummaxBody);
    public static readonly OpOverload Cummin = Composite("cummin(Tensor self, int dim) -> (Tensor values, Tensor indices)", CumminBody);
    public static readonly OpOverload Logcumsumexp = Composite("logcumsumexp(Tensor self, int dim) -> Tensor", LogcumsumexpBody);

    private static object? CummaxBody(object?[] a) => RunningExtreme(T0(a), L(a[1]), Amax, double.NegativeInfinity);

    private static object? CumminBody(object?[] a) => RunningExtreme(T0(a), L(a[1]), Amin, double.PositiveInfinity);

    // values[i] = extreme of x[j] for j <= i; indices[i] = the last such j holding that value (ATen's scan keeps the
    // later of equal values), NaN propagating as amax/amin propagate it.
    private static Tensor[] RunningExtreme(Tensor x, long dim, OpOverload extreme, double neutral)
    {
        if (x.Ndim == 0) return [Call(Clone, x), CallKw(Zeros, [Array.Empty<SymInt>()], ("dtype", DType.Int64))];
        int d = ShapeRules.WrapDim(dim, x.Ndim);
        var size = x.Shape[d];
        var (keep, j) = EarlierPositions(x, d, size);
        var spread = Call(Unsqueeze, x, (long)d);
        object fill = x.DType.IsFloatingPoint() ? neutral : neutral > 0 ? long.MaxValue : long.MinValue;
        if (x.DType == DType.Bool) fill = neutral > 0;
        var values = Call(extreme, Call(WhereScalarOther, keep, spread, fill), new[] { (long)d + 1 }, false);
        var holds = Call(LogicalAnd, keep, Call(LogicalOr, Call(EqTensor, spread, Call(Unsqueeze, values, (long)d + 1)),
            Call(LogicalAnd, Call(IsNan, spread), Call(IsNan, Call(Unsqueeze, values, (long)d + 1)))));
        var indices = Call(Amax, Call(WhereScalarOther, holds, Call(ExpandAs, j, holds), -1L), new[] { (long)d + 1 }, false);
        return [values, indices];
    }

    // A mask over [.., i, j, ..] (the dim at d and a copy after it) true where j <= i, and j itself broadcast alike.
    private static (Tensor Keep, Tensor J) EarlierPositions(Tensor x, int d, SymInt size)
    {
        var i = Call(Unsqueeze, CallKw(Arange, [size], ("dtype", DType.Int64)), 1L);
        var j = Call(Unsqueeze, CallKw(Arange, [size], ("dtype", DType.Int64)), 0L);
        var keep = Call(LeTensor, j, i);
        for (int k = d + 1; k < x.Ndim; k++)
        {
            keep = Call(Unsqueeze, keep, -1L);
            j = Call(Unsqueeze, j, -1L);
        }
        return (keep, j);
    }

    // log Σ_{j<=i} exp(x_j) = m + log cumsum(exp(x - m)), m the dim's maximum (0 where that is infinite).
    private static object? LogcumsumexpBody(object?[] a)
    {
        var x = T0(a);
        if (x.Ndim == 0) return Call(Clone, x);
        long dim = ShapeRules.WrapDim(L(a[1]), x.Ndim);
        var peak = Call(Amax, x, new[] { dim }, true);
        peak = Call(WhereScalarSelf, Call(IsInf, peak), 0.0, peak);
        return Call(Add, Call(Log, Call(Cumsum, Call(Exp, Call(Sub, x, peak)), dim)), peak);
    }
}

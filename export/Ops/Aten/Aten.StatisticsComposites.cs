using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Reductions that return two results (var_mean, std_mean, aminmax), which torch's export keeps as single nodes: each
/// is its two core reductions.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload VarMeanDim = Composite("var_mean.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> (Tensor, Tensor)", VarMeanDimBody);
    public static readonly OpOverload VarMeanCorrection = Composite("var_mean.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> (Tensor, Tensor)", VarMeanCorrectionBody);
    public static readonly OpOverload VarMean = Composite("var_mean(Tensor self, bool unbiased=True) -> (Tensor, Tensor)", VarMeanBody);
    public static readonly OpOverload StdMeanDim = Composite("std_mean.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> (Tensor, Tensor)", StdMeanDimBody);
    public static readonly OpOverload StdMeanCorrection = Composite("std_mean.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> (Tensor, Tensor)", StdMeanCorrectionBody);
    public static readonly OpOverload StdMean = Composite("std_mean(Tensor self, bool unbiased=True) -> (Tensor, Tensor)", StdMeanBody);
    public static readonly OpOverload Aminmax = Composite("aminmax(Tensor self, *, int? dim=None, bool keepdim=False) -> (Tensor min, Tensor max)", AminmaxBody);

    private static object? VarMeanDimBody(object?[] a) => SpreadAndMean(VarCorrection, T0(a), a[1], B(a[2]) ? 1L : 0L, B(a[3]));

    private static object? VarMeanCorrectionBody(object?[] a) => SpreadAndMean(VarCorrection, T0(a), a[1], a[2] ?? 1L, B(a[3]));

    private static object? VarMeanBody(object?[] a) => SpreadAndMean(VarCorrection, T0(a), null, B(a[1]) ? 1L : 0L, false);

    private static object? StdMeanDimBody(object?[] a) => SpreadAndMean(StdCorrection, T0(a), a[1], B(a[2]) ? 1L : 0L, B(a[3]));

    private static object? StdMeanCorrectionBody(object?[] a) => SpreadAndMean(StdCorrection, T0(a), a[1], a[2] ?? 1L, B(a[3]));

    private static object? StdMeanBody(object?[] a) => SpreadAndMean(StdCorrection, T0(a), null, B(a[1]) ? 1L : 0L, false);

    // (var or std, mean) over dims (every dim when null), with the correction given.
    private static Tensor[] SpreadAndMean(OpOverload spread, Tensor self, object? dims, object correction, bool keepdim)
    {
        long[] over = dims switch
        {
            null => Enumerable.Range(0, self.Ndim).Select(d => (long)d).ToArray(),
            long[] list => list,
            SymInt[] list => list.Select(d => (long)d).ToArray(),
            _ => [L(dims)],
        };
        var first = CallKw(spread, [self, over], ("correction", correction), ("keepdim", keepdim));
        return [first, Call(MeanDim, self, over, keepdim)];
    }

    // (amin, amax) over dim, or over everything (a 0-dim pair, or all ones with keepdim) when dim is null.
    private static object? AminmaxBody(object?[] a)
    {
        var self = T0(a);
        bool keepdim = B(a[2]);
        long[] dims = a[1] is null ? Enumerable.Range(0, self.Ndim).Select(d => (long)d).ToArray() : [L(a[1])];
        return new[] { Call(Amin, self, dims, keepdim), Call(Amax, self, dims, keepdim) };
    }
}

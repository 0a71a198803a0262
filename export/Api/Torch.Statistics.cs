namespace Graphport;

/// <summary>torch.cov, torch.corrcoef, torch.histogram and torch.gradient.</summary>
public static partial class Torch
{
    /// <summary>The covariance matrix of the rows (variables) over the columns (observations), with frequency and importance weights.</summary>
    public static Tensor Cov(Tensor x, long correction = 1, Tensor? fweights = null, Tensor? aweights = null) =>
        Aten.CallKw(Aten.Cov, [x], ("correction", correction), ("fweights", fweights), ("aweights", aweights));

    /// <summary>Pearson's correlation coefficients of the rows.</summary>
    public static Tensor Corrcoef(Tensor x) => Aten.Call(Aten.Corrcoef, x);

    /// <summary>Counts (or weight sums, or a density) in bins equal-width bins over range (the data's by default), and the bins' edges.</summary>
    public static (Tensor Hist, Tensor BinEdges) Histogram(Tensor x, long bins = 100, (double Min, double Max)? range = null, Tensor? weight = null, bool density = false) =>
        Graphport.Tensor.Pair(Aten.Dispatch(Aten.HistogramBinCount, [x, bins], ("range", range is { } r ? new[] { r.Min, r.Max } : null), ("weight", weight), ("density", density)));

    /// <summary>Counts in the bins between consecutive given edges (the last bin closed on the right).</summary>
    public static (Tensor Hist, Tensor BinEdges) Histogram(Tensor x, Tensor bins, Tensor? weight = null, bool density = false) =>
        Graphport.Tensor.Pair(Aten.Dispatch(Aten.HistogramBinsTensor, [x, bins], ("weight", weight), ("density", density)));

    /// <summary>The derivative along each of dims (all when none are given) by central differences, one tensor per dim; spacing between samples.</summary>
    public static Tensor[] Gradient(Tensor x, double spacing = 1, long[]? dims = null, long edgeOrder = 1) =>
        dims is null
            ? (Tensor[])Aten.Dispatch(Aten.GradientScalarInt, [x], ("spacing", spacing), ("edge_order", edgeOrder))!
            : (Tensor[])Aten.Dispatch(Aten.GradientScalarArray, [x], ("spacing", spacing), ("dim", dims), ("edge_order", edgeOrder))!;

    /// <summary>The derivative along dims (all when none are given) at the given sample coordinates, one 1-D tensor per dim.</summary>
    public static Tensor[] Gradient(Tensor x, Tensor[] coordinates, long[]? dims = null, long edgeOrder = 1) =>
        dims is null
            ? (Tensor[])Aten.Dispatch(Aten.GradientTensorArrayInt, [x], ("spacing", coordinates), ("edge_order", edgeOrder))!
            : (Tensor[])Aten.Dispatch(Aten.GradientTensorArray, [x], ("spacing", coordinates), ("dim", dims), ("edge_order", edgeOrder))!;
}

namespace Graphport;

/// <summary>torch.einsum, torch.baddbmm, torch.meshgrid, torch._weight_norm and the grouped product of mixture-of-experts layers.</summary>
public static partial class Torch
{
    /// <summary>The product an Einstein-summation equation describes ("bij,bjk->bik"), lowered to permutes, reshapes and bmm as torch lowers it.</summary>
    public static Tensor Einsum(string equation, params Tensor[] operands) => Aten.Call(Aten.Einsum, equation, operands);

    /// <summary>
    /// g · v / ‖v‖ (torch._weight_norm, what a weight-normalized layer computes its weight with): the norm over every
    /// dim but dim, over all of them when dim is -1.
    /// </summary>
    public static Tensor WeightNorm(Tensor v, Tensor g, long dim = 0) => Aten.Call(Aten.WeightNorm, v, g, dim);

    /// <summary>beta · input + alpha · (batch1 @ batch2).</summary>
    public static Tensor Baddbmm(Tensor input, Tensor batch1, Tensor batch2, double beta = 1, double alpha = 1) =>
        Aten.CallKw(Aten.Baddbmm, [input, batch1, batch2], ("beta", beta), ("alpha", alpha));

    /// <summary>
    /// torch.nn.functional.grouped_mm: a (rows, k) matrix by (groups, k, n) weights, rows sorted by group, with offs
    /// the int32 cumulative end of each group's rows (a mixture-of-experts layer's tokens per expert, cumsum'd); 3-D by
    /// 2-D groups the output's columns, 2-D by 2-D the inner dimension, 3-D by 3-D is bmm (no offs).
    /// </summary>
    public static Tensor GroupedMm(Tensor a, Tensor b, Tensor? offs = null, DType? outDType = null) =>
        Aten.CallKw(Aten.GroupedMm, [a, b], ("offs", offs), ("out_dtype", outDType));

    /// <summary>torch.histc: counts of the elements in bins equal-width bins over [min, max] (the data's range when min == max).</summary>
    public static Tensor Histc(Tensor input, long bins = 100, double min = 0, double max = 0) => Aten.Call(Aten.Histc, input, bins, min, max);

    /// <summary>Coordinate grids from 0-D or 1-D tensors; indexing "ij" (matrix) or "xy" (Cartesian: the first two axes swapped).</summary>
    public static Tensor[] Meshgrid(Tensor[] tensors, string indexing = "ij") => (Tensor[])Aten.Dispatch(Aten.MeshgridIndexing, [tensors], ("indexing", indexing))!;
}

namespace Graphport;

/// <summary>torch.einsum, torch.baddbmm and torch.meshgrid.</summary>
public static partial class Torch
{
    /// <summary>The product an Einstein-summation equation describes ("bij,bjk->bik"), lowered to permutes, reshapes and bmm as torch lowers it.</summary>
    public static Tensor Einsum(string equation, params Tensor[] operands) => Aten.Call(Aten.Einsum, equation, operands);

    /// <summary>beta · input + alpha · (batch1 @ batch2).</summary>
    public static Tensor Baddbmm(Tensor input, Tensor batch1, Tensor batch2, double beta = 1, double alpha = 1) =>
        Aten.CallKw(Aten.Baddbmm, [input, batch1, batch2], ("beta", beta), ("alpha", alpha));

    /// <summary>Coordinate grids from 0-D or 1-D tensors; indexing "ij" (matrix) or "xy" (Cartesian: the first two axes swapped).</summary>
    public static Tensor[] Meshgrid(Tensor[] tensors, string indexing = "ij") => (Tensor[])Aten.Dispatch(Aten.MeshgridIndexing, [tensors], ("indexing", indexing))!;
}

using Graphport.Operators;

namespace Graphport;

/// <summary>
/// grid_sampler (what F.grid_sample records): the 2-D sampler for a 4-D input, the 3-D one (grid_sampler_3d: trilinear
/// or nearest, a CPU kernel and a Core ATen decomposition) for a 5-D volume.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload GridSampler = Composite("grid_sampler(Tensor input, Tensor grid, int interpolation_mode, int padding_mode, bool align_corners) -> Tensor", GridSamplerBody);

    public static readonly OpOverload GridSampler3d = Def("grid_sampler_3d(Tensor input, Tensor grid, int interpolation_mode, int padding_mode, bool align_corners) -> Tensor", meta: a =>
    {
        Tensor input = T0(a), grid = Tn(a, 1);
        string Sizes(Tensor t) => $"[{string.Join(", ", t.Shape.AsArray().Select(s => s.Hint))}]";
        if (input.Ndim != 5 || grid.Ndim != 5)
            throw new ArgumentException($"grid_sampler(): expected 5D input and grid with same number of dimensions, but got input with sizes {Sizes(input)} and grid with sizes {Sizes(grid)}");
        if (!(input.Shape[0] == grid.Shape[0]))
            throw new ArgumentException($"grid_sampler(): expected grid and input to have same batch size, but got input with sizes {Sizes(input)} and grid with sizes {Sizes(grid)}");
        if (grid.Shape[4].AsConstant is long last && last != 3)
            throw new ArgumentException($"grid_sampler(): expected grid to have size 3 in last dimension, but got grid with sizes {Sizes(grid)}");
        if (input.DType != grid.DType)
            throw new ArgumentException($"grid_sampler(): expected input and grid to have same dtype, but input has {DTypeNames.Capitalized(input.DType)} and grid has {DTypeNames.Capitalized(grid.DType)}");
        if (L(a[2]) == 2) throw new ArgumentException("grid_sampler(): bicubic interpolation only supports 4D input; sample a volume with 'bilinear' (trilinear) or 'nearest'.");
        if (L(a[2]) is < 0 or > 1) throw new ArgumentException($"grid_sampler(): interpolation_mode must be 0 (bilinear) or 1 (nearest) for 5D input, got {L(a[2])}");
        if (L(a[3]) is < 0 or > 2) throw new ArgumentException($"grid_sampler(): padding_mode must be 0 (zeros), 1 (border) or 2 (reflection), got {L(a[3])}");
        return new TensorMeta(input.DType, [input.Shape[0], input.Shape[1], grid.Shape[1], grid.Shape[2], grid.Shape[3]]);
    }, kernel: a =>
    {
        PoolingKernels.RequireFloat("grid_sampler_3d", T0(a));
        return SpatialKernels.GridSampler3d(T0(a), Tn(a, 1), L(a[2]), L(a[3]), B(a[4]));
    });

    private static object? GridSamplerBody(object?[] a) => T0(a).Ndim switch
    {
        4 => Call(GridSampler2d, a[0], a[1], a[2], a[3], a[4]),
        5 => Call(GridSampler3d, a[0], a[1], a[2], a[3], a[4]),
        _ => throw new ArgumentException($"grid_sampler(): expected a 4-D (N, C, H, W) or 5-D (N, C, D, H, W) input, got {T0(a).Ndim}-D."),
    };
}

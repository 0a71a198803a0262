using Graphport.Operators;

namespace Graphport;

/// <summary>grid_sampler (what F.grid_sample records): the 2-D sampler for a 4-D input; 3-D volumes are not supported.</summary>
internal static partial class Aten
{
    public static readonly OpOverload GridSampler = Composite("grid_sampler(Tensor input, Tensor grid, int interpolation_mode, int padding_mode, bool align_corners) -> Tensor", GridSamplerBody);

    private static object? GridSamplerBody(object?[] a)
    {
        if (T0(a).Ndim != 4)
            throw new NotSupportedException($"grid_sampler: a {T0(a).Ndim}-D input is not supported; Graphport samples 4-D inputs (N, C, H, W) with a (N, H_out, W_out, 2) grid (grid_sampler_2d), not volumes.");
        return Call(GridSampler2d, a[0], a[1], a[2], a[3], a[4]);
    }
}

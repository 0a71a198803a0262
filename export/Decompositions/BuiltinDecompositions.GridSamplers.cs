using Graphport.Operators;

namespace Graphport;

/// <summary>
/// grid_sampler_3d in Core ATen (and grid_sampler_2d, a core op, the same way for backends without a sampler: see
/// Decompositions.GridSampler2dAsGathers): the grid's coordinates unnormalized to pixel or voxel coordinates and put
/// through the padding mode (clamped for border, reflected then clamped for reflection) with pointwise ops, then either
/// the nearest element or the 2^dims around the point gathered from the flattened input (those outside read 0) and
/// weighted.
/// </summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterGridSamplers() => Register("aten::grid_sampler_3d", a => GridSamplerAsGathers(a, 3));

    /// <summary>grid_sampler_2d (bilinear or nearest: <paramref name="a"/>[2] is 0 or 1) or grid_sampler_3d as gathers.</summary>
    internal static Tensor GridSamplerAsGathers(object?[] a, int dims)
    {
        Tensor input = T(a[0]), grid = T(a[1]);
        long interpolation = Aten.L(a[2]), padding = Aten.L(a[3]);
        bool alignCorners = Aten.B(a[4]);
        if (interpolation is not (0 or 1)) throw new ArgumentException($"grid_sampler_{dims}d decomposes bilinear (0) and nearest (1) sampling only, got interpolation mode {interpolation}.");
        SymInt n = input.Shape[0], c = input.Shape[1];
        // The grid's x, y(, z) run along W, H(, D): the input's last dims, backwards.
        var size = Enumerable.Range(0, dims).Select(i => (long)input.Shape[input.Ndim - 1 - i]).ToArray();
        var outShape = grid.Shape.AsArray()[1..^1];
        var points = ShapeRules.Product(outShape);
        var flatGrid = Aten.Call(Aten.View, grid, new SymInt[] { n, points, dims });
        var coordinates = Enumerable.Range(0, dims).Select(i => SourceCoordinate(Aten.Call(Aten.Select, flatGrid, 2L, (long)i), size[i], padding, alignCorners)).ToArray();
        var volume = Aten.Call(Aten.View, input, new SymInt[] { n, c, size.Aggregate(1L, (x, y) => x * y) });

        // The value at integer coordinates (x, y(, z)) of shape (N, P): 0 outside the input.
        Tensor Read(Tensor[] at)
        {
            Tensor? inside = null;
            for (int i = 0; i < dims; i++)
            {
                var within = Aten.Call(Aten.LogicalAnd, Aten.Call(Aten.GeScalar, at[i], 0L), Aten.Call(Aten.LtScalar, at[i], size[i]));
                inside = inside is null ? within : Aten.Call(Aten.LogicalAnd, inside, within);
            }
            // Row-major over (.., y, x): the slowest axis first.
            var index = at[dims - 1];
            for (int i = dims - 2; i >= 0; i--) index = Aten.Call(Aten.Add, Aten.Call(Aten.Mul, index, size[i]), at[i]);
            var safe = Aten.Call(Aten.WhereScalarOther, inside!, index, 0L);
            var gathered = Aten.Call(Aten.Gather, volume, 2L, Aten.Call(Aten.Expand, Aten.Call(Aten.Unsqueeze, safe, 1L), new SymInt[] { n, c, points }));
            return Aten.Call(Aten.WhereScalarOther, Aten.Call(Aten.Unsqueeze, inside!, 1L), gathered, 0.0);
        }
        Tensor Integer(Tensor t) => Aten.CallKw(Aten.ToCopy, [t], ("dtype", DType.Int64));

        Tensor result;
        if (interpolation == 1)
        {
            result = Read(coordinates.Select(t => Integer(Aten.Call(Aten.Round, t))).ToArray());
        }
        else
        {
            var floors = coordinates.Select(t => Aten.Call(Aten.Floor, t)).ToArray();
            var fractions = coordinates.Select((t, i) => Aten.Call(Aten.Sub, t, floors[i])).ToArray();
            var lows = floors.Select(Integer).ToArray();
            result = null!;
            for (int k = 0; k < 1 << dims; k++)
            {
                var corner = new Tensor[dims];
                Tensor? weight = null;
                for (int i = 0; i < dims; i++)
                {
                    bool high = ((k >> i) & 1) == 1;
                    corner[i] = high ? Aten.Call(Aten.Add, lows[i], 1L) : lows[i];
                    var w = high ? fractions[i] : Aten.Call(Aten.Rsub, fractions[i], 1L);
                    weight = weight is null ? w : Aten.Call(Aten.Mul, weight, w);
                }
                var term = Aten.Call(Aten.Mul, Read(corner), Aten.Call(Aten.Unsqueeze, weight!, 1L));
                result = k == 0 ? term : Aten.Call(Aten.Add, result, term);
            }
        }
        return Aten.Call(Aten.View, result, new[] { n, c }.Concat(outShape).ToArray());
    }

    /// <summary>A grid coordinate in [-1, 1] as a voxel coordinate, after the padding mode.</summary>
    private static Tensor SourceCoordinate(Tensor g, long size, long padding, bool alignCorners)
    {
        var coordinate = alignCorners
            ? Aten.Call(Aten.Mul, Aten.Call(Aten.Add, g, 1L), (size - 1) / 2.0)
            : Aten.Call(Aten.Div, Aten.Call(Aten.Sub, Aten.Call(Aten.Mul, Aten.Call(Aten.Add, g, 1L), (double)size), 1L), 2L);
        if (padding == 0) return coordinate;
        if (padding == 2)
        {
            // Reflected into [low, high] (the pixel centres with align_corners, the pixel edges without).
            double low = alignCorners ? 0 : -0.5, span = alignCorners ? size - 1 : size;
            if (span <= 0) return Aten.Call(Aten.ZerosLike, coordinate);
            var distance = Aten.Call(Aten.Abs, Aten.Call(Aten.Sub, coordinate, low));
            var extra = Aten.Call(Aten.FmodScalar, distance, span);
            var flips = Aten.Call(Aten.Floor, Aten.Call(Aten.Div, distance, span));
            var even = Aten.Call(Aten.EqScalar, Aten.Call(Aten.FmodScalar, flips, 2L), 0L);
            coordinate = Aten.Call(Aten.Where, even, Aten.Call(Aten.Add, extra, low), Aten.Call(Aten.Add, Aten.Call(Aten.Rsub, extra, span), low));
        }
        return Aten.Call(Aten.Clamp, coordinate, 0L, size - 1);
    }
}

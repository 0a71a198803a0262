using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>
/// The elements a kernel (or one level of it) walks: a row-major shape whose linear index is the variable
/// <see cref="Linear"/> and whose coordinates are the variables Prefix0, Prefix1, ... Kernels write index math
/// over the coordinate variables; renderer and twin derive them from the linear index the same way.
/// </summary>
public sealed record IterationSpace(string Linear, string Prefix, IReadOnlyList<long> Shape)
{
    public long Numel => Shape.Aggregate(1L, (a, b) => checked(a * b));

    public IndexVar LinearVar => new(Linear, Numel);

    public IndexVar Coordinate(int dim) => new($"{Prefix}{dim}", Shape[dim]);

    public IndexExpr[] Coordinates => Enumerable.Range(0, Shape.Count).Select(d => (IndexExpr)Coordinate(d)).ToArray();

    /// <summary>Row-major strides of <see cref="Shape"/> in elements.</summary>
    public long[] ContiguousStrides
    {
        get
        {
            var strides = new long[Shape.Count];
            long running = 1;
            for (int d = Shape.Count - 1; d >= 0; d--)
            {
                strides[d] = running;
                running *= Math.Max(Shape[d], 1);
            }
            return strides;
        }
    }

    /// <summary>How coordinate <paramref name="dim"/> follows from the linear index (what the renderer prints).</summary>
    public IndexExpr CoordinateFromLinear(int dim)
    {
        long inner = 1;
        for (int d = Shape.Count - 1; d > dim; d--) inner *= Math.Max(Shape[d], 1);
        var quotient = LinearVar.Div(inner);
        return dim == 0 ? quotient : quotient.Mod(Math.Max(Shape[dim], 1));
    }

    /// <summary>
    /// Replaces the row-major linearization of this space's own coordinates by the linear variable itself, so
    /// a same-shape contiguous access reads <c>in0[i]</c> rather than re-adding its coordinates.
    /// </summary>
    public IndexExpr Tighten(IndexExpr index)
    {
        if (Shape.Count <= 1) return Shape.Count == 1 && index.Equals(Coordinate(0)) ? LinearVar : index;
        var identity = IndexExpr.Linearize(Coordinates, ContiguousStrides);
        if (index.Equals(identity)) return LinearVar;
        // The identity plus a constant offset (a slice of a bigger buffer) reads i + offset.
        if (index is IndexLinear linear && (index - IndexExpr.Constant(linear.Constant)).Equals(identity)) return LinearVar + linear.Constant;
        return index;
    }
}

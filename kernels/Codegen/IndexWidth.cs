using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Codegen;

/// <summary>
/// Whether a pointwise kernel's index math fits 32-bit integers. 64-bit division and remainder by constants (every
/// coordinate a kernel recovers from its linear index, every im2col and broadcast) cost several times their
/// 32-bit forms on a GPU, and im2col and gathers are mostly index math. The bound is checked on every
/// subexpression the kernel evaluates, from the loop extents up, so no intermediate can overflow: a sum is bounded
/// by the sum of its terms' magnitudes (C adds left to right), a quotient by its dividend's, a remainder by its
/// divisor, a loaded index by the extent its consumer promises (and it is 64-bit in C anyway).
/// </summary>
public static class IndexWidth
{
    /// <summary>The largest magnitude allowed, leaving room for the grid-stride loop's last step past the end.</summary>
    public const long Limit = int.MaxValue - (1L << 24);

    public static bool FitsInt32(PointwiseKernel kernel)
    {
        if (kernel.Space.Numel > Limit) return false;
        var indices = Coordinates(kernel.Space).ToList();
        foreach (var store in kernel.Stores)
        {
            indices.Add(store.Index);
            indices.AddRange(Indices(store.Value));
        }
        return indices.All(Fits);
    }

    /// <summary>The direct convolution's pixel and tap math (its output offset is computed in 64 bits regardless).</summary>
    public static bool FitsInt32(DirectConvKernel kernel) =>
        kernel.Pixels.Numel <= Limit && kernel.Taps.Numel <= Limit &&
        Coordinates(kernel.Pixels).Concat(Coordinates(kernel.Taps)).Concat(Indices(kernel.Input)).All(Fits);

    private static IEnumerable<IndexExpr> Coordinates(Planning.IterationSpace space) =>
        Enumerable.Range(0, space.Shape.Count).Select(space.CoordinateFromLinear);

    private static IEnumerable<IndexExpr> Indices(Expr value) => ExprWalker.Nodes(value).Select(node => node switch
    {
        LoadExpr l => l.Index,
        IndexValueExpr v => v.Index,
        InRangeExpr r => r.Index,
        _ => null,
    }).OfType<IndexExpr>();

    private static bool Fits(IndexExpr e) => Magnitude(e) <= Limit && e switch
    {
        IndexDiv d => Fits(d.Value),
        IndexMod m => Fits(m.Value),
        IndexLoad l => Fits(l.Index),
        IndexLinear l => l.Terms.All(t => Fits(t.Term)),
        _ => true,
    };

    /// <summary>An upper bound of |value| at every step of evaluating <paramref name="e"/> in C.</summary>
    internal static long Magnitude(IndexExpr e) => e switch
    {
        IndexConst c => Saturating.Abs(c.Value),
        IndexVar v => v.Max,
        IndexDiv d => Magnitude(d.Value) / d.Divisor,
        IndexMod m => Math.Min(m.Divisor - 1, Magnitude(m.Value)),
        IndexLoad l => l.Max,
        IndexLinear l => l.Terms.Aggregate(Saturating.Abs(l.Constant), (acc, t) => Saturating.Add(acc, Saturating.Multiply(Magnitude(t.Term), Saturating.Abs(t.Coefficient)))),
        _ => long.MaxValue / 4,
    };
}

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
        var indices = new List<IndexExpr>();
        for (int d = 0; d < kernel.Space.Shape.Count; d++) indices.Add(kernel.Space.CoordinateFromLinear(d));
        foreach (var store in kernel.Stores)
        {
            indices.Add(store.Index);
            foreach (var node in ExprWalker.Nodes(store.Value))
            {
                switch (node)
                {
                    case LoadExpr l: indices.Add(l.Index); break;
                    case IndexValueExpr v: indices.Add(v.Index); break;
                    case InRangeExpr r: indices.Add(r.Index); break;
                }
            }
        }
        return indices.All(Fits);
    }

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

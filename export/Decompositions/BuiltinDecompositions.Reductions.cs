using Graphport.Operators;

namespace Graphport;

/// <summary>Reductions: dot → mul + sum, sum (all) → sum.dim_IntList, all → not any not, max/min (all) → amax/amin, histc → arithmetic and a scatter_add of ones.</summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterReductions()
    {
        Register("aten::histc", Aten.HistcDecomposition);
        Register("aten::dot", a => Aten.Call(Aten.Sum, Aten.Call(Aten.Mul, a[0], a[1])));
        Register("aten::cumprod", a => Cumprod(T(a[0]), Aten.L(a[1]), (DType?)a[2]));
        Register("aten::sum", a => Aten.CallKw(Aten.SumDim, [a[0], null], ("dtype", a[1])));
        Register("aten::max", a => Aten.Call(Aten.Amax, a[0], Array.Empty<long>(), false));
        Register("aten::min", a => Aten.Call(Aten.Amin, a[0], Array.Empty<long>(), false));
        Register("aten::all", a =>
        {
            var all = (Tensor)Aten.Call(Aten.LogicalNot, Aten.Call(Aten.Any, Aten.Call(Aten.LogicalNot, a[0])))!;
            // all of a uint8 tensor is uint8 (as torch._refs.all casts back); logical_not makes everything else bool.
            return ((Tensor)a[0]!).DType == DType.UInt8 ? Aten.CallKw(Aten.ToCopy, [all], ("dtype", DType.UInt8)) : all;
        });
    }

    // cumprod along dim as a product over a second copy of dim, masked to the elements at or before each position:
    // y[.., i, ..] = Π_j where(j <= i, x[.., j, ..], 1). Multiplying by one is exact, so this is the running product;
    // it costs a size² intermediate, which the short dims cumprod runs over (a position's decay, a scan) afford.
    private static Tensor Cumprod(Tensor x, long dim, DType? dtype)
    {
        if (dtype is { } to && to != x.DType) x = Aten.CallKw(Aten.ToCopy, [x], ("dtype", to));
        else if (x.DType.IsIntegral(includeBool: true)) x = Aten.CallKw(Aten.ToCopy, [x], ("dtype", DType.Int64));
        if (x.Ndim == 0) return Aten.Call(Aten.Clone, x);
        int d = ShapeRules.WrapDim(dim, x.Ndim);
        var size = x.Shape[d];
        // Positions i (a new dim before d) and j (dim d itself): keep x where j <= i.
        var i = Aten.Call(Aten.Unsqueeze, Aten.CallKw(Aten.Arange, [size], ("dtype", DType.Int64)), 1L);
        var j = Aten.Call(Aten.Unsqueeze, Aten.CallKw(Aten.Arange, [size], ("dtype", DType.Int64)), 0L);
        var keep = Aten.Call(Aten.LeTensor, j, i);
        for (int k = d + 1; k < x.Ndim; k++) keep = Aten.Call(Aten.Unsqueeze, keep, -1L);
        var spread = Aten.Call(Aten.Unsqueeze, x, (long)d);
        var masked = Aten.Call(Aten.WhereScalarOther, keep, spread, 1L);
        return Aten.Call(Aten.ProdDim, masked, (long)d + 1, false);
    }
}

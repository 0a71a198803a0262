namespace Graphport;

/// <summary>Reductions: dot → mul + sum, sum (all) → sum.dim_IntList, all → not any not, max/min (all) → amax/amin.</summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterReductions()
    {
        Register("aten::dot", a => Aten.Call(Aten.Sum, Aten.Call(Aten.Mul, a[0], a[1])));
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
}

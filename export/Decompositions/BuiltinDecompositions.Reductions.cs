namespace Graphport;

/// <summary>Reductions: dot → mul + sum, sum (all) → sum.dim_IntList, all → not any not.</summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterReductions()
    {
        Register("aten::dot", a => Aten.Call(Aten.Sum, Aten.Call(Aten.Mul, a[0], a[1])));
        Register("aten::sum", a => Aten.CallKw(Aten.SumDim, [a[0], null], ("dtype", a[1])));
        Register("aten::all", a => Aten.Call(Aten.LogicalNot, Aten.Call(Aten.Any, Aten.Call(Aten.LogicalNot, a[0]))));
    }
}

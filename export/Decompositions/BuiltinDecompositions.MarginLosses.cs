using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Decompositions of the margin losses of Aten.MarginLosses.cs to Core ATen: the target class's score gathered,
/// hinged against every score with clamp, the terms that do not count masked with where, summed per sample and
/// divided by the number of classes, then reduced.
/// </summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterMarginLosses()
    {
        Register("aten::multi_margin_loss", MultiMarginLossDecomposition);
        Register("aten::multilabel_margin_loss", MultilabelMarginLossDecomposition);
    }

    private static object? MultiMarginLossDecomposition(object?[] a)
    {
        var self = T(a[0]);
        var target = T(a[1]);
        long p = (long)Aten.D(a[2]);
        double margin = Aten.D(a[3]);
        long reduction = Aten.L(a[5]);
        var x = self.Ndim == 1 ? Aten.Call(Aten.Unsqueeze, self, 0L) : self;
        SymInt classes = x.Shape[1];
        var column = Aten.Call(Aten.View, target, new SymInt[] { -1, 1 });
        var own = Aten.Call(Aten.Gather, x, 1L, column);
        var z = Aten.Call(Aten.Clamp, Aten.Call(Aten.AddScalar, Aten.Call(Aten.Sub, x, own), margin), 0L, null);
        if (p == 2) z = Aten.Call(Aten.Mul, z, z);
        if (a[4] is Tensor weight) z = Aten.Call(Aten.Mul, z, Aten.Call(Aten.View, Aten.Call(Aten.IndexSelect, weight, 0L, Aten.Call(Aten.View, target, new SymInt[] { -1 })), new SymInt[] { -1, 1 }));
        var others = Aten.Call(Aten.NeTensor, Aten.Call(Aten.ArangeStartStep, 0L, classes, 1L), column);
        z = Aten.Call(Aten.Where, others, z, Aten.CallKw(Aten.ScalarTensor, [0L], ("dtype", z.DType)));
        var perSample = Aten.Call(Aten.Div, Aten.Call(Aten.SumDim, z, new[] { 1L }), classes);
        return PerSampleReduction(perSample, reduction, keepSamples: target.Ndim > 0);
    }

    private static object? MultilabelMarginLossDecomposition(object?[] a)
    {
        var self = T(a[0]);
        long reduction = Aten.L(a[2]);
        var x = self.Ndim == 1 ? Aten.Call(Aten.Unsqueeze, self, 0L) : self;
        SymInt classes = x.Shape[1];
        var target = Aten.Call(Aten.View, a[1], x.Shape.AsArray());
        var positions = Aten.Call(Aten.ArangeStartStep, 0L, classes, 1L);
        // A sample's list ends at its first negative target: the positions before it count.
        var firstNegative = Aten.Call(Aten.Amin, Aten.Call(Aten.Where, Aten.Call(Aten.LtScalar, target, 0L), positions, Aten.CallKw(Aten.ScalarTensor, [classes], ("dtype", DType.Int64))), new[] { -1L }, true);
        var counted = Aten.Call(Aten.LtTensor, positions, firstNegative);
        var listedClass = Aten.Call(Aten.Where, counted, target, Aten.CallKw(Aten.ScalarTensor, [0L], ("dtype", DType.Int64)));
        var own = Aten.Call(Aten.Gather, x, 1L, listedClass);
        // listed[n, i]: class i is one of sample n's counted targets.
        var matches = Aten.Call(Aten.LogicalAnd, Aten.Call(Aten.EqTensor, Aten.Call(Aten.Unsqueeze, listedClass, -1L), positions), Aten.Call(Aten.Unsqueeze, counted, -1L));
        var listed = Aten.Call(Aten.AnyDim, matches, 1L, false);
        // z[n, j, i] = max(0, 1 − x[n, target j] + x[n, i]) for counted j and unlisted i.
        var z = Aten.Call(Aten.Clamp, Aten.Call(Aten.AddScalar, Aten.Call(Aten.Sub, Aten.Call(Aten.Unsqueeze, x, 1L), Aten.Call(Aten.Unsqueeze, own, -1L)), 1L), 0L, null);
        var mask = Aten.Call(Aten.LogicalAnd, Aten.Call(Aten.Unsqueeze, counted, -1L), Aten.Call(Aten.Unsqueeze, Aten.Call(Aten.LogicalNot, listed), 1L));
        z = Aten.Call(Aten.Where, mask, z, Aten.CallKw(Aten.ScalarTensor, [0L], ("dtype", z.DType)));
        var perSample = Aten.Call(Aten.Div, Aten.Call(Aten.SumDim, z, new[] { 1L, 2L }), classes);
        return PerSampleReduction(perSample, reduction, keepSamples: self.Ndim == 2);
    }

    // The per-sample losses as the op returns them: kept ([N]) or one number for reduction none, else mean or sum.
    private static Tensor PerSampleReduction(Tensor perSample, long reduction, bool keepSamples) => reduction switch
    {
        LossReduction.None => keepSamples ? perSample : Aten.Call(Aten.View, perSample, Array.Empty<SymInt>()),
        _ => LossReduction.Apply(perSample, reduction),
    };
}

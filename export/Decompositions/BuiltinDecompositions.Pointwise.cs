using Graphport.Operators;

namespace Graphport;

/// <summary>Elementwise ops: activations over clamp/sigmoid/exp, masked_fill → where, where with numbers → scalar_tensor + where, fill.Tensor → copy, triu/tril → where.</summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterPointwise()
    {
        Register("aten::silu", a => Aten.Call(Aten.Mul, a[0], Aten.Call(Aten.Sigmoid, a[0])));
        Register("aten::hardsigmoid", a => Aten.Call(Aten.Div, Aten.Call(Aten.Clamp, Aten.Call(Aten.Add, a[0], 3L), 0L, 6L), 6L));
        Register("aten::hardswish", a => Aten.Call(Aten.Div, Aten.Call(Aten.Mul, a[0], Aten.Call(Aten.Clamp, Aten.Call(Aten.Add, a[0], 3L), 0L, 6L)), 6L));
        Register("aten::softplus", a =>
        {
            var x = T(a[0]);
            double beta = Aten.D(a[1]), threshold = Aten.D(a[2]);
            var scaled = Aten.Call(Aten.Mul, x, beta);
            var soft = Aten.Call(Aten.Div, Aten.Call(Aten.Log1p, Aten.Call(Aten.Exp, scaled)), beta);
            return Aten.Call(Aten.Where, Aten.Call(Aten.GtScalar, scaled, threshold), x, soft);
        });
        Register("aten::masked_fill.Scalar", a =>
        {
            var x = T(a[0]);
            var value = Aten.CallKw(Aten.ScalarTensor, [a[2]], ("dtype", x.DType));
            return Aten.Call(Aten.Where, a[1], value, x);
        });
        // As ATen implements them: a number branch becomes a 0-dim tensor of the result dtype, then where.self.
        Register("aten::where.ScalarOther", a => Aten.Call(Aten.Where, a[0], a[1], ScalarBranch(a[2], a[1], a[2])));
        Register("aten::where.ScalarSelf", a => Aten.Call(Aten.Where, a[0], ScalarBranch(a[1], a[1], a[2]), a[2]));
        Register("aten::where.Scalar", a =>
        {
            var other = ScalarBranch(a[2], a[1], a[2]);
            return Aten.Call(Aten.Where, a[0], ScalarBranch(a[1], a[1], a[2]), other);
        });
        Register("aten::fill.Tensor", a => Aten.Call(Aten.Copy, a[0], a[1]));
        Register("aten::floor_divide", a => Aten.CallKw(Aten.DivMode, [a[0], a[1]], ("rounding_mode", "floor")));
        Register("aten::floor_divide.Scalar", a => Aten.CallKw(Aten.DivScalarMode, [a[0], a[1]], ("rounding_mode", "floor")));
        Register("aten::triu", a => Triangle(T(a[0]), Aten.L(a[1]), upper: true));
        Register("aten::tril", a => Triangle(T(a[0]), Aten.L(a[1]), upper: false));
    }

    /// <summary>scalar_tensor(value, dtype=result_type(self, other)): a where branch given as a number.</summary>
    private static Tensor ScalarBranch(object? value, object? self, object? other) =>
        Aten.CallKw(Aten.ScalarTensor, [value], ("dtype", ShapeRules.ResultType([self, other])));

    /// <summary>triu/tril as where(col - row >= k, x, 0) over arange-built index grids.</summary>
    private static Tensor Triangle(Tensor x, long diagonal, bool upper)
    {
        var rows = Aten.Call(Aten.ArangeStartStep, 0L, x.Shape[^2], 1L);
        var cols = Aten.Call(Aten.ArangeStartStep, 0L, x.Shape[^1], 1L);
        var delta = Aten.Call(Aten.Sub, Aten.Call(Aten.Unsqueeze, cols, 0L), Aten.Call(Aten.Unsqueeze, rows, 1L));
        var keep = upper ? Aten.Call(Aten.GeScalar, delta, diagonal) : Aten.Call(Aten.LeScalar, delta, diagonal);
        var zero = Aten.CallKw(Aten.ScalarTensor, [0L], ("dtype", x.DType));
        return Aten.Call(Aten.Where, keep, x, zero);
    }
}

using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Decompositions of the non-core ATen ops the engine can record, each written with core ops (as in
/// torch/_decomp and torch/_refs): t → permute, silu → mul + sigmoid, zeros → full, ...
/// </summary>
internal static class BuiltinDecompositions
{
    private static Tensor T(object? a) => (Tensor)a!;

    public static void RegisterAll()
    {
        Register("aten::t", a =>
        {
            var x = T(a[0]);
            return x.Ndim < 2 ? Aten.Call(Aten.Alias, x) : Aten.Call(Aten.Permute, x, new long[] { 1, 0 });
        });
        Register("aten::transpose.int", a =>
        {
            var x = T(a[0]);
            int rank = x.Ndim;
            if (rank <= 1) return Aten.Call(Aten.Alias, x);
            int d0 = ShapeRules.WrapDim(Aten.L(a[1]), rank), d1 = ShapeRules.WrapDim(Aten.L(a[2]), rank);
            var perm = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
            (perm[d0], perm[d1]) = (perm[d1], perm[d0]);
            return Aten.Call(Aten.Permute, x, perm);
        });
        Register("aten::_unsafe_view", a => Aten.Call(Aten.View, Aten.Call(Aten.Contiguous, a[0]), a[1]));
        Register("aten::squeeze", a =>
        {
            var x = T(a[0]);
            var dims = Enumerable.Range(0, x.Ndim).Where(d => x.Shape[d].AsConstant == 1).Select(d => (long)d).ToArray();
            return Aten.Call(Aten.SqueezeDims, x, dims);
        });
        Register("aten::dot", a => Aten.Call(Aten.Sum, Aten.Call(Aten.Mul, a[0], a[1])));
        Register("aten::sum", a => Aten.CallKw(Aten.SumDim, [a[0], null], ("dtype", a[1])));
        Register("aten::all", a => Aten.Call(Aten.LogicalNot, Aten.Call(Aten.Any, Aten.Call(Aten.LogicalNot, a[0]))));
        Register("aten::zeros", a => Aten.CallKw(Aten.Full, [a[0], 0L], ("dtype", a[1] ?? DType.Float32)));
        Register("aten::ones", a => Aten.CallKw(Aten.Full, [a[0], 1L], ("dtype", a[1] ?? DType.Float32)));
        Register("aten::zeros_like", a => Aten.CallKw(Aten.FullLike, [a[0], 0L], ("dtype", a[1])));
        Register("aten::ones_like", a => Aten.CallKw(Aten.FullLike, [a[0], 1L], ("dtype", a[1])));
        Register("aten::empty_like", a => Aten.CallKw(Aten.EmptyMemoryFormat, [T(a[0]).Shape.AsArray()], ("dtype", a[1] ?? T(a[0]).DType)));
        Register("aten::rand_like", a => Aten.CallKw(Aten.Rand, [T(a[0]).Shape.AsArray()], ("dtype", a[1] ?? T(a[0]).DType)));
        Register("aten::randn_like", a => Aten.CallKw(Aten.Randn, [T(a[0]).Shape.AsArray()], ("dtype", a[1] ?? T(a[0]).DType)));
        Register("aten::randint.low", a =>
        {
            long low = Aten.L(a[0]), high = Aten.L(a[1]);
            var u = Aten.CallKw(Aten.Rand, [a[2]], ("dtype", DType.Float64));
            var scaled = Aten.Call(Aten.Floor, Aten.Call(Aten.Mul, u, (double)(high - low)));
            return Aten.CallKw(Aten.ToCopy, [Aten.Call(Aten.Add, scaled, low)], ("dtype", a[3] ?? DType.Int64));
        });
        Register("aten::bernoulli.p", a =>
        {
            var x = T(a[0]);
            var u = Aten.CallKw(Aten.Rand, [x.Shape.AsArray()], ("dtype", x.DType));
            return Aten.CallKw(Aten.ToCopy, [Aten.Call(Aten.LtScalar, u, Aten.D(a[1]))], ("dtype", x.DType));
        });
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
        Register("aten::fill.Tensor", a => Aten.Call(Aten.Copy, a[0], a[1]));
        Register("aten::triu", a => Triangle(T(a[0]), Aten.L(a[1]), upper: true));
        Register("aten::tril", a => Triangle(T(a[0]), Aten.L(a[1]), upper: false));
    }

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

    private static void Register(string op, KernelFunction decomposition) => Decompositions.Register(op, decomposition);
}

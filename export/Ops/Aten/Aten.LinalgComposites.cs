using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Products torch's export keeps as single nodes (einsum, baddbmm, outer, mv, kron, addmv, addr, vdot) and the diagonal's reductions
/// (diag, trace), in core ops.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Einsum = Composite("einsum(str equation, Tensor[] tensors, *, int[]? path=None) -> Tensor", EinsumBody);
    public static readonly OpOverload Baddbmm = Composite("baddbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", BaddbmmBody);
    public static readonly OpOverload Outer = Composite("outer(Tensor self, Tensor vec2) -> Tensor", OuterBody);
    public static readonly OpOverload Mv = Composite("mv(Tensor self, Tensor vec) -> Tensor", MvBody);
    public static readonly OpOverload Kron = Composite("kron(Tensor self, Tensor other) -> Tensor", KronBody);
    public static readonly OpOverload Diag = Composite("diag(Tensor self, int diagonal=0) -> Tensor", DiagBody);
    public static readonly OpOverload Trace = Composite("trace(Tensor self) -> Tensor", TraceBody);
    public static readonly OpOverload Addmv = Composite("addmv(Tensor self, Tensor mat, Tensor vec, *, Scalar beta=1, Scalar alpha=1) -> Tensor", AddmvBody);
    public static readonly OpOverload Addr = Composite("addr(Tensor self, Tensor vec1, Tensor vec2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", AddrBody);
    public static readonly OpOverload Vdot = Composite("vdot(Tensor self, Tensor other) -> Tensor", VdotBody);

    // beta · self + alpha · product, self ignored when beta is 0 (as addmm, baddbmm).
    private static Tensor ScaledSum(Tensor self, Tensor product, object? beta, object? alpha)
    {
        var scaled = Scaled(product, alpha);
        return D(beta) == 0 ? scaled : Call(Add, Scaled(self, beta), scaled);
    }

    private static object? AddmvBody(object?[] a) => ScaledSum(T0(a), (Tensor)MvBody([a[1], a[2]])!, a[3], a[4]);

    private static object? AddrBody(object?[] a) => ScaledSum(T0(a), (Tensor)OuterBody([a[1], a[2]])!, a[3], a[4]);

    private static object? VdotBody(object?[] a) => Call(Dot, a[0], a[1]);

    private static object? EinsumBody(object?[] a)
    {
        var tensors = (Tensor[])a[1]!;
        if (tensors.Length == 0) throw new ArgumentException("einsum(): must provide at least one operand");
        return EinsumLowering.Lower((string)a[0]!, tensors, problem => new ArgumentException($"einsum() {problem}"));
    }

    // beta · self + alpha · (batch1 @ batch2); a beta of 0 ignores self (its NaNs included), as ATen does.
    private static object? BaddbmmBody(object?[] a)
    {
        var product = Scaled(Call(Bmm, a[1], a[2]), a[4]);
        if (D(a[3]) == 0) return product;
        return Call(Add, Scaled(T0(a), a[3]), product);
    }

    private static object? OuterBody(object?[] a)
    {
        if (T0(a).Ndim != 1 || Tn(a, 1).Ndim != 1) throw new ArgumentException($"outer: expected 1-D vectors, got {T0(a).Ndim}-D and {Tn(a, 1).Ndim}-D");
        return Call(Mul, Call(Unsqueeze, a[0], 1L), a[1]);
    }

    private static object? MvBody(object?[] a)
    {
        if (T0(a).Ndim != 2 || Tn(a, 1).Ndim != 1) throw new ArgumentException($"vector + matrix @ vector expected, got {T0(a).Ndim}, {Tn(a, 1).Ndim}");
        return Call(SqueezeDim, Call(Mm, a[0], Call(Unsqueeze, a[1], 1L)), 1L);
    }

    // Each operand spread over interleaved dims, [a0, 1, a1, 1, ...] times [1, b0, 1, b1, ...], folded to [a0·b0, a1·b1, ...].
    private static object? KronBody(object?[] a)
    {
        var x = T0(a);
        var y = Tn(a, 1);
        int rank = Math.Max(x.Ndim, y.Ndim);
        SymInt[] Padded(Tensor t) => [.. Enumerable.Repeat((SymInt)1, rank - t.Ndim), .. t.Shape.AsArray()];
        SymInt[] xs = Padded(x), ys = Padded(y);
        var xSpread = Call(Reshape, x, xs.SelectMany(s => new[] { s, (SymInt)1 }).ToArray());
        var ySpread = Call(Reshape, y, ys.SelectMany(s => new[] { (SymInt)1, s }).ToArray());
        return Call(Reshape, Call(Mul, xSpread, ySpread), xs.Zip(ys, (p, q) => p * q).ToArray());
    }

    // A vector becomes the k-th diagonal of a square matrix; a matrix gives (a copy of) its k-th diagonal.
    private static object? DiagBody(object?[] a)
    {
        var self = T0(a);
        long k = L(a[1]);
        if (self.Ndim == 2) return Call(Clone, Call(Diagonal, self, k, 0L, 1L));
        if (self.Ndim != 1) throw new ArgumentException($"diag(): Supports 1D or 2D tensors. Got {self.Ndim}D");
        var side = self.Shape[0] + Math.Abs(k);
        var square = CallKw(Zeros, [new[] { side, side }], ("dtype", self.DType));
        return Call(DiagonalScatter, square, self, k, 0L, 1L);
    }

    private static object? TraceBody(object?[] a)
    {
        if (T0(a).Ndim != 2) throw new ArgumentException($"trace: expected a matrix, but got tensor with dim {T0(a).Ndim}");
        return Call(Sum, Call(Diagonal, a[0], 0L, 0L, 1L));
    }
}

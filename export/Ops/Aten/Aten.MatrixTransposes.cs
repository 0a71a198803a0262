using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The transposes Python's tensor properties record: x.T on any rank (numpy_T, every dim reversed), x.mT (the last
/// two dims swapped), x.mH and x.adjoint() (the same, conjugated), x.H (matrix_H, of a matrix).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload NumpyT = Composite("numpy_T(Tensor(a) self) -> Tensor(a)", NumpyTBody);
    public static readonly OpOverload MatrixT = Composite("mT(Tensor(a) self) -> Tensor(a)", MatrixTBody);
    public static readonly OpOverload MatrixHermitian = Composite("mH(Tensor(a) self) -> Tensor(a)", MatrixHermitianBody);
    public static readonly OpOverload Adjoint = Composite("adjoint(Tensor(a) self) -> Tensor(a)", MatrixHermitianBody);
    public static readonly OpOverload MatrixH = Composite("matrix_H(Tensor(a) self) -> Tensor(a)", MatrixHBody);

    private static object? NumpyTBody(object?[] a)
    {
        var self = T0(a);
        return Call(Permute, self, Enumerable.Range(0, self.Ndim).Reverse().Select(d => (long)d).ToArray());
    }

    private static object? MatrixTBody(object?[] a)
    {
        if (T0(a).Ndim < 2) throw new ArgumentException($"tensor.mT is only supported on matrices or batches of matrices. Got {T0(a).Ndim}-D tensor.");
        return Call(Transpose, a[0], -2L, -1L);
    }

    private static object? MatrixHermitianBody(object?[] a)
    {
        if (T0(a).Ndim < 2) throw new ArgumentException($"tensor.mH is only supported on matrices or batches of matrices. Got {T0(a).Ndim}-D tensor.");
        var swapped = Call(Transpose, a[0], -2L, -1L);
        return swapped.DType.IsComplex() ? Call(ConjComposite, swapped) : swapped;
    }

    private static object? MatrixHBody(object?[] a)
    {
        if (T0(a).Ndim != 2) throw new ArgumentException($"tensor.H is only supported on matrices (2-D tensors). Got {T0(a).Ndim}-D tensor.");
        return MatrixHermitianBody(a);
    }
}

using System.Numerics;

namespace Graphport;

/// <summary>
/// Arithmetic with a complex number (Python's <c>x * 1j</c>): the number is a wrapped scalar of category complex, so
/// a real tensor's result is complex64 (complex128 from float64), as in torch.
/// </summary>
public partial class Tensor
{
    public static Tensor operator +(Tensor a, Complex b) => Aten.Call(Aten.Add, a, b);
    public static Tensor operator +(Complex a, Tensor b) => Aten.Call(Aten.Add, b, a);
    public static Tensor operator -(Tensor a, Complex b) => Aten.Call(Aten.Sub, a, b);
    public static Tensor operator -(Complex a, Tensor b) => Aten.Call(Aten.Add, Aten.Call(Aten.Neg, b), a);
    public static Tensor operator *(Tensor a, Complex b) => Aten.Call(Aten.Mul, a, b);
    public static Tensor operator *(Complex a, Tensor b) => Aten.Call(Aten.Mul, b, a);
    public static Tensor operator /(Tensor a, Complex b) => Aten.Call(Aten.Div, a, b);
    public static Tensor operator /(Complex a, Tensor b) => Aten.Call(Aten.Mul, Aten.Call(Aten.Reciprocal, b), a);
}

namespace Graphport;

/// <summary>Complex numbers: parts, conjugate, argument (torch's x.real, x.imag, x.conj(), x.angle(), x.sgn()).</summary>
public partial class Tensor
{
    /// <summary>torch's <c>x.real</c>: the real parts of a complex tensor (float32 of complex64); a real tensor itself.</summary>
    public Tensor Real => Aten.Call(Aten.Real, this);

    /// <summary>torch's <c>x.imag</c>: the imaginary parts of a complex tensor; an error for a real one.</summary>
    public Tensor Imag => Aten.Call(Aten.Imag, this);

    public bool IsComplex() => DType.IsComplex();

    /// <summary>The complex conjugate; a real tensor is its own.</summary>
    public Tensor Conj() => Aten.Call(Aten.ConjComposite, this);

    /// <summary>The argument of each element in radians (atan2(imag, real)); for real tensors π where negative, else 0.</summary>
    public Tensor Angle() => Aten.Call(Aten.Angle, this);

    /// <summary>z/|z| (0 at 0) for complex tensors; the sign of real ones.</summary>
    public Tensor Sgn() => Aten.Call(Aten.Sgn, this);
}

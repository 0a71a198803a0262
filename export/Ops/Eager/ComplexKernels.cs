using System.Numerics;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Eager kernels of the ops that make, take apart and transform complex tensors. view_as_real and view_as_complex
/// copy: complex storages hold <see cref="ComplexFloat"/> or <see cref="Complex"/> elements, which a float array
/// cannot alias (in exported programs, which are functional, the difference cannot be seen).
/// </summary>
internal static class ComplexKernels
{
    /// <summary>A complex tensor's parts as a real tensor with a trailing dim of 2 (real, imaginary).</summary>
    public static Tensor ViewAsReal(Tensor x)
    {
        var shape = x.Sizes;
        var values = ComplexPointwise.Read(x, shape);
        var result = Tensor.Empty(x.DType.ToReal(), [.. shape, 2]);
        switch (result.Storage.Data)
        {
            case float[] o:
                for (long i = 0; i < values.LongLength; i++) { o[2 * i] = (float)values[i].Real; o[2 * i + 1] = (float)values[i].Imaginary; }
                break;
            case double[] o:
                for (long i = 0; i < values.LongLength; i++) { o[2 * i] = values[i].Real; o[2 * i + 1] = values[i].Imaginary; }
                break;
        }
        return result;
    }

    /// <summary>Pairs along a real tensor's trailing dim of 2 as complex numbers.</summary>
    public static Tensor ViewAsComplex(Tensor x, DType complex)
    {
        var shape = x.Sizes[..^1];
        var (data, layout) = Eager.As<double>(x);
        var parts = StridedCopy.AsContiguous(data, layout);
        return ComplexPointwise.Write(ShapeMath.Numel(shape), i => new Complex(parts[2 * i], parts[2 * i + 1]), shape, complex);
    }

    /// <summary>torch.complex(real, imag) and torch.polar(abs, angle): two real operands, broadcast, into one complex tensor.</summary>
    public static Tensor FromParts(Tensor first, Tensor second, DType complex, bool polar)
    {
        var shape = Eager.Longs(ShapeRules.Broadcast(first.Shape.AsArray(), second.Shape.AsArray()));
        var (a, la) = Eager.Operand<double>(first, shape);
        var (b, lb) = Eager.Operand<double>(second, shape);
        var p = StridedCopy.ToContiguous(a, la);
        var q = StridedCopy.ToContiguous(b, lb);
        return ComplexPointwise.Write(p.LongLength, i => polar ? Complex.FromPolarCoordinates(p[i], q[i]) : new Complex(p[i], q[i]), shape, complex);
    }

    public static Tensor Conjugate(Tensor x)
    {
        if (!x.DType.IsComplex()) return Eager.Contiguous(x);
        var values = ComplexPointwise.Read(x, x.Sizes);
        return ComplexPointwise.Write(values.LongLength, i => Complex.Conjugate(values[i]), x.Sizes, x.DType);
    }

    /// <summary>
    /// The argument of each element: atan2(imag, real) for complex; for a real tensor torch gives π for negative values,
    /// 0 otherwise, and keeps NaN.
    /// </summary>
    public static Tensor Angle(Tensor x, DType result)
    {
        var values = ComplexPointwise.Read(x, x.Sizes);
        return ComplexPointwise.Write(values.LongLength, i =>
        {
            var z = values[i];
            if (x.DType.IsComplex()) return Math.Atan2(z.Imaginary, z.Real);
            return double.IsNaN(z.Real) ? double.NaN : z.Real < 0 ? Math.PI : 0;
        }, x.Sizes, result);
    }
}

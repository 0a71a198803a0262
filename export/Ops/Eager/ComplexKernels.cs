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
    /// An op that moves or sums elements along dims other than the last, run on complex tensors through their
    /// (real, imaginary) pairs: the trailing pair dim view_as_real adds is carried along untouched. Dims must be given
    /// non-negative (wrapped against the complex tensor's rank), or -1 would name the pair.
    /// </summary>
    public static Tensor ThroughParts(Tensor x, DType complex, Func<Tensor, Tensor> f)
    {
        if (x.DType != complex) x = Aten.CallKw(Aten.ToCopy, [x], ("dtype", complex));
        return ViewAsComplex(f(ViewAsReal(x)), complex);
    }

    /// <summary>The real and imaginary parts of a tensor as two contiguous real tensors (zeros for a real one's imaginary part).</summary>
    public static (Tensor Real, Tensor Imaginary) Parts(Tensor x, DType complex)
    {
        if (x.DType != complex) x = Aten.CallKw(Aten.ToCopy, [x], ("dtype", complex));
        var pairs = ViewAsReal(x);
        return (Eager.Contiguous(Aten.Call(Aten.Select, pairs, -1L, 0L)), Eager.Contiguous(Aten.Call(Aten.Select, pairs, -1L, 1L)));
    }

    /// <summary>A bilinear product (mm, bmm) of complex operands from four real ones: (a + bi)(c + di) = (ac − bd) + (ad + bc)i.</summary>
    public static Tensor Product(Tensor x, Tensor y, DType complex, Func<Tensor, Tensor, Tensor> product)
    {
        var (a, b) = Parts(x, complex);
        var (c, d) = Parts(y, complex);
        var real = Aten.Call(Aten.Sub, product(a, c), product(b, d));
        var imaginary = Aten.Call(Aten.Add, product(a, d), product(b, c));
        return FromParts(real, imaginary, complex, polar: false);
    }

    /// <summary>masked_fill of a complex tensor: the value (real or complex) where the mask is set.</summary>
    public static Tensor MaskedFill(Tensor x, object? mask, object? value)
    {
        var shape = x.Sizes;
        var (dm, lm) = Eager.BoolOperand(mask, shape);
        var set = StridedCopy.ToContiguous(dm, lm);
        var values = ComplexPointwise.Read(x, shape);
        var fill = ComplexPointwise.ScalarOf(value);
        return ComplexPointwise.Write(values.LongLength, i => set[i] ? fill : values[i], shape, x.DType);
    }

    /// <summary>isnan of a complex number: either part is NaN.</summary>
    public static Tensor IsNan(Tensor x)
    {
        var values = ComplexPointwise.Read(x, x.Sizes);
        var o = new bool[values.LongLength];
        for (long i = 0; i < o.LongLength; i++) o[i] = double.IsNaN(values[i].Real) || double.IsNaN(values[i].Imaginary);
        return Eager.Wrap(o, (long[])x.Sizes.Clone(), DType.Bool);
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

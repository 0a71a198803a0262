using System.Numerics;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Elementwise kernels over complex operands. Each element is computed in double precision with
/// <see cref="Complex"/> and rounded to the result dtype (complex64 results agree with torch's float kernels to a
/// rounding); the ops torch does not define for complex numbers (ordering, rounding, activations) are refused with
/// torch's message.
/// </summary>
internal static class ComplexPointwise
{
    /// <summary>Whether any operand (tensor or number) is complex, so the op must take this path.</summary>
    public static bool Involves(object? a, object? b = null) => IsComplex(a) || IsComplex(b);

    private static bool IsComplex(object? operand) => operand is Tensor { DType: var d } && d.IsComplex() || operand is Complex;

    /// <summary>Whether <see cref="Unary"/> computes <paramref name="op"/> on complex numbers.</summary>
    public static bool Defines(UnaryOp op) => op is UnaryOp.Neg or UnaryOp.Exp or UnaryOp.Expm1 or UnaryOp.Log or UnaryOp.Log1p or UnaryOp.Log10
        or UnaryOp.Sqrt or UnaryOp.Rsqrt or UnaryOp.Sin or UnaryOp.Cos or UnaryOp.Tan or UnaryOp.Tanh or UnaryOp.Sinh or UnaryOp.Cosh
        or UnaryOp.Asin or UnaryOp.Acos or UnaryOp.Atan or UnaryOp.Sigmoid or UnaryOp.Reciprocal or UnaryOp.Abs;

    /// <summary>The ops below, with torch's name for the refusal of any other (<c>"floor_vml_cpu" not implemented for 'ComplexFloat'</c>).</summary>
    public static Tensor Unary(UnaryOp op, Tensor x)
    {
        Func<Complex, Complex> f = op switch
        {
            UnaryOp.Neg => z => -z,
            UnaryOp.Exp => Complex.Exp,
            UnaryOp.Expm1 => z => Complex.Exp(z) - 1,
            UnaryOp.Log => Complex.Log,
            UnaryOp.Log1p => z => Complex.Log(1 + z),
            UnaryOp.Log10 => Complex.Log10,
            UnaryOp.Sqrt => Complex.Sqrt,
            UnaryOp.Rsqrt => z => 1 / Complex.Sqrt(z),
            UnaryOp.Sin => Complex.Sin,
            UnaryOp.Cos => Complex.Cos,
            UnaryOp.Tan => Complex.Tan,
            UnaryOp.Tanh => Complex.Tanh,
            UnaryOp.Sinh => Complex.Sinh,
            UnaryOp.Cosh => Complex.Cosh,
            UnaryOp.Asin => Complex.Asin,
            UnaryOp.Acos => Complex.Acos,
            UnaryOp.Atan => Complex.Atan,
            UnaryOp.Sigmoid => z => 1 / (1 + Complex.Exp(-z)),
            UnaryOp.Reciprocal => z => 1 / z,
            UnaryOp.Abs => z => Complex.Abs(z),
            _ => throw NotForComplex(op.ToString().ToLowerInvariant(), x.DType),
        };
        var shape = x.Sizes;
        var values = Read(x, shape);
        var result = op == UnaryOp.Abs ? x.DType.ToReal() : x.DType;
        return Write(values.Length, i => f(values[i]), shape, result);
    }

    /// <summary>add, sub (with alpha), mul, div and pow of complex operands, broadcast to <paramref name="shape"/>.</summary>
    public static Tensor Binary(BinaryOp op, object? x, object? y, object? alpha, long[] shape, DType result)
    {
        Complex scale = alpha is null ? Complex.One : ScalarOf(alpha);
        Func<Complex, Complex, Complex> f = op switch
        {
            BinaryOp.Add => (p, q) => p + scale * q,
            BinaryOp.Sub => (p, q) => p - scale * q,
            BinaryOp.Mul => (p, q) => p * q,
            BinaryOp.Div => (p, q) => p / q,
            BinaryOp.Pow => Pow,
            _ => throw NotForComplex(op switch
            {
                BinaryOp.Maximum => "maximum",
                BinaryOp.Minimum => "minimum",
                BinaryOp.Atan2 => "atan2_cpu",
                BinaryOp.Fmod => "fmod_cpu",
                BinaryOp.Remainder => "remainder_cpu",
                BinaryOp.DivFloor => "div_floor_cpu",
                BinaryOp.DivTrunc => "div_trunc_cpu",
                _ => op.ToString().ToLowerInvariant() + "_cpu",
            }, result),
        };
        var xs = Read(x, shape);
        var ys = Read(y, shape);
        return Write(xs.Length, i => f(xs[i], ys[i]), shape, result);
    }

    /// <summary>eq and ne compare both parts; torch defines no order on complex numbers, so lt/le/gt/ge are refused.</summary>
    public static Tensor Compare(CompareOp op, object? x, object? y, long[] shape)
    {
        if (op is not (CompareOp.Eq or CompareOp.Ne))
            throw NotForComplex(op.ToString().ToLowerInvariant() + "_cpu", DType.Complex64);
        var xs = Read(x, shape);
        var ys = Read(y, shape);
        var o = new bool[xs.Length];
        for (int i = 0; i < o.Length; i++) o[i] = (xs[i] == ys[i]) == (op == CompareOp.Eq);
        return Eager.Wrap(o, shape, DType.Bool);
    }

    /// <summary>
    /// z**w as torch computes it: exp(w·log z), except that 0**w is 0 for a w with positive real part and 1 for w = 0,
    /// and whole real exponents multiply (so (1j)**2 is exactly -1).
    /// </summary>
    private static Complex Pow(Complex z, Complex w)
    {
        if (w == Complex.Zero) return Complex.One;
        if (z == Complex.Zero) return w.Imaginary == 0 && w.Real > 0 ? Complex.Zero : new Complex(double.NaN, double.NaN);
        if (w.Imaginary == 0 && w.Real == Math.Round(w.Real) && Math.Abs(w.Real) <= 64)
        {
            var result = Complex.One;
            var factor = w.Real < 0 ? 1 / z : z;
            for (int k = (int)Math.Abs(w.Real); k > 0; k--) result *= factor;
            return result;
        }
        return Complex.Pow(z, w);
    }

    /// <summary>An operand's values broadcast to <paramref name="shape"/>, in row-major order, as double-precision complex.</summary>
    public static Complex[] Read(object? operand, long[] shape)
    {
        long n = ShapeMath.Numel(shape);
        var values = new Complex[n];
        if (operand is Tensor t)
        {
            var layout = Eager.LayoutOf(t).BroadcastTo(shape);
            Cast.Convert(t.Storage.Data, layout, values);
        }
        else
        {
            Array.Fill(values, ScalarOf(operand));
        }
        return values;
    }

    public static Complex ScalarOf(object? value) => value switch
    {
        Complex c => c,
        Tensor t => t.Storage.GetComplex(t.StorageIndex(0)),
        _ => Eager.Scalar<double>(value),
    };

    /// <summary>A tensor of <paramref name="dtype"/> (complex, or the real dtype of an abs/angle) from element values.</summary>
    public static Tensor Write(long n, Func<long, Complex> value, long[] shape, DType dtype)
    {
        // A copy of the sizes: callers pass an operand's own array, which the result must not share.
        var result = Tensor.Empty(dtype, (long[])shape.Clone());
        switch (result.Storage.Data)
        {
            case ComplexFloat[] o: for (long i = 0; i < n; i++) o[i] = (ComplexFloat)value(i); break;
            case Complex[] o: for (long i = 0; i < n; i++) o[i] = value(i); break;
            case float[] o: for (long i = 0; i < n; i++) o[i] = (float)value(i).Real; break;
            case double[] o: for (long i = 0; i < n; i++) o[i] = value(i).Real; break;
            default: throw new InvalidOperationException($"A complex kernel cannot write {dtype.TorchName()}.");
        }
        return result;
    }

    /// <summary>Torch's refusal of a kernel for complex dtypes, with what to do instead.</summary>
    public static NotSupportedException NotForComplex(string kernel, DType dtype) => new(
        $"\"{kernel}\" not implemented for '{DTypeNames.Capitalized(dtype.IsComplex() ? dtype : DType.Complex64)}': complex numbers have no order and no rounding. " +
        "Apply it to the real and imaginary parts (torch.real / torch.imag, or view_as_real) or to the magnitude (abs).");
}

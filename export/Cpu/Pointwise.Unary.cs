using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Graphport.Cpu;

/// <summary>Elementwise kernels: strided inputs (broadcast already expanded), contiguous row-major outputs.</summary>
public static partial class Pointwise
{
    /// <summary>output[i] = op(x[layout element i]) for float or double.</summary>
    public static void Unary<T>(UnaryOp op, T[] x, StridedLayout layout, T[] output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireFloating<T>("Pointwise.Unary");
        var row = UnaryRowFor<T>(op);
        ElementwiseDriver.Unary($"Pointwise.Unary({op})", x, layout, output, row, UnaryCost(op));
    }

    /// <summary>output[i] = op(x[i]) for the first <paramref name="count"/> elements of a contiguous x: what fits one
    /// chunk of the elementwise driver runs its row function directly, without planning rows or splitting work.</summary>
    internal static void UnaryContiguous<T>(UnaryOp op, T[] x, T[] output, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count == 0) return;  // some row functions (TensorPrimitives.Sigmoid) refuse empty spans
        if (count <= ElementwiseDriver.ChunkElements) UnaryRowFor<T>(op)(x.AsSpan(0, count), output.AsSpan(0, count));
        else Unary(op, x, StridedLayout.Contiguous(count), output);
    }

    /// <summary>x if x > 0 else slope·x.</summary>
    public static void LeakyRelu<T>(T[] x, StridedLayout layout, T[] output, T negativeSlope) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireFloating<T>("Pointwise.LeakyRelu");
        ElementwiseDriver.Unary("Pointwise.LeakyRelu", x, layout, output, (s, d) =>
        {
            var zero = Vector<T>.Zero;
            var slope = new Vector<T>(negativeSlope);
            int i = 0, w = Vector<T>.Count;
            for (; i + w <= s.Length; i += w)
            {
                var v = new Vector<T>(s.Slice(i, w));
                Vector.ConditionalSelect(Vector.GreaterThan(v, zero), v, v * slope).CopyTo(d.Slice(i, w));
            }
            for (; i < s.Length; i++) d[i] = s[i] > T.Zero ? s[i] : s[i] * negativeSlope;
        });
    }

    /// <summary>ELU as torch.nn.functional.elu: scale·x if x > 0 else alpha·scale·(exp(inputScale·x) − 1).</summary>
    public static void Elu<T>(T[] x, StridedLayout layout, T[] output, T alpha, T? scale = null, T? inputScale = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireFloating<T>("Pointwise.Elu");
        T sc = scale ?? T.One, isc = inputScale ?? T.One;
        ElementwiseDriver.Unary("Pointwise.Elu", x, layout, output, (s, d) =>
        {
            using var tmp = new Scratch<T>(s.Length);
            TensorPrimitives.Multiply(s, isc, tmp.Span);
            TensorPrimitives.ExpM1(tmp.Span, tmp.Span);
            TensorPrimitives.Multiply(tmp.Span, alpha * sc, tmp.Span);
            var zero = Vector<T>.Zero;
            var vsc = new Vector<T>(sc);
            int i = 0, w = Vector<T>.Count;
            for (; i + w <= s.Length; i += w)
            {
                var v = new Vector<T>(s.Slice(i, w));
                Vector.ConditionalSelect(Vector.GreaterThan(v, zero), v * vsc, new Vector<T>(tmp.Span.Slice(i, w))).CopyTo(d.Slice(i, w));
            }
            for (; i < s.Length; i++) d[i] = s[i] > T.Zero ? s[i] * sc : tmp.Span[i];
        }, 8);
    }

    /// <summary>softplus(x) = log1p(exp(beta·x))/beta, or x where beta·x > threshold (torch's linear tail).</summary>
    public static void Softplus<T>(T[] x, StridedLayout layout, T[] output, T? beta = null, T? threshold = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireFloating<T>("Pointwise.Softplus");
        T b = beta ?? T.One, th = threshold ?? T.CreateTruncating(20);
        ElementwiseDriver.Unary("Pointwise.Softplus", x, layout, output, (s, d) =>
        {
            using var bx = new Scratch<T>(s.Length);
            using var soft = new Scratch<T>(s.Length);
            TensorPrimitives.Multiply(s, b, bx.Span);
            TensorPrimitives.Exp(bx.Span, soft.Span);
            TensorPrimitives.LogP1(soft.Span, soft.Span);
            TensorPrimitives.Divide(soft.Span, b, soft.Span);
            var vth = new Vector<T>(th);
            int i = 0, w = Vector<T>.Count;
            for (; i + w <= s.Length; i += w)
            {
                var over = Vector.GreaterThan(new Vector<T>(bx.Span.Slice(i, w)), vth);
                Vector.ConditionalSelect(over, new Vector<T>(s.Slice(i, w)), new Vector<T>(soft.Span.Slice(i, w))).CopyTo(d.Slice(i, w));
            }
            for (; i < s.Length; i++) d[i] = bx.Span[i] > th ? s[i] : soft.Span[i];
        }, 12);
    }

    /// <summary>min(max(x, min), max) with NaN propagating; either bound may be absent (torch.clamp).</summary>
    public static void Clamp<T>(T[] x, StridedLayout layout, T[] output, T? min, T? max) where T : unmanaged, INumber<T>
    {
        if (min is null && max is null)
            throw new ArgumentException("Pointwise.Clamp: both min and max are null; expected at least one bound", nameof(min));
        ElementwiseDriver.Unary("Pointwise.Clamp", x, layout, output, ClampRow(min, max));
    }

    internal static void RequireFloating<T>(string kernel)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new ArgumentException($"{kernel}: element type {typeof(T).Name} is not supported; expected float or double (convert Half/BFloat16 to float first)", "T");
    }

    private static double UnaryCost(UnaryOp op) => op switch
    {
        UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Relu or UnaryOp.Floor or UnaryOp.Ceil or UnaryOp.Trunc or UnaryOp.Round or UnaryOp.Sign => 1,
        _ => 10,
    };

    private static UnaryRow<T, T> UnaryRowFor<T>(UnaryOp op) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        UnaryOp.Neg => TensorPrimitives.Negate,
        UnaryOp.Abs => TensorPrimitives.Abs,
        UnaryOp.Exp => VectorMath.Exp,
        UnaryOp.Log => TensorPrimitives.Log,
        UnaryOp.Log1p => TensorPrimitives.LogP1,
        UnaryOp.Expm1 => TensorPrimitives.ExpM1,
        UnaryOp.Sqrt => TensorPrimitives.Sqrt,
        UnaryOp.Rsqrt => (s, d) => { TensorPrimitives.Sqrt(s, d); TensorPrimitives.Reciprocal(d, d); },
        UnaryOp.Sin => TensorPrimitives.Sin,
        UnaryOp.Cos => TensorPrimitives.Cos,
        UnaryOp.Tan => TensorPrimitives.Tan,
        UnaryOp.Tanh => VectorMath.Tanh,
        UnaryOp.Sigmoid => VectorMath.Sigmoid,
        UnaryOp.Relu => (s, d) => TensorPrimitives.Max(s, T.Zero, d),
        UnaryOp.Gelu => GeluRow,
        UnaryOp.GeluTanh => GeluTanhRow,
        UnaryOp.Silu => (s, d) =>
        {
            if (VectorMath.TrySilu(s, d)) return;
            using var tmp = new Scratch<T>(s.Length);
            TensorPrimitives.Sigmoid(s, tmp.Span);
            TensorPrimitives.Multiply(s, tmp.Span, d);
        },
        UnaryOp.Erf => SpecialFunctions.Erf,
        UnaryOp.Reciprocal => TensorPrimitives.Reciprocal,
        UnaryOp.Floor => TensorPrimitives.Floor,
        UnaryOp.Ceil => TensorPrimitives.Ceiling,
        UnaryOp.Round => (s, d) => TensorPrimitives.Round(s, MidpointRounding.ToEven, d),
        UnaryOp.Trunc => TensorPrimitives.Truncate,
        UnaryOp.Sign => SignRow,
        UnaryOp.Hardswish => (s, d) =>
        {
            if (VectorMath.TryHardswish(s, d)) return;
            using var tmp = new Scratch<T>(s.Length);
            HardsigmoidRow<T>(s, tmp.Span);
            TensorPrimitives.Multiply(s, tmp.Span, d);
        },
        UnaryOp.Hardsigmoid => HardsigmoidRow,
        UnaryOp.Asin => TensorPrimitives.Asin,
        UnaryOp.Acos => TensorPrimitives.Acos,
        UnaryOp.Atan => TensorPrimitives.Atan,
        UnaryOp.Sinh => TensorPrimitives.Sinh,
        UnaryOp.Cosh => TensorPrimitives.Cosh,
        UnaryOp.Asinh => TensorPrimitives.Asinh,
        UnaryOp.Acosh => TensorPrimitives.Acosh,
        UnaryOp.Atanh => TensorPrimitives.Atanh,
        UnaryOp.Log10 => TensorPrimitives.Log10,
        _ => throw new ArgumentException($"Pointwise.Unary: op {op} is not a known UnaryOp; expected one of {string.Join(", ", Enum.GetNames<UnaryOp>())}", nameof(op)),
    };

    private static void GeluRow<T>(ReadOnlySpan<T> s, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (VectorMath.TryGelu(s, d)) return;
        using var tmp = new Scratch<T>(s.Length);
        TensorPrimitives.Multiply(s, T.CreateTruncating(0.70710678118654752440), tmp.Span);
        SpecialFunctions.Erf<T>(tmp.Span, tmp.Span);
        TensorPrimitives.Add(tmp.Span, T.One, tmp.Span);
        TensorPrimitives.Multiply(tmp.Span, T.CreateTruncating(0.5), tmp.Span);
        TensorPrimitives.Multiply(s, tmp.Span, d);
    }

    private static void GeluTanhRow<T>(ReadOnlySpan<T> s, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (VectorMath.TryGeluTanh(s, d)) return;
        using var tmp = new Scratch<T>(s.Length);
        var t = tmp.Span;
        TensorPrimitives.Multiply(s, s, t);
        TensorPrimitives.Multiply(t, T.CreateTruncating(0.044715), t);
        TensorPrimitives.Add(t, T.One, t);
        TensorPrimitives.Multiply(t, s, t);
        TensorPrimitives.Multiply(t, T.CreateTruncating(0.79788456080286535588), t);
        VectorMath.Tanh<T>(t, t);
        TensorPrimitives.Add(t, T.One, t);
        TensorPrimitives.Multiply(t, T.CreateTruncating(0.5), t);
        TensorPrimitives.Multiply(s, t, d);
    }

    private static void HardsigmoidRow<T>(ReadOnlySpan<T> s, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // relu6(x + 3) / 6, written so NaN stays NaN.
        if (VectorMath.TryHardsigmoid(s, d)) return;
        TensorPrimitives.Add(s, T.CreateTruncating(3), d);
        TensorPrimitives.Max(d, T.Zero, d);
        TensorPrimitives.Min(d, T.CreateTruncating(6), d);
        TensorPrimitives.Divide(d, T.CreateTruncating(6), d);
    }

    private static void SignRow<T>(ReadOnlySpan<T> s, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var zero = Vector<T>.Zero;
        var one = Vector<T>.One;
        int i = 0, w = Vector<T>.Count;
        for (; i + w <= s.Length; i += w)
        {
            var v = new Vector<T>(s.Slice(i, w));
            var pos = Vector.ConditionalSelect(Vector.GreaterThan(v, zero), one, zero);
            var neg = Vector.ConditionalSelect(Vector.LessThan(v, zero), one, zero);
            (pos - neg).CopyTo(d.Slice(i, w));
        }
        for (; i < s.Length; i++) d[i] = s[i] > T.Zero ? T.One : s[i] < T.Zero ? -T.One : T.Zero;
    }
}

using System.Numerics;
using System.Numerics.Tensors;

namespace Graphport.Cpu;

public static partial class Pointwise
{
    /// <summary>Neg, Abs or Sign of signed integers with two's-complement wraparound (|MinValue| = MinValue, as torch).</summary>
    public static void IntegerUnary<T>(UnaryOp op, T[] x, StridedLayout layout, T[] output) where T : unmanaged, IBinaryInteger<T>, ISignedNumber<T>
    {
        UnaryRow<T, T> row = op switch
        {
            UnaryOp.Neg => static (s, d) => VectorLoop(s, d, static v => -v, static v => T.Zero - v),
            UnaryOp.Abs => static (s, d) => VectorLoop(s, d, static v => Vector.ConditionalSelect(Vector.LessThan(v, Vector<T>.Zero), -v, v), static v => v < T.Zero ? T.Zero - v : v),
            UnaryOp.Sign => static (s, d) => VectorLoop(s, d,
                static v => Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero) - Vector.ConditionalSelect(Vector.LessThan(v, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero),
                static v => v > T.Zero ? T.One : v < T.Zero ? T.NegativeOne : T.Zero),
            _ => throw new ArgumentException($"Pointwise.IntegerUnary: op {op} is not defined for integers; expected Neg, Abs or Sign", nameof(op)),
        };
        ElementwiseDriver.Unary($"Pointwise.IntegerUnary({op})", x, layout, output, row);
    }

    /// <summary>output[i] = ~x[i] (bitwise_not) for integer types.</summary>
    public static void BitwiseNot<T>(T[] x, StridedLayout layout, T[] output) where T : unmanaged, IBinaryInteger<T>
        => ElementwiseDriver.Unary("Pointwise.BitwiseNot", x, layout, output, static (s, d) => TensorPrimitives.OnesComplement(s, d));

    private static void VectorLoop<T>(ReadOnlySpan<T> s, Span<T> d, Func<Vector<T>, Vector<T>> vec, Func<T, T> scalar) where T : unmanaged
    {
        int i = 0, w = Vector<T>.Count;
        for (; i + w <= s.Length; i += w) vec(new Vector<T>(s.Slice(i, w))).CopyTo(d.Slice(i, w));
        for (; i < s.Length; i++) d[i] = scalar(s[i]);
    }
}

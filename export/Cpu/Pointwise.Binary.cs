using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

public static partial class Pointwise
{
    private delegate void SpanSpan<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d);
    private delegate void SpanScalar<T>(ReadOnlySpan<T> a, T b, Span<T> d);
    private delegate void ScalarSpan<T>(T a, ReadOnlySpan<T> b, Span<T> d);

    /// <summary>output[i] = op(a[i], b[i]) where both layouts already have the output shape (stride 0 = broadcast).
    /// Float/double support every op but the bitwise ones; long/int/sbyte/byte support Add, Sub, Mul, DivFloor, DivTrunc, Remainder, Fmod, Maximum, Minimum and the bitwise ops.</summary>
    public static void Binary<T>(BinaryOp op, T[] a, StridedLayout la, T[] b, StridedLayout lb, T[] output) where T : unmanaged, INumber<T>
    {
        string kernel = $"Pointwise.Binary({op})";
        if (typeof(T) == typeof(float)) ElementwiseDriver.Binary(kernel, a, la, b, lb, output, (BinaryRow<T, T>)(object)FloatRow<float>(op), BinaryCost(op));
        else if (typeof(T) == typeof(double)) ElementwiseDriver.Binary(kernel, a, la, b, lb, output, (BinaryRow<T, T>)(object)FloatRow<double>(op), BinaryCost(op));
        else if (typeof(T) == typeof(long)) ElementwiseDriver.Binary(kernel, a, la, b, lb, output, (BinaryRow<T, T>)(object)IntegerRow<long>(op), BinaryCost(op));
        else if (typeof(T) == typeof(int)) ElementwiseDriver.Binary(kernel, a, la, b, lb, output, (BinaryRow<T, T>)(object)IntegerRow<int>(op), BinaryCost(op));
        else if (typeof(T) == typeof(sbyte)) ElementwiseDriver.Binary(kernel, a, la, b, lb, output, (BinaryRow<T, T>)(object)IntegerRow<sbyte>(op), BinaryCost(op));
        else if (typeof(T) == typeof(byte)) ElementwiseDriver.Binary(kernel, a, la, b, lb, output, (BinaryRow<T, T>)(object)IntegerRow<byte>(op), BinaryCost(op));
        else throw new ArgumentException($"{kernel}: element type {typeof(T).Name} is not supported; expected float, double, long, int, sbyte or byte", nameof(a));
    }

    /// <summary>output = a + alpha·b (torch.add with alpha).</summary>
    public static void Add<T>(T[] a, StridedLayout la, T[] b, StridedLayout lb, T[] output, T alpha) where T : unmanaged, INumber<T>
    {
        if (alpha == T.One)
        {
            Binary(BinaryOp.Add, a, la, b, lb, output);
            return;
        }
        ElementwiseDriver.Binary("Pointwise.Add", a, la, b, lb, output, (x, y, d) => Dispatch(x, y, d,
            (p, q, r) => TensorPrimitives.MultiplyAdd(q, alpha, p, r),
            (p, s, r) => TensorPrimitives.Add(p, alpha * s, r),
            (s, q, r) => { TensorPrimitives.Multiply(q, alpha, r); TensorPrimitives.Add(r, s, r); }), 2);
    }

    /// <summary>output = a − alpha·b (torch.sub with alpha).</summary>
    public static void Sub<T>(T[] a, StridedLayout la, T[] b, StridedLayout lb, T[] output, T alpha) where T : unmanaged, INumber<T>
        => Add(a, la, b, lb, output, -alpha);

    private static double BinaryCost(BinaryOp op) => op switch
    {
        BinaryOp.Pow or BinaryOp.Atan2 or BinaryOp.Fmod or BinaryOp.Remainder or BinaryOp.DivFloor => 10,
        _ => 1,
    };

    /// <summary>Routes the three shapes a row can take (span/span, span/scalar, scalar/span) to the matching primitive.</summary>
    private static void Dispatch<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d, SpanSpan<T> ss, SpanScalar<T> sv, ScalarSpan<T> vs)
    {
        if (a.Length == d.Length && b.Length == d.Length) ss(a, b, d);
        else if (a.Length == d.Length) sv(a, b[0], d);
        else if (b.Length == d.Length) vs(a[0], b, d);
        else
        {
            ss(a, b, d[..1]);
            d.Fill(d[0]);
        }
    }

    private static BinaryRow<T, T> Row<T>(SpanSpan<T> ss, SpanScalar<T> sv, ScalarSpan<T> vs) => (a, b, d) => Dispatch(a, b, d, ss, sv, vs);

    /// <summary>For composite ops: scalars are expanded so only the span/span form is needed.</summary>
    private static BinaryRow<T, T> Expanded<T>(SpanSpan<T> ss) where T : unmanaged => (a, b, d) =>
    {
        using var sa = new Scratch<T>(a.Length == d.Length ? 0 : d.Length);
        using var sb = new Scratch<T>(b.Length == d.Length ? 0 : d.Length);
        ss(ElementwiseDriver.Expand(a, d.Length, sa.Span), ElementwiseDriver.Expand(b, d.Length, sb.Span), d);
    };

    private static BinaryRow<T, T> FloatRow<T>(BinaryOp op) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        BinaryOp.Add => Row<T>(TensorPrimitives.Add, TensorPrimitives.Add, (s, q, r) => TensorPrimitives.Add(q, s, r)),
        BinaryOp.Sub => Row<T>(TensorPrimitives.Subtract, TensorPrimitives.Subtract, TensorPrimitives.Subtract),
        BinaryOp.Mul => Row<T>(TensorPrimitives.Multiply, TensorPrimitives.Multiply, (s, q, r) => TensorPrimitives.Multiply(q, s, r)),
        BinaryOp.Div => Row<T>(TensorPrimitives.Divide, TensorPrimitives.Divide, TensorPrimitives.Divide),
        BinaryOp.DivTrunc => Row<T>(
            (p, q, r) => { TensorPrimitives.Divide(p, q, r); TensorPrimitives.Truncate<T>(r, r); },
            (p, s, r) => { TensorPrimitives.Divide(p, s, r); TensorPrimitives.Truncate<T>(r, r); },
            (s, q, r) => { TensorPrimitives.Divide(s, q, r); TensorPrimitives.Truncate<T>(r, r); }),
        BinaryOp.DivFloor => Expanded<T>(FloorDivide),
        BinaryOp.Pow => Row<T>(TensorPrimitives.Pow, TensorPrimitives.Pow, TensorPrimitives.Pow),
        BinaryOp.Maximum => Row<T>(TensorPrimitives.Max, TensorPrimitives.Max, (s, q, r) => TensorPrimitives.Max(q, s, r)),
        BinaryOp.Minimum => Row<T>(TensorPrimitives.Min, TensorPrimitives.Min, (s, q, r) => TensorPrimitives.Min(q, s, r)),
        BinaryOp.Atan2 => Row<T>(TensorPrimitives.Atan2, TensorPrimitives.Atan2, TensorPrimitives.Atan2),
        BinaryOp.Fmod => Expanded<T>(ExactFmod),
        BinaryOp.Remainder => Expanded<T>(PythonRemainder),
        _ => throw new ArgumentException($"Pointwise.Binary: op {op} is not defined for floating types; expected an arithmetic, pow, min/max, atan2 or modulo op", nameof(op)),
    };

    /// <summary>torch's div_floor_floating: fmod-based so that e.g. 1 // 0.1 gives 9, with the sign of zero kept.</summary>
    private static void FloorDivide<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length;
        using var modS = new Scratch<T>(n);
        using var divS = new Scratch<T>(n);
        using var flS = new Scratch<T>(n);
        var mod = modS.Span;
        var div = divS.Span;
        var fl = flS.Span;
        ExactFmod(a, b, mod);
        TensorPrimitives.Subtract(a, mod, div);
        TensorPrimitives.Divide(div, b, div);
        var zero = Vector<T>.Zero;
        var one = Vector<T>.One;
        int w = Vector<T>.Count, i = 0;
        for (; i + w <= n; i += w)
        {
            var vm = new Vector<T>(mod.Slice(i, w));
            var vb = new Vector<T>(b.Slice(i, w));
            var fix = Vector.AndNot(Vector.Xor(Vector.LessThan(vb, zero), Vector.LessThan(vm, zero)), Vector.Equals(vm, zero));
            (new Vector<T>(div.Slice(i, w)) - Vector.ConditionalSelect(fix, one, zero)).CopyTo(div.Slice(i, w));
        }
        for (; i < n; i++)
            if (mod[i] != T.Zero && (b[i] < T.Zero) != (mod[i] < T.Zero)) div[i] -= T.One;
        TensorPrimitives.Floor<T>(div, fl);
        var half = new Vector<T>(T.CreateTruncating(0.5));
        i = 0;
        for (; i + w <= n; i += w)
        {
            var vdiv = new Vector<T>(div.Slice(i, w));
            var vfl = new Vector<T>(fl.Slice(i, w));
            var va = new Vector<T>(a.Slice(i, w));
            var vb = new Vector<T>(b.Slice(i, w));
            var q = va / vb;
            var rounded = vfl + Vector.ConditionalSelect(Vector.GreaterThan(vdiv - vfl, half), one, zero);
            // Zero quotients take the sign of a/b; a zero divisor falls back to plain division (±inf or NaN).
            var signedZero = Vector.ConditionalSelect(Vector.LessThan(q, zero) | Vector.Equals(q, zero) & Vector.LessThan(one / q, zero), new Vector<T>(T.NegativeZero), zero);
            var r = Vector.ConditionalSelect(Vector.Equals(vdiv, zero), signedZero, rounded);
            Vector.ConditionalSelect(Vector.Equals(vb, zero), q, r).CopyTo(d.Slice(i, w));
        }
        for (; i < n; i++) d[i] = FloorDivideScalar(a[i], b[i]);
    }

    internal static T FloorDivideScalar<T>(T a, T b) where T : IFloatingPointIeee754<T>
    {
        if (b == T.Zero) return a / b;
        T mod = a % b;
        T div = (a - mod) / b;
        if (mod != T.Zero && (b < T.Zero) != (mod < T.Zero)) div -= T.One;
        if (div == T.Zero) return T.CopySign(T.Zero, a / b);
        T fl = T.Floor(div);
        if (div - fl > T.CreateTruncating(0.5)) fl += T.One;
        return fl;
    }

    /// <summary>IEEE fmod is exact, but the vectorized TensorPrimitives.Remainder computes x − trunc(x/y)·y, which is off by an ulp of y
    /// (e.g. 1 fmod 0.1 → ~0 instead of 0.0999…) and would turn 1 // 0.1 into 10; so this stays scalar.</summary>
    private static void ExactFmod<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = a[i] % b[i];
    }

    /// <summary>Python modulo: fmod, then shifted by b when the signs of the result and b differ.</summary>
    private static void PythonRemainder<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ExactFmod(a, b, d);
        var zero = Vector<T>.Zero;
        int w = Vector<T>.Count, i = 0, n = d.Length;
        for (; i + w <= n; i += w)
        {
            var vm = new Vector<T>(d.Slice(i, w));
            var vb = new Vector<T>(b.Slice(i, w));
            var fix = Vector.AndNot(Vector.Xor(Vector.LessThan(vb, zero), Vector.LessThan(vm, zero)), Vector.Equals(vm, zero));
            (vm + Vector.ConditionalSelect(fix, vb, zero)).CopyTo(d.Slice(i, w));
        }
        for (; i < n; i++)
            if (d[i] != T.Zero && (b[i] < T.Zero) != (d[i] < T.Zero)) d[i] += b[i];
    }

    private static BinaryRow<T, T> IntegerRow<T>(BinaryOp op) where T : unmanaged, IBinaryInteger<T> => op switch
    {
        BinaryOp.Add => Row<T>(TensorPrimitives.Add, TensorPrimitives.Add, (s, q, r) => TensorPrimitives.Add(q, s, r)),
        BinaryOp.Sub => Row<T>(TensorPrimitives.Subtract, TensorPrimitives.Subtract, TensorPrimitives.Subtract),
        BinaryOp.Mul => Row<T>(TensorPrimitives.Multiply, TensorPrimitives.Multiply, (s, q, r) => TensorPrimitives.Multiply(q, s, r)),
        BinaryOp.Maximum => Row<T>(TensorPrimitives.Max, TensorPrimitives.Max, (s, q, r) => TensorPrimitives.Max(q, s, r)),
        BinaryOp.Minimum => Row<T>(TensorPrimitives.Min, TensorPrimitives.Min, (s, q, r) => TensorPrimitives.Min(q, s, r)),
        BinaryOp.BitwiseAnd => Row<T>(TensorPrimitives.BitwiseAnd, TensorPrimitives.BitwiseAnd, (s, q, r) => TensorPrimitives.BitwiseAnd(q, s, r)),
        BinaryOp.BitwiseOr => Row<T>(TensorPrimitives.BitwiseOr, TensorPrimitives.BitwiseOr, (s, q, r) => TensorPrimitives.BitwiseOr(q, s, r)),
        BinaryOp.BitwiseXor => Row<T>(TensorPrimitives.Xor, TensorPrimitives.Xor, (s, q, r) => TensorPrimitives.Xor(q, s, r)),
        BinaryOp.DivFloor => Expanded<T>((a, b, d) => IntegerScalarLoop(a, b, d, static (x, y) =>
        {
            T q = x / y;
            return (x % y != T.Zero) && ((x < T.Zero) != (y < T.Zero)) ? q - T.One : q;
        }, true)),
        BinaryOp.DivTrunc => Expanded<T>((a, b, d) => IntegerScalarLoop(a, b, d, static (x, y) => x / y, true)),
        BinaryOp.Remainder => Expanded<T>((a, b, d) => IntegerScalarLoop(a, b, d, static (x, y) =>
        {
            T r = x % y;
            return r != T.Zero && ((r < T.Zero) != (y < T.Zero)) ? r + y : r;
        }, false)),
        BinaryOp.Fmod => Expanded<T>((a, b, d) => IntegerScalarLoop(a, b, d, static (x, y) => x % y, false)),
        _ => throw new ArgumentException($"Pointwise.Binary: op {op} is not defined for integer type {typeof(T).Name}; expected Add, Sub, Mul, DivFloor, DivTrunc, Remainder, Fmod, Maximum, Minimum or a bitwise op (cast to float for Div/Pow/Atan2)", nameof(op)),
    };

    /// <summary>Integer division has no SIMD form on x86, so these stay scalar; division by zero raises like torch.</summary>
    private static void IntegerScalarLoop<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d, Func<T, T, T> f, bool quotient) where T : unmanaged, IBinaryInteger<T>
    {
        for (int i = 0; i < d.Length; i++)
        {
            T y = b[i];
            if (y == T.Zero)
                throw new DivideByZeroException($"Pointwise.Binary: integer division by zero at element {i} of a row (dividend {a[i]}); expected a nonzero divisor");
            // MinValue / -1 overflows in .NET; torch wraps (quotient MinValue, remainder 0).
            if (T.IsNegative(y) && y == -T.One) d[i] = quotient ? T.Zero - a[i] : T.Zero;
            else d[i] = f(a[i], y);
        }
    }

    internal static ReadOnlySpan<TTo> Reinterpret<TFrom, TTo>(ReadOnlySpan<TFrom> s) where TFrom : struct where TTo : struct => MemoryMarshal.Cast<TFrom, TTo>(s);
}

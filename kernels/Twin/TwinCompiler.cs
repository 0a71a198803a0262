using SpecialFunctions = Graphport.Cpu.SpecialFunctions;
using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Twin;

/// <summary>
/// Turns the same expression trees the CUDA renderer prints into C# closures with C semantics: float math in
/// single precision (each result rounded to float), integer math in 64 bits with truncating division, lazy
/// selects, bounds-checked loads. Closures instead of a tree walk only for speed on the zoo models.
/// </summary>
internal sealed class TwinCompiler(TwinMemory memory)
{
    private readonly Dictionary<string, int> slots = new(StringComparer.Ordinal);

    public int SlotCount => slots.Count;

    public int Slot(string variable)
    {
        if (!slots.TryGetValue(variable, out var slot)) slots[variable] = slot = slots.Count;
        return slot;
    }

    public Func<TwinEnvironment, long> Index(IndexExpr e)
    {
        switch (e)
        {
            case IndexConst c: { long v = c.Value; return _ => v; }
            case IndexVar v: { int s = Slot(v.Name); return env => env.Variables[s]; }
            case IndexDiv d: { var inner = Index(d.Value); long k = d.Divisor; return env => inner(env) / k; }
            case IndexMod m: { var inner = Index(m.Value); long k = m.Divisor; return env => inner(env) % k; }
            case IndexLoad l:
            {
                var inner = Index(l.Index);
                var buffer = l.Buffer;
                long bound = l.UpperBound;
                if (l.Site >= 0)
                {
                    // Checked as gp_checked_index does: out of range is recorded and read as 0.
                    int site = l.Site;
                    bool wrap = l.WrapNegative;
                    return env =>
                    {
                        long v = (long)memory.Load(buffer, inner(env)), at = wrap && v < 0 ? v + bound : v;
                        if (at >= 0 && at < bound) return at;
                        memory.RecordIndexFault(site, v);
                        return 0;
                    };
                }
                if (l.WrapNegative)
                    return env => (long)memory.Load(buffer, inner(env)) is var v && v < 0 ? v + bound : v;
                return env => (long)memory.Load(buffer, inner(env));
            }
            case IndexLinear l:
            {
                var terms = l.Terms.Select(t => (Index(t.Term), t.Coefficient)).ToArray();
                long constant = l.Constant;
                return env =>
                {
                    long sum = constant;
                    foreach (var (term, coefficient) in terms) sum += term(env) * coefficient;
                    return sum;
                };
            }
            default:
                throw new NotSupportedException($"The twin cannot evaluate {e.GetType().Name}.");
        }
    }

    public Func<TwinEnvironment, double> Value(Expr e)
    {
        var kind = e.Kind;
        switch (e)
        {
            case ConstExpr c: { double v = Exprs.Convert(c.Value, kind); return _ => v; }
            case AccumulatorExpr: return env => env.Accumulator;
            case LoadExpr l:
            {
                var index = Index(l.Index);
                var buffer = l.Buffer;
                return env => memory.Load(buffer, index(env));
            }
            case IndexValueExpr v: { var index = Index(v.Index); return env => Exprs.Convert(index(env), kind); }
            case InRangeExpr r:
            {
                var index = Index(r.Index);
                long low = r.Low, high = r.High;
                return env => { long i = index(env); return i >= low && i < high ? 1 : 0; };
            }
            case CastExpr c: { var inner = Value(c.Operand); return env => Exprs.Convert(inner(env), kind); }
            case SelectExpr s:
            {
                var cond = Value(s.Condition);
                var a = Value(s.WhenTrue);
                var b = Value(s.WhenFalse);
                return env => cond(env) != 0 ? a(env) : b(env);
            }
            case UnaryExpr u: { var inner = Value(u.Operand); var f = Unary(u.Op, u.Operand.Kind); return env => Exprs.Convert(f(inner(env)), kind); }
            case BinaryExpr b:
            {
                var left = Value(b.Left);
                var right = Value(b.Right);
                var f = Binary(b.Op, b.Left.Kind);
                return env => Exprs.Convert(f(left(env), right(env)), kind);
            }
            default:
                throw new NotSupportedException($"The twin cannot evaluate {e.GetType().Name}.");
        }
    }

    private static Func<double, double> Unary(UnaryOp op, ValueKind kind)
    {
        if (kind == ValueKind.Float)
        {
            Func<float, float> f = op switch
            {
                UnaryOp.Neg => x => -x,
                UnaryOp.Abs => MathF.Abs,
                UnaryOp.Exp => MathF.Exp,
                UnaryOp.Expm1 => x => (float)(Math.Exp(x) - 1),
                UnaryOp.Log => MathF.Log,
                UnaryOp.Log1p => x => (float)Math.Log(1 + (double)x),
                UnaryOp.Log2 => MathF.Log2,
                UnaryOp.Log10 => MathF.Log10,
                UnaryOp.Sqrt => MathF.Sqrt,
                UnaryOp.Rsqrt => x => 1f / MathF.Sqrt(x),
                UnaryOp.Reciprocal => x => 1f / x,
                UnaryOp.Sin => MathF.Sin,
                UnaryOp.Cos => MathF.Cos,
                UnaryOp.Tan => MathF.Tan,
                UnaryOp.Asin => MathF.Asin,
                UnaryOp.Acos => MathF.Acos,
                UnaryOp.Atan => MathF.Atan,
                UnaryOp.Sinh => MathF.Sinh,
                UnaryOp.Cosh => MathF.Cosh,
                UnaryOp.Tanh => MathF.Tanh,
                UnaryOp.Asinh => MathF.Asinh,
                UnaryOp.Acosh => MathF.Acosh,
                UnaryOp.Atanh => MathF.Atanh,
                UnaryOp.Erf => SpecialFunctions.Erf,
                UnaryOp.Erfc => x => (float)SpecialFunctions.Erfc(x),
                UnaryOp.Lgamma => x => (float)SpecialFunctions.LogGamma(x),
                UnaryOp.I0 => x => (float)SpecialFunctions.BesselI0(x),
                UnaryOp.Floor => MathF.Floor,
                UnaryOp.Ceil => MathF.Ceiling,
                UnaryOp.Round => x => MathF.Round(x, MidpointRounding.ToEven),
                UnaryOp.Trunc => MathF.Truncate,
                UnaryOp.Sign => x => float.IsNaN(x) ? 0 : MathF.Sign(x),
                UnaryOp.Sigmoid => x => 1f / (1f + MathF.Exp(-x)),
                UnaryOp.Relu => x => x < 0 ? 0 : x,
                UnaryOp.Gelu => x => 0.5f * x * (1f + SpecialFunctions.Erf(x * 0.70710678118654752f)),
                UnaryOp.GeluTanh => x => 0.5f * x * (1f + MathF.Tanh(0.79788456080286536f * (x + 0.044715f * x * x * x))),
                UnaryOp.IsNan => x => float.IsNaN(x) ? 1 : 0,
                UnaryOp.IsInf => x => float.IsInfinity(x) ? 1 : 0,
                UnaryOp.LogicalNot => x => x == 0 ? 1 : 0,
                UnaryOp.RoundToFloat16 or UnaryOp.RoundToBFloat16 => x => (float)Exprs.NarrowValue(op, x),
                _ => throw new NotSupportedException($"{op} on float."),
            };
            return x => f((float)x);
        }
        if (kind == ValueKind.Int64 || kind == ValueKind.Bool)
        {
            return op switch
            {
                UnaryOp.Neg => x => -x,
                UnaryOp.Abs => Math.Abs,
                UnaryOp.Relu => x => x < 0 ? 0 : x,
                UnaryOp.Sign => x => Math.Sign(x),
                UnaryOp.Floor or UnaryOp.Ceil or UnaryOp.Round or UnaryOp.Trunc => x => x,
                UnaryOp.LogicalNot => x => x == 0 ? 1 : 0,
                UnaryOp.BitwiseNot => x => ~(long)x,
                UnaryOp.IsNan or UnaryOp.IsInf => _ => 0,
                UnaryOp.WrapInt8 or UnaryOp.WrapUInt8 or UnaryOp.WrapInt32 => x => Exprs.NarrowValue(op, x),
                _ => x => Unary(op, ValueKind.Double)(x),
            };
        }
        return op switch
        {
            UnaryOp.Neg => x => -x,
            UnaryOp.Abs => Math.Abs,
            UnaryOp.Exp => Math.Exp,
            UnaryOp.Expm1 => x => Math.Exp(x) - 1,
            UnaryOp.Log => Math.Log,
            UnaryOp.Log1p => x => Math.Log(1 + x),
            UnaryOp.Log2 => Math.Log2,
            UnaryOp.Log10 => Math.Log10,
            UnaryOp.Sqrt => Math.Sqrt,
            UnaryOp.Rsqrt => x => 1 / Math.Sqrt(x),
            UnaryOp.Reciprocal => x => 1 / x,
            UnaryOp.Sin => Math.Sin,
            UnaryOp.Cos => Math.Cos,
            UnaryOp.Tan => Math.Tan,
            UnaryOp.Asin => Math.Asin,
            UnaryOp.Acos => Math.Acos,
            UnaryOp.Atan => Math.Atan,
            UnaryOp.Sinh => Math.Sinh,
            UnaryOp.Cosh => Math.Cosh,
            UnaryOp.Tanh => Math.Tanh,
            UnaryOp.Asinh => Math.Asinh,
            UnaryOp.Acosh => Math.Acosh,
            UnaryOp.Atanh => Math.Atanh,
            UnaryOp.Erf => SpecialFunctions.Erf,
            UnaryOp.Erfc => SpecialFunctions.Erfc,
            UnaryOp.Lgamma => SpecialFunctions.LogGamma,
            UnaryOp.I0 => SpecialFunctions.BesselI0,
            UnaryOp.Floor => Math.Floor,
            UnaryOp.Ceil => Math.Ceiling,
            UnaryOp.Round => x => Math.Round(x, MidpointRounding.ToEven),
            UnaryOp.Trunc => Math.Truncate,
            UnaryOp.Sign => x => double.IsNaN(x) ? 0 : Math.Sign(x),
            UnaryOp.Sigmoid => x => 1 / (1 + Math.Exp(-x)),
            UnaryOp.Relu => x => x < 0 ? 0 : x,
            UnaryOp.Gelu => x => 0.5 * x * (1 + SpecialFunctions.Erf(x * 0.70710678118654752)),
            UnaryOp.GeluTanh => x => 0.5 * x * (1 + Math.Tanh(0.79788456080286536 * (x + 0.044715 * x * x * x))),
            UnaryOp.IsNan => x => double.IsNaN(x) ? 1 : 0,
            UnaryOp.IsInf => x => double.IsInfinity(x) ? 1 : 0,
            UnaryOp.LogicalNot => x => x == 0 ? 1 : 0,
            _ => throw new NotSupportedException($"{op} on double."),
        };
    }

    private static Func<double, double, double> Binary(BinaryOp op, ValueKind kind)
    {
        bool integer = kind is ValueKind.Int64 or ValueKind.Bool;
        bool single = kind == ValueKind.Float;
        double R(double v) => single ? (float)v : v;
        return op switch
        {
            BinaryOp.Add => (a, b) => R(a + b),
            BinaryOp.Sub => (a, b) => R(a - b),
            BinaryOp.Mul => (a, b) => integer ? (long)a * (long)b : R(a * b),
            BinaryOp.Div => (a, b) => integer ? (long)a / (long)b : R(a / b),
            BinaryOp.TruncDiv => (a, b) => integer ? (long)a / (long)b : R(Math.Truncate(R(a / b))),
            BinaryOp.FloorDiv => (a, b) => integer ? FloorDivide((long)a, (long)b) : R(Math.Floor(R(a / b))),
            BinaryOp.Pow => (a, b) => integer ? IntPow((long)a, (long)b) : single ? MathF.Pow((float)a, (float)b) : Math.Pow(a, b),
            BinaryOp.Maximum => (a, b) => double.IsNaN(a) || a > b ? a : b,
            BinaryOp.Minimum => (a, b) => double.IsNaN(a) || a < b ? a : b,
            BinaryOp.Atan2 => (a, b) => single ? MathF.Atan2((float)a, (float)b) : Math.Atan2(a, b),
            BinaryOp.Remainder => (a, b) => { double r = integer ? (long)a % (long)b : R(a % b); return r != 0 && (r < 0) != (b < 0) ? R(r + b) : r; },
            BinaryOp.Fmod => (a, b) => integer ? (long)a % (long)b : R(a % b),
            BinaryOp.Eq => (a, b) => a == b ? 1 : 0,
            BinaryOp.Ne => (a, b) => a != b ? 1 : 0,
            BinaryOp.Lt => (a, b) => a < b ? 1 : 0,
            BinaryOp.Le => (a, b) => a <= b ? 1 : 0,
            BinaryOp.Gt => (a, b) => a > b ? 1 : 0,
            BinaryOp.Ge => (a, b) => a >= b ? 1 : 0,
            BinaryOp.LogicalAnd => (a, b) => a != 0 && b != 0 ? 1 : 0,
            BinaryOp.LogicalOr => (a, b) => a != 0 || b != 0 ? 1 : 0,
            BinaryOp.LogicalXor => (a, b) => (a != 0) != (b != 0) ? 1 : 0,
            BinaryOp.BitwiseAnd => (a, b) => (long)a & (long)b,
            BinaryOp.BitwiseOr => (a, b) => (long)a | (long)b,
            BinaryOp.BitwiseXor => (a, b) => (long)a ^ (long)b,
            _ => throw new NotSupportedException(op.ToString()),
        };
    }

    private static double FloorDivide(long a, long b)
    {
        long q = a / b;
        return q * b != a && (a < 0) != (b < 0) ? q - 1 : q;
    }

    private static double IntPow(long a, long b)
    {
        long r = 1;
        while (b-- > 0) r *= a;
        return r;
    }
}

using System.Globalization;
using Graphport.Shapes;

namespace Graphport;

/// <summary>
/// A size that is either a plain integer or a symbolic expression tracked by a <see cref="ShapeEnv"/>
/// (torch's SymInt). Arithmetic stays symbolic; comparing gives a <see cref="SymBool"/>; converting to
/// long or int (an explicit cast) specializes the size to its example value and records a guard, as int(s0) does in torch.
/// </summary>
public readonly struct SymInt : IEquatable<SymInt>, IFormattable
{
    private readonly long constant;
    private readonly SymExpr? expr;
    private readonly ShapeEnv? env;

    public SymInt(long value)
    {
        constant = value;
        expr = null;
        env = null;
    }

    internal SymInt(SymExpr expression, ShapeEnv shapeEnv)
    {
        var simplified = shapeEnv.Simplify(expression);
        if (simplified.IsConstant)
        {
            constant = simplified.ConstantValue;
            expr = null;
            env = null;
        }
        else
        {
            constant = 0;
            expr = simplified;
            env = shapeEnv;
        }
    }

    public bool IsSymbolic => expr is not null;

    /// <summary>The expression (a constant expression for plain integers).</summary>
    public SymExpr Expr => expr ?? SymExpr.Constant(constant);

    public ShapeEnv? Env => env;

    /// <summary>The integer when the size is not symbolic.</summary>
    public long? AsConstant => expr is null ? constant : null;

    /// <summary>The example value the size had while tracing, without recording a guard.</summary>
    public long Hint => expr is null ? constant : env!.HintOf(expr);

    public static implicit operator SymInt(long value) => new(value);

    /// <summary>Constant sizes (or strides) as SymInts, in a plain loop: every tensor made calls this.</summary>
    internal static SymInt[] FromSizes(long[] sizes)
    {
        var dims = new SymInt[sizes.Length];
        for (int i = 0; i < dims.Length; i++) dims[i] = new SymInt(sizes[i]);
        return dims;
    }

    public static implicit operator SymInt(int value) => new(value);

    /// <summary>
    /// Specializes: the program is only valid for the example value from now on (a guard is recorded), like
    /// Python's int(x.shape[0]). Explicit, so a specialization is always visible in the code.
    /// </summary>
    public static explicit operator long(SymInt value) => value.expr is null ? value.constant : value.env!.Specialize(value.expr);

    public static explicit operator int(SymInt value) => checked((int)(long)value);

    private static ShapeEnv? EnvOf(SymInt a, SymInt b)
    {
        if (a.env is not null && b.env is not null && !ReferenceEquals(a.env, b.env))
            throw new InvalidOperationException("Cannot combine sizes from two different exports; symbolic sizes belong to one ShapeEnv.");
        return a.env ?? b.env;
    }

    private static SymInt Combine(SymInt a, SymInt b, Func<SymExpr, SymExpr, SymExpr> op, Func<long, long, long> constantOp)
    {
        var shapeEnv = EnvOf(a, b);
        if (shapeEnv is null) return new SymInt(constantOp(a.constant, b.constant));
        return new SymInt(op(a.Expr, b.Expr), shapeEnv);
    }

    public static SymInt operator +(SymInt a, SymInt b) => Combine(a, b, (x, y) => x + y, (x, y) => checked(x + y));

    public static SymInt operator -(SymInt a, SymInt b) => Combine(a, b, (x, y) => x - y, (x, y) => checked(x - y));

    public static SymInt operator *(SymInt a, SymInt b) => Combine(a, b, (x, y) => x * y, (x, y) => checked(x * y));

    /// <summary>Floor division, as Python's // on sizes.</summary>
    public static SymInt operator /(SymInt a, SymInt b) => Combine(a, b, SymExpr.FloorDiv, ValueRange.FloorDivide);

    /// <summary>Modulo with Python's sign convention.</summary>
    public static SymInt operator %(SymInt a, SymInt b) => Combine(a, b, SymExpr.Mod, ValueRange.PythonMod);

    public static SymInt operator -(SymInt a) => a.env is null ? new SymInt(checked(-a.constant)) : new SymInt(-a.Expr, a.env);

    public static SymInt Max(SymInt a, SymInt b) => Combine(a, b, SymExpr.Max, Math.Max);

    public static SymInt Min(SymInt a, SymInt b) => Combine(a, b, SymExpr.Min, Math.Min);

    private static SymBool Compare(Relation relation, SymInt a, SymInt b)
    {
        var shapeEnv = EnvOf(a, b);
        if (shapeEnv is null) return new SymBool(SymRelation.Holds(relation, checked(a.constant - b.constant)));
        return new SymBool(SymRelation.Make(relation, a.Expr, b.Expr), shapeEnv);
    }

    public static SymBool operator ==(SymInt a, SymInt b) => Compare(Relation.Eq, a, b);

    public static SymBool operator !=(SymInt a, SymInt b) => Compare(Relation.Ne, a, b);

    public static SymBool operator <(SymInt a, SymInt b) => Compare(Relation.Lt, a, b);

    public static SymBool operator <=(SymInt a, SymInt b) => Compare(Relation.Le, a, b);

    public static SymBool operator >(SymInt a, SymInt b) => Compare(Relation.Gt, a, b);

    public static SymBool operator >=(SymInt a, SymInt b) => Compare(Relation.Ge, a, b);

    /// <summary>Structural equality (no guard): same constant, or the same normalized expression.</summary>
    public bool Equals(SymInt other) => expr is null ? other.expr is null && constant == other.constant : expr.Equals(other.expr);

    public override bool Equals(object? obj) => obj is SymInt other && Equals(other);

    public override int GetHashCode() => expr is null ? constant.GetHashCode() : expr.GetHashCode();

    public override string ToString() => expr is null ? constant.ToString(CultureInfo.InvariantCulture) : expr.ToString();

    public string ToString(string? format, IFormatProvider? formatProvider) =>
        expr is null ? constant.ToString(format, formatProvider) : expr.ToString();
}

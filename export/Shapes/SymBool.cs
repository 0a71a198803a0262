using Graphport.Shapes;

namespace Graphport;

/// <summary>
/// A boolean about sizes (torch's SymBool). Using it as a C# bool decides it: statically when the
/// symbols' ranges settle it, otherwise from the example values, recording a guard that the exported
/// program is only valid when the statement keeps that value.
/// </summary>
public readonly struct SymBool
{
    private readonly bool constant;
    private readonly SymBoolExpr? expr;
    private readonly ShapeEnv? env;

    public SymBool(bool value)
    {
        constant = value;
        expr = null;
        env = null;
    }

    internal SymBool(SymBoolExpr expression, ShapeEnv shapeEnv)
    {
        var simplified = expression.Substitute(shapeEnv.ReplacementOf);
        if (simplified is SymBoolConst c)
        {
            constant = c.Value;
            expr = null;
            env = null;
        }
        else
        {
            constant = false;
            expr = simplified;
            env = shapeEnv;
        }
    }

    public bool IsSymbolic => expr is not null;

    public SymBoolExpr Expr => expr ?? SymBoolExpr.Const(constant);

    public ShapeEnv? Env => env;

    public bool? AsConstant => expr is null ? constant : null;

    /// <summary>The value under the example inputs, without recording a guard.</summary>
    public bool Hint => expr is null ? constant : env!.HintOf(expr);

    public static implicit operator SymBool(bool value) => new(value);

    public static implicit operator bool(SymBool value) => value.expr is null ? value.constant : value.env!.Evaluate(value.expr);

    public static SymBool operator !(SymBool a) => a.expr is null ? new SymBool(!a.constant) : new SymBool(a.expr.Negate(), a.env!);

    private static SymBool Logical(bool isAnd, SymBool a, SymBool b)
    {
        var shapeEnv = a.env ?? b.env;
        if (shapeEnv is null) return new SymBool(isAnd ? a.constant && b.constant : a.constant || b.constant);
        return new SymBool(SymLogical.Make(isAnd, a.Expr, b.Expr), shapeEnv);
    }

    /// <summary>Non-short-circuit conjunction; with operator true/false this makes &amp;&amp; keep a symbolic right side.</summary>
    public static SymBool operator &(SymBool a, SymBool b) => Logical(true, a, b);

    public static SymBool operator |(SymBool a, SymBool b) => Logical(false, a, b);

    public static bool operator true(SymBool a) => a;

    public static bool operator false(SymBool a) => !(bool)a;

    public override string ToString() => expr is null ? (constant ? "True" : "False") : expr.ToString();
}

using System.Text.Json.Nodes;
using Graphport.Shapes;

namespace Graphport.Serialization;

/// <summary>
/// Writes sizes as the schema's SymInt / SymBool unions: plain integers as as_int, symbolic ones as an srepr
/// expression with the example value (the hint) torch uses to create its fake tensors.
/// </summary>
internal sealed class SymbolicWriter(ShapeEnv env)
{
    private readonly SympyPrinter printer = new(env.RangeOf);

    public string Print(SymExpr expr) => printer.Print(expr);

    public string Print(SymBoolExpr expr) => printer.Print(expr);

    public JsonObject SymInt(SymInt value) => value.AsConstant is long c ? new JsonObject { ["as_int"] = c } : SymInt(value.Expr);

    public JsonObject SymInt(SymExpr expr)
    {
        if (expr.IsConstant) return new JsonObject { ["as_int"] = expr.ConstantValue };
        return new JsonObject
        {
            ["as_expr"] = new JsonObject
            {
                ["expr_str"] = printer.Print(expr),
                ["hint"] = HintOf(expr) is long hint ? new JsonObject { ["as_int"] = hint } : null,
            },
        };
    }

    public JsonObject SymBool(SymBoolExpr expr)
    {
        if (expr is SymBoolConst c) return new JsonObject { ["as_bool"] = c.Value };
        return new JsonObject { ["as_expr"] = new JsonObject { ["expr_str"] = printer.Print(expr), ["hint"] = null } };
    }

    /// <summary>The example value, or null for data-dependent (unbacked) sizes that have none.</summary>
    public long? HintOf(SymExpr expr)
    {
        if (expr.FreeSymbols().Any(s => env.InfoOf(s).Hint is null)) return null;
        return env.HintOf(expr);
    }
}

using System.Globalization;
using System.Text;
using Graphport.Shapes;

namespace Graphport.Serialization;

/// <summary>
/// Writes size expressions as sympy's srepr, the form torch.export.save uses for SymExpr.expr_str
/// ("Add(Mul(Integer(2), Symbol('s0', integer=True, positive=True)), Integer(1))"). torch parses it back with
/// sympify plus its own functions (FloorDiv, Mod, ...), and the assumptions on each Symbol survive the trip,
/// which the infix form ("2*s0 + 1") would lose.
/// </summary>
internal sealed class SympyPrinter(Func<SymbolAtom, ValueRange> rangeOf)
{
    public string Print(SymExpr expr)
    {
        var sb = new StringBuilder();
        Expr(sb, expr);
        return sb.ToString();
    }

    public string Print(SymBoolExpr expr)
    {
        var sb = new StringBuilder();
        Bool(sb, expr);
        return sb.ToString();
    }

    private void Bool(StringBuilder sb, SymBoolExpr expr)
    {
        switch (expr)
        {
            case SymBoolConst c:
                sb.Append(c.Value ? "True" : "False");
                break;
            case SymRelation r:
                sb.Append(r.Kind switch
                {
                    Relation.Eq => "Eq",
                    Relation.Ne => "Ne",
                    Relation.Lt => "StrictLessThan",
                    Relation.Le => "LessThan",
                    Relation.Gt => "StrictGreaterThan",
                    _ => "GreaterThan",
                }).Append('(');
                Expr(sb, r.Lhs);
                sb.Append(", ");
                Expr(sb, r.Rhs);
                sb.Append(')');
                break;
            case SymLogical l:
                sb.Append(l.IsAnd ? "And(" : "Or(");
                Bool(sb, l.A);
                sb.Append(", ");
                Bool(sb, l.B);
                sb.Append(')');
                break;
            default:
                throw new NotSupportedException($"Cannot write the size condition {expr} as a sympy expression.");
        }
    }

    private void Expr(StringBuilder sb, SymExpr expr)
    {
        if (expr.IsConstant)
        {
            Integer(sb, expr.ConstantValue);
            return;
        }
        // Highest-degree terms first and the constant last, as sympy orders a sum when it prints one.
        var terms = expr.Terms.OrderBy(t => t.Monomial.Length == 0 ? 1 : 0).ThenByDescending(t => t.Monomial.Length).ToList();
        if (terms.Count > 1) sb.Append("Add(");
        for (int i = 0; i < terms.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            Term(sb, terms[i].Coefficient, terms[i].Monomial);
        }
        if (terms.Count > 1) sb.Append(')');
    }

    private void Term(StringBuilder sb, long coefficient, SymAtom[] monomial)
    {
        // Repeated atoms of a monomial (s0*s0) are a power in sympy.
        var factors = new List<(SymAtom Atom, int Power)>();
        foreach (var atom in monomial)
        {
            if (factors.Count > 0 && factors[^1].Atom.Equals(atom)) factors[^1] = (atom, factors[^1].Power + 1);
            else factors.Add((atom, 1));
        }
        int count = factors.Count + (coefficient != 1 || factors.Count == 0 ? 1 : 0);
        if (count > 1) sb.Append("Mul(");
        bool first = true;
        if (coefficient != 1 || factors.Count == 0)
        {
            Integer(sb, coefficient);
            first = false;
        }
        foreach (var (atom, power) in factors)
        {
            if (!first) sb.Append(", ");
            first = false;
            if (power > 1) sb.Append("Pow(");
            Atom(sb, atom);
            if (power > 1)
            {
                sb.Append(", ");
                Integer(sb, power);
                sb.Append(')');
            }
        }
        if (count > 1) sb.Append(')');
    }

    private void Atom(StringBuilder sb, SymAtom atom)
    {
        switch (atom)
        {
            case SymbolAtom s:
                Symbol(sb, s);
                break;
            case FloorDivAtom f:
                Call(sb, "FloorDiv", f.Numerator, f.Denominator);
                break;
            case ModAtom m:
                Call(sb, "Mod", m.Numerator, m.Denominator);
                break;
            case MinMaxAtom mm:
                Call(sb, mm.IsMax ? "Max" : "Min", mm.A, mm.B);
                break;
            default:
                throw new NotSupportedException($"Cannot write the size expression {atom} as a sympy expression.");
        }
    }

    private void Call(StringBuilder sb, string function, SymExpr a, SymExpr b)
    {
        sb.Append(function).Append('(');
        Expr(sb, a);
        sb.Append(", ");
        Expr(sb, b);
        sb.Append(')');
    }

    /// <summary>
    /// Backed sizes are positive integers for torch (sizes 0 and 1 are specialized); unbacked ones are just
    /// integers, whatever their range, as torch creates them: their range lives in range_constraints. An assumption
    /// such as nonnegative=True would make sympy fold the program's own runtime check <c>u0 &gt;= 0</c> to True, and
    /// torch's run_decompositions then fails re-inserting that check (<c>'bool' object has no attribute 'node'</c>).
    /// </summary>
    private void Symbol(StringBuilder sb, SymbolAtom s)
    {
        sb.Append("Symbol('").Append(s.Name).Append("', integer=True");
        if (!s.Unbacked)
        {
            var range = rangeOf(s);
            if (range.Lower >= 1) sb.Append(", positive=True");
            else if (range.Lower >= 0 && range.Lower != ValueRange.NegativeInfinity) sb.Append(", nonnegative=True");
        }
        sb.Append(')');
    }

    private static void Integer(StringBuilder sb, long value) =>
        sb.Append("Integer(").Append(value.ToString(CultureInfo.InvariantCulture)).Append(')');
}

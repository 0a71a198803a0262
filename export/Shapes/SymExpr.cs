using System.Globalization;
using System.Text;

namespace Graphport.Shapes;

/// <summary>
/// An integer expression over size symbols in polynomial normal form: a sum of coefficient × monomial,
/// where a monomial is a product of atoms (symbols, floor divisions, mods, max/min). The normal form
/// makes structurally equal expressions compare equal (s0*s1 == s1*s0, (s0 + 1) - 1 == s0).
/// </summary>
public sealed class SymExpr : IEquatable<SymExpr>
{
    private readonly Term[] terms;
    private readonly string key;

    internal readonly record struct Term(SymAtom[] Monomial, long Coefficient)
    {
        public string MonomialKey => string.Join("*", Monomial.Select(a => a.Key));
    }

    private SymExpr(Term[] terms)
    {
        this.terms = terms;
        key = terms.Length == 0 ? "0" : string.Join(" + ", terms.Select(t => t.Monomial.Length == 0
            ? t.Coefficient.ToString(CultureInfo.InvariantCulture)
            : $"{t.Coefficient.ToString(CultureInfo.InvariantCulture)}*{t.MonomialKey}"));
    }

    public static readonly SymExpr Zero = new([]);

    public static readonly SymExpr One = Constant(1);

    internal string Key => key;

    internal IReadOnlyList<Term> Terms => terms;

    public static SymExpr Constant(long value) => value == 0 ? Zero : new([new Term([], value)]);

    public static SymExpr Of(SymAtom atom) => new([new Term([atom], 1)]);

    public bool IsConstant => terms.Length == 0 || (terms.Length == 1 && terms[0].Monomial.Length == 0);

    /// <summary>The value of a constant expression.</summary>
    public long ConstantValue => terms.Length == 0 ? 0 : IsConstant ? terms[0].Coefficient
        : throw new InvalidOperationException($"{this} is not a constant");

    /// <summary>The constant term of the polynomial.</summary>
    public long ConstantTerm => terms.FirstOrDefault(t => t.Monomial.Length == 0).Coefficient;

    public bool IsSymbol(out SymbolAtom symbol)
    {
        if (terms.Length == 1 && terms[0].Coefficient == 1 && terms[0].Monomial.Length == 1 && terms[0].Monomial[0] is SymbolAtom s)
        {
            symbol = s;
            return true;
        }
        symbol = null!;
        return false;
    }

    private static SymExpr Normalize(IEnumerable<Term> raw)
    {
        var merged = new Dictionary<string, Term>(StringComparer.Ordinal);
        foreach (var t in raw)
        {
            if (t.Coefficient == 0) continue;
            var mono = t.Monomial.ToArray();
            Array.Sort(mono, SymAtom.Compare);
            var term = new Term(mono, t.Coefficient);
            string k = term.MonomialKey;
            merged[k] = merged.TryGetValue(k, out var existing)
                ? existing with { Coefficient = checked(existing.Coefficient + t.Coefficient) }
                : term;
        }
        var list = merged.Values.Where(t => t.Coefficient != 0).ToArray();
        Array.Sort(list, (a, b) => string.CompareOrdinal(a.MonomialKey, b.MonomialKey));
        return list.Length == 0 ? Zero : new SymExpr(list);
    }

    public static SymExpr operator +(SymExpr a, SymExpr b) => Normalize(a.terms.Concat(b.terms));

    public static SymExpr operator +(SymExpr a, long b) => a + Constant(b);

    public static SymExpr operator -(SymExpr a) => Normalize(a.terms.Select(t => t with { Coefficient = -t.Coefficient }));

    public static SymExpr operator -(SymExpr a, SymExpr b) => a + -b;

    public static SymExpr operator -(SymExpr a, long b) => a + Constant(-b);

    public static SymExpr operator *(SymExpr a, SymExpr b)
    {
        var products = new List<Term>(a.terms.Length * b.terms.Length);
        foreach (var x in a.terms)
            foreach (var y in b.terms)
                products.Add(new Term([.. x.Monomial, .. y.Monomial], checked(x.Coefficient * y.Coefficient)));
        return Normalize(products);
    }

    public static SymExpr operator *(SymExpr a, long b) => a * Constant(b);

    /// <summary>floor(a / b). Terms of a that b divides exactly are pulled out: floor((3*s0 + 2)/3) = s0.</summary>
    public static SymExpr FloorDiv(SymExpr a, SymExpr b)
    {
        if (b.IsConstant)
        {
            long d = b.ConstantValue;
            if (d == 0) throw new DivideByZeroException($"symbolic floor division of {a} by zero");
            if (d == 1) return a;
            if (a.IsConstant) return Constant(ValueRange.FloorDivide(a.ConstantValue, d));
            var divisible = a.terms.Where(t => t.Monomial.Length > 0 && t.Coefficient % d == 0)
                .Select(t => t with { Coefficient = t.Coefficient / d }).ToList();
            var rest = a.terms.Where(t => t.Monomial.Length == 0 || t.Coefficient % d != 0).ToList();
            var quotient = Normalize(divisible);
            var remainder = Normalize(rest);
            if (remainder.IsConstant) return quotient + Constant(ValueRange.FloorDivide(remainder.ConstantValue, d));
            if (divisible.Count > 0 && remainder.terms.All(t => t.Monomial.Length == 0 || t.Coefficient > 0))
                return quotient + Of(new FloorDivAtom(remainder, b));
            return Of(new FloorDivAtom(a, b));
        }
        if (a.Equals(b)) return One;
        // reshape(..., -1) with symbolic sizes divides the numel by the product of the others: (48*s0)/(12*s0) is 4.
        if (TryDivideExactly(a, b, out var exact)) return exact;
        return Of(new FloorDivAtom(a, b));
    }

    /// <summary>
    /// a / b when b is one term (coefficient × monomial) that divides every term of a as polynomials: each of a's
    /// monomials contains b's atoms and its coefficient is a multiple of b's. The quotient is then exact whatever the
    /// symbols' values, so floor division gives it and the remainder is 0.
    /// </summary>
    private static bool TryDivideExactly(SymExpr a, SymExpr b, out SymExpr quotient)
    {
        quotient = Zero;
        if (b.terms.Length != 1 || b.terms[0].Coefficient == 0) return false;
        var divisor = b.terms[0];
        var result = new List<Term>(a.terms.Length);
        foreach (var term in a.terms)
        {
            if (term.Coefficient % divisor.Coefficient != 0) return false;
            var remaining = term.Monomial.ToList();
            foreach (var atom in divisor.Monomial)
            {
                int at = remaining.FindIndex(x => x.Key == atom.Key);
                if (at < 0) return false;
                remaining.RemoveAt(at);
            }
            result.Add(new Term([.. remaining], term.Coefficient / divisor.Coefficient));
        }
        quotient = Normalize(result);
        return true;
    }

    public static SymExpr Mod(SymExpr a, SymExpr b)
    {
        if (b.IsConstant)
        {
            long d = b.ConstantValue;
            if (d == 0) throw new DivideByZeroException($"symbolic modulo of {a} by zero");
            if (d == 1 || d == -1) return Zero;
            if (a.IsConstant) return Constant(ValueRange.PythonMod(a.ConstantValue, d));
            if (a.terms.All(t => t.Monomial.Length == 0 || t.Coefficient % d == 0))
                return Constant(ValueRange.PythonMod(a.ConstantTerm, d));
        }
        if (a.Equals(b) || TryDivideExactly(a, b, out _)) return Zero;
        return Of(new ModAtom(a, b));
    }

    public static SymExpr Max(SymExpr a, SymExpr b)
    {
        if (a.Equals(b)) return a;
        var diff = a - b;
        if (diff.IsConstant) return diff.ConstantValue >= 0 ? a : b;
        return string.CompareOrdinal(a.key, b.key) <= 0 ? Of(new MinMaxAtom(true, a, b)) : Of(new MinMaxAtom(true, b, a));
    }

    public static SymExpr Min(SymExpr a, SymExpr b)
    {
        if (a.Equals(b)) return a;
        var diff = a - b;
        if (diff.IsConstant) return diff.ConstantValue <= 0 ? a : b;
        return string.CompareOrdinal(a.key, b.key) <= 0 ? Of(new MinMaxAtom(false, a, b)) : Of(new MinMaxAtom(false, b, a));
    }

    public long Evaluate(Func<SymbolAtom, long> valueOf)
    {
        long sum = 0;
        foreach (var t in terms)
        {
            long p = t.Coefficient;
            foreach (var atom in t.Monomial) p = checked(p * atom.Evaluate(valueOf));
            sum = checked(sum + p);
        }
        return sum;
    }

    /// <summary>
    /// Interval bound of the expression given bounds of its symbols (sound, not always tight). Atoms every term shares
    /// are factored out first as well (s0*s1 - s0 = s0 * (s1 - 1)): bounding each term on its own forgets that the s0 is
    /// the same in both, and with s0 in [1, 8], s1 in [2, 64] could not tell that the difference is never 0, which
    /// a view's or an attention's guard asks. Both bounds are sound, so their intersection is.
    /// </summary>
    public ValueRange Bound(Func<SymbolAtom, ValueRange> rangeOf)
    {
        var termwise = TermwiseBound(rangeOf);
        if (terms.Length < 2 || CommonFactor() is not { Count: > 0 } common) return termwise;
        var rest = terms.Select(t => t with { Monomial = WithoutOnce(t.Monomial, common) }).ToArray();
        var factored = common.Aggregate(new SymExpr(rest).Bound(rangeOf), (range, atom) => range * atom.Bound(rangeOf));
        var both = termwise.Intersect(factored);
        return both.IsEmpty ? termwise : both;
    }

    /// <summary>The atoms (with multiplicity) that every term's monomial contains.</summary>
    private List<SymAtom> CommonFactor()
    {
        var common = terms[0].Monomial.ToList();
        foreach (var t in terms.Skip(1))
        {
            var remaining = t.Monomial.ToList();
            common = common.Where(atom =>
            {
                int at = remaining.FindIndex(a => a.Key == atom.Key);
                if (at < 0) return false;
                remaining.RemoveAt(at);
                return true;
            }).ToList();
        }
        return common;
    }

    private static SymAtom[] WithoutOnce(SymAtom[] monomial, List<SymAtom> factor)
    {
        var rest = monomial.ToList();
        foreach (var atom in factor) rest.RemoveAt(rest.FindIndex(a => a.Key == atom.Key));
        return [.. rest];
    }

    private ValueRange TermwiseBound(Func<SymbolAtom, ValueRange> rangeOf)
    {
        var total = ValueRange.Exactly(0);
        foreach (var t in terms)
        {
            var p = ValueRange.Exactly(t.Coefficient);
            foreach (var atom in t.Monomial) p *= atom.Bound(rangeOf);
            total += p;
        }
        return total;
    }

    public SymExpr Substitute(Func<SymbolAtom, SymExpr?> replacement)
    {
        if (terms.All(t => t.Monomial.Length == 0)) return this;
        var result = Zero;
        foreach (var t in terms)
        {
            var p = Constant(t.Coefficient);
            foreach (var atom in t.Monomial) p *= atom.Substitute(replacement);
            result += p;
        }
        return result;
    }

    public IEnumerable<SymbolAtom> FreeSymbols() => terms.SelectMany(t => t.Monomial.SelectMany(a => a.FreeSymbols())).Distinct();

    /// <summary>
    /// When the expression is c1*x1 + ... + cn*xn + k over plain symbols, returns the coefficients;
    /// null when some term is non-linear.
    /// </summary>
    public IReadOnlyDictionary<SymbolAtom, long>? LinearCoefficients()
    {
        var result = new Dictionary<SymbolAtom, long>();
        foreach (var t in terms)
        {
            if (t.Monomial.Length == 0) continue;
            if (t.Monomial.Length != 1 || t.Monomial[0] is not SymbolAtom s) return null;
            result[s] = t.Coefficient;
        }
        return result;
    }

    public bool Equals(SymExpr? other) => other is not null && key == other.key;

    public override bool Equals(object? obj) => obj is SymExpr e && Equals(e);

    public override int GetHashCode() => key.GetHashCode(StringComparison.Ordinal);

    /// <summary>Renders like sympy: higher-degree terms first, constant last ("2*s0 + 1", "s0*s1 - 1").</summary>
    public string Render(Func<SymbolAtom, string> nameOf)
    {
        if (terms.Length == 0) return "0";
        var ordered = terms.OrderBy(t => t.Monomial.Length == 0 ? 1 : 0)
            .ThenByDescending(t => t.Monomial.Length)
            .ThenBy(t => t.Monomial.Length == 0 ? 0 : t.Monomial[0].Order.Rank)
            .ThenBy(t => t.Monomial.Length == 0 ? 0 : t.Monomial[0].Order.Id)
            .ThenBy(t => t.MonomialKey, StringComparer.Ordinal);
        var sb = new StringBuilder();
        bool first = true;
        foreach (var t in ordered)
        {
            long c = t.Coefficient;
            string body = t.Monomial.Length == 0 ? "" : string.Join("*", t.Monomial.Select(a => a.Render(nameOf)));
            long magnitude = Math.Abs(c);
            string text = t.Monomial.Length == 0 ? magnitude.ToString(CultureInfo.InvariantCulture)
                : magnitude == 1 ? body : $"{magnitude.ToString(CultureInfo.InvariantCulture)}*{body}";
            if (first) sb.Append(c < 0 ? "-" : "").Append(text);
            else sb.Append(c < 0 ? " - " : " + ").Append(text);
            first = false;
        }
        return sb.ToString();
    }

    /// <summary>Renders wrapped in parentheses unless the expression is a single factor.</summary>
    internal string RenderFactor(Func<SymbolAtom, string> nameOf)
    {
        string s = Render(nameOf);
        return terms.Length <= 1 && (terms.Length == 0 || terms[0].Coefficient >= 0) ? s : $"({s})";
    }

    public override string ToString() => Render(s => s.Name);
}

namespace Graphport.Shapes;

/// <summary>
/// Proves signs of size expressions that plain interval arithmetic cannot, because it forgets that both sides
/// mention the same symbol: (s0 + 1)//2 &lt;= s0 and Min(s0, 100) &lt;= s0 hold for every s0 &gt;= 1. It bounds each
/// floor division and min/max by expressions of its arguments (floor(a/c) &lt;= a/c, Min(a, b) &lt;= a, ...), scales
/// by the divisors to stay in integers, and checks the resulting polynomial with intervals.
/// </summary>
internal static class SignProver
{
    private const int MaxCandidates = 32;

    /// <summary>d &lt;= 0 for every value of the symbols in their ranges.</summary>
    public static bool NonPositive(SymExpr d, Func<SymbolAtom, ValueRange> rangeOf) =>
        UpperBounds(d).Any(p => p.Bound(rangeOf).Upper <= 0);

    /// <summary>d &lt; 0 for every value (integers: a scaled bound &lt;= -1 suffices).</summary>
    public static bool Negative(SymExpr d, Func<SymbolAtom, ValueRange> rangeOf) =>
        UpperBounds(d).Any(p => p.Bound(rangeOf).Upper < 0);

    public static bool NonNegative(SymExpr d, Func<SymbolAtom, ValueRange> rangeOf) => NonPositive(-d, rangeOf);

    public static bool Positive(SymExpr d, Func<SymbolAtom, ValueRange> rangeOf) => Negative(-d, rangeOf);

    /// <summary>Polynomials P with L*d &lt;= P for some L &gt; 0 (so the sign of an upper bound of P bounds d's).</summary>
    private static IEnumerable<SymExpr> UpperBounds(SymExpr d)
    {
        var rest = SymExpr.Zero;
        var choices = new List<List<(SymExpr Numerator, long Divisor)>>();
        foreach (var term in d.Terms)
        {
            var options = term.Monomial.Length == 1 ? Options(term.Monomial[0], term.Coefficient) : null;
            if (options is null)
            {
                var t = SymExpr.Constant(term.Coefficient);
                foreach (var atom in term.Monomial) t *= SymExpr.Of(atom);
                rest += t;
            }
            else
            {
                choices.Add(options);
            }
        }
        if (choices.Count == 0) yield break;
        int produced = 0;
        foreach (var combination in Combinations(choices, 0, []))
        {
            if (++produced > MaxCandidates) yield break;
            long scale = combination.Aggregate(1L, (l, c) => Lcm(l, c.Divisor));
            var p = rest * scale;
            foreach (var (numerator, divisor) in combination) p += numerator * (scale / divisor);
            yield return p;
        }
    }

    /// <summary>Upper bounds of coefficient*atom as numerator/divisor; null when the atom offers none better than its interval.</summary>
    private static List<(SymExpr, long)>? Options(SymAtom atom, long k)
    {
        switch (atom)
        {
            case FloorDivAtom { Denominator.IsConstant: true } f when f.Denominator.ConstantValue > 0:
                long c = f.Denominator.ConstantValue;
                // floor(a/c) <= a/c, and floor(a/c) >= (a - c + 1)/c: pick the side the coefficient needs.
                return k > 0 ? [(f.Numerator * k, c)] : [((f.Numerator - (c - 1)) * k, c)];
            case MinMaxAtom { IsMax: false } m when k > 0:
                return [(m.A * k, 1), (m.B * k, 1)];
            case MinMaxAtom { IsMax: true } m when k < 0:
                return [(m.A * k, 1), (m.B * k, 1)];
            default:
                return null;
        }
    }

    private static IEnumerable<List<(SymExpr Numerator, long Divisor)>> Combinations(List<List<(SymExpr, long)>> choices, int index, List<(SymExpr, long)> prefix)
    {
        if (index == choices.Count)
        {
            yield return prefix;
            yield break;
        }
        foreach (var option in choices[index])
            foreach (var c in Combinations(choices, index + 1, [.. prefix, option]))
                yield return c;
    }

    private static long Lcm(long a, long b) => a / Gcd(a, b) * b;

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}

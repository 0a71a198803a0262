using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Graphport.Shapes;

/// <summary>
/// After tracing, checks what the code assumed about sizes (guards, replacements, narrowed ranges) against
/// the user's Dims. Named Dims must allow everything the code needs; otherwise export fails with a list of
/// violations and suggested fixes in C#. Auto dims just take what was inferred. Returns the range constraints.
/// </summary>
internal sealed class DimConstraintSolver(ShapeEnv env)
{
    private readonly List<string> violations = [];
    private readonly SortedSet<string> violatedNames = new(StringComparer.Ordinal);
    private readonly List<string> dimFixes = [];
    private readonly List<string> relationFixes = [];
    private readonly HashSet<string> fixedNames = new(StringComparer.Ordinal);

    public RangeConstraints Solve()
    {
        env.Logger.LogInformation("produce_guards");
        foreach (var info in env.Symbols)
        {
            if (info.Atom.Unbacked || info.Dim is not { } dim) continue;
            CheckSymbol(info, dim);
        }
        CheckOtherGuards();
        if (violations.Count > 0) throw Violation();
        var entries = env.Symbols
            .Where(s => !env.Replacements.ContainsKey(s.Atom))
            .Select(s => new KeyValuePair<string, ValueRange>(s.Atom.Name, s.Range))
            .ToList();
        return new RangeConstraints(entries);
    }

    private static bool IsStrict(Dim dim) => dim.Kind is DimKind.Named or DimKind.Derived;

    private void CheckSymbol(SymbolInfo info, Dim dim)
    {
        string name = dim.Name;
        string source = info.Source;
        if (env.ReplacementOf(info.Atom) is { } replacement)
        {
            if (replacement.IsConstant)
            {
                long value = replacement.ConstantValue;
                if (dim.Kind == DimKind.Dynamic)
                {
                    Add(name, $"You marked {name} = {source} as dynamic but your code specialized it to be a constant ({value}). If you're using Dim.Dynamic, replace it with either Dim.Static or Dim.Auto.");
                }
                else if (IsStrict(dim))
                {
                    Add(name, $"Not all values of {name} = {source}{SpecifiedRange(dim)} are valid because {name} was inferred to be equal to {value}.");
                    AddDimFix(name, $"{name} = {value};  // specialized: the code only works for this size");
                }
                return;
            }
            if (!IsStrict(dim)) return;
            var coefficients = replacement.LinearCoefficients();
            if (coefficients is { Count: 1 } && coefficients.First().Key is var other && env.InfoOf(other) is { } otherInfo)
            {
                long a = coefficients.First().Value, b = replacement.ConstantTerm;
                string otherName = otherInfo.Dim?.Name ?? otherInfo.Source;
                if (otherInfo.Dim is not null && ReferenceEquals(otherInfo.Dim, dim)) return;
                if (a == 1 && b == 0)
                    Add(name, $"The values of {name} = {source} and {otherName} = {otherInfo.Source} must always be equal.");
                else
                    Add(name, $"The values of {name} = {source} must always be related to the values of {otherName} = {otherInfo.Source} by {name} = {Render(a, otherName, b)}.");
                if (otherInfo.Dim is { Kind: DimKind.Named } otherDim)
                {
                    relationFixes.Add($"{name} = {RenderCSharp(a, otherDim.Name, b)};");
                    fixedNames.Add(name);
                    if (!fixedNames.Contains(otherDim.Name)) AddDimFix(otherDim.Name, DimDeclaration(otherDim.Name, otherInfo.Range));
                }
                return;
            }
            Add(name, $"Not all values of {name} = {source}{SpecifiedRange(dim)} are valid because {name} was inferred to be equal to {env.RenderWithSources(replacement)}.");
            return;
        }
        if (!IsStrict(dim)) return;
        var specified = dim.SymbolRange;
        var actual = info.Range;
        if (actual != specified && actual.IsSubsetOf(specified))
        {
            string guard = RangeGuard(source, actual);
            Add(name, $"Not all values of {name} = {source}{SpecifiedRange(dim)} satisfy the generated guard {guard}");
            AddDimFix(name, DimDeclaration(name, actual));
        }
    }

    /// <summary>Guards that are neither equalities nor single-symbol bounds must hold for every allowed value.</summary>
    private void CheckOtherGuards()
    {
        foreach (var guard in env.Guards)
        {
            var e = guard.Expr.Substitute(env.ReplacementOf);
            var symbols = e.FreeSymbols().ToList();
            var strict = symbols.Select(env.InfoOf).Where(i => i.Dim is { } d && IsStrict(d)).ToList();
            if (strict.Count == 0) continue;
            if (e.Decide(env.RangeOf) == true) continue;
            foreach (var info in strict)
                Add(info.Dim!.Name, $"Not all values of {info.Dim.Name} = {info.Source}{SpecifiedRange(info.Dim)} satisfy the generated guard {env.RenderWithSources(e)}{(guard.Location is null ? "" : $" (from {guard.Location})")}.");
        }
    }

    private void Add(string name, string message)
    {
        if (violations.Contains(message)) return;
        violations.Add(message);
        violatedNames.Add(name);
    }

    private void AddDimFix(string name, string fix)
    {
        if (!fixedNames.Add(name)) return;
        dimFixes.Add(fix);
    }

    private static string DimDeclaration(string name, ValueRange range)
    {
        var parts = new List<string> { $"\"{name}\"" };
        if (range.Lower > 2) parts.Add($"min: {range.Lower.ToString(CultureInfo.InvariantCulture)}");
        if (range.Upper != ValueRange.Infinity) parts.Add($"max: {range.Upper.ToString(CultureInfo.InvariantCulture)}");
        return $"{name} = new Dim({string.Join(", ", parts)});";
    }

    private static string RangeGuard(string source, ValueRange r)
    {
        var parts = new List<string>();
        if (r.Lower > 2 || r.Upper == ValueRange.Infinity) parts.Add($"{ValueRange.Render(r.Lower)} <= {source}");
        if (r.Upper != ValueRange.Infinity) parts.Add($"{source} <= {ValueRange.Render(r.Upper)}");
        if (r.Lower == 2 && r.Upper != ValueRange.Infinity) parts.Insert(0, $"2 <= {source}");
        return string.Join(" && ", parts.Distinct());
    }

    private static string SpecifiedRange(Dim dim)
    {
        if (dim.Min is null && dim.Max is null) return " in the specified range";
        string lo = dim.Min is long min ? $"{min} <= " : "";
        string hi = dim.Max is long max ? $" <= {max}" : "";
        return $" in the specified range {lo}{dim.Name}{hi}";
    }

    private static string Render(long a, string name, long b)
    {
        string scaled = a == 1 ? name : $"{a}*{name}";
        return b == 0 ? scaled : b > 0 ? $"{scaled} + {b}" : $"{scaled} - {-b}";
    }

    private static string RenderCSharp(long a, string name, long b)
    {
        string scaled = a == 1 ? name : $"{name} * {a}";
        return b == 0 ? scaled : b > 0 ? $"{scaled} + {b}" : $"{scaled} - {-b}";
    }

    private ConstraintViolationException Violation()
    {
        var fixes = dimFixes.Concat(relationFixes).ToList();
        string message = $"Constraints violated ({string.Join(", ", violatedNames)})! For more information, run with GRAPHPORT_LOGS=\"+dynamic\".\n"
            + string.Join("\n", violations.Select(v => $"  - {v}"))
            + (fixes.Count > 0 ? "\n\nSuggested fixes:\n" + string.Join("\n", fixes.Select(f => $"  {f}")) : "");
        return new ConstraintViolationException(message, violations, fixes);
    }
}

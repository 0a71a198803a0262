using Microsoft.Extensions.Logging;

namespace Graphport.Shapes;

/// <summary>
/// Owns the symbols of one export: their example values and ranges, the replacements learned from
/// equalities (s2 = s1), and the guards recorded whenever traced code branched on a size.
/// </summary>
public sealed class ShapeEnv
{
    private readonly List<SymbolInfo> symbols = [];
    private readonly Dictionary<SymbolAtom, SymbolInfo> infoByAtom = [];
    private readonly Dictionary<SymbolAtom, SymExpr> replacements = [];
    private readonly List<ShapeGuard> guards = [];
    private int backedCount;
    private int unbackedCount;

    public ShapeEnv(ILogger? logger = null)
    {
        Logger = logger ?? GraphportLogging.Dynamic;
    }

    public ILogger Logger { get; }

    /// <summary>Says where user code is right now ("Model.cs:12 in Model.Forward"), for guard provenance.</summary>
    public Func<string?>? LocationProvider { get; set; }

    public IReadOnlyList<SymbolInfo> Symbols => symbols;

    public IReadOnlyList<ShapeGuard> Guards => guards;

    public IReadOnlyDictionary<SymbolAtom, SymExpr> Replacements => replacements;

    public SymbolInfo InfoOf(SymbolAtom atom) => infoByAtom[atom];

    /// <summary>A new backed size symbol s{n} for an input dimension whose example value is <paramref name="hint"/>.</summary>
    public SymInt CreateSymbol(long hint, ValueRange range, string source, Dim? dim = null)
    {
        if (!range.Contains(hint))
            throw new ArgumentOutOfRangeException(nameof(hint), $"{hint} not in range {range}");
        var atom = new SymbolAtom(backedCount, $"s{backedCount}", unbacked: false);
        backedCount++;
        var info = new SymbolInfo(atom, hint, range, source, dim);
        symbols.Add(info);
        infoByAtom[atom] = info;
        Logger.LogInformation("create_symbol {Symbol} = {Hint} for {Source} {Range}{Where}", atom.Name, hint, source, range, At());
        return new SymInt(SymExpr.Of(atom), this);
    }

    /// <summary>A data-dependent symbol u{n} (from Item()): no example value, so branching on it is an error.</summary>
    public SymInt CreateUnbackedSymbol(string source, ValueRange? range = null)
    {
        var atom = new SymbolAtom(unbackedCount, $"u{unbackedCount}", unbacked: true);
        unbackedCount++;
        var info = new SymbolInfo(atom, null, range ?? ValueRange.Unknown, source, null);
        symbols.Add(info);
        infoByAtom[atom] = info;
        Logger.LogInformation("create_unbacked_symbol {Symbol} for {Source}{Where}", atom.Name, source, At());
        return new SymInt(SymExpr.Of(atom), this);
    }

    /// <summary>
    /// Recreates a symbol under its saved name (loading a program keeps s0, s5, u0 as they were printed);
    /// symbols created afterwards are numbered after every restored one.
    /// </summary>
    internal SymInt RestoreSymbol(SymbolAtom atom, long? hint, ValueRange range, string source, Dim? dim)
    {
        if (infoByAtom.ContainsKey(atom))
            throw new InvalidOperationException($"Symbol {atom.Name} exists already in this ShapeEnv.");
        var info = new SymbolInfo(atom, hint, range, source, dim);
        symbols.Add(info);
        infoByAtom[atom] = info;
        if (atom.Unbacked) unbackedCount = Math.Max(unbackedCount, atom.Id + 1);
        else backedCount = Math.Max(backedCount, atom.Id + 1);
        return new SymInt(SymExpr.Of(atom), this);
    }

    public SymExpr? ReplacementOf(SymbolAtom atom) =>
        replacements.TryGetValue(atom, out var replacement) ? Simplify(replacement) : null;

    public SymExpr Simplify(SymExpr expr) => replacements.Count == 0 ? expr : expr.Substitute(ReplacementOf);

    public ValueRange RangeOf(SymbolAtom atom) =>
        infoByAtom.TryGetValue(atom, out var info) ? info.Range : ValueRange.Unknown;

    public ValueRange Bound(SymExpr expr) => Simplify(expr).Bound(RangeOf);

    private long HintValue(SymbolAtom atom)
    {
        var info = infoByAtom[atom];
        return info.Hint ?? throw DataDependent(SymExpr.Of(atom).ToString());
    }

    public long HintOf(SymExpr expr) => Simplify(expr).Evaluate(HintValue);

    public bool HintOf(SymBoolExpr expr) => expr.Substitute(ReplacementOf).Evaluate(HintValue);

    /// <summary>True/false when ranges alone settle the statement (no guard needed), else null.</summary>
    public bool? TryDecide(SymBoolExpr expr) => expr.Substitute(ReplacementOf).Decide(RangeOf);

    /// <summary>Decides a statement for tracing: statically if possible, else by the example values plus a guard.</summary>
    public bool Evaluate(SymBoolExpr expr)
    {
        var e = expr.Substitute(ReplacementOf);
        if (e is SymBoolConst c) return c.Value;
        var decided = e.Decide(RangeOf);
        if (decided is bool known) return known;
        if (e.FreeSymbols().Any(s => s.Unbacked)) throw DataDependent(e.ToString());
        if (IsSealed && tracing == 0) throw DecidingOnAFinishedProgram(e);
        bool value = e.Evaluate(HintValue);
        var guard = value ? e : e.Negate();
        string? where = LocationProvider?.Invoke();
        guards.Add(new ShapeGuard(guard, where));
        Logger.LogInformation("eval {Guard} [guard added]{Where}", guard.ToString(), where is null ? "" : $" at {where}");
        Refine(guard);
        return value;
    }

    /// <summary>
    /// torch's guard_or_false: true or false when ranges settle the statement; false, with no guard, when it is
    /// undecidable and mentions a data-dependent symbol (the caller takes the general path); otherwise decided by
    /// the example values with a guard, as <see cref="Evaluate"/>.
    /// </summary>
    public bool GuardOrFalse(SymBoolExpr expr)
    {
        var e = expr.Substitute(ReplacementOf);
        if (e is SymBoolConst c) return c.Value;
        if (e.Decide(RangeOf) is bool known) return known;
        if (e.FreeSymbols().Any(s => s.Unbacked))
        {
            Logger.LogDebug("guard_or_false {Statement} undecided: false{Where}", e.ToString(), At());
            return false;
        }
        return Evaluate(e);
    }

    /// <summary>How many symbols exist, so a check can create scratch symbols and forget them afterwards (<see cref="Forget"/>).</summary>
    internal (int Symbols, int Backed, int Unbacked) Mark() => (symbols.Count, backedCount, unbackedCount);

    /// <summary>Removes the symbols created since <paramref name="mark"/> (with their replacements), numbering from there again.</summary>
    internal void Forget((int Symbols, int Backed, int Unbacked) mark)
    {
        for (int i = symbols.Count - 1; i >= mark.Symbols; i--)
        {
            var atom = symbols[i].Atom;
            infoByAtom.Remove(atom);
            replacements.Remove(atom);
        }
        symbols.RemoveRange(mark.Symbols, symbols.Count - mark.Symbols);
        backedCount = mark.Backed;
        unbackedCount = mark.Unbacked;
    }

    /// <summary>Fixes a symbolic size to its example value (guarding that it stays so) and returns it.</summary>
    public long Specialize(SymExpr expr)
    {
        var e = Simplify(expr);
        if (e.IsConstant) return e.ConstantValue;
        if (e.FreeSymbols().Any(s => s.Unbacked)) throw DataDependent(e.ToString());
        if (IsSealed && tracing == 0) throw SpecializingAFinishedProgram(e);
        long value = e.Evaluate(HintValue);
        Evaluate(SymRelation.Make(Relation.Eq, e, SymExpr.Constant(value)));
        return value;
    }

    private int tracing;

    /// <summary>Whether an exported program owns these symbols: its sizes are fixed as traced, so a cast that would
    /// specialize one (and silently make the program static) is refused outside tracing.</summary>
    public bool IsSealed { get; private set; }

    /// <summary>Called when a program is made from these symbols (an export, a decomposition, a load).</summary>
    internal void Seal() => IsSealed = true;

    /// <summary>A tracer is working with these symbols until the returned scope is disposed: casts may specialize.</summary>
    internal IDisposable Tracing()
    {
        tracing++;
        return new TracingScope(this);
    }

    private sealed class TracingScope(ShapeEnv env) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            env.tracing--;
        }
    }

    private InvalidOperationException SpecializingAFinishedProgram(SymExpr e) =>
        new($"{e} is a dynamic size of an exported program ({RangesOf(e.FreeSymbols())}; its example value is {e.Evaluate(HintValue)}): " +
            "casting it to long would specialize the program to that value. Read the SymInt's Hint for the example value, or the " +
            "program's RangeConstraints for its range; a cast specializes only while tracing, as int() does inside torch.export.");

    private InvalidOperationException DecidingOnAFinishedProgram(SymBoolExpr e) =>
        new($"{e} is about dynamic sizes of an exported program ({RangesOf(e.FreeSymbols())}) and their ranges do not decide it: " +
            "deciding it by the example values would add a guard and narrow the program's ranges. Compare the SymInts' Hint values " +
            "for the example, or read the program's RangeConstraints; a comparison guards only while tracing.");

    private string RangesOf(IEnumerable<SymbolAtom> symbols) => string.Join(", ", symbols.Select(a => $"{a.Name} in {InfoOf(a).Range}"));

    private DataDependentException DataDependent(string expression)
    {
        string? where = LocationProvider?.Invoke();
        return new DataDependentException(
            $"Could not guard on data-dependent expression {expression}: its value comes from tensor data (Item()) and is unknown while tracing." +
            (where is null ? "" : $" It was needed at {where}.") +
            " Express the branch with Torch.Cond, or keep the value a tensor.");
    }

    private string At()
    {
        string? where = LocationProvider?.Invoke();
        return where is null ? "" : $" at {where}";
    }

    /// <summary>
    /// Takes a statement as true without a guard (torch._check on data-dependent values): ranges narrow and
    /// equalities become replacements. The caller records a run-time assertion for it.
    /// </summary>
    public void Assume(SymBoolExpr statement)
    {
        var e = statement.Substitute(ReplacementOf);
        if (e is SymBoolConst c)
        {
            if (!c.Value) throw new ArgumentException($"Torch.Check failed: {statement} is false.");
            return;
        }
        Logger.LogInformation("assume {Statement}{Where}", e.ToString(), At());
        Refine(e);
    }

    /// <summary>Learns from a guard: equalities become replacements, single-symbol bounds narrow ranges.</summary>
    private void Refine(SymBoolExpr guard)
    {
        if (guard is SymLogical { IsAnd: true } and)
        {
            Refine(and.A);
            Refine(and.B);
            return;
        }
        if (guard is not SymRelation rel) return;
        var diff = Simplify(rel.Difference);
        var coefficients = diff.LinearCoefficients();
        if (coefficients is null || coefficients.Count == 0) return;
        long k = diff.ConstantTerm;
        if (rel.Kind == Relation.Eq)
        {
            SolveEquality(coefficients, k);
            return;
        }
        if (coefficients.Count != 1) return;
        var (symbol, a) = coefficients.First();
        var kind = rel.Kind;
        if (a < 0)
        {
            a = -a;
            k = -k;
            kind = kind switch { Relation.Lt => Relation.Gt, Relation.Le => Relation.Ge, Relation.Gt => Relation.Lt, Relation.Ge => Relation.Le, _ => kind };
        }
        // a*s + k (kind) 0 with a > 0.
        var range = RangeOf(symbol);
        var refined = kind switch
        {
            Relation.Le => range with { Upper = Math.Min(range.Upper, ValueRange.FloorDivide(-k, a)) },
            Relation.Lt => range with { Upper = Math.Min(range.Upper, ValueRange.FloorDivide(-k - 1, a)) },
            Relation.Ge => range with { Lower = Math.Max(range.Lower, CeilDivide(-k, a)) },
            Relation.Gt => range with { Lower = Math.Max(range.Lower, CeilDivide(-k + 1, a)) },
            Relation.Ne when -k % a == 0 && -k / a == range.Lower => range with { Lower = range.Lower + 1 },
            Relation.Ne when -k % a == 0 && -k / a == range.Upper => range with { Upper = range.Upper - 1 },
            _ => range,
        };
        SetRange(symbol, refined);
    }

    private static long CeilDivide(long a, long b) => -ValueRange.FloorDivide(-a, b);

    private void SetRange(SymbolAtom symbol, ValueRange range)
    {
        var info = infoByAtom[symbol];
        if (info.Range == range) return;
        info.Range = range;
        Logger.LogInformation("set_range {Symbol} {Range}", symbol.Name, range);
    }

    private void SolveEquality(IReadOnlyDictionary<SymbolAtom, long> coefficients, long constantTerm)
    {
        // Eliminate the newest symbol whose coefficient divides everything, so older symbols (earlier inputs) survive.
        // A size of the inputs goes first; a data-dependent one only when the equation has no other (sizes read out of
        // the data that a run-time assertion says add up to a length: the last becomes the length minus the others).
        var order = coefficients.OrderByDescending(kv => kv.Key.Id).ToList();
        foreach (var (symbol, a) in order.Where(kv => !kv.Key.Unbacked).Concat(order.All(kv => kv.Key.Unbacked) ? order : []))
        {
            if (constantTerm % a != 0 || coefficients.Any(kv => kv.Key != symbol && kv.Value % a != 0)) continue;
            // a*s + Σ c_i x_i + k = 0  =>  s = -(Σ c_i x_i + k) / a
            var rest = SymExpr.Constant(-constantTerm / a);
            foreach (var (other, c) in coefficients)
                if (other != symbol) rest += SymExpr.Of(other) * (-c / a);
            SetReplacement(symbol, rest);
            return;
        }
    }

    private void SetReplacement(SymbolAtom symbol, SymExpr value)
    {
        var removedRange = RangeOf(symbol);
        replacements[symbol] = value;
        if (value.IsConstant)
        {
            infoByAtom[symbol].Range = ValueRange.Exactly(value.ConstantValue);
        }
        else if (value.LinearCoefficients() is { Count: 1 } coefficients)
        {
            // s = c*t + b: t must lie in (range(s) - b) / c as well as its own range.
            var (target, c) = coefficients.First();
            long b = value.ConstantTerm;
            if (c > 0)
            {
                long lo = removedRange.Lower == ValueRange.NegativeInfinity ? ValueRange.NegativeInfinity : CeilDivide(removedRange.Lower - b, c);
                long hi = removedRange.Upper == ValueRange.Infinity ? ValueRange.Infinity : ValueRange.FloorDivide(removedRange.Upper - b, c);
                SetRange(target, RangeOf(target).Intersect(new ValueRange(lo, hi)));
            }
        }
        Logger.LogInformation("set_replacement {Symbol} = {Value} (solve) {Range}", symbol.Name, value.ToString(), Bound(value));
    }

    /// <summary>Renders an expression with each symbol spelled as its source ("x.Shape[0]").</summary>
    public string RenderWithSources(SymExpr expr) => Simplify(expr).Render(s => infoByAtom.TryGetValue(s, out var i) ? i.Source : s.Name);

    public string RenderWithSources(SymBoolExpr expr) => expr.Render(s => infoByAtom.TryGetValue(s, out var i) ? i.Source : s.Name);
}

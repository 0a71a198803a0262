namespace Graphport.Shapes;

/// <summary>
/// A non-polynomial factor of a symbolic expression: a size symbol, or an operation (floor division,
/// modulo, max, min) that the polynomial normal form cannot absorb.
/// </summary>
public abstract class SymAtom : IEquatable<SymAtom>
{
    /// <summary>Canonical text used for equality, hashing and ordering.</summary>
    public abstract string Key { get; }

    /// <summary>Sort rank so that symbols come before composite atoms, then by key.</summary>
    internal abstract (int Rank, long Id) Order { get; }

    public abstract long Evaluate(Func<SymbolAtom, long> valueOf);

    public abstract ValueRange Bound(Func<SymbolAtom, ValueRange> rangeOf);

    public abstract SymExpr Substitute(Func<SymbolAtom, SymExpr?> replacement);

    public abstract string Render(Func<SymbolAtom, string> nameOf);

    public abstract IEnumerable<SymbolAtom> FreeSymbols();

    public bool Equals(SymAtom? other) => other is not null && Key == other.Key;

    public override bool Equals(object? obj) => obj is SymAtom a && Equals(a);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);

    internal static int Compare(SymAtom a, SymAtom b)
    {
        var (ra, ia) = a.Order;
        var (rb, ib) = b.Order;
        if (ra != rb) return ra.CompareTo(rb);
        if (ra == 0) return ia.CompareTo(ib);
        return string.CompareOrdinal(a.Key, b.Key);
    }

    public override string ToString() => Render(s => s.Name);
}

/// <summary>A free size variable: backed symbols are named s0, s1, ... and unbacked (data-dependent) ones u0, u1, ...</summary>
public sealed class SymbolAtom : SymAtom
{
    public SymbolAtom(int id, string name, bool unbacked)
    {
        Id = id;
        Name = name;
        Unbacked = unbacked;
        key = name;
    }

    private readonly string key;

    public int Id { get; }

    public string Name { get; }

    public bool Unbacked { get; }

    public override string Key => key;

    internal override (int, long) Order => (0, Unbacked ? 1_000_000L + Id : Id);

    public override long Evaluate(Func<SymbolAtom, long> valueOf) => valueOf(this);

    public override ValueRange Bound(Func<SymbolAtom, ValueRange> rangeOf) => rangeOf(this);

    public override SymExpr Substitute(Func<SymbolAtom, SymExpr?> replacement) => replacement(this) ?? SymExpr.Of(this);

    public override string Render(Func<SymbolAtom, string> nameOf) => nameOf(this);

    public override IEnumerable<SymbolAtom> FreeSymbols() { yield return this; }
}

/// <summary>floor(Numerator / Denominator), as Python's // on sizes.</summary>
public sealed class FloorDivAtom(SymExpr numerator, SymExpr denominator) : SymAtom
{
    private readonly string key = $"FloorDiv({numerator.Key}, {denominator.Key})";

    public SymExpr Numerator { get; } = numerator;

    public SymExpr Denominator { get; } = denominator;

    public override string Key => key;

    internal override (int, long) Order => (1, 0);

    public override long Evaluate(Func<SymbolAtom, long> valueOf) =>
        ValueRange.FloorDivide(Numerator.Evaluate(valueOf), Denominator.Evaluate(valueOf));

    public override ValueRange Bound(Func<SymbolAtom, ValueRange> rangeOf) =>
        Numerator.Bound(rangeOf).FloorDiv(Denominator.Bound(rangeOf));

    public override SymExpr Substitute(Func<SymbolAtom, SymExpr?> replacement) =>
        SymExpr.FloorDiv(Numerator.Substitute(replacement), Denominator.Substitute(replacement));

    public override string Render(Func<SymbolAtom, string> nameOf) =>
        $"({Numerator.Render(nameOf)})//{Denominator.RenderFactor(nameOf)}";

    public override IEnumerable<SymbolAtom> FreeSymbols() => Numerator.FreeSymbols().Concat(Denominator.FreeSymbols());
}

/// <summary>Numerator mod Denominator with Python's sign convention (result has the divisor's sign).</summary>
public sealed class ModAtom(SymExpr numerator, SymExpr denominator) : SymAtom
{
    private readonly string key = $"Mod({numerator.Key}, {denominator.Key})";

    public SymExpr Numerator { get; } = numerator;

    public SymExpr Denominator { get; } = denominator;

    public override string Key => key;

    internal override (int, long) Order => (2, 0);

    public override long Evaluate(Func<SymbolAtom, long> valueOf) =>
        ValueRange.PythonMod(Numerator.Evaluate(valueOf), Denominator.Evaluate(valueOf));

    public override ValueRange Bound(Func<SymbolAtom, ValueRange> rangeOf) =>
        Numerator.Bound(rangeOf).Mod(Denominator.Bound(rangeOf));

    public override SymExpr Substitute(Func<SymbolAtom, SymExpr?> replacement) =>
        SymExpr.Mod(Numerator.Substitute(replacement), Denominator.Substitute(replacement));

    public override string Render(Func<SymbolAtom, string> nameOf) =>
        $"Mod({Numerator.Render(nameOf)}, {Denominator.Render(nameOf)})";

    public override IEnumerable<SymbolAtom> FreeSymbols() => Numerator.FreeSymbols().Concat(Denominator.FreeSymbols());
}

/// <summary>Max or Min of two expressions (slicing clamps its bounds with them).</summary>
public sealed class MinMaxAtom(bool isMax, SymExpr a, SymExpr b) : SymAtom
{
    private readonly string key = $"{(isMax ? "Max" : "Min")}({a.Key}, {b.Key})";

    public bool IsMax { get; } = isMax;

    public SymExpr A { get; } = a;

    public SymExpr B { get; } = b;

    public override string Key => key;

    internal override (int, long) Order => (3, 0);

    public override long Evaluate(Func<SymbolAtom, long> valueOf)
    {
        long x = A.Evaluate(valueOf), y = B.Evaluate(valueOf);
        return IsMax ? Math.Max(x, y) : Math.Min(x, y);
    }

    public override ValueRange Bound(Func<SymbolAtom, ValueRange> rangeOf) =>
        IsMax ? ValueRange.Max(A.Bound(rangeOf), B.Bound(rangeOf)) : ValueRange.Min(A.Bound(rangeOf), B.Bound(rangeOf));

    public override SymExpr Substitute(Func<SymbolAtom, SymExpr?> replacement) =>
        IsMax ? SymExpr.Max(A.Substitute(replacement), B.Substitute(replacement)) : SymExpr.Min(A.Substitute(replacement), B.Substitute(replacement));

    public override string Render(Func<SymbolAtom, string> nameOf) =>
        $"{(IsMax ? "Max" : "Min")}({A.Render(nameOf)}, {B.Render(nameOf)})";

    public override IEnumerable<SymbolAtom> FreeSymbols() => A.FreeSymbols().Concat(B.FreeSymbols());
}

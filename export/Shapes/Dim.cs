using System.Globalization;
using Graphport.Shapes;

namespace Graphport;

/// <summary>How a dimension of an example input may vary in the exported program.</summary>
public enum DimKind
{
    /// <summary>A named, user-bounded symbol: every guard must follow from its range, or export fails with fixes.</summary>
    Named,

    /// <summary>Derived from a named root as A*root + B.</summary>
    Derived,

    /// <summary>Dynamic when the code allows, static otherwise; ranges and relations are inferred silently.</summary>
    Auto,

    /// <summary>Must stay dynamic (export fails if the code specializes it); ranges and relations are inferred.</summary>
    Dynamic,

    /// <summary>Fixed to the example input's size.</summary>
    Static,

    /// <summary>Fixed to a given size.</summary>
    Exact,
}

/// <summary>
/// A named symbolic dimension with optional inclusive bounds (torch.export.Dim). Use the same Dim in
/// several places to declare those sizes equal, and A*dim + B for a size derived from another.
/// </summary>
public class Dim
{
    public Dim(string name, long? min = null, long? max = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsIdentifier(name))
            throw new ArgumentException($"Dim name must be a valid identifier, got \"{name}\".", nameof(name));
        if (min is < 0)
            throw new ArgumentOutOfRangeException(nameof(min), $"Cannot create Dim \"{name}\" with min={min}: sizes are never negative; use min: 0 or more.");
        if (max is < 0)
            throw new ArgumentOutOfRangeException(nameof(max), $"Cannot create Dim \"{name}\" with max={max}: sizes are never negative; use max: 0 or more.");
        if (min is not null && max is not null && min > max)
            throw new ArgumentException($"Cannot create Dim \"{name}\" with inconsistent min={min}, max={max}: min must not exceed max.", nameof(min));
        Name = name;
        Min = min;
        Max = max;
        Kind = DimKind.Named;
    }

    private protected Dim(string name, DimKind kind, long? min, long? max)
    {
        Name = name;
        Kind = kind;
        Min = min;
        Max = max;
    }

    public string Name { get; }

    public DimKind Kind { get; }

    /// <summary>The user's lower bound; null means the default (sizes 0 and 1 are specialized, so effectively 2).</summary>
    public long? Min { get; }

    /// <summary>The user's upper bound; null means unbounded.</summary>
    public long? Max { get; }

    /// <summary>The range a symbol for this Dim starts with: [max(min, 2), max].</summary>
    public ValueRange SymbolRange => new(Math.Max(Min ?? 2, 2), Max ?? ValueRange.Infinity);

    /// <summary>The range the user wrote, before the 0/1 rule.</summary>
    public ValueRange SpecifiedRange => new(Min ?? 0, Max ?? ValueRange.Infinity);

    /// <summary>Dynamic where the code allows it, static otherwise; never an error.</summary>
    public static readonly Dim Auto = new("AUTO", DimKind.Auto, null, null);

    /// <summary>Must be dynamic; export fails if the code specializes it.</summary>
    public static readonly Dim Dynamic = new("DYNAMIC", DimKind.Dynamic, null, null);

    /// <summary>Fixed to the example input's size (the default for dimensions not mentioned).</summary>
    public static readonly Dim Static = new("STATIC", DimKind.Static, null, null);

    /// <summary>An Auto dim with bounds (torch's Dim.AUTO(min=..., max=...)).</summary>
    public static Dim AutoBetween(long? min = null, long? max = null) => Hint(DimKind.Auto, min, max);

    /// <summary>A Dynamic dim with bounds (torch's Dim.DYNAMIC(min=..., max=...)).</summary>
    public static Dim DynamicBetween(long? min = null, long? max = null) => Hint(DimKind.Dynamic, min, max);

    private static Dim Hint(DimKind kind, long? min, long? max)
    {
        if (min is < 0 || max is < 0 || (min is not null && max is not null && min > max))
            throw new ArgumentException($"Dim.{kind} bounds must satisfy 0 <= min <= max, got min={min}, max={max}.");
        return new Dim(kind.ToString().ToUpperInvariant(), kind, min, max);
    }

    /// <summary>A dimension fixed to <paramref name="size"/> (torch accepts an int in a dynamic_shapes spec).</summary>
    public static implicit operator Dim(int size) => size >= 0
        ? new Dim(size.ToString(CultureInfo.InvariantCulture), DimKind.Exact, size, size)
        : throw new ArgumentOutOfRangeException(nameof(size), $"A static dimension size must be >= 0, got {size}.");

    public static Dim operator +(Dim dim, long offset) => dim.Derive(1, offset, $"add {offset} to");

    public static Dim operator +(long offset, Dim dim) => dim + offset;

    public static Dim operator -(Dim dim, long offset) => dim.Derive(1, -offset, $"subtract {offset} from");

    public static Dim operator *(Dim dim, long factor)
    {
        if (factor <= 0)
            throw new NotSupportedException($"Attempted to multiply {factor} with {dim.Name}, where a positive integer was expected. (Only increasing linear operations with integer coefficients are supported.)");
        return dim.Derive(factor, 0, $"multiply {factor} with");
    }

    public static Dim operator *(long factor, Dim dim) => dim * factor;

    private Dim Derive(long factor, long offset, string what)
    {
        switch (this)
        {
            case DerivedDim derived:
                return new DerivedDim(derived.Root, derived.Coefficient * factor, derived.Offset * factor + offset);
            case { Kind: DimKind.Named }:
                return new DerivedDim(this, factor, offset);
            default:
                throw new NotSupportedException($"Attempted to {what} Dim.{Name}: only named Dims (new Dim(\"name\")) can be used to derive other dims.");
        }
    }

    public override string ToString() => Kind switch
    {
        DimKind.Named => Min is null && Max is null ? $"Dim(\"{Name}\")"
            : $"Dim(\"{Name}\"{(Min is null ? "" : $", min: {Min}")}{(Max is null ? "" : $", max: {Max}")})",
        DimKind.Exact => Name,
        _ => $"Dim.{Kind}",
    };

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}

/// <summary>A dimension defined as Coefficient*Root + Offset (torch's derived Dim), e.g. dx * 3 + 1.</summary>
public sealed class DerivedDim : Dim
{
    internal DerivedDim(Dim root, long coefficient, long offset)
        : base(RenderName(root.Name, coefficient, offset), DimKind.Derived, null, null)
    {
        Root = root;
        Coefficient = coefficient;
        Offset = offset;
        var rootRange = root.SymbolRange;
        long lo = Apply(root.Min ?? 0);
        if (lo < 0)
            throw new ArgumentException($"Expected derived min value of {Name} to be >= 0. Please specify an appropriate min value for {root.Name} (currently {root.Min ?? 0}).");
        _ = rootRange;
    }

    /// <summary>The named Dim this one is computed from (never itself derived).</summary>
    public Dim Root { get; }

    public long Coefficient { get; }

    public long Offset { get; }

    public long Apply(long rootValue) => checked(Coefficient * rootValue + Offset);

    /// <summary>The root value giving <paramref name="size"/>, or null when no integer root does.</summary>
    public long? SolveRoot(long size)
    {
        long shifted = size - Offset;
        return shifted % Coefficient == 0 ? shifted / Coefficient : null;
    }

    internal SymExpr Expression(SymExpr root) => root * Coefficient + Offset;

    private static string RenderName(string root, long coefficient, long offset)
    {
        string scaled = coefficient == 1 ? root : $"{coefficient}*{root}";
        return offset == 0 ? scaled : offset > 0 ? $"{scaled} + {offset}" : $"{scaled} - {-offset}";
    }
}

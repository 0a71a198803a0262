using System.Globalization;
using Graphport.Shapes;

namespace Graphport.Serialization;

/// <summary>
/// The symbols of a program being loaded, recreated under their saved names in a fresh <see cref="ShapeEnv"/>,
/// and the parsing of the size expressions that mention them. A symbol's example value is the saved one, else
/// the hint torch stored with an expression that pins it down, else the smallest value its range allows (at
/// least 2, since sizes 0 and 1 are specialized), so that re-tracing the program has values to work with.
/// </summary>
internal sealed class SymbolTable
{
    private readonly Dictionary<string, SymbolAtom> atoms = new(StringComparer.Ordinal);

    public SymbolTable(ShapeEnv env) => Env = env;

    public ShapeEnv Env { get; }

    public void Create(SavedSymbol symbol, string where)
    {
        var (id, unbacked) = ParseName(symbol.Name, where);
        if (atoms.ContainsKey(symbol.Name)) throw new InvalidDataException($"{where}: the symbol {symbol.Name} is defined twice.");
        if (symbol.Range.IsEmpty) throw new InvalidDataException($"{where}: the range {symbol.Range} of {symbol.Name} is empty.");
        long? hint = symbol.Hint;
        if (hint is null && !unbacked) hint = DefaultHint(symbol.Range);
        if (hint is long h && !symbol.Range.Contains(h))
            throw new InvalidDataException($"{where}: the example value {h} of {symbol.Name} lies outside its range {symbol.Range}.");
        var atom = new SymbolAtom(id, symbol.Name, unbacked);
        Env.RestoreSymbol(atom, hint, symbol.Range, symbol.Source ?? symbol.Name, symbol.Dim);
        atoms[symbol.Name] = atom;
    }

    public bool Contains(string name) => atoms.ContainsKey(name);

    public SymbolAtom Resolve(string name) =>
        atoms.TryGetValue(name, out var atom) ? atom : throw new FormatException($"the symbol {name} is not defined by the program");

    public SymInt ParseInt(JsonCursor at, string text)
    {
        try
        {
            return new SymInt(SympyParser.ParseInt(text, Resolve), Env);
        }
        catch (FormatException e)
        {
            throw at.Error($"the size expression is not readable: {e.Message}");
        }
    }

    public SymBool ParseBool(JsonCursor at, string text)
    {
        try
        {
            return new SymBool(SympyParser.ParseBool(text, Resolve), Env);
        }
        catch (FormatException e)
        {
            throw at.Error($"the size condition is not readable: {e.Message}");
        }
    }

    /// <summary>A SymInt union: {"as_int": n} or {"as_expr": {"expr_str": ..., "hint": ...}}.</summary>
    public SymInt SymInt(JsonCursor c)
    {
        var (tag, v) = c.Union();
        return tag switch
        {
            "as_int" => new SymInt(v.Int64()),
            "as_expr" => ParseInt(v, v.Field("expr_str").String()),
            _ => throw c.Error($"a SymInt is as_int or as_expr, not {tag}."),
        };
    }

    public SymBool SymBool(JsonCursor c)
    {
        var (tag, v) = c.Union();
        return tag switch
        {
            "as_bool" => new SymBool(v.Bool()),
            "as_expr" => ParseBool(v, v.Field("expr_str").String()),
            _ => throw c.Error($"a SymBool is as_bool or as_expr, not {tag}."),
        };
    }

    /// <summary>Backed sizes are s&lt;n&gt;, data-dependent ones u&lt;n&gt;; the number orders them.</summary>
    public static (int Id, bool Unbacked) ParseName(string name, string where)
    {
        bool ok = name.Length >= 2 && name[0] is 's' or 'u' && name[1..].All(char.IsAsciiDigit) && (name.Length == 2 || name[1] != '0')
            && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
        if (!ok)
            throw new InvalidDataException($"{where}: the symbol name \"{name}\" is not one Graphport knows (sizes are s0, s1, ... and data-dependent values u0, u1, ...).");
        return (int.Parse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture), name[0] == 'u');
    }

    public static long DefaultHint(ValueRange range)
    {
        long lower = range.Lower == ValueRange.NegativeInfinity ? 2 : Math.Max(range.Lower, 2);
        return Math.Min(lower, range.Upper);
    }
}

namespace Graphport.Shapes;

/// <summary>What a <see cref="ShapeEnv"/> knows of one symbol: where it came from, its example value and its range.</summary>
public sealed class SymbolInfo
{
    internal SymbolInfo(SymbolAtom atom, long? hint, ValueRange range, string source, Dim? dim)
    {
        Atom = atom;
        Hint = hint;
        Range = range;
        Source = source;
        Dim = dim;
    }

    public SymbolAtom Atom { get; }

    /// <summary>The example value; null for unbacked (data-dependent) symbols.</summary>
    public long? Hint { get; }

    /// <summary>The current range, narrowed by guards as tracing goes.</summary>
    public ValueRange Range { get; internal set; }

    /// <summary>Where the symbol was first read, e.g. "x.Shape[0]".</summary>
    public string Source { get; }

    /// <summary>The user's Dim (or the root of a derived Dim) that introduced the symbol, if any.</summary>
    public Dim? Dim { get; }
}

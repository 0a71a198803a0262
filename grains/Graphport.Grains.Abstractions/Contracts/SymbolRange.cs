namespace Graphport.Grains;

/// <summary>A symbol's range constraint, e.g. s0: [2, 1024]; <see cref="Max"/> is null for unbounded (oo).</summary>
[GenerateSerializer, Immutable, Alias("Graphport.SymbolRange")]
public sealed record SymbolRange([property: Id(0)] string Symbol, [property: Id(1)] long Min, [property: Id(2)] long? Max)
{
    public override string ToString() => $"{Symbol}: [{Min}, {(Max is long m ? m.ToString(System.Globalization.CultureInfo.InvariantCulture) : "oo")}]";
}

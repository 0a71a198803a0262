using Graphport.Shapes;

namespace Graphport.Serialization;

/// <summary>
/// A first pass over the size expressions of every graph: which symbols exist, in order of first use, an
/// example value for each where a stored hint determines one, and the input dimension each is first read from.
/// </summary>
internal sealed class SymbolScan
{
    private readonly Dictionary<string, SymbolAtom> placeholders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> hints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> sources = new(StringComparer.Ordinal);

    public List<string> Names { get; } = [];

    public long? HintOf(string name) => hints.TryGetValue(name, out var h) ? h : null;

    public string? SourceOf(string name) => sources.GetValueOrDefault(name);

    public void Graph(JsonCursor graph, bool root, int depth = 0)
    {
        if (depth > 32) throw graph.Error("subgraphs are nested too deeply.");
        var inputNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in graph.Field("inputs").Items())
            if (input.Union() is ("as_tensor", var v)) inputNames.Add(v.Field("name").String());
        foreach (var (name, meta) in graph.Field("tensor_values").Properties())
        {
            int dim = 0;
            foreach (var size in meta.Field("sizes").Items())
            {
                var symbol = SymInt(size);
                if (symbol is not null && root && inputNames.Contains(name)) sources.TryAdd(symbol, $"{name}.Shape[{dim}]");
                dim++;
            }
            foreach (var stride in meta.Field("strides").Items()) SymInt(stride);
        }
        foreach (var (_, value) in graph.Field("sym_int_values").Properties()) SymInt(value);
        if (graph.Optional("sym_bool_values") is { } bools)
            foreach (var (_, value) in bools.Properties())
                if (value.Union() is ("as_expr", var e)) Mention(e, e.Field("expr_str").String(), null);
        foreach (var node in graph.Field("nodes").Items())
            foreach (var input in node.Field("inputs").Items())
                if (input.Field("arg").Union() is ("as_graph", var g)) Graph(g.Field("graph"), root: false, depth + 1);
    }

    /// <summary>Scans one SymInt; returns the symbol's name when the size is exactly one symbol.</summary>
    private string? SymInt(JsonCursor c)
    {
        var (tag, v) = c.Union();
        if (tag != "as_expr") return null;
        long? hint = v.Optional("hint") is { } h && h.Union() is ("as_int", var hv) ? hv.Int64() : null;
        return Mention(v, v.Field("expr_str").String(), hint);
    }

    private string? Mention(JsonCursor at, string text, long? hint)
    {
        SymExpr expr;
        try
        {
            expr = SympyParser.ParseInt(text, Placeholder);
        }
        catch (FormatException)
        {
            // Conditions (and malformed text, reported when the graph is read) are scanned for names only.
            IReadOnlyList<string> names;
            try
            {
                names = SympyParser.SymbolNames(text);
            }
            catch (FormatException e)
            {
                throw at.Error($"the size expression is not readable: {e.Message}");
            }
            foreach (var name in names) Placeholder(name);
            return null;
        }
        // a*s + b = hint pins s down when a divides hint - b.
        if (hint is long value && expr.LinearCoefficients() is { Count: 1 } coefficients)
        {
            var (symbol, a) = coefficients.First();
            long b = expr.ConstantTerm;
            if (a != 0 && (value - b) % a == 0) hints.TryAdd(symbol.Name, (value - b) / a);
        }
        return expr.IsSymbol(out var s) ? s.Name : null;
    }

    private SymbolAtom Placeholder(string name)
    {
        if (!placeholders.TryGetValue(name, out var atom))
        {
            atom = new SymbolAtom(placeholders.Count, name, unbacked: false);
            placeholders[name] = atom;
            Names.Add(name);
        }
        return atom;
    }
}

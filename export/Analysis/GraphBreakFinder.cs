using System.Reflection;

namespace Graphport.Analysis;

/// <summary>
/// Strict export's front door: before tracing, inspect the IL of a module's Forward and of the user code it reaches,
/// and report every construct that cannot become part of one graph, each with the user's file and line. This is the
/// C# counterpart of Dynamo refusing Python bytecode it cannot capture.
/// </summary>
public static class GraphBreakFinder
{
    /// <summary>
    /// All graph breaks reachable from <paramref name="entry"/>: the entry's own in IL order first, then those of the
    /// methods it reaches in the order they were found. A construct reported twice (the two operator calls of one
    /// <c>&amp;&amp;</c>, a helper called with different tainted arguments) is kept once per kind, file and line.
    /// </summary>
    public static IReadOnlyList<GraphBreak> Find(MethodInfo entry, GraphBreakPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(policy);

        var seen = new HashSet<(GraphBreakKind, string, int)>();
        var breaks = new List<GraphBreak>();
        foreach (var found in new CallGraphWalker(policy).Walk(entry))
        {
            var location = found.Break.Location;
            // Without a PDB there is no line; the method and IL offset then identify the construct instead.
            var key = location is null
                ? (found.Break.Kind, $"{found.Method.DeclaringType?.AssemblyQualifiedName}::{found.Method.MetadataToken}", found.Offset)
                : (found.Break.Kind, location.File, location.Line);
            if (seen.Add(key))
                breaks.Add(found.Break);
        }
        return breaks;
    }
}

using Graphport.Operators;

namespace Graphport.Grains;

/// <summary>
/// Decomposition tables by name, so a table can be a grain key and a recipe step: "core" (the default table, to
/// the Core ATen opset, the graph torch's run_decompositions() makes), "core-gqa" (to the Core ATen opset too, with
/// grouped-query attention decomposed on the unrepeated key/value heads: transformers' repeat_kv before an attention
/// becomes no copy of the cache per query group, so a decoding step on the CPU runs without one), or
/// "ops:aten::t,aten::transpose.int" (just those ops' decompositions).
/// </summary>
public static class DecompositionTables
{
    public const string Core = "core";
    public const string CoreGroupedAttention = "core-gqa";
    public const string OpsPrefix = "ops:";

    // The engine registers its built-in decompositions on first use without making other threads wait for it
    // (Decompositions.EnsureBuiltins), so two concurrent first calls can see a partial table. Loading them here,
    // in a static constructor (which the runtime runs once while other threads wait), closes that race for the cluster.
    static DecompositionTables() => _ = Decompositions.Default();

    /// <summary>Checks a table name and returns it in canonical form; throws GraphportException (InvalidRequest) naming the problem.</summary>
    public static string Normalize(string? table)
    {
        if (string.IsNullOrWhiteSpace(table) || table == Core) return Core;
        if (table == CoreGroupedAttention) return table;
        if (!table.StartsWith(OpsPrefix, StringComparison.Ordinal))
            throw Invalid($"Unknown decomposition table '{table}'. Use \"{Core}\" (to the Core ATen opset), \"{CoreGroupedAttention}\" (the same, with grouped-query attention kept grouped) or \"{OpsPrefix}aten::t,aten::transpose.int\" (the listed ops only).");
        var ops = table[OpsPrefix.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (ops.Length == 0) throw Invalid($"Decomposition table '{table}' lists no ops.");
        foreach (var op in ops)
        {
            if (!OpRegistry.Instance.TryGet(op, out _))
                throw Invalid($"Decomposition table '{table}' names '{op}', which is not a registered op (write overloads as aten::transpose.int).");
        }
        return OpsPrefix + string.Join(',', ops.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    /// <summary>Runs the named table's decompositions; "core" and "core-gqa" also check that the result is Core ATen.</summary>
    public static ExportedProgram Apply(ExportedProgram program, string table)
    {
        ArgumentNullException.ThrowIfNull(program);
        string name = Normalize(table);
        if (name == Core) return program.RunDecompositions();
        if (name == CoreGroupedAttention) return program.RunDecompositions(null, groupedQueryAttention: true);
        return program.RunDecompositions(Decompositions.Get(name[OpsPrefix.Length..].Split(',')));
    }

    private static GraphportException Invalid(string message) => new(GraphportErrorKind.InvalidRequest, message);
}

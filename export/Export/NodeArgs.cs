namespace Graphport;

/// <summary>Constant arguments of graph nodes read as plain values, for the passes that match node patterns.</summary>
internal static class NodeArgs
{
    /// <summary>
    /// An int list as a graph node stores it (long[] when built in C#, object[] of numbers when loaded or imported,
    /// int[], SymInt[], or one number for a list of one), or null if any entry is not a plain number.
    /// </summary>
    public static long[]? Longs(object? arg)
    {
        switch (arg)
        {
            case long[] longs:
                return longs;
            case int[] ints:
                return [.. ints.Select(i => (long)i)];
            case SymInt[] sizes:
                return sizes.Any(s => s.IsSymbolic) ? null : [.. sizes.Select(s => s.Hint)];
            case long or int:
                return [Convert.ToInt64(arg)];
            case System.Collections.IEnumerable items and not string:
                var values = new List<long>();
                foreach (var item in items)
                {
                    if (item is long or int) values.Add(Convert.ToInt64(item));
                    else if (item is SymInt { IsSymbolic: false } s) values.Add(s.Hint);
                    else return null;
                }
                return [.. values];
            default:
                return null;
        }
    }

    /// <summary>Whether the node's value is a tensor of this dtype and shape (symbolic sizes compared as expressions).</summary>
    public static bool HasMeta(Graphs.Node node, TensorMeta meta) =>
        node.Value is TensorMeta m && m.DType == meta.DType && m.Shape.AsSpan().SequenceEqual(meta.Shape);
}

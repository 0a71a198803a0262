namespace Graphport.Graphs;

/// <summary>Executes higher-order ops (cond, map) by running their subgraphs.</summary>
internal static class HigherOrderRunner
{
    public static object? Run(HigherOrderTarget target, object?[] args) => target.Name switch
    {
        "cond" => Cond(args),
        "map_impl" => Map(args),
        _ => throw new NotSupportedException($"Higher-order op {target.Name} cannot be executed."),
    };

    private static object? Cond(object?[] args)
    {
        bool pred = args[0] switch
        {
            bool b => b,
            Tensor t => t.NumelLong == 1 ? t.GetDouble(0) != 0 : throw new ArgumentException($"cond: expected the predicate to be a one-element tensor, got shape {t.Shape}"),
            _ => throw new ArgumentException($"cond: unsupported predicate {args[0]}"),
        };
        var branch = (Graph)(pred ? args[1] : args[2])!;
        var operands = ((IEnumerable<object?>)args[3]!).ToList();
        // cond returns a tuple; the graph reads its items with getitem.
        return GraphInterpreter.Run(branch, operands).Cast<Tensor>().ToArray();
    }

    private static object? Map(object?[] args)
    {
        var body = (Graph)args[0]!;
        var xs = ((IEnumerable<object?>)args[1]!).Cast<Tensor>().ToList();
        var extra = ((IEnumerable<object?>)args[2]!).ToList();
        long n = (long)xs[0].Shape[0];
        var results = new List<object?[]>();
        for (long i = 0; i < n; i++)
        {
            var inputs = xs.Select(x => (object?)x.Select(0, i)).Concat(extra).ToList();
            results.Add(GraphInterpreter.Run(body, inputs));
        }
        int outs = results.Count > 0 ? results[0].Length : 0;
        return Enumerable.Range(0, outs).Select(j => Torch.Stack(results.Select(r => (Tensor)r[j]!))).ToArray();
    }
}

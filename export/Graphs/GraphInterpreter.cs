using Graphport.Operators;

namespace Graphport.Graphs;

/// <summary>
/// Runs a graph node by node on real tensors (torch.fx.Interpreter): placeholders take the given inputs,
/// calls dispatch to CPU kernels, and values are dropped after their last use to bound memory.
/// </summary>
public static class GraphInterpreter
{
    public static object?[] Run(Graph graph, IReadOnlyList<object?> inputs) => Run(graph, inputs, null);

    /// <param name="runner">Runs the nodes it takes (a frozen module's, <see cref="INodeRunner"/>); the rest run here.</param>
    internal static object?[] Run(Graph graph, IReadOnlyList<object?> inputs, INodeRunner? runner)
    {
        var placeholders = graph.Placeholders.ToList();
        if (inputs.Count != placeholders.Count)
            throw new ArgumentException($"The graph has {placeholders.Count} inputs ({string.Join(", ", placeholders.Select(p => p.Name))}) but {inputs.Count} values were given.");
        var values = new Dictionary<Node, object?>(graph.Nodes.Count);
        var remainingUses = new Dictionary<Node, int>();
        foreach (var n in graph.Nodes)
            foreach (var input in n.Inputs)
                remainingUses[input] = remainingUses.GetValueOrDefault(input) + 1;
        for (int i = 0; i < placeholders.Count; i++) values[placeholders[i]] = inputs[i];

        foreach (var node in graph.Nodes)
        {
            switch (node.Kind)
            {
                case NodeKind.Placeholder:
                    continue;
                case NodeKind.GetAttr:
                    values[node] = graph.Subgraphs.TryGetValue((string)node.Target, out var sub) ? sub : throw new InvalidOperationException($"get_attr {node.Target} has no subgraph.");
                    break;
                case NodeKind.Output:
                    var items = node.Args.Length > 0 && node.Args[0] is object?[] list ? list : node.Args;
                    return items.Select(a => Resolve(a, values)).ToArray();
                case NodeKind.CallFunction:
                    try
                    {
                        values[node] = runner is not null && runner.TryRun(node, a => Resolve(a, values), out var ran) ? ran : Execute(node, values);
                    }
                    catch (Exception e) when (e is not NodeExecutionException)
                    {
                        throw new NodeExecutionException(node, e);
                    }
                    break;
            }
            foreach (var input in node.Inputs)
            {
                if (--remainingUses[input] == 0 && input.Kind != NodeKind.Placeholder) values.Remove(input);
            }
        }
        throw new InvalidOperationException("The graph has no output node.");
    }

    private static object? Execute(Node node, Dictionary<Node, object?> values)
    {
        var args = node.Args.Select(a => Resolve(a, values)).ToArray();
        switch (node.Target)
        {
            case OpOverload op:
                if (!OpRegistry.Instance.TryGet(op.Name, out var registered) || !ReferenceEquals(registered, op))
                    throw new NotSupportedException($"Operator {op.Name} used by node {node.Name} is not registered in this process. Define it (and its implementation) with a Library before running the program.");
                var kwargs = node.Kwargs.Count == 0 ? null : node.Kwargs.ToDictionary(kv => kv.Key, kv => Resolve(kv.Value, values));
                return Dispatcher.Invoke(op, op.BindArgs(args, kwargs));
            case BuiltinTarget builtin:
                return builtin.Run(args);
            case HigherOrderTarget higher:
                return HigherOrderRunner.Run(higher, args);
            default:
                throw new NotSupportedException($"Cannot execute node {node.Name} with target {node.Target}.");
        }
    }

    private static object? Resolve(object? arg, Dictionary<Node, object?> values) => arg switch
    {
        Node n => values.TryGetValue(n, out var v) ? v : throw new InvalidOperationException($"Node {n.Name} was used before it was computed."),
        object?[] list => ResolveList(list, values),
        _ => arg,
    };

    private static object ResolveList(object?[] list, Dictionary<Node, object?> values)
    {
        var resolved = list.Select(x => Resolve(x, values)).ToArray();
        // Keep tensor lists typed so ops that take Tensor[] bind them directly.
        if (resolved.Length > 0 && resolved.All(x => x is Tensor)) return resolved.Cast<Tensor>().ToArray();
        return resolved;
    }
}

/// <summary>A node failed while running a graph; the message names the node and the op.</summary>
public sealed class NodeExecutionException(Node node, Exception inner)
    : Exception($"Running node {node.Name} ({GraphPrinter.TargetName(node.Target)}){(node.Source is { } s ? $" from {s}" : "")} failed: {inner.Message}", inner)
{
    public Node Node { get; } = node;
}

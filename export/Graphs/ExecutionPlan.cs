using System.Runtime.CompilerServices;

namespace Graphport.Graphs;

/// <summary>
/// What <see cref="GraphInterpreter"/> works out from a graph once instead of on every run: each node's slot in the
/// array of values, its arguments with the nodes they read replaced by slots, and the values each node is the last
/// to read (dropped after it, to bound memory). Rebuilt when the graph changes (<see cref="Graph.Revision"/>); a
/// served program runs the same graph thousands of times, and for small models this bookkeeping cost as much as
/// the kernels.
/// </summary>
internal sealed class ExecutionPlan
{
    private static readonly ConditionalWeakTable<Graph, ExecutionPlan> Plans = [];

    /// <summary>An argument that is the value of the node in this slot.</summary>
    internal sealed record Slot(int Index);

    /// <summary>The value of a slot not computed yet, or dropped after its last reader.</summary>
    internal static readonly object NotComputed = new();

    private readonly int revision;

    private ExecutionPlan(Graph graph)
    {
        revision = graph.Revision;
        Nodes = [.. graph.Nodes];
        var index = new Dictionary<Node, int>(Nodes.Length);
        for (int i = 0; i < Nodes.Length; i++) index[Nodes[i]] = i;
        IndexOf = index;
        Placeholders = [.. Enumerable.Range(0, Nodes.Length).Where(i => Nodes[i].Kind == NodeKind.Placeholder)];
        Args = new object?[Nodes.Length][];
        Kwargs = new KeyValuePair<string, object?>[Nodes.Length][];
        var lastReader = new int[Nodes.Length];
        Array.Fill(lastReader, -1);
        for (int i = 0; i < Nodes.Length; i++)
        {
            var node = Nodes[i];
            Args[i] = node.Args.Select(a => Compile(a, index)).ToArray();
            Kwargs[i] = node.Kwargs.Select(kv => new KeyValuePair<string, object?>(kv.Key, Compile(kv.Value, index))).ToArray();
            foreach (var input in node.Inputs)
                if (index.TryGetValue(input, out var read)) lastReader[read] = i;
        }
        var release = Enumerable.Range(0, Nodes.Length).Select(_ => new List<int>()).ToArray();
        for (int j = 0; j < Nodes.Length; j++)
            if (lastReader[j] >= 0 && Nodes[j].Kind != NodeKind.Placeholder) release[lastReader[j]].Add(j);
        ReleaseAfter = release.Select(r => r.ToArray()).ToArray();
    }

    public Node[] Nodes { get; }

    public IReadOnlyDictionary<Node, int> IndexOf { get; }

    /// <summary>Slots of the placeholders, in graph order (the order inputs are given in).</summary>
    public int[] Placeholders { get; }

    /// <summary>Each node's arguments with <see cref="Slot"/>s for the nodes they read.</summary>
    public object?[][] Args { get; }

    public KeyValuePair<string, object?>[][] Kwargs { get; }

    /// <summary>The slots whose last reader is this node.</summary>
    public int[][] ReleaseAfter { get; }

    /// <summary>The plan of the graph as it is now.</summary>
    public static ExecutionPlan For(Graph graph)
    {
        if (Plans.TryGetValue(graph, out var plan) && plan.revision == graph.Revision) return plan;
        plan = new ExecutionPlan(graph);
        Plans.AddOrUpdate(graph, plan);
        return plan;
    }

    /// <summary>An argument's value: a slot's value, a list resolved element by element, or the constant itself.</summary>
    public object? Resolve(object? arg, object?[] values) => arg switch
    {
        Slot s => Value(s.Index, values),
        Node n => throw new InvalidOperationException($"Node {n.Name} was used before it was computed."),  // not in this graph
        object?[] list => ResolveList(list, values),
        _ => arg,
    };

    /// <summary>As <see cref="Resolve"/>, for arguments that hold graph nodes (what an <see cref="INodeRunner"/> asks for).</summary>
    public object? ResolveNodes(object? arg, object?[] values) => arg switch
    {
        Node n => IndexOf.TryGetValue(n, out var i) ? Value(i, values) : throw new InvalidOperationException($"Node {n.Name} was used before it was computed."),
        object?[] list => ResolveList(list, values, nodes: true),
        _ => arg,
    };

    private object? Value(int slot, object?[] values)
    {
        var value = values[slot];
        return ReferenceEquals(value, NotComputed) ? throw new InvalidOperationException($"Node {Nodes[slot].Name} was used before it was computed.") : value;
    }

    private object ResolveList(object?[] list, object?[] values, bool nodes = false)
    {
        var resolved = new object?[list.Length];
        bool allTensors = list.Length > 0;
        for (int i = 0; i < list.Length; i++)
        {
            resolved[i] = nodes ? ResolveNodes(list[i], values) : Resolve(list[i], values);
            allTensors &= resolved[i] is Tensor;
        }
        // Keep tensor lists typed so ops that take Tensor[] bind them directly.
        return allTensors ? Array.ConvertAll(resolved, x => (Tensor)x!) : resolved;
    }

    private static object? Compile(object? arg, Dictionary<Node, int> index) => arg switch
    {
        Node n => index.TryGetValue(n, out var i) ? new Slot(i) : n,
        object?[] list => list.Select(a => Compile(a, index)).ToArray(),
        _ => arg,
    };
}

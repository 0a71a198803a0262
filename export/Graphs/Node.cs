using Graphport.Operators;

namespace Graphport.Graphs;

/// <summary>
/// One FX node: an input (placeholder), a call of an op or builtin, or the output. Arguments hold other
/// nodes, constants and lists of either. Meta carries the value's metadata and where it came from.
/// </summary>
public sealed class Node
{
    internal Node(Graph owner, NodeKind kind, string name, object target, object?[] args, IReadOnlyDictionary<string, object?> kwargs)
    {
        Owner = owner;
        Kind = kind;
        Name = name;
        Target = target;
        Args = args;
        Kwargs = kwargs;
    }

    public Graph Owner { get; }

    public NodeKind Kind { get; }

    public string Name { get; internal set; }

    /// <summary>An <see cref="OpOverload"/>, a <see cref="BuiltinTarget"/>, a <see cref="HigherOrderTarget"/>, or a name (placeholder/get_attr).</summary>
    public object Target { get; internal set; }

    public object?[] Args { get; internal set; }

    public IReadOnlyDictionary<string, object?> Kwargs { get; internal set; }

    /// <summary>The value's metadata: TensorMeta, TensorMeta[] (multi-output ops; null where an output is None), SymInt, or null.</summary>
    public object? Value { get; internal set; }

    public SourceFrame? Source { get; internal set; }

    public IReadOnlyList<ModuleFrame> ModuleStack { get; internal set; } = [];

    /// <summary>Free-form metadata for passes (e.g. "from_node" after decomposition).</summary>
    public Dictionary<string, object?> Meta { get; } = [];

    public TensorMeta TensorValue => Value as TensorMeta
        ?? throw new InvalidOperationException($"Node {Name} does not produce a single tensor (it produces {Value?.GetType().Name ?? "nothing"}).");

    public OpOverload? Op => Target as OpOverload;

    /// <summary>The nodes this node reads, in argument order, each once.</summary>
    public IEnumerable<Node> Inputs => Graph.NodesIn(Args).Concat(Graph.NodesIn(Kwargs.Values)).Distinct();

    public IReadOnlyList<Node> Users => Owner.UsersOf(this);

    public override string ToString() => Name;
}

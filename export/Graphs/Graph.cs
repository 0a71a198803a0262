using System.Collections;
using Graphport.Operators;

namespace Graphport.Graphs;

/// <summary>
/// An ordered list of nodes with unique names (torch.fx.Graph). Printing gives FX's "graph():" listing.
/// </summary>
public sealed partial class Graph
{
    private readonly List<Node> nodes = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> nameCounters = new(StringComparer.Ordinal);
    private Dictionary<Node, List<Node>>? users;

    public IReadOnlyList<Node> Nodes => nodes;

    public IEnumerable<Node> Placeholders => nodes.Where(n => n.Kind == NodeKind.Placeholder);

    public Node? OutputNode => nodes.LastOrDefault(n => n.Kind == NodeKind.Output);

    /// <summary>What the graph returns, in the signature's output order (empty without an output node).</summary>
    public object?[] OutputValues => OutputNode is { } output ? OutputItems(output) : [];

    /// <summary>An output node's values: its one list argument (as torch writes it), or its arguments themselves.</summary>
    public static object?[] OutputItems(Node output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Args.Length > 0 && output.Args[0] is object?[] list ? list : output.Args;
    }

    /// <summary>Subgraphs referenced by higher-order ops (true_graph_0, ...), by attribute name.</summary>
    public Dictionary<string, Graph> Subgraphs { get; } = new(StringComparer.Ordinal);

    public Node AddPlaceholder(string name, object? value)
    {
        // Placeholders keep their argument's name even when it is a Python builtin (torch.export names them so).
        var node = new Node(this, NodeKind.Placeholder, UniqueName(name, allowReserved: true), name, [], Empty) { Value = value };
        node.Target = node.Name;
        int insertAt = nodes.FindLastIndex(n => n.Kind == NodeKind.Placeholder) + 1;
        nodes.Insert(insertAt, node);
        Changed();
        return node;
    }

    /// <param name="keepName">
    /// Keep <paramref name="nameHint"/> even where FX would not choose it (a Python builtin such as <c>sum</c>): for
    /// names read back from an archive, which must stay what the archive's signature refers to.
    /// </param>
    public Node AddCall(object target, object?[] args, IReadOnlyDictionary<string, object?>? kwargs = null, string? nameHint = null, object? value = null, bool keepName = false)
    {
        var node = new Node(this, NodeKind.CallFunction, UniqueName(nameHint ?? DefaultName(target), allowReserved: keepName), target, args, kwargs ?? Empty) { Value = value };
        int outputAt = nodes.FindIndex(n => n.Kind == NodeKind.Output);
        if (outputAt >= 0) nodes.Insert(outputAt, node);
        else nodes.Add(node);
        Changed();
        return node;
    }

    /// <summary><see cref="AddCall"/> that puts the call just before <paramref name="anchor"/> (a pass that inlines a
    /// subgraph where its call was), its name made unique among every node the graph already has.</summary>
    public Node InsertCallBefore(Node anchor, object target, object?[] args, IReadOnlyDictionary<string, object?>? kwargs = null, string? nameHint = null, object? value = null)
    {
        int at = nodes.IndexOf(anchor);
        if (at < 0) throw new ArgumentException($"Node {anchor.Name} is not in this graph.", nameof(anchor));
        var node = new Node(this, NodeKind.CallFunction, UniqueName(nameHint ?? DefaultName(target)), target, args, kwargs ?? Empty) { Value = value };
        nodes.Insert(at, node);
        Changed();
        return node;
    }

    /// <summary>A get_attr node of <paramref name="attribute"/> (a name <see cref="UniqueName"/> gave) just before <paramref name="anchor"/>.</summary>
    public Node InsertGetAttrBefore(Node anchor, string attribute)
    {
        int at = nodes.IndexOf(anchor);
        if (at < 0) throw new ArgumentException($"Node {anchor.Name} is not in this graph.", nameof(anchor));
        var node = new Node(this, NodeKind.GetAttr, attribute, attribute, [], Empty);
        nodes.Insert(at, node);
        Changed();
        return node;
    }

    public Node AddGetAttr(string attribute, object? value, bool keepName = false)
    {
        var node = new Node(this, NodeKind.GetAttr, UniqueName(attribute.Replace('.', '_'), allowReserved: keepName), attribute, [], Empty) { Value = value };
        int outputAt = nodes.FindIndex(n => n.Kind == NodeKind.Output);
        if (outputAt >= 0) nodes.Insert(outputAt, node);
        else nodes.Add(node);
        Changed();
        return node;
    }

    public Node SetOutput(object?[] outputs)
    {
        nodes.RemoveAll(n => n.Kind == NodeKind.Output);
        var node = new Node(this, NodeKind.Output, UniqueName("output"), "output", [outputs], Empty);
        nodes.Add(node);
        Changed();
        return node;
    }

    /// <summary>Moves placeholders into the given order (lifted state first, then user inputs).</summary>
    public void ReorderPlaceholders(IReadOnlyList<Node> order)
    {
        var set = new HashSet<Node>(order);
        var rest = nodes.Where(n => !set.Contains(n)).ToList();
        nodes.Clear();
        nodes.AddRange(order);
        nodes.AddRange(rest);
        Changed();
    }

    public void Remove(Node node)
    {
        if (UsersOf(node).Count > 0)
            throw new InvalidOperationException($"Cannot remove node {node.Name}: it is still used by {string.Join(", ", UsersOf(node))}.");
        nodes.Remove(node);
        names.Remove(node.Name);
        Changed();
    }

    /// <summary>Replaces every use of <paramref name="old"/> by <paramref name="replacement"/>.</summary>
    /// <summary>A rewrite's last step: every use of <paramref name="old"/> reads <paramref name="replacement"/>, and old goes.</summary>
    internal Node Substitute(Node old, Node replacement)
    {
        ReplaceAllUses(old, replacement);
        Remove(old);
        return replacement;
    }

    public void ReplaceAllUses(Node old, Node replacement)
    {
        foreach (var n in nodes)
        {
            n.Args = ReplaceIn(n.Args, old, replacement);
            if (n.Kwargs.Count > 0)
                n.Kwargs = n.Kwargs.ToDictionary(kv => kv.Key, kv => ReplaceValue(kv.Value, old, replacement));
        }
        Changed();
    }

    private static object?[] ReplaceIn(object?[] args, Node old, Node replacement) => args.Select(a => ReplaceValue(a, old, replacement)).ToArray();

    private static object? ReplaceValue(object? a, Node old, Node replacement) => a switch
    {
        Node n when n == old => replacement,
        object?[] list => ReplaceIn(list, old, replacement),
        _ => a,
    };

    /// <summary>Removes calls whose results nobody uses; ops are functional, so nothing observable is lost.</summary>
    public int EliminateDeadCode()
    {
        // One pass to count users, then a worklist: removing a node may free its inputs.
        var userCount = new Dictionary<Node, int>(nodes.Count);
        foreach (var n in nodes)
            foreach (var input in n.Inputs)
                userCount[input] = userCount.GetValueOrDefault(input) + 1;
        var dead = new HashSet<Node>();
        var work = new Stack<Node>(nodes.Where(n => IsRemovable(n) && userCount.GetValueOrDefault(n) == 0));
        while (work.TryPop(out var n))
        {
            if (!dead.Add(n)) continue;
            foreach (var input in n.Inputs)
            {
                if (--userCount[input] == 0 && IsRemovable(input)) work.Push(input);
            }
        }
        if (dead.Count == 0) return 0;
        nodes.RemoveAll(dead.Contains);
        foreach (var n in dead) names.Remove(n.Name);
        Changed();
        return dead.Count;
    }

    private static bool IsRemovable(Node n) => n.Kind == NodeKind.CallFunction && !IsImpure(n);

    private static bool IsImpure(Node n) => n.Target is OpOverload op && (op.Schema.IsMutable || op.Tags.Contains("side_effect"));

    /// <summary>Bumped by every change of the node list or of an argument, so caches built from the graph (its users,
    /// <see cref="ExecutionPlan"/>) know when to rebuild.</summary>
    internal int Revision { get; private set; }

    private void Changed()
    {
        users = null;
        Revision++;
    }

    public IReadOnlyList<Node> UsersOf(Node node)
    {
        if (users is null)
        {
            var map = new Dictionary<Node, List<Node>>();
            foreach (var n in nodes)
                foreach (var input in n.Inputs)
                {
                    if (!map.TryGetValue(input, out var list)) map[input] = list = [];
                    list.Add(n);
                }
            users = map;
        }
        return users.TryGetValue(node, out var result) ? result : [];
    }

    internal static IEnumerable<Node> NodesIn(IEnumerable values)
    {
        foreach (var v in values)
        {
            if (v is Node n) yield return n;
            else if (v is object?[] list)
                foreach (var inner in NodesIn(list)) yield return inner;
        }
    }

    /// <summary>
    /// A name no node of this graph has, made from <paramref name="candidate"/> as FX's namespace makes it: a
    /// Python keyword or builtin (<c>sum</c>, <c>max</c>, <c>slice</c>, <c>abs</c>) is never a node's name, so the
    /// first <c>aten.sum</c> is <c>sum_1</c>, as torch names it. Torch's printer and its run_decompositions rename
    /// such nodes anyway, and then lose track of outputs that kept the builtin name.
    /// </summary>
    /// <param name="allowReserved">Accept a keyword or builtin as it is (placeholders, names read from an archive).</param>
    public string UniqueName(string candidate, bool allowReserved = false)
    {
        string baseName = Sanitize(candidate);
        if ((allowReserved || !PythonNames.IsReserved(baseName)) && names.Add(baseName)) return baseName;
        int counter = nameCounters.TryGetValue(baseName, out var c) ? c : 0;
        string name;
        do
        {
            counter++;
            name = $"{baseName}_{counter}";
        } while (!names.Add(name));
        nameCounters[baseName] = counter;
        return name;
    }

    private static string Sanitize(string s)
    {
        var chars = s.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        string r = new(chars);
        if (r.Length == 0 || char.IsDigit(r[0])) r = "_" + r;
        return r;
    }

    private static string DefaultName(object target) => target switch
    {
        OpOverload op => op.OpName,
        BuiltinTarget b => b.Name switch
        {
            "operator.getitem" => "getitem",
            "torch.sym_max" => "sym_max",
            "torch.sym_min" => "sym_min",
            "operator.and_" => "and_",
            "operator.or_" => "or_",
            "operator.not_" => "not_",
            var other => other.Replace("operator.", ""),
        },
        HigherOrderTarget h => h.Name,
        _ => target.ToString() ?? "node",
    };

    /// <summary>FX's "graph():" listing.</summary>
    public override string ToString() => GraphPrinter.Listing(this);

    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();
}

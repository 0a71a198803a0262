namespace Graphport.Graphs;

/// <summary>
/// Inlines the higher-order ops torch's training IR wraps a region of a model in when the region changes a mode:
/// <c>wrap_with_set_grad_enabled</c> (a <c>torch.no_grad()</c> block: transformers computes its rotary embeddings in
/// one) and <c>wrap_with_autocast</c> with autocast disabled. Graphport's programs compute no gradients, so neither
/// changes a value: the region's nodes take the wrapper's place, reading its operands, and the wrapper's outputs are
/// theirs, as torch's own run_decompositions leaves them. An enabled autocast would change dtypes inside the region,
/// which is refused by name.
/// </summary>
internal static class ModeWrapperInlining
{
    public static void Inline(Graph graph, string where)
    {
        foreach (var wrapper in graph.Nodes.Where(IsWrapper).ToList())
        {
            var (attribute, operands) = Region(wrapper, where);
            var region = graph.Subgraphs.TryGetValue((string)attribute.Target, out var g) ? g
                : throw new InvalidDataException($"{where}: {wrapper.Name} calls the subgraph {attribute.Target}, which the archive does not hold.");
            var outputs = Copy(graph, wrapper, region, operands, where);
            foreach (var user in wrapper.Users.ToList())
            {
                if (user.Target is not BuiltinTarget { Name: "operator.getitem" } || user.Args[1] is not long index || index < 0 || index >= outputs.Length)
                    throw new InvalidDataException($"{where}: {user.Name} reads {wrapper.Name} other than by an item of its outputs.");
                if (outputs[index] is not Node output)
                    throw new InvalidDataException($"{where}: output {index} of {wrapper.Name} is the constant {outputs[index]}, not a value of its region.");
                graph.ReplaceAllUses(user, output);
                graph.Remove(user);
            }
            graph.Remove(wrapper);
            if (attribute.Users.Count == 0)
            {
                graph.Remove(attribute);
                graph.Subgraphs.Remove((string)attribute.Target);
            }
        }
    }

    private static bool IsWrapper(Node n) => n.Target is HigherOrderTarget h && (h == HigherOrderTarget.SetGradEnabled || h == HigherOrderTarget.Autocast);

    // wrap_with_set_grad_enabled(enabled, region, *operands); wrap_with_autocast(device_type, dtype, enabled, cache_enabled, region, *operands).
    private static (Node Attribute, object?[] Operands) Region(Node wrapper, string where)
    {
        int at = wrapper.Target == HigherOrderTarget.SetGradEnabled ? 1 : 4;
        if (wrapper.Target == HigherOrderTarget.Autocast && wrapper.Args.Length > 2 && wrapper.Args[2] is not false)
            throw new InvalidDataException($"{where}: {wrapper.Name} runs its region under torch.autocast (device {wrapper.Args[0]}, dtype {wrapper.Args[1]}), "
                + "which Graphport does not model; export the model without autocast (or cast it to the dtype you want) and load that archive.");
        if (wrapper.Args.Length <= at || wrapper.Args[at] is not Node { Kind: NodeKind.GetAttr } attribute)
            throw new InvalidDataException($"{where}: {wrapper.Name} has no subgraph at argument {at}.");
        return (attribute, wrapper.Args[(at + 1)..]);
    }

    private static object?[] Copy(Graph graph, Node wrapper, Graph region, object?[] operands, string where)
    {
        var values = new Dictionary<Node, object?>();
        var placeholders = region.Placeholders.ToList();
        if (placeholders.Count != operands.Length)
            throw new InvalidDataException($"{where}: {wrapper.Name} passes {operands.Length} operands to a region that takes {placeholders.Count}.");
        for (int i = 0; i < operands.Length; i++) values[placeholders[i]] = operands[i];
        foreach (var node in region.Nodes)
        {
            switch (node.Kind)
            {
                case NodeKind.Placeholder or NodeKind.Output:
                    break;
                case NodeKind.GetAttr:
                {
                    // A subgraph of the region (a cond inside the no_grad block) becomes one of the graph's own.
                    string name = graph.UniqueName((string)node.Target);
                    graph.Subgraphs[name] = region.Subgraphs[(string)node.Target];
                    var copy = graph.InsertGetAttrBefore(wrapper, name);
                    values[node] = copy;
                    break;
                }
                default:
                {
                    var kwargs = node.Kwargs.Count == 0 ? null : node.Kwargs.ToDictionary(kv => kv.Key, kv => Mapped(kv.Value, values));
                    var copy = graph.InsertCallBefore(wrapper, node.Target, (object?[])Mapped(node.Args, values)!, kwargs, node.Name, node.Value);
                    copy.Source = node.Source ?? wrapper.Source;
                    copy.ModuleStack = node.ModuleStack.Count > 0 ? node.ModuleStack : wrapper.ModuleStack;
                    // What a lowering learned about the value (a complex value held as pairs) stays with it.
                    foreach (var (key, value) in node.Meta) copy.Meta[key] = value;
                    values[node] = copy;
                    break;
                }
            }
        }
        var output = region.OutputNode ?? throw new InvalidDataException($"{where}: the region of {wrapper.Name} has no output.");
        return output.Args[0] is object?[] items ? (object?[])Mapped(items, values)! : [Mapped(output.Args[0], values)];
    }

    private static object? Mapped(object? value, Dictionary<Node, object?> values) => value switch
    {
        Node n => values.TryGetValue(n, out var v) ? v : throw new InvalidDataException($"{n.Name} is read before the region defines it."),
        object?[] list => list.Select(item => Mapped(item, values)).ToArray(),
        _ => value,
    };
}

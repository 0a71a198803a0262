namespace Graphport.Graphs;

/// <summary>
/// An index_put (accumulate off) whose tensor is a buffer or parameter the program writes, whose new value is this
/// index_put's result (through functionalization's copy(buffer, new) nodes), with nothing else reading the old value
/// (those copies take only its shape and dtype): a static key/value cache taking a token's keys. A backend may write
/// the values into the buffer itself, as the CUDA planner does into its device buffer and a frozen CPU module into
/// the state tensor, instead of copying the whole buffer into a new value and back into the buffer after the call.
/// </summary>
public sealed record InPlaceStateUpdate(Node IndexPut, Node State, string Target, Node NewValue)
{
    /// <summary>Every such update of the program, by its index_put node.</summary>
    public static IReadOnlyDictionary<Node, InPlaceStateUpdate> In(ExportedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var targets = new Dictionary<Node, string>();
        var placeholders = program.Graph.Placeholders.ToList();
        var inputs = program.GraphSignature.InputSpecs;
        for (int i = 0; i < placeholders.Count && i < inputs.Count; i++)
            if (inputs[i].Kind is InputKind.Buffer or InputKind.Parameter && inputs[i].Target is { } target)
                targets[placeholders[i]] = target;
        var newValues = new Dictionary<string, Node>(StringComparer.Ordinal);
        var items = program.Graph.OutputValues;
        var outputs = program.GraphSignature.OutputSpecs;
        for (int i = 0; i < items.Length && i < outputs.Count; i++)
            if (outputs[i].Kind is OutputKind.BufferMutation or OutputKind.ParameterMutation && outputs[i].Target is { } target && items[i] is Node value)
                newValues[target] = value;

        var found = new Dictionary<Node, InPlaceStateUpdate>();
        foreach (var node in program.Graph.Nodes)
        {
            if (node.Op?.Name != "aten::index_put" || node.Args.ElementAtOrDefault(3) is true || node.Kwargs.TryGetValue("accumulate", out var accumulate) && accumulate is true) continue;
            if (node.Args.ElementAtOrDefault(0) is not Node state || !targets.TryGetValue(state, out var target)) continue;
            if (!newValues.TryGetValue(target, out var newValue) || !ReferenceEquals(ThroughCopies(newValue), node)) continue;
            if (state.Users.Any(u => !ReferenceEquals(u, node) && !TakesOnlyMetadata(u, state))) continue;
            if (node.Value is not TensorMeta written || state.Value is not TensorMeta old || written.DType != old.DType) continue;
            found[node] = new InPlaceStateUpdate(node, state, target, newValue);
        }
        return found;
    }

    /// <summary>The copy nodes between the index_put and the buffer's new value, from the new value back.</summary>
    public IReadOnlyList<Node> Copies
    {
        get
        {
            var copies = new List<Node>();
            for (var node = NewValue; !ReferenceEquals(node, IndexPut); node = (Node)node.Args[1]!) copies.Add(node);
            return copies;
        }
    }

    /// <summary>copy(self, src) whose self is <paramref name="state"/>: its result is src's values in self's shape and
    /// dtype, so the state's values are not read.</summary>
    public static bool TakesOnlyMetadata(Node user, Node state)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Op?.Name == "aten::copy" && ReferenceEquals(user.Args.ElementAtOrDefault(0), state) && !ReferenceEquals(user.Args.ElementAtOrDefault(1), state);
    }

    /// <summary>The node a chain of copy(_, src) nodes takes its values from.</summary>
    public static Node ThroughCopies(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        while (node.Op?.Name == "aten::copy" && node.Args.ElementAtOrDefault(1) is Node source) node = source;
        return node;
    }
}

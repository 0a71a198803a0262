using Graphport.Graphs;
using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

// A buffer the program updates at a few positions (a static key/value cache: index_put of the new token's keys) is
// scattered straight into its own device buffer, when nothing reads its old value: no copy of the whole buffer into
// a new value, and no copy back at the end. A decoding step then costs O(token), not O(cache). Functionalization
// leaves copy(buffer, new value) nodes behind, which take only the buffer's shape and dtype; those are the one kind
// of use of the old value allowed, and each such copy of a stored value is planned as that value itself.
public sealed partial class FusionPlanner
{
    // The signature target of each buffer and parameter placeholder, and the node each written one's new value is.
    private readonly Dictionary<Node, string> stateTargets = [];
    private readonly Dictionary<string, Node> newStateValues = new(StringComparer.Ordinal);

    private void FindWrittenState()
    {
        var placeholders = program.Graph.Placeholders.ToList();
        var inputs = program.GraphSignature.InputSpecs;
        for (int i = 0; i < placeholders.Count; i++)
            if (inputs[i].Kind is InputKind.Buffer or InputKind.Parameter && inputs[i].Target is { } target)
                stateTargets[placeholders[i]] = target;
        var output = program.Graph.OutputNode;
        var items = output is null ? [] : output.Args.Length > 0 && output.Args[0] is object?[] list ? list : output.Args;
        var outputs = program.GraphSignature.OutputSpecs;
        for (int i = 0; i < items.Length && i < outputs.Count; i++)
            if (outputs[i].Kind is OutputKind.BufferMutation or OutputKind.ParameterMutation && outputs[i].Target is { } target && items[i] is Node value)
                newStateValues[target] = value;
    }

    /// <summary>
    /// The own device buffer of the state <paramref name="node"/> (an index_put) may scatter into: its self is a
    /// buffer or parameter whose new value is this node's result (through copies), nothing else reads the old value,
    /// and the result keeps its dtype. Null when the update must go to a new buffer.
    /// </summary>
    private StridedView? InPlaceStateUpdate(Node node, PlannedValue self, TensorMeta meta)
    {
        if (node.Args.ElementAtOrDefault(0) is not Node state || !stateTargets.TryGetValue(state, out var target)) return null;
        if (!newStateValues.TryGetValue(target, out var newValue) || !ReferenceEquals(ThroughCopies(newValue), node)) return null;
        if (state.Users.Any(u => !ReferenceEquals(u, node) && !TakesOnlyMetadata(u, state))) return null;
        if (meta.DType != self.DType || self.Stored is not { IsContiguous: true } view || view.Buffer != weightByTarget[target]) return null;
        return view;
    }

    /// <summary>Whether this weight buffer is a buffer or parameter the program writes (its value changes between calls).</summary>
    private bool IsWrittenState(BufferRef buffer) =>
        newStateValues.Keys.Any(target => weightByTarget.TryGetValue(target, out var own) && own == buffer);

    // copy(self, src): its result is src's values in self's shape and dtype, so self's values are never read.
    private static bool TakesOnlyMetadata(Node user, Node state) =>
        user.Op?.Name == "aten::copy" && ReferenceEquals(user.Args.ElementAtOrDefault(0), state) && !ReferenceEquals(user.Args.ElementAtOrDefault(1), state);

    private static Node ThroughCopies(Node node)
    {
        while (node.Op?.Name == "aten::copy" && node.Args.ElementAtOrDefault(1) is Node source) node = source;
        return node;
    }

    /// <summary>A copy of a stored value into a tensor of its own shape and dtype is that value: no kernel.</summary>
    private PlannedValue? CopyOfStoredValue(Node node)
    {
        if (node.Value is not TensorMeta meta || ResolveArg(node.Args.ElementAtOrDefault(1)) is not PlannedValue { IsStored: true } source) return null;
        return meta.DType == source.DType && shapes.Evaluate(meta.Shape).SequenceEqual(source.Shape) ? source : null;
    }
}

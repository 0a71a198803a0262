using Graphport.Graphs;
using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

// A buffer the program updates at a few positions (a static key/value cache: index_put of the new token's keys) is
// scattered straight into its own device buffer when nothing reads its old value (Graphs.InPlaceStateUpdate): no
// copy of the whole buffer into a new value, and no copy back at the end, so a decoding step costs O(token), not
// O(cache). Functionalization's copy(buffer, new value) nodes after it are planned as the stored value itself.
public sealed partial class FusionPlanner
{
    // The index_puts that update a written buffer with no reader of its old value (Graphs.InPlaceStateUpdate), and the
    // signature targets of the buffers and parameters the program writes.
    private IReadOnlyDictionary<Node, InPlaceStateUpdate> stateUpdates = new Dictionary<Node, InPlaceStateUpdate>();
    private readonly HashSet<string> writtenTargets = new(StringComparer.Ordinal);

    private void FindWrittenState()
    {
        stateUpdates = InPlaceStateUpdate.In(program);
        foreach (var spec in program.GraphSignature.OutputSpecs)
            if (spec.Kind is OutputKind.BufferMutation or OutputKind.ParameterMutation && spec.Target is { } target)
                writtenTargets.Add(target);
    }

    /// <summary>The own device buffer <paramref name="node"/> (an index_put) may scatter into, or null when the update
    /// must go to a new buffer: the buffer must be stored whole and contiguous in its weight buffer.</summary>
    private StridedView? InPlaceTarget(Node node, PlannedValue self)
    {
        if (!stateUpdates.TryGetValue(node, out var update)) return null;
        return self.Stored is { IsContiguous: true } view && view.Buffer == weightByTarget[update.Target] ? view : null;
    }

    /// <summary>Whether this weight buffer is a buffer or parameter the program writes (its value changes between calls).</summary>
    private bool IsWrittenState(BufferRef buffer) =>
        writtenTargets.Any(target => weightByTarget.TryGetValue(target, out var own) && own == buffer);

    /// <summary>A copy of a stored value into a tensor of its own shape and dtype is that value: no kernel.</summary>
    private PlannedValue? CopyOfStoredValue(Node node)
    {
        if (node.Value is not TensorMeta meta || ResolveArg(node.Args.ElementAtOrDefault(1)) is not PlannedValue { IsStored: true } source) return null;
        return meta.DType == source.DType && shapes.Evaluate(meta.Shape).SequenceEqual(source.Shape) ? source : null;
    }
}

using Graphport.Graphs;

namespace Graphport.Onnx;

/// <summary>
/// Drops the weights an imported program never reads. The importer lifts every initializer and Constant before
/// tracing (a branch may read any of them), so an If decided at import leaves the other branch's weights as inputs
/// nothing uses: Silero VAD v5 imported for 16 kHz carried its 8 kHz branch too, twice its used 1.2 MiB. Inputs the
/// program updates are kept, and so are the user's inputs, used or not (they are the call signature).
/// </summary>
internal static class UnusedWeights
{
    public static ExportedProgram Dropped(ExportedProgram program)
    {
        var updated = program.GraphSignature.OutputSpecs.Select(o => o.Target).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var placeholders = program.Graph.Placeholders.ToList();
        var specs = program.GraphSignature.InputSpecs;
        var unused = new List<(Node Placeholder, InputSpec Spec)>();
        for (int i = 0; i < placeholders.Count && i < specs.Count; i++)
        {
            var spec = specs[i];
            if (spec.Kind is InputKind.Parameter or InputKind.Buffer or InputKind.ConstantTensor && spec.Target is { } target
                && !updated.Contains(target) && placeholders[i].Users.Count == 0)
                unused.Add((placeholders[i], spec));
        }
        if (unused.Count == 0) return program;

        var graph = program.Graph;
        foreach (var (placeholder, _) in unused) graph.Remove(placeholder);
        var dropped = unused.Select(u => u.Spec.Target!).ToHashSet(StringComparer.Ordinal);
        var droppedSpecs = unused.Select(u => u.Spec).ToHashSet();
        var signature = new ExportGraphSignature([.. specs.Where(s => !droppedSpecs.Contains(s))], program.GraphSignature.OutputSpecs);
        var state = program.StateDict.Where(kv => !dropped.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var constants = program.Constants.Where(kv => !dropped.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new ExportedProgram(graph, signature, state, constants, program.RangeConstraints, program.CallSignature, program.ShapeEnv);
    }
}

using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>
/// Assigns arena offsets by liveness: a buffer lives from the first step that touches it to the last (inputs
/// from before the first step, outputs to after the last), and two buffers may share bytes only when their lives
/// do not overlap. Biggest first, each at the lowest offset that fits between the live ones (greedy by size).
/// </summary>
public static class MemoryPlanner
{
    public const long Alignment = 256;

    public static long Align(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;

    public static MemoryPlan Plan(IReadOnlyList<KernelStep> steps, IReadOnlyList<BufferRef> buffers, IReadOnlyList<BufferRef> userInputs, IReadOnlyList<BufferRef> outputs)
    {
        var first = new Dictionary<int, int>();
        var last = new Dictionary<int, int>();
        void Touch(BufferRef b, int step)
        {
            first[b.Id] = first.TryGetValue(b.Id, out var f) ? Math.Min(f, step) : step;
            last[b.Id] = last.TryGetValue(b.Id, out var l) ? Math.Max(l, step) : step;
        }
        for (int s = 0; s < steps.Count; s++)
            foreach (var b in steps[s].Reads().Concat(steps[s].Writes())) Touch(b, s);
        foreach (var b in userInputs) Touch(b, -1);
        foreach (var b in outputs) Touch(b, steps.Count);

        var arenaBuffers = buffers.Where(b => b.Kind != BufferKind.Weight && first.ContainsKey(b.Id))
            .Select(b => (b, first[b.Id], last[b.Id])).ToList();
        var arena = Assign(arenaBuffers);
        long arenaBytes = arena.Count == 0 ? 0 : arena.Max(p => Align(p.End));

        var weightPlacements = new List<BufferPlacement>();
        long offset = 0;
        foreach (var b in buffers.Where(b => b.Kind == BufferKind.Weight))
        {
            weightPlacements.Add(new BufferPlacement(b, offset, -1, steps.Count));
            offset += Align(b.Bytes);
        }
        return new MemoryPlan(arena, weightPlacements, arenaBytes, offset);
    }

    /// <summary>Greedy-by-size placement of buffers with lifetimes [first, last]; exposed for the planner's tests.</summary>
    public static IReadOnlyList<BufferPlacement> Assign(IReadOnlyList<(BufferRef Buffer, int First, int Last)> lifetimes)
    {
        var placed = new List<BufferPlacement>();
        foreach (var (buffer, firstStep, lastStep) in lifetimes.OrderByDescending(l => l.Buffer.Bytes).ThenBy(l => l.First).ThenBy(l => l.Buffer.Id))
        {
            var candidate = new BufferPlacement(buffer, 0, firstStep, lastStep);
            long offset = 0;
            foreach (var other in placed.Where(p => p.OverlapsInTime(candidate) && p.Buffer.Bytes > 0).OrderBy(p => p.Offset))
            {
                if (offset + buffer.Bytes <= other.Offset) break;
                offset = Math.Max(offset, Align(other.End));
            }
            placed.Add(candidate with { Offset = offset });
        }
        return placed.OrderBy(p => p.Buffer.Id).ToList();
    }
}

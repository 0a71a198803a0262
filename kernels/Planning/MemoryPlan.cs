using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>Where one buffer lives and for which steps it must hold its value (inclusive).</summary>
public sealed record BufferPlacement(BufferRef Buffer, long Offset, int FirstStep, int LastStep)
{
    public long End => Offset + Buffer.Bytes;

    public bool OverlapsInTime(BufferPlacement other) => FirstStep <= other.LastStep && other.FirstStep <= LastStep;

    public bool OverlapsInMemory(BufferPlacement other) => Offset < other.End && other.Offset < End && Buffer.Bytes > 0 && other.Buffer.Bytes > 0;
}

/// <summary>
/// Offsets of every buffer: activations (inputs, intermediates, scratch) share one arena by liveness, so a call
/// needs one allocation made once; weights are packed into their own region. Offsets are 256-byte aligned, which
/// is what cuBLASLt's fastest algorithms and vector loads want.
/// </summary>
public sealed class MemoryPlan(IReadOnlyList<BufferPlacement> arena, IReadOnlyList<BufferPlacement> weights, long arenaBytes, long weightBytes)
{
    public IReadOnlyList<BufferPlacement> Arena { get; } = arena;

    public IReadOnlyList<BufferPlacement> Weights { get; } = weights;

    public long ArenaBytes { get; } = arenaBytes;

    public long WeightBytes { get; } = weightBytes;

    /// <summary>What the arena would take if no two buffers shared memory.</summary>
    public long UnsharedBytes => Arena.Sum(p => MemoryPlanner.Align(p.Buffer.Bytes));

    private readonly Dictionary<int, BufferPlacement> byId = arena.Concat(weights).ToDictionary(p => p.Buffer.Id);

    public BufferPlacement Placement(BufferRef buffer) => byId.TryGetValue(buffer.Id, out var p) ? p
        : throw new KeyNotFoundException($"Buffer {buffer} has no place in the memory plan.");
}

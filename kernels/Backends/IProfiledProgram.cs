namespace Graphport.Kernels.Backends;

/// <summary>
/// A compiled program that can say where its time goes: every step run alone between two device events (no
/// graph), the median of several runs. For finding the slow kernel, not for latency (graphs hide launch gaps).
/// </summary>
public interface IProfiledProgram
{
    IReadOnlyList<StepTime> Profile(IReadOnlyList<Tensor> inputs, int repeats = 10);

    /// <summary>
    /// Median device time of one replay of the bucket these inputs fill (its CUDA graphs back to back, the copies
    /// between pinned staging and the device included), between two device events: a call's latency without the
    /// host's share (staging the inputs, allocating and filling the output tensors). With
    /// <paramref name="includeCopies"/> false, the kernels alone: what a call costs whose inputs are already on the
    /// device and whose outputs stay there (how PyTorch's timings on device tensors count); NaN when host steps
    /// split the program.
    /// </summary>
    double ReplayMilliseconds(IReadOnlyList<Tensor> inputs, int repeats = 20, bool includeCopies = true);
}

namespace Graphport.Kernels.Backends;

/// <summary>
/// A compiled program that can say where its time goes: every step run alone between two device events (no
/// graph), the median of several runs. For finding the slow kernel, not for latency (graphs hide launch gaps).
/// </summary>
public interface IProfiledProgram
{
    IReadOnlyList<StepTime> Profile(IReadOnlyList<Tensor> inputs, int repeats = 10);
}

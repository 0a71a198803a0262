namespace Graphport.Kernels.Twin;

/// <summary>The loop variables (by slot) and the accumulator of one element being evaluated.</summary>
internal sealed class TwinEnvironment(int slots)
{
    public long[] Variables { get; } = new long[slots];

    public double Accumulator { get; set; }
}

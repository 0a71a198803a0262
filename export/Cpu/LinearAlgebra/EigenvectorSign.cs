namespace Graphport.Cpu;

/// <summary>
/// The sign rule that makes computed eigen- and singular vectors deterministic: a vector is flipped when its leading
/// component is negative, the leading component being the first whose magnitude is within a relative 1e-9 of the
/// largest. The slack keeps near-ties (equal up to rounding) from choosing by rounding noise.
/// </summary>
internal static class EigenvectorSign
{
    private const double TieSlack = 1e-9;

    public static bool ShouldFlip(ReadOnlySpan<double> v)
    {
        double largest = VectorKernels.MaxAbs(v);
        if (!(largest > 0)) return false;
        double threshold = largest * (1 - TieSlack);
        foreach (double component in v)
        {
            if (Math.Abs(component) >= threshold) return component < 0;
        }
        return false;
    }
}

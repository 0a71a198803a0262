namespace Graphport.Tests.Onnx;

/// <summary>
/// The largest |ours - reference| over an output, relative to the output's largest |reference|: how whole networks
/// are compared, since rounding through many layers grows with the activations' scale, not each element's.
/// A NaN on either side counts as an infinite difference.
/// </summary>
public readonly record struct PeakRelativeError(double Peak, double WorstDifference, int WorstIndex)
{
    public double Ratio => Peak > 0 ? WorstDifference / Peak : WorstDifference;

    public static PeakRelativeError Of(float[] reference, float[] ours)
    {
        if (reference.Length != ours.Length) throw new ArgumentException($"{reference.Length} reference values but {ours.Length} of ours.");
        double peak = 0, worstDiff = -1;
        int worst = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            peak = Math.Max(peak, Math.Abs((double)reference[i]));
            double diff = Math.Abs((double)ours[i] - reference[i]);
            if (double.IsNaN(diff)) diff = double.PositiveInfinity;
            if (diff > worstDiff) (worstDiff, worst) = (diff, i);
        }
        return new PeakRelativeError(peak, Math.Max(worstDiff, 0), worst);
    }
}

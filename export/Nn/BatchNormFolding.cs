namespace Graphport;

/// <summary>
/// An inference batch norm folded into the convolution before it: per output channel, weight·s and
/// (bias − mean)·s + beta with s = gamma / √(var + eps), computed in float64 and stored in the weight's dtype. The
/// folded convolution gives the batch norm's output up to rounding. Used by frozen modules on the CPU
/// (<see cref="ExportedModule.Freeze"/>) and by the CUDA backend's planner.
/// </summary>
public static class BatchNormFolding
{
    /// <param name="gamma">The batch norm's weight (null: ones); <paramref name="beta"/> its bias (null: zeros).</param>
    public static (Tensor Weight, Tensor Bias) Fold(Tensor convWeight, Tensor? convBias, Tensor runningMean, Tensor runningVar, Tensor? gamma, Tensor? beta, double eps)
    {
        ArgumentNullException.ThrowIfNull(convWeight);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        long cout = convWeight.Shape[0].Hint;
        var scale = (gamma?.To(DType.Float64) ?? Torch.Ones(cout).To(DType.Float64)) / (runningVar.To(DType.Float64) + eps).Sqrt();
        // One scale per output channel, broadcast over the weight's other dims (1-3 spatial ones).
        var perChannel = scale.Reshape([cout, .. Enumerable.Repeat(1L, convWeight.Ndim - 1)]);
        var weight = (convWeight.To(DType.Float64) * perChannel).To(convWeight.DType).Contiguous();
        var bias = ((convBias?.To(DType.Float64) ?? Torch.Zeros(cout).To(DType.Float64)) - runningMean.To(DType.Float64)) * scale;
        if (beta is not null) bias += beta.To(DType.Float64);
        return (weight, bias.To(convWeight.DType).Contiguous());
    }
}

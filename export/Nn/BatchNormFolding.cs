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
        long cout = convWeight.Shape[0].Hint;
        var scale = Scale(cout, runningMean, runningVar, gamma, eps);
        // One scale per output channel, broadcast over the weight's other dims (1-3 spatial ones).
        var perChannel = scale.Reshape([cout, .. Enumerable.Repeat(1L, convWeight.Ndim - 1)]);
        var weight = (convWeight.To(DType.Float64) * perChannel).To(convWeight.DType).Contiguous();
        return (weight, Bias(cout, convBias, runningMean, scale, beta, convWeight.DType));
    }

    /// <summary>
    /// The batch norm after a transposed convolution folded into it. Its weight is [Cin, Cout/groups, k…]: output
    /// channel g·Cout/groups + j is column j of group g's rows, so each group's rows scale by their own channels' s.
    /// </summary>
    public static (Tensor Weight, Tensor Bias) FoldTransposed(Tensor convWeight, Tensor? convBias, Tensor runningMean, Tensor runningVar, Tensor? gamma, Tensor? beta, double eps, int groups)
    {
        ArgumentNullException.ThrowIfNull(convWeight);
        if (groups < 1 || convWeight.Ndim < 2 || convWeight.Shape[0].Hint % groups != 0)
            throw new ArgumentException($"BatchNormFolding: a transposed convolution's weight of shape {convWeight.Shape} with {groups} groups; expected [Cin, Cout/groups, k...] with Cin a multiple of the groups", nameof(groups));
        long cin = convWeight.Shape[0].Hint, columns = convWeight.Shape[1].Hint, cout = columns * groups;
        var scale = Scale(cout, runningMean, runningVar, gamma, eps);
        var spatial = convWeight.Sizes.Skip(2).ToArray();
        var perChannel = scale.Reshape([groups, 1, columns, .. Enumerable.Repeat(1L, spatial.Length)]);
        var weight = (convWeight.To(DType.Float64).Reshape([groups, cin / groups, columns, .. spatial]) * perChannel)
            .Reshape(convWeight.Sizes).To(convWeight.DType).Contiguous();
        return (weight, Bias(cout, convBias, runningMean, scale, beta, convWeight.DType));
    }

    // s = gamma / √(var + eps), in float64.
    private static Tensor Scale(long cout, Tensor runningMean, Tensor runningVar, Tensor? gamma, double eps)
    {
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        return (gamma?.To(DType.Float64) ?? Torch.Ones(cout).To(DType.Float64)) / (runningVar.To(DType.Float64) + eps).Sqrt();
    }

    // (bias − mean)·s + beta, in the weight's dtype.
    private static Tensor Bias(long cout, Tensor? convBias, Tensor runningMean, Tensor scale, Tensor? beta, DType dtype)
    {
        var bias = ((convBias?.To(DType.Float64) ?? Torch.Zeros(cout).To(DType.Float64)) - runningMean.To(DType.Float64)) * scale;
        if (beta is not null) bias += beta.To(DType.Float64);
        return bias.To(dtype).Contiguous();
    }
}

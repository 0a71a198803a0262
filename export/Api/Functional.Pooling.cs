namespace Graphport;

/// <summary>
/// torch.nn.functional's max pools with their indices, adaptive max pools in 1-D and 3-D, power-average (LP) pools
/// and max unpooling, recorded as torch records them.
/// </summary>
public static partial class Functional
{
    /// <summary>(values, indices) of the maxima over windows of (N, C, L) input; indices are flat within each row.</summary>
    public static (Tensor Values, Tensor Indices) MaxPool1dWithIndices(Tensor x, long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false) =>
        Tensor.Pair(Aten.CallMulti(Aten.MaxPool1dWithIndices, x, new[] { kernelSize }, new[] { stride ?? kernelSize }, new[] { padding }, new[] { dilation }, ceilMode));

    /// <summary>(values, indices) of the maxima over windows of (N, C, H, W) input; indices are flat within each H×W plane.</summary>
    public static (Tensor Values, Tensor Indices) MaxPool2dWithIndices(Tensor x, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceilMode = false) =>
        Tensor.Pair(Aten.CallMulti(Aten.MaxPool2dWithIndices, x, kernelSize, stride ?? [], padding ?? [0, 0], dilation ?? [1, 1], ceilMode));

    /// <summary>(values, indices) of the maxima over windows of (N, C, D, H, W) input; indices are flat within each volume.</summary>
    public static (Tensor Values, Tensor Indices) MaxPool3dWithIndices(Tensor x, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceilMode = false) =>
        Tensor.Pair(Aten.CallMulti(Aten.MaxPool3dWithIndices, x, kernelSize, stride ?? [], padding ?? [0, 0, 0], dilation ?? [1, 1, 1], ceilMode));

    /// <summary>(values, indices) of the maxima over outputSize windows of (N, C, L) input that together cover it.</summary>
    public static (Tensor Values, Tensor Indices) AdaptiveMaxPool1d(Tensor x, long outputSize) =>
        Tensor.Pair(Aten.CallMulti(Aten.AdaptiveMaxPool1d, x, new[] { outputSize }));

    /// <summary>(values, indices) of the maxima over [outD, outH, outW] windows of (N, C, D, H, W) input that together cover it.</summary>
    public static (Tensor Values, Tensor Indices) AdaptiveMaxPool3d(Tensor x, long[] outputSize) =>
        Tensor.Pair(Aten.CallMulti(Aten.AdaptiveMaxPool3d, x, outputSize));

    /// <summary>
    /// The p-norm of every window of (N, C, L) input, (Σ xᵖ)^(1/p) (torch.nn.functional.lp_pool1d): an average pool
    /// of xᵖ times the window size; p = 1 is sum pooling, a large p nears max pooling.
    /// </summary>
    public static Tensor LpPool1d(Tensor x, double normType, long kernelSize, long? stride = null, bool ceilMode = false) =>
        PowerAverage(AvgPool1d(x.Pow(normType), kernelSize, stride, 0, ceilMode), normType, kernelSize);

    /// <summary>The p-norm of every window of (N, C, H, W) input (torch.nn.functional.lp_pool2d).</summary>
    public static Tensor LpPool2d(Tensor x, double normType, long[] kernelSize, long[]? stride = null, bool ceilMode = false) =>
        PowerAverage(AvgPool2d(x.Pow(normType), kernelSize, stride, [0, 0], ceilMode), normType, kernelSize.Aggregate(1L, (p, k) => p * k));

    /// <summary>The p-norm of every window of (N, C, D, H, W) input (torch.nn.functional.lp_pool3d).</summary>
    public static Tensor LpPool3d(Tensor x, double normType, long[] kernelSize, long[]? stride = null, bool ceilMode = false) =>
        PowerAverage(AvgPool3d(x.Pow(normType), kernelSize, stride, [0, 0, 0], ceilMode), normType, kernelSize.Aggregate(1L, (p, k) => p * k));

    // torch writes sign(mean)·relu(|mean|) so a negative mean of odd powers keeps its sign, then scales back to a sum.
    private static Tensor PowerAverage(Tensor mean, double normType, long windowSize) =>
        (mean.Sign() * mean.Abs().Relu() * windowSize).Pow(1.0 / normType);

    /// <summary>
    /// The inverse of MaxPool1dWithIndices: each value written where its index points in a row of the output size
    /// ((L − 1)·stride − 2·padding + kernel unless outputSize is given), zeros elsewhere.
    /// </summary>
    public static Tensor MaxUnpool1d(Tensor x, Tensor indices, long kernelSize, long? stride = null, long padding = 0, long[]? outputSize = null)
    {
        var size = UnpoolOutputSize(x, [kernelSize], [stride ?? kernelSize], [padding], outputSize);
        var unpooled = Aten.Call(Aten.MaxUnpool2d, x.Unsqueeze(-1), indices.Unsqueeze(-1), new[] { size[0], (SymInt)1 });
        return unpooled.Squeeze(-1);
    }

    /// <summary>The inverse of MaxPool2dWithIndices: values written where their indices point, zeros elsewhere.</summary>
    public static Tensor MaxUnpool2d(Tensor x, Tensor indices, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? outputSize = null) =>
        Aten.Call(Aten.MaxUnpool2d, x, indices, UnpoolOutputSize(x, kernelSize, stride ?? kernelSize, padding ?? [0, 0], outputSize));

    /// <summary>The inverse of MaxPool3dWithIndices: values written where their indices point, zeros elsewhere.</summary>
    public static Tensor MaxUnpool3d(Tensor x, Tensor indices, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? outputSize = null)
    {
        var strides = stride ?? kernelSize;
        var paddings = padding ?? [0, 0, 0];
        return Aten.Call(Aten.MaxUnpool3d, x, indices, UnpoolOutputSize(x, kernelSize, strides, paddings, outputSize), strides, paddings);
    }

    /// <summary>
    /// Fractional max pooling of (N, C, H, W) or (C, H, W) input (torch.nn.functional.fractional_max_pool2d): windows
    /// of kernelSize at pseudo-random overlapping places that give outputSize (or the input's size times
    /// outputRatio), placed by randomSamples ([N, C, 2] uniforms in [0, 1), drawn when null); values and indices.
    /// </summary>
    public static (Tensor Values, Tensor Indices) FractionalMaxPool2d(Tensor x, long[] kernelSize, long[]? outputSize = null, double[]? outputRatio = null, Tensor? randomSamples = null) =>
        FractionalMaxPool(Aten.FractionalMaxPool2d, 2, x, kernelSize, outputSize, outputRatio, randomSamples);

    /// <summary>Fractional max pooling of (N, C, D, H, W) or (C, D, H, W) input (torch.nn.functional.fractional_max_pool3d).</summary>
    public static (Tensor Values, Tensor Indices) FractionalMaxPool3d(Tensor x, long[] kernelSize, long[]? outputSize = null, double[]? outputRatio = null, Tensor? randomSamples = null) =>
        FractionalMaxPool(Aten.FractionalMaxPool3d, 3, x, kernelSize, outputSize, outputRatio, randomSamples);

    private static (Tensor Values, Tensor Indices) FractionalMaxPool(Operators.OpOverload op, int rank, Tensor x, long[] kernel, long[]? outputSize, double[]? outputRatio, Tensor? randomSamples)
    {
        string name = $"fractional_max_pool{rank}d";
        if (outputSize is null && outputRatio is null)
            throw new ArgumentException($"{name} requires specifying either an output_size or an output_ratio", nameof(outputSize));
        if (x.Ndim < rank + 1) throw new ArgumentException($"{name}(): Expected {rank + 1}D or {rank + 2}D tensor, but got: {x.Shape}");
        var size = outputSize ?? Enumerable.Range(0, rank).Select(i =>
        {
            double ratio = outputRatio!.Length == 1 ? outputRatio[0] : outputRatio[i];
            // The size is fixed by the ratio, as torch's int(size · ratio) specializes a symbolic size.
            return (long)((long)x.Shape[x.Ndim - rank + i] * ratio);
        }).ToArray();
        var samples = randomSamples ?? Torch.Rand(new[] { x.Ndim == rank + 1 ? 1 : x.Shape[0], x.Shape[x.Ndim - rank - 1], (SymInt)rank }, x.DType);
        return Tensor.Pair(Aten.CallMulti(op, x, kernel, size, samples));
    }

    /// <summary>
    /// torch's _unpool_output_size: (in − 1)·stride − 2·padding + kernel per spatial dim, or the requested size (its
    /// spatial part when it also names batch and channels), which must lie strictly within a stride of that.
    /// </summary>
    private static SymInt[] UnpoolOutputSize(Tensor x, long[] kernel, long[] stride, long[] padding, long[]? requested)
    {
        int rank = kernel.Length;
        if (stride.Length != rank || padding.Length != rank)
            throw new ArgumentException($"max_unpool{rank}d: kernel_size, stride and padding need {rank} numbers each, got kernel_size {Graphs.PythonRepr.Tuple(kernel)}, stride {Graphs.PythonRepr.Tuple(stride)}, padding {Graphs.PythonRepr.Tuple(padding)}.");
        if (x.Ndim < rank + 1)
            throw new ArgumentException($"max_unpool{rank}d: input must have at least {rank + 1} dims (channels and {rank} spatial), got {x.Ndim}.");
        var defaults = new SymInt[rank];
        for (int d = 0; d < rank; d++) defaults[d] = (x.Shape[x.Ndim - rank + d] - 1) * stride[d] + kernel[d] - 2 * padding[d];
        if (requested is null) return defaults;
        var size = requested.Length == rank + 2 ? requested[2..] : requested;
        if (size.Length != rank)
            throw new ArgumentException($"output_size should be a sequence containing {rank} or {rank + 2} elements, but it has a length of '{requested.Length}'", "outputSize");
        for (int d = 0; d < rank; d++)
        {
            long expected = defaults[d].Hint;
            long min = expected - stride[d], max = expected + stride[d];
            if (size[d] <= min || size[d] >= max)
                throw new ArgumentException($"invalid output_size \"[{string.Join(", ", requested)}]\" (dim {d} must be between {min} and {max})", "outputSize");
        }
        return size.Select(s => (SymInt)s).ToArray();
    }

}

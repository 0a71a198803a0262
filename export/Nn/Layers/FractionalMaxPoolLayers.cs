namespace Graphport;

/// <summary>
/// Fractional max pooling (torch.nn.FractionalMaxPool2d/3d): windows of kernelSize at pseudo-random overlapping places
/// drawn on every call, giving outputSize or the input's size times outputRatio (each in (0, 1)). CallWithIndices
/// also gives where each maximum came from, flat within its plane or volume.
/// </summary>
public abstract class FractionalMaxPoolLayer : Module<Tensor, Tensor>
{
    private protected FractionalMaxPoolLayer(int dims, PoolSize kernelSize, PoolSize? outputSize, double[]? outputRatio)
    {
        string layer = $"FractionalMaxPool{dims}d";
        Kernel = kernelSize.For(dims, layer, nameof(kernelSize));
        if (outputSize is null && outputRatio is null)
            throw new ArgumentException($"{layer} requires specifying either an output size, or a pooling ratio", nameof(outputSize));
        if (outputSize is not null && outputRatio is not null)
            throw new ArgumentException($"{layer}: give outputSize or outputRatio, not both", nameof(outputRatio));
        OutputSizes = outputSize?.For(dims, layer, nameof(outputSize));
        if (outputRatio is not null)
        {
            if (outputRatio.Length != 1 && outputRatio.Length != dims)
                throw new ArgumentException($"{layer}: outputRatio must be one number or {dims} numbers, got {outputRatio.Length}", nameof(outputRatio));
            foreach (var ratio in outputRatio)
                if (!(ratio > 0 && ratio < 1)) throw new ArgumentException($"output_ratio must be between 0 and 1 (got {ratio})", nameof(outputRatio));
            OutputRatio = [.. outputRatio];
        }
    }

    private protected long[] Kernel { get; }
    private protected long[]? OutputSizes { get; }
    private protected double[]? OutputRatio { get; }

    public override Tensor Forward(Tensor x) => ForwardWithIndices(x).Values;

    /// <summary>(values, indices) of the maxima, the indices flat within each plane (volume in 3-D) of the input.</summary>
    public abstract (Tensor Values, Tensor Indices) ForwardWithIndices(Tensor x);

    /// <summary>ForwardWithIndices as a call of this module (recorded in the module stack while tracing).</summary>
    public (Tensor Values, Tensor Indices) CallWithIndices(Tensor x)
    {
        using var scope = EnterCall();
        return ForwardWithIndices(x);
    }
}

/// <summary>Fractional max pooling of (N, C, H, W) or (C, H, W) input (torch.nn.FractionalMaxPool2d).</summary>
public sealed class FractionalMaxPool2d(PoolSize kernelSize, PoolSize? outputSize = null, double[]? outputRatio = null)
    : FractionalMaxPoolLayer(2, kernelSize, outputSize, outputRatio)
{
    public override (Tensor Values, Tensor Indices) ForwardWithIndices(Tensor x) => Functional.FractionalMaxPool2d(x, Kernel, OutputSizes, OutputRatio);
}

/// <summary>Fractional max pooling of (N, C, D, H, W) or (C, D, H, W) input (torch.nn.FractionalMaxPool3d).</summary>
public sealed class FractionalMaxPool3d(PoolSize kernelSize, PoolSize? outputSize = null, double[]? outputRatio = null)
    : FractionalMaxPoolLayer(3, kernelSize, outputSize, outputRatio)
{
    public override (Tensor Values, Tensor Indices) ForwardWithIndices(Tensor x) => Functional.FractionalMaxPool3d(x, Kernel, OutputSizes, OutputRatio);
}

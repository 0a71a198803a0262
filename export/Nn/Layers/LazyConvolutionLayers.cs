namespace Graphport;

/// <summary>What the lazy convolutions share: in_channels is the input's channel dim (dim 1, or 0 unbatched).</summary>
public abstract class LazyConvolution<TLayer>(int spatialDims) : LazyLayer<TLayer> where TLayer : Module<Tensor, Tensor>
{
    protected override long InputSize(Tensor x)
    {
        if (x.Ndim != spatialDims + 1 && x.Ndim != spatialDims + 2)
            throw new ArgumentException($"{GetType().Name} expects a {spatialDims + 1}-D (unbatched) or {spatialDims + 2}-D (batched) input, got {x.Ndim}-D.");
        return x.Sizes[x.Ndim - spatialDims - 1];
    }
}

/// <summary>torch.nn.LazyConv1d: a Conv1d whose in_channels is read from the first input.</summary>
public sealed class LazyConv1d(long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true) : LazyConvolution<Conv1d>(1)
{
    protected override Conv1d Create(long inputSize) => new(inputSize, outChannels, kernelSize, stride, padding, dilation, groups, hasBias);
}

/// <summary>torch.nn.LazyConv2d: a Conv2d whose in_channels is read from the first input.</summary>
public sealed class LazyConv2d(long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true) : LazyConvolution<Conv2d>(2)
{
    protected override Conv2d Create(long inputSize) => new(inputSize, outChannels, kernelSize, stride, padding, dilation, groups, hasBias);
}

/// <summary>torch.nn.LazyConv3d: a Conv3d whose in_channels is read from the first input.</summary>
public sealed class LazyConv3d(long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true) : LazyConvolution<Conv3d>(3)
{
    protected override Conv3d Create(long inputSize) => new(inputSize, outChannels, kernelSize, stride, padding, dilation, groups, hasBias);
}

/// <summary>torch.nn.LazyConvTranspose1d: a ConvTranspose1d whose in_channels is read from the first input.</summary>
public sealed class LazyConvTranspose1d(long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0, long groups = 1, bool hasBias = true) : LazyConvolution<ConvTranspose1d>(1)
{
    protected override ConvTranspose1d Create(long inputSize) => new(inputSize, outChannels, kernelSize, stride, padding, outputPadding, groups, hasBias);
}

/// <summary>torch.nn.LazyConvTranspose2d: a ConvTranspose2d whose in_channels is read from the first input.</summary>
public sealed class LazyConvTranspose2d(long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0, long groups = 1, bool hasBias = true) : LazyConvolution<ConvTranspose2d>(2)
{
    protected override ConvTranspose2d Create(long inputSize) => new(inputSize, outChannels, kernelSize, stride, padding, outputPadding, groups, hasBias);
}

/// <summary>torch.nn.LazyConvTranspose3d: a ConvTranspose3d whose in_channels is read from the first input.</summary>
public sealed class LazyConvTranspose3d(long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0, long groups = 1, bool hasBias = true) : LazyConvolution<ConvTranspose3d>(3)
{
    protected override ConvTranspose3d Create(long inputSize) => new(inputSize, outChannels, kernelSize, stride, padding, outputPadding, groups, hasBias);
}

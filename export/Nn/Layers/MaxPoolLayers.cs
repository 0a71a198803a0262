namespace Graphport;

/// <summary>
/// The max pools' shared arguments (torch.nn.MaxPool1d/2d/3d): window, stride (the window when null), padding,
/// dilation and ceil mode, each one number or one per spatial dim. Forward gives the maxima; CallWithIndices also
/// gives where each came from, flat within its plane or volume (torch's return_indices=True), for MaxUnpool.
/// </summary>
public abstract class MaxPoolLayer : WindowPoolLayer
{
    private protected MaxPoolLayer(int dims, PoolSize kernelSize, PoolSize? stride, PoolSize padding, PoolSize? dilation, bool ceilMode)
        : base($"MaxPool{dims}d", dims, kernelSize, stride, padding, ceilMode)
    {
        Dilation = dilation ?? 1;
        Dilations = Dilation.For(dims, $"MaxPool{dims}d", nameof(dilation));
    }

    public PoolSize Dilation { get; }

    private protected long[] Dilations { get; }

    /// <summary>(values, indices) of the maxima, the indices flat within each plane (volume in 3-D) of the input.</summary>
    public abstract (Tensor Values, Tensor Indices) ForwardWithIndices(Tensor x);

    /// <summary>ForwardWithIndices as a call of this module (recorded in the module stack while tracing).</summary>
    public (Tensor Values, Tensor Indices) CallWithIndices(Tensor x)
    {
        using var scope = EnterCall();
        return ForwardWithIndices(x);
    }

    protected override string ExtraRepr() =>
        $"kernel_size={KernelSize.Repr()}, stride={Stride.Repr()}, padding={Padding.Repr()}, dilation={Dilation.Repr()}, ceil_mode={(CeilMode ? "True" : "False")}";
}

/// <summary>Max over windows of (N, C, L) or (C, L) input (torch.nn.MaxPool1d).</summary>
public sealed class MaxPool1d(PoolSize kernelSize, PoolSize? stride = null, PoolSize padding = default, PoolSize? dilation = null, bool ceilMode = false)
    : MaxPoolLayer(1, kernelSize, stride, padding, dilation, ceilMode)
{
    public override Tensor Forward(Tensor x) => Functional.MaxPool1d(x, Kernel[0], Strides[0], Paddings[0], Dilations[0], CeilMode);

    public override (Tensor Values, Tensor Indices) ForwardWithIndices(Tensor x) =>
        Functional.MaxPool1dWithIndices(x, Kernel[0], Strides[0], Paddings[0], Dilations[0], CeilMode);
}

/// <summary>Max over windows of (N, C, H, W) or (C, H, W) input (torch.nn.MaxPool2d).</summary>
public sealed class MaxPool2d(PoolSize kernelSize, PoolSize? stride = null, PoolSize padding = default, PoolSize? dilation = null, bool ceilMode = false)
    : MaxPoolLayer(2, kernelSize, stride, padding, dilation, ceilMode)
{
    public override Tensor Forward(Tensor x) => Functional.MaxPool2d(x, Kernel, Strides, Paddings, Dilations, CeilMode);

    public override (Tensor Values, Tensor Indices) ForwardWithIndices(Tensor x) =>
        Functional.MaxPool2dWithIndices(x, Kernel, Strides, Paddings, Dilations, CeilMode);
}

/// <summary>Max over windows of (N, C, D, H, W) or (C, D, H, W) input (torch.nn.MaxPool3d).</summary>
public sealed class MaxPool3d(PoolSize kernelSize, PoolSize? stride = null, PoolSize padding = default, PoolSize? dilation = null, bool ceilMode = false)
    : MaxPoolLayer(3, kernelSize, stride, padding, dilation, ceilMode)
{
    public override Tensor Forward(Tensor x) => Functional.MaxPool3d(x, Kernel, Strides, Paddings, Dilations, CeilMode);

    public override (Tensor Values, Tensor Indices) ForwardWithIndices(Tensor x) =>
        Functional.MaxPool3dWithIndices(x, Kernel, Strides, Paddings, Dilations, CeilMode);
}

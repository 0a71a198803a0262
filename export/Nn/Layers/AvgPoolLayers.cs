namespace Graphport;

/// <summary>
/// The average pools' shared arguments (torch.nn.AvgPool1d/2d/3d): window, stride (the window when null), padding,
/// ceil mode, whether padding counts in the mean, and a divisor to use instead of the window's size.
/// </summary>
public abstract class AvgPoolLayer : WindowPoolLayer
{
    private protected AvgPoolLayer(int dims, PoolSize kernelSize, PoolSize? stride, PoolSize padding, bool ceilMode, bool countIncludePad, long? divisorOverride)
        : base($"AvgPool{dims}d", dims, kernelSize, stride, padding, ceilMode)
    {
        if (divisorOverride == 0) throw new ArgumentException($"AvgPool{dims}d: divisorOverride must not be zero; leave it null to divide by the window's size.", nameof(divisorOverride));
        CountIncludePad = countIncludePad;
        DivisorOverride = divisorOverride;
    }

    public bool CountIncludePad { get; }
    public long? DivisorOverride { get; }

    protected override string ExtraRepr() => $"kernel_size={KernelSize.Repr()}, stride={Stride.Repr()}, padding={Padding.Repr()}";
}

/// <summary>Means over windows of (N, C, L) or (C, L) input (torch.nn.AvgPool1d).</summary>
public sealed class AvgPool1d(PoolSize kernelSize, PoolSize? stride = null, PoolSize padding = default, bool ceilMode = false, bool countIncludePad = true)
    : AvgPoolLayer(1, kernelSize, stride, padding, ceilMode, countIncludePad, null)
{
    public override Tensor Forward(Tensor x) => Functional.AvgPool1d(x, Kernel[0], Strides[0], Paddings[0], CeilMode, CountIncludePad);

    // torch.nn.AvgPool1d keeps its sizes as 1-tuples.
    protected override string ExtraRepr() =>
        $"kernel_size={Graphs.PythonRepr.Tuple(Kernel)}, stride={Graphs.PythonRepr.Tuple(Strides)}, padding={Graphs.PythonRepr.Tuple(Paddings)}";
}

/// <summary>Means over windows of (N, C, H, W) or (C, H, W) input (torch.nn.AvgPool2d).</summary>
public sealed class AvgPool2d(PoolSize kernelSize, PoolSize? stride = null, PoolSize padding = default, bool ceilMode = false, bool countIncludePad = true, long? divisorOverride = null)
    : AvgPoolLayer(2, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride)
{
    public override Tensor Forward(Tensor x) => Functional.AvgPool2d(x, Kernel, Strides, Paddings, CeilMode, CountIncludePad, DivisorOverride);
}

/// <summary>Means over windows of (N, C, D, H, W) or (C, D, H, W) input (torch.nn.AvgPool3d).</summary>
public sealed class AvgPool3d(PoolSize kernelSize, PoolSize? stride = null, PoolSize padding = default, bool ceilMode = false, bool countIncludePad = true, long? divisorOverride = null)
    : AvgPoolLayer(3, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride)
{
    public override Tensor Forward(Tensor x) => Functional.AvgPool3d(x, Kernel, Strides, Paddings, CeilMode, CountIncludePad, DivisorOverride);
}

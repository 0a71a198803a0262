namespace Graphport;

/// <summary>
/// What the max and average pools share: the window, the stride (the window when null), the padding and ceil mode,
/// each one number or one per spatial dim as torch takes them, kept as given (for the repr) and per dim (for the op).
/// </summary>
public abstract class WindowPoolLayer : Module<Tensor, Tensor>
{
    private protected WindowPoolLayer(string layer, int dims, PoolSize kernelSize, PoolSize? stride, PoolSize padding, bool ceilMode)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        CeilMode = ceilMode;
        Kernel = kernelSize.For(dims, layer, nameof(kernelSize));
        Strides = Stride.For(dims, layer, nameof(stride));
        Paddings = padding.For(dims, layer, nameof(padding));
    }

    public PoolSize KernelSize { get; }
    public PoolSize Stride { get; }
    public PoolSize Padding { get; }
    public bool CeilMode { get; }

    private protected long[] Kernel { get; }
    private protected long[] Strides { get; }
    private protected long[] Paddings { get; }
}

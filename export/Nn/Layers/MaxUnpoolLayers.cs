namespace Graphport;

/// <summary>
/// The inverse of a max pool (torch.nn.MaxUnpool1d/2d/3d): each pooled value written back where its index (from
/// MaxPool's CallWithIndices) points, zeros elsewhere. The output's spatial size is (in − 1)·stride − 2·padding +
/// kernel unless a size is passed to the call (torch's output_size, which must lie within a stride of that).
/// </summary>
public abstract class MaxUnpoolLayer : Module<Tensor, Tensor, Tensor>
{
    private protected MaxUnpoolLayer(int dims, PoolSize kernelSize, PoolSize? stride, PoolSize padding)
    {
        string layer = $"MaxUnpool{dims}d";
        Kernel = kernelSize.For(dims, layer, nameof(kernelSize));
        Strides = (stride ?? kernelSize).For(dims, layer, nameof(stride));
        Paddings = padding.For(dims, layer, nameof(padding));
        if (Kernel.Any(k => k <= 0) || Strides.Any(s => s <= 0) || Paddings.Any(p => p < 0))
            throw new ArgumentException($"{layer}: kernel sizes and strides must be positive and padding not negative, got kernel_size {KernelSize}, stride {Stride}, padding {Padding}.");
    }

    /// <summary>The window, one size per spatial dim (torch keeps them as tuples).</summary>
    public IReadOnlyList<long> KernelSize => Kernel;
    public IReadOnlyList<long> Stride => Strides;
    public IReadOnlyList<long> Padding => Paddings;

    private protected long[] Kernel { get; }
    private protected long[] Strides { get; }
    private protected long[] Paddings { get; }

    public override Tensor Forward(Tensor x, Tensor indices) => Forward(x, indices, null);

    /// <summary>Unpooled to outputSize (its spatial dims, or all of them including batch and channels).</summary>
    public abstract Tensor Forward(Tensor x, Tensor indices, long[]? outputSize);

    /// <summary>Forward with an output size, as a call of this module (recorded in the module stack while tracing).</summary>
    public Tensor Call(Tensor x, Tensor indices, long[] outputSize)
    {
        using var scope = EnterCall();
        return Forward(x, indices, outputSize);
    }

    protected override string ExtraRepr() =>
        $"kernel_size={Graphs.PythonRepr.Tuple(Kernel)}, stride={Graphs.PythonRepr.Tuple(Strides)}, padding={Graphs.PythonRepr.Tuple(Paddings)}";
}

/// <summary>The inverse of MaxPool1d over (N, C, L) input (torch.nn.MaxUnpool1d).</summary>
public sealed class MaxUnpool1d(PoolSize kernelSize, PoolSize? stride = null, PoolSize padding = default) : MaxUnpoolLayer(1, kernelSize, stride, padding)
{
    public override Tensor Forward(Tensor x, Tensor indices, long[]? outputSize) =>
        Functional.MaxUnpool1d(x, indices, Kernel[0], Strides[0], Paddings[0], outputSize);
}

/// <summary>The inverse of MaxPool2d over (N, C, H, W) input (torch.nn.MaxUnpool2d).</summary>
public sealed class MaxUnpool2d(PoolSize kernelSize, PoolSize? stride = null, PoolSize padding = default) : MaxUnpoolLayer(2, kernelSize, stride, padding)
{
    public override Tensor Forward(Tensor x, Tensor indices, long[]? outputSize) =>
        Functional.MaxUnpool2d(x, indices, Kernel, Strides, Paddings, outputSize);
}

/// <summary>The inverse of MaxPool3d over (N, C, D, H, W) input (torch.nn.MaxUnpool3d).</summary>
public sealed class MaxUnpool3d(PoolSize kernelSize, PoolSize? stride = null, PoolSize padding = default) : MaxUnpoolLayer(3, kernelSize, stride, padding)
{
    public override Tensor Forward(Tensor x, Tensor indices, long[]? outputSize) =>
        Functional.MaxUnpool3d(x, indices, Kernel, Strides, Paddings, outputSize);
}

namespace Graphport;

/// <summary>
/// The power-average pools (torch.nn.LPPool1d/2d/3d): the p-norm (Σ xᵖ)^(1/p) of every window, no padding;
/// p = 1 is sum pooling, a large p nears max pooling. The stride is the window when null.
/// </summary>
public abstract class LpPoolLayer : Module<Tensor, Tensor>
{
    private readonly PoolSize? stride;

    private protected LpPoolLayer(int dims, double normType, PoolSize kernelSize, PoolSize? stride, bool ceilMode)
    {
        string layer = $"LPPool{dims}d";
        if (normType == 0 || double.IsNaN(normType))
            throw new ArgumentException($"{layer}: norm_type must be a non-zero number (the p of the p-norm), got {normType}.", nameof(normType));
        NormType = normType;
        KernelSize = kernelSize;
        this.stride = stride;
        CeilMode = ceilMode;
        Kernel = kernelSize.For(dims, layer, nameof(kernelSize));
        Strides = stride?.For(dims, layer, nameof(stride));
    }

    public double NormType { get; }
    public PoolSize KernelSize { get; }
    public PoolSize? Stride => stride;
    public bool CeilMode { get; }

    private protected long[] Kernel { get; }
    private protected long[]? Strides { get; }

    protected override string ExtraRepr() =>
        $"norm_type={(NormType == Math.Floor(NormType) && Math.Abs(NormType) < 1e15 ? ((long)NormType).ToString(System.Globalization.CultureInfo.InvariantCulture) : Graphs.PythonRepr.Float(NormType))}, " +
        $"kernel_size={KernelSize.Repr()}, stride={(stride is { } s ? s.Repr() : "None")}, ceil_mode={(CeilMode ? "True" : "False")}";
}

/// <summary>The p-norm of every window of (N, C, L) input (torch.nn.LPPool1d).</summary>
public sealed class LPPool1d(double normType, PoolSize kernelSize, PoolSize? stride = null, bool ceilMode = false)
    : LpPoolLayer(1, normType, kernelSize, stride, ceilMode)
{
    public override Tensor Forward(Tensor x) => Functional.LpPool1d(x, NormType, Kernel[0], Strides?[0], CeilMode);
}

/// <summary>The p-norm of every window of (N, C, H, W) input (torch.nn.LPPool2d).</summary>
public sealed class LPPool2d(double normType, PoolSize kernelSize, PoolSize? stride = null, bool ceilMode = false)
    : LpPoolLayer(2, normType, kernelSize, stride, ceilMode)
{
    public override Tensor Forward(Tensor x) => Functional.LpPool2d(x, NormType, Kernel, Strides, CeilMode);
}

/// <summary>The p-norm of every window of (N, C, D, H, W) input (torch.nn.LPPool3d).</summary>
public sealed class LPPool3d(double normType, PoolSize kernelSize, PoolSize? stride = null, bool ceilMode = false)
    : LpPoolLayer(3, normType, kernelSize, stride, ceilMode)
{
    public override Tensor Forward(Tensor x) => Functional.LpPool3d(x, NormType, Kernel, Strides, CeilMode);
}

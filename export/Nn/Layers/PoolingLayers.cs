namespace Graphport;

/// <summary>Max over windows of (N, C, L) input (torch.nn.MaxPool1d).</summary>
public sealed class MaxPool1d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.MaxPool1d(x, kernelSize, stride ?? kernelSize, padding, dilation, ceilMode);

    protected override string ExtraRepr() => $"kernel_size={kernelSize}, stride={stride ?? kernelSize}, padding={padding}, dilation={dilation}, ceil_mode={(ceilMode ? "True" : "False")}";
}

/// <summary>Means over windows of (N, C, L) input (torch.nn.AvgPool1d).</summary>
public sealed class AvgPool1d(long kernelSize, long? stride = null, long padding = 0) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.AvgPool1d(x, kernelSize, stride ?? kernelSize, padding);

    protected override string ExtraRepr() => $"kernel_size=({kernelSize},), stride=({stride ?? kernelSize},), padding=({padding},)";
}

/// <summary>Means over outputSize windows that cover (N, C, L) input (torch.nn.AdaptiveAvgPool1d).</summary>
public sealed class AdaptiveAvgPool1d(long outputSize) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.AdaptiveAvgPool1d(x, outputSize);

    protected override string ExtraRepr() => $"output_size={outputSize}";
}

/// <summary>Maxima over windows that together cover (N, C, H, W) input (torch.nn.AdaptiveMaxPool2d, without indices).</summary>
public sealed class AdaptiveMaxPool2d(long outputH, long outputW) : Module<Tensor, Tensor>
{
    public AdaptiveMaxPool2d(long outputSize) : this(outputSize, outputSize) { }

    public override Tensor Forward(Tensor x) => Functional.AdaptiveMaxPool2d(x, outputH, outputW).Values;

    protected override string ExtraRepr() => outputH == outputW ? $"output_size={outputH}" : $"output_size=({outputH}, {outputW})";
}

/// <summary>Max over cubic windows of (N, C, D, H, W) input (torch.nn.MaxPool3d).</summary>
public sealed class MaxPool3d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.MaxPool3d(x, [kernelSize, kernelSize, kernelSize], Three(stride ?? kernelSize), Three(padding), Three(dilation), ceilMode);

    protected override string ExtraRepr() => $"kernel_size={kernelSize}, stride={stride ?? kernelSize}, padding={padding}, dilation={dilation}, ceil_mode={(ceilMode ? "True" : "False")}";

    private static long[] Three(long v) => [v, v, v];
}

/// <summary>Means over cubic windows of (N, C, D, H, W) input (torch.nn.AvgPool3d).</summary>
public sealed class AvgPool3d(long kernelSize, long? stride = null, long padding = 0) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) =>
        Functional.AvgPool3d(x, [kernelSize, kernelSize, kernelSize], [stride ?? kernelSize, stride ?? kernelSize, stride ?? kernelSize], [padding, padding, padding]);

    protected override string ExtraRepr() => $"kernel_size={kernelSize}, stride={stride ?? kernelSize}, padding={padding}";
}

/// <summary>Means over the windows that split (D, H, W) into the output size (torch.nn.AdaptiveAvgPool3d).</summary>
public sealed class AdaptiveAvgPool3d(long outputD, long outputH, long outputW) : Module<Tensor, Tensor>
{
    public AdaptiveAvgPool3d(long outputSize) : this(outputSize, outputSize, outputSize) { }

    public override Tensor Forward(Tensor x) => Functional.AdaptiveAvgPool3d(x, [outputD, outputH, outputW]);

    protected override string ExtraRepr() => outputD == outputH && outputH == outputW ? $"output_size={outputD}" : $"output_size=({outputD}, {outputH}, {outputW})";
}

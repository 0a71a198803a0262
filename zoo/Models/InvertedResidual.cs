namespace Graphport.Zoo;

/// <summary>
/// MobileNetV2's inverted residual: 1x1 expansion with ReLU6 (skipped when the ratio is 1), a depthwise 3x3 conv
/// (groups = channels) with ReLU6, a linear 1x1 projection; a residual add when stride is 1 and widths match.
/// </summary>
public sealed class InvertedResidual : Module<Tensor, Tensor>
{
    private readonly Sequential conv;
    private readonly bool useResidual;

    public InvertedResidual(long input, long output, long stride, long expandRatio)
    {
        long hidden = input * expandRatio;
        useResidual = stride == 1 && input == output;
        var layers = new List<Module<Tensor, Tensor>>();
        if (expandRatio != 1)
            layers.AddRange([new Conv2d(input, hidden, kernelSize: 1, hasBias: false), new BatchNorm2d(hidden), new ReLU6()]);
        layers.AddRange([
            new Conv2d(hidden, hidden, kernelSize: 3, stride: stride, padding: 1, groups: hidden, hasBias: false), new BatchNorm2d(hidden), new ReLU6(),
            new Conv2d(hidden, output, kernelSize: 1, hasBias: false), new BatchNorm2d(output),
        ]);
        conv = new Sequential([.. layers]);
    }

    public override Tensor Forward(Tensor x) => useResidual ? x + conv.Call(x) : conv.Call(x);
}

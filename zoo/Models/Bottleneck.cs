namespace Graphport.Zoo;

/// <summary>
/// torchvision's ResNet Bottleneck (expansion 4): 1x1 reduce, 3x3 (with the stride), 1x1 expand, each with batch
/// norm, a residual add and ReLU. Field names follow torchvision's state dict.
/// </summary>
public sealed class Bottleneck : Module<Tensor, Tensor>
{
    public const long Expansion = 4;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly ReLU relu = new(inplace: true);
    private readonly Sequential? downsample;

    public Bottleneck(long inPlanes, long planes, long stride = 1, Sequential? downsample = null)
    {
        conv1 = new Conv2d(inPlanes, planes, kernelSize: 1, hasBias: false);
        bn1 = new BatchNorm2d(planes);
        conv2 = new Conv2d(planes, planes, kernelSize: 3, stride: stride, padding: 1, hasBias: false);
        bn2 = new BatchNorm2d(planes);
        conv3 = new Conv2d(planes, planes * Expansion, kernelSize: 1, hasBias: false);
        bn3 = new BatchNorm2d(planes * Expansion);
        this.downsample = downsample;
    }

    public override Tensor Forward(Tensor x)
    {
        var identity = downsample is null ? x : downsample.Call(x);
        var output = relu.Call(bn1.Call(conv1.Call(x)));
        output = relu.Call(bn2.Call(conv2.Call(output)));
        output = bn3.Call(conv3.Call(output));
        output.Add_(identity);
        return relu.Call(output);
    }
}

namespace Graphport.Zoo;

/// <summary>
/// torchvision.models.resnet.BasicBlock: two 3x3 convs with batch norm, a residual add and one ReLU module
/// used twice. Field names are torchvision's so the state dict reads conv1.weight, bn1.running_mean,
/// downsample.0.weight, downsample.1.weight, ...
/// </summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu = new(inplace: true);
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    public BasicBlock(long inPlanes, long planes, long stride = 1, Sequential? downsample = null)
    {
        conv1 = new Conv2d(inPlanes, planes, kernelSize: 3, stride: stride, padding: 1, hasBias: false);
        bn1 = new BatchNorm2d(planes);
        conv2 = new Conv2d(planes, planes, kernelSize: 3, stride: 1, padding: 1, hasBias: false);
        bn2 = new BatchNorm2d(planes);
        this.downsample = downsample;
    }

    public override Tensor Forward(Tensor x)
    {
        var identity = x;
        var output = conv1.Call(x);
        output = bn1.Call(output);
        output = relu.Call(output);
        output = conv2.Call(output);
        output = bn2.Call(output);
        if (downsample is not null) identity = downsample.Call(x);
        // In place like torchvision's `out += identity`, so export also pays for functionalizing it.
        output.Add_(identity);
        return relu.Call(output);
    }
}

namespace Graphport.Zoo;

/// <summary>
/// torchvision.models.resnet18 layer for layer: conv 7x7/2, bn, relu, maxpool 3x3/2, four stages of two
/// BasicBlocks (64, 128, 256, 512 channels; a conv1x1 + bn downsample where stride or width changes), adaptive
/// average pool to 1x1, flatten, fc 512 -> 1000. Field names give torchvision's state-dict keys (conv1.weight,
/// layer1.0.conv1.weight, layer2.0.downsample.0.weight, fc.bias, ...).
/// </summary>
public sealed class ResNet18 : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = new(3, 64, kernelSize: 7, stride: 2, padding: 3, hasBias: false);
    private readonly BatchNorm2d bn1 = new(64);
    private readonly ReLU relu = new(inplace: true);
    private readonly MaxPool2d maxpool = new(kernelSize: 3, stride: 2, padding: 1);
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly AdaptiveAvgPool2d avgpool = new(1, 1);
    private readonly Linear fc;

    public ResNet18(long numClasses = 1000)
    {
        long inPlanes = 64;
        layer1 = MakeLayer(ref inPlanes, 64, stride: 1);
        layer2 = MakeLayer(ref inPlanes, 128, stride: 2);
        layer3 = MakeLayer(ref inPlanes, 256, stride: 2);
        layer4 = MakeLayer(ref inPlanes, 512, stride: 2);
        fc = new Linear(512, numClasses);
    }

    /// <summary>torchvision's ResNet._make_layer for BasicBlock (expansion 1) with two blocks.</summary>
    private static Sequential MakeLayer(ref long inPlanes, long planes, long stride)
    {
        Sequential? downsample = null;
        if (stride != 1 || inPlanes != planes)
            downsample = new Sequential(new Conv2d(inPlanes, planes, kernelSize: 1, stride: stride, hasBias: false), new BatchNorm2d(planes));
        var first = new BasicBlock(inPlanes, planes, stride, downsample);
        inPlanes = planes;
        return new Sequential(first, new BasicBlock(inPlanes, planes));
    }

    public override Tensor Forward(Tensor x)
    {
        x = conv1.Call(x);
        x = bn1.Call(x);
        x = relu.Call(x);
        x = maxpool.Call(x);
        x = layer1.Call(x);
        x = layer2.Call(x);
        x = layer3.Call(x);
        x = layer4.Call(x);
        x = avgpool.Call(x);
        x = x.Flatten(1);
        return fc.Call(x);
    }
}

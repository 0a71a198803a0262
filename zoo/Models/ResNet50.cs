namespace Graphport.Zoo;

/// <summary>
/// torchvision.models.resnet50: the ResNet-18 stem, then stages of 3, 4, 6 and 3 Bottleneck blocks (64, 128, 256,
/// 512 planes, ×4 expansion), global average pool and fc 2048 → classes.
/// </summary>
public sealed class ResNet50 : Module<Tensor, Tensor>
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

    public ResNet50(long numClasses = 1000)
    {
        long inPlanes = 64;
        layer1 = MakeLayer(ref inPlanes, 64, blocks: 3, stride: 1);
        layer2 = MakeLayer(ref inPlanes, 128, blocks: 4, stride: 2);
        layer3 = MakeLayer(ref inPlanes, 256, blocks: 6, stride: 2);
        layer4 = MakeLayer(ref inPlanes, 512, blocks: 3, stride: 2);
        fc = new Linear(512 * Bottleneck.Expansion, numClasses);
    }

    private static Sequential MakeLayer(ref long inPlanes, long planes, int blocks, long stride)
    {
        Sequential? downsample = null;
        if (stride != 1 || inPlanes != planes * Bottleneck.Expansion)
            downsample = new Sequential(new Conv2d(inPlanes, planes * Bottleneck.Expansion, kernelSize: 1, stride: stride, hasBias: false), new BatchNorm2d(planes * Bottleneck.Expansion));
        var layers = new List<Module<Tensor, Tensor>> { new Bottleneck(inPlanes, planes, stride, downsample) };
        inPlanes = planes * Bottleneck.Expansion;
        for (int i = 1; i < blocks; i++) layers.Add(new Bottleneck(inPlanes, planes));
        return new Sequential([.. layers]);
    }

    public override Tensor Forward(Tensor x)
    {
        x = maxpool.Call(relu.Call(bn1.Call(conv1.Call(x))));
        x = layer4.Call(layer3.Call(layer2.Call(layer1.Call(x))));
        return fc.Call(avgpool.Call(x).Flatten(1));
    }
}

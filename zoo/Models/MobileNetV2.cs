namespace Graphport.Zoo;

/// <summary>
/// torchvision's MobileNetV2 (width 1.0): a stride-2 stem, 17 inverted residual blocks with depthwise convs, a 1x1
/// conv to 1280 channels, global average pool, dropout and a linear classifier.
/// </summary>
public sealed class MobileNetV2 : Module<Tensor, Tensor>
{
    // (expansion t, channels c, repeats n, first stride s), as in the MobileNetV2 paper.
    private static readonly (long T, long C, int N, long S)[] Settings =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    private readonly Sequential features;
    private readonly Sequential classifier;

    public MobileNetV2(long numClasses = 1000)
    {
        var layers = new List<Module<Tensor, Tensor>> { new Conv2d(3, 32, kernelSize: 3, stride: 2, padding: 1, hasBias: false), new BatchNorm2d(32), new ReLU6() };
        long input = 32;
        foreach (var (t, c, n, s) in Settings)
        {
            for (int i = 0; i < n; i++)
            {
                layers.Add(new InvertedResidual(input, c, i == 0 ? s : 1, t));
                input = c;
            }
        }
        layers.AddRange([new Conv2d(input, 1280, kernelSize: 1, hasBias: false), new BatchNorm2d(1280), new ReLU6()]);
        features = new Sequential([.. layers]);
        classifier = new Sequential(new Dropout(0.2), new Linear(1280, numClasses));
    }

    public override Tensor Forward(Tensor x)
    {
        x = features.Call(x);
        x = Functional.AdaptiveAvgPool2d(x, [1, 1]).Flatten(1);
        return classifier.Call(x);
    }
}

namespace Graphport.Zoo;

/// <summary>
/// The model zoo: C# models with a dynamic batch dimension, used for batch export, serving and benchmarks.
/// Spatial sizes are kept small (the models are the real architectures; images are 32x32 or 64x64) so a CPU
/// can run every model quickly.
/// </summary>
public static class ModelZoo
{
    private static DynamicShapes Batch(params string[] inputs)
    {
        var batch = new Dim("batch", max: 1024);
        var shapes = new DynamicShapes();
        foreach (var name in inputs) shapes[name] = new ShapeSpec { [0] = batch };
        return shapes;
    }

    public static IReadOnlyList<ZooModel> All { get; } =
    [
        new("mlp", "3-layer perceptron 784-256-128-10 with ReLU.", () => new Mlp(),
            b => [Torch.Randn(b, 784)], () => Batch("x")),
        new("mlp50", "50 Linear layers of width 256 with ReLU (the export benchmark's MLP).", () => new Mlp50(),
            b => [Torch.Randn(b, Mlp50.Width)], () => Batch("x")),
        new("resnet18", "torchvision ResNet-18 (BasicBlocks), 32x32 images, 10 classes.", () => new ResNet18(numClasses: 10),
            b => [Torch.Randn(b, 3, 32, 32)], () => Batch("x")),
        new("resnet50", "torchvision ResNet-50 (Bottlenecks), 32x32 images, 10 classes.", () => new ResNet50(numClasses: 10),
            b => [Torch.Randn(b, 3, 32, 32)], () => Batch("x")),
        new("mobilenet_v2", "MobileNetV2 with depthwise inverted residuals and ReLU6, 32x32 images, 10 classes.", () => new MobileNetV2(numClasses: 10),
            b => [Torch.Randn(b, 3, 32, 32)], () => Batch("x")),
        new("bert_encoder", "BERT-style encoder: embeddings, 2 layers of attention + GELU MLP with LayerNorm, tanh pooler; 16 tokens.", () => new BertEncoder(),
            b => [Torch.Randint(0, 1000, b, 16), Torch.Ones([b, 16], DType.Int64)], () => Batch("inputIds", "attentionMask")),
        new("unet", "Small U-Net: 3 down/up steps with skip concatenation and transposed convs, 64x64 images.", () => new UNet(),
            b => [Torch.Randn(b, 3, 64, 64)], () => Batch("x")),
    ];

    public static ZooModel Get(string name) => All.FirstOrDefault(m => m.Name == name)
        ?? throw new KeyNotFoundException($"No zoo model named \"{name}\". Models: {string.Join(", ", All.Select(m => m.Name))}.");
}

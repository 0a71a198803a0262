namespace Graphport.Zoo;

/// <summary>Two 3x3 conv + BatchNorm + ReLU layers: the U-Net building block.</summary>
public sealed class DoubleConv(long input, long output) : Module<Tensor, Tensor>
{
    private readonly Sequential block = new(
        new Conv2d(input, output, kernelSize: 3, padding: 1, hasBias: false), new BatchNorm2d(output), new ReLU(inplace: true),
        new Conv2d(output, output, kernelSize: 3, padding: 1, hasBias: false), new BatchNorm2d(output), new ReLU(inplace: true));

    public override Tensor Forward(Tensor x) => block.Call(x);
}

/// <summary>
/// A small U-Net: three down steps (max pool + DoubleConv), a bottleneck, three up steps (transposed conv, skip
/// concatenation, DoubleConv) and a 1x1 head. Input [batch, 3, H, W] with H and W divisible by 8.
/// </summary>
public sealed class UNet : Module<Tensor, Tensor>
{
    private readonly DoubleConv inc;
    private readonly DoubleConv down1;
    private readonly DoubleConv down2;
    private readonly DoubleConv down3;
    private readonly ConvTranspose2d up1;
    private readonly DoubleConv conv1;
    private readonly ConvTranspose2d up2;
    private readonly DoubleConv conv2;
    private readonly ConvTranspose2d up3;
    private readonly DoubleConv conv3;
    private readonly Conv2d outc;

    public UNet(long inChannels = 3, long classes = 2, long width = 16)
    {
        inc = new DoubleConv(inChannels, width);
        down1 = new DoubleConv(width, width * 2);
        down2 = new DoubleConv(width * 2, width * 4);
        down3 = new DoubleConv(width * 4, width * 8);
        up1 = new ConvTranspose2d(width * 8, width * 4, kernelSize: 2, stride: 2);
        conv1 = new DoubleConv(width * 8, width * 4);
        up2 = new ConvTranspose2d(width * 4, width * 2, kernelSize: 2, stride: 2);
        conv2 = new DoubleConv(width * 4, width * 2);
        up3 = new ConvTranspose2d(width * 2, width, kernelSize: 2, stride: 2);
        conv3 = new DoubleConv(width * 2, width);
        outc = new Conv2d(width, classes, kernelSize: 1);
    }

    public override Tensor Forward(Tensor x)
    {
        var x1 = inc.Call(x);
        var x2 = down1.Call(Functional.MaxPool2d(x1, [2, 2]));
        var x3 = down2.Call(Functional.MaxPool2d(x2, [2, 2]));
        var x4 = down3.Call(Functional.MaxPool2d(x3, [2, 2]));
        var y = conv1.Call(Torch.Cat([up1.Call(x4), x3], 1));
        y = conv2.Call(Torch.Cat([up2.Call(y), x2], 1));
        y = conv3.Call(Torch.Cat([up3.Call(y), x1], 1));
        return outc.Call(y);
    }
}

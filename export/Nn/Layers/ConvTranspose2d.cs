namespace Graphport;

/// <summary>Transposed 2-D convolution (torch.nn.ConvTranspose2d), the upsampling half of a U-Net.</summary>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public ConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0, long groups = 1, bool hasBias = true)
    {
        ConvolutionGroups.Check(inChannels, outChannels, groups);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        Groups = groups;
        weight = new Parameter(Init.KaimingUniformDefault([inChannels, outChannels / groups, kernelSize, kernelSize]));
        bias = hasBias ? new Parameter(Init.BiasDefault(outChannels, outChannels / groups * kernelSize * kernelSize)) : null;
    }

    public long InChannels { get; }
    public long OutChannels { get; }
    public long KernelSize { get; }
    public long Stride { get; }
    public long Padding { get; }
    public long OutputPadding { get; }
    public long Groups { get; }

    public override Tensor Forward(Tensor x) =>
        Functional.ConvTranspose2d(x, weight, bias, [Stride, Stride], [Padding, Padding], [OutputPadding, OutputPadding], Groups);

    protected override string ExtraRepr() => ConvolutionRepr.Describe(InChannels, OutChannels, ConvolutionRepr.Repeat(KernelSize, 2), ConvolutionRepr.Repeat(Stride, 2),
        ConvolutionRepr.Repeat(Padding, 2), ConvolutionRepr.Repeat(1, 2), Groups, bias is not null, outputPadding: ConvolutionRepr.Repeat(OutputPadding, 2));
}

namespace Graphport;

/// <summary>Transposed 3-D convolution (torch.nn.ConvTranspose3d), the upsampling half of a 3-D U-Net.</summary>
public sealed class ConvTranspose3d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public ConvTranspose3d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0, long groups = 1, bool hasBias = true)
    {
        ConvolutionGroups.Check(inChannels, outChannels, groups);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        Groups = groups;
        weight = new Parameter(Init.KaimingUniformDefault([inChannels, outChannels / groups, kernelSize, kernelSize, kernelSize]));
        bias = hasBias ? new Parameter(Init.BiasDefault(outChannels, outChannels / groups * kernelSize * kernelSize * kernelSize)) : null;
    }

    public long InChannels { get; }
    public long OutChannels { get; }
    public long KernelSize { get; }
    public long Stride { get; }
    public long Padding { get; }
    public long OutputPadding { get; }
    public long Groups { get; }
    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    public override Tensor Forward(Tensor x) =>
        Functional.ConvTranspose3d(x, weight, bias, [Stride, Stride, Stride], [Padding, Padding, Padding], [OutputPadding, OutputPadding, OutputPadding], Groups);

    protected override string ExtraRepr() => ConvolutionRepr.Describe(InChannels, OutChannels, ConvolutionRepr.Repeat(KernelSize, 3), ConvolutionRepr.Repeat(Stride, 3),
        ConvolutionRepr.Repeat(Padding, 3), ConvolutionRepr.Repeat(1, 3), Groups, bias is not null, outputPadding: ConvolutionRepr.Repeat(OutputPadding, 3));
}

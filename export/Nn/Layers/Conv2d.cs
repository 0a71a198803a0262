namespace Graphport;

/// <summary>2-D convolution over NCHW input (torch.nn.Conv2d); groups == channels gives a depthwise conv.</summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true)
        : this(inChannels, outChannels, [kernelSize, kernelSize], [stride, stride], [padding, padding], [dilation, dilation], groups, hasBias) { }

    public Conv2d(long inChannels, long outChannels, long[] kernelSize, long[] stride, long[] padding, long[] dilation, long groups = 1, bool hasBias = true)
    {
        ConvolutionGroups.Check(inChannels, outChannels, groups);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        weight = new Parameter(Init.KaimingUniformDefault([outChannels, inChannels / groups, kernelSize[0], kernelSize[1]]));
        bias = hasBias ? new Parameter(Init.BiasDefault(outChannels, inChannels / groups * kernelSize[0] * kernelSize[1])) : null;
    }

    public long InChannels { get; }
    public long OutChannels { get; }
    public long[] KernelSize { get; }
    public long[] Stride { get; }
    public long[] Padding { get; }
    public long[] Dilation { get; }
    public long Groups { get; }
    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    public override Tensor Forward(Tensor x) => Functional.Conv2d(x, weight, bias, Stride, Padding, Dilation, Groups);

    protected override string ExtraRepr() => ConvolutionRepr.Describe(InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups, bias is not null);
}

namespace Graphport;

/// <summary>1-D convolution over (N, C, L) input (torch.nn.Conv1d); groups == channels gives a depthwise conv.</summary>
public sealed class Conv1d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public Conv1d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true)
    {
        ConvolutionGroups.Check(inChannels, outChannels, groups);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        weight = new Parameter(Init.KaimingUniformDefault([outChannels, inChannels / groups, kernelSize]));
        bias = hasBias ? new Parameter(Init.BiasDefault(outChannels, inChannels / groups * kernelSize)) : null;
    }

    public long InChannels { get; }
    public long OutChannels { get; }
    public long KernelSize { get; }
    public long Stride { get; }
    public long Padding { get; }
    public long Dilation { get; }
    public long Groups { get; }
    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    public override Tensor Forward(Tensor x) => Functional.Conv1d(x, weight, bias, Stride, Padding, Dilation, Groups);

    protected override string ExtraRepr() =>
        ConvolutionRepr.Describe(InChannels, OutChannels, [KernelSize], [Stride], [Padding], [Dilation], Groups, bias is not null);
}

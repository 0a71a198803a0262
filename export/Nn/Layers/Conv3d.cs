namespace Graphport;

/// <summary>3-D convolution over NCDHW input (torch.nn.Conv3d), for volumes and video clips.</summary>
public sealed class Conv3d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public Conv3d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true)
        : this(inChannels, outChannels, [kernelSize, kernelSize, kernelSize], [stride, stride, stride], [padding, padding, padding], [dilation, dilation, dilation], groups, hasBias) { }

    public Conv3d(long inChannels, long outChannels, long[] kernelSize, long[] stride, long[] padding, long[] dilation, long groups = 1, bool hasBias = true)
    {
        foreach (var (values, name) in new[] { (kernelSize, nameof(kernelSize)), (stride, nameof(stride)), (padding, nameof(padding)), (dilation, nameof(dilation)) })
            if (values.Length != 3) throw new ArgumentException($"Conv3d: {name} has {values.Length} values; expected 3 (depth, height, width).", name);
        ConvolutionGroups.Check(inChannels, outChannels, groups);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        long receptive = kernelSize[0] * kernelSize[1] * kernelSize[2];
        weight = new Parameter(Init.KaimingUniformDefault([outChannels, inChannels / groups, kernelSize[0], kernelSize[1], kernelSize[2]]));
        bias = hasBias ? new Parameter(Init.BiasDefault(outChannels, inChannels / groups * receptive)) : null;
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

    public override Tensor Forward(Tensor x) => Functional.Conv3d(x, weight, bias, Stride, Padding, Dilation, Groups);

    protected override string ExtraRepr() => ConvolutionRepr.Describe(InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups, bias is not null);
}

namespace Graphport;

/// <summary>1-D transposed convolution over (N, C, L) input (torch.nn.ConvTranspose1d): an upsampling convolution.</summary>
public sealed class ConvTranspose1d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public ConvTranspose1d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0, long groups = 1,
        bool hasBias = true, long dilation = 1)
    {
        ConvolutionGroups.Check(inChannels, outChannels, groups);
        if (outputPadding >= Math.Max(stride, dilation))
            throw new ArgumentException($"output padding ({outputPadding}) must be smaller than either stride ({stride}) or dilation ({dilation}).", nameof(outputPadding));
        (InChannels, OutChannels, KernelSize, Stride, Padding, OutputPadding, Groups, Dilation) = (inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups, dilation);
        // torch's layout [in, out / groups, k], its fan-in computed from dim 1 as for any weight.
        weight = new Parameter(Init.KaimingUniformDefault([inChannels, outChannels / groups, kernelSize]));
        bias = hasBias ? new Parameter(Init.BiasDefault(outChannels, outChannels / groups * kernelSize)) : null;
    }

    public long InChannels { get; }
    public long OutChannels { get; }
    public long KernelSize { get; }
    public long Stride { get; }
    public long Padding { get; }
    public long OutputPadding { get; }
    public long Groups { get; }
    public long Dilation { get; }
    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    public override Tensor Forward(Tensor x) => Functional.ConvTranspose1d(x, weight, bias, Stride, Padding, OutputPadding, Groups, Dilation);

    protected override string ExtraRepr() =>
        ConvolutionRepr.Describe(InChannels, OutChannels, [KernelSize], [Stride], [Padding], [Dilation], Groups, bias is not null, outputPadding: [OutputPadding]);
}

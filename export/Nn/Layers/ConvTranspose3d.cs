namespace Graphport;

/// <summary>Transposed 3-D convolution (torch.nn.ConvTranspose3d), the upsampling half of a 3-D U-Net.</summary>
public sealed class ConvTranspose3d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public ConvTranspose3d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0, long groups = 1, bool hasBias = true)
    {
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"ConvTranspose3d: channels ({inChannels} in, {outChannels} out) must be divisible by groups ({groups}).");
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

    private static string Triple(long v) => $"({v}, {v}, {v})";

    protected override string ExtraRepr() =>
        $"{InChannels}, {OutChannels}, kernel_size={Triple(KernelSize)}, stride={Triple(Stride)}" +
        (Padding != 0 ? $", padding={Triple(Padding)}" : "") + (OutputPadding != 0 ? $", output_padding={Triple(OutputPadding)}" : "") +
        (Groups != 1 ? $", groups={Groups}" : "") + (bias is null ? ", bias=False" : "");
}

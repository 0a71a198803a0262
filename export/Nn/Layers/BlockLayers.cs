using Graphport.Graphs;

namespace Graphport;

/// <summary>Every sliding block of (N, C, H, W) input as a column (torch.nn.Unfold).</summary>
public sealed class Unfold : Module<Tensor, Tensor>
{
    public Unfold(long kernelSize, long dilation = 1, long padding = 0, long stride = 1) : this([kernelSize], [dilation], [padding], [stride]) { }

    public Unfold(long[] kernelSize, long[]? dilation = null, long[]? padding = null, long[]? stride = null)
    {
        (KernelSize, Dilation, Padding, Stride) = (kernelSize, dilation ?? [1], padding ?? [0], stride ?? [1]);
    }

    public long[] KernelSize { get; }
    public long[] Dilation { get; }
    public long[] Padding { get; }
    public long[] Stride { get; }

    public override Tensor Forward(Tensor x) => Functional.Unfold(x, KernelSize, Dilation, Padding, Stride);

    protected override string ExtraRepr() =>
        $"kernel_size={SizeRepr(KernelSize)}, dilation={SizeRepr(Dilation)}, padding={SizeRepr(Padding)}, stride={SizeRepr(Stride)}";

    // A size given once prints as the number, as torch keeps what it was given.
    internal static string SizeRepr(long[] v) => v.Length == 1 ? v[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : PythonRepr.Tuple(v);
}

/// <summary>Columns of blocks summed back into an image of outputSize (torch.nn.Fold), the inverse of Unfold.</summary>
public sealed class Fold : Module<Tensor, Tensor>
{
    public Fold(long[] outputSize, long kernelSize, long dilation = 1, long padding = 0, long stride = 1) : this(outputSize, [kernelSize], [dilation], [padding], [stride]) { }

    public Fold(long[] outputSize, long[] kernelSize, long[]? dilation = null, long[]? padding = null, long[]? stride = null)
    {
        (OutputSize, KernelSize, Dilation, Padding, Stride) = (outputSize, kernelSize, dilation ?? [1], padding ?? [0], stride ?? [1]);
    }

    public long[] OutputSize { get; }
    public long[] KernelSize { get; }
    public long[] Dilation { get; }
    public long[] Padding { get; }
    public long[] Stride { get; }

    public override Tensor Forward(Tensor x) => Functional.Fold(x, OutputSize, KernelSize, Dilation, Padding, Stride);

    protected override string ExtraRepr() =>
        $"output_size={Unfold.SizeRepr(OutputSize)}, kernel_size={Unfold.SizeRepr(KernelSize)}, dilation={Unfold.SizeRepr(Dilation)}, padding={Unfold.SizeRepr(Padding)}, stride={Unfold.SizeRepr(Stride)}";
}

/// <summary>y = x1ᵀ A x2 + b per output feature (torch.nn.Bilinear); weight (out, in1, in2) and bias U(±1/sqrt(in1)).</summary>
public sealed class Bilinear : Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public Bilinear(long in1Features, long in2Features, long outFeatures, bool hasBias = true)
    {
        if (in1Features <= 0 || in2Features <= 0 || outFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(outFeatures), $"Bilinear needs positive sizes, got in1_features={in1Features}, in2_features={in2Features}, out_features={outFeatures}.");
        (In1Features, In2Features, OutFeatures) = (in1Features, in2Features, outFeatures);
        double bound = 1 / Math.Sqrt(in1Features);
        weight = new Parameter(Init.Uniform([outFeatures, in1Features, in2Features], bound));
        if (hasBias) bias = new Parameter(Init.Uniform([outFeatures], bound));
    }

    public long In1Features { get; }
    public long In2Features { get; }
    public long OutFeatures { get; }

    public override Tensor Forward(Tensor input1, Tensor input2) => Functional.Bilinear(input1, input2, weight, bias);

    protected override string ExtraRepr() => $"in1_features={In1Features}, in2_features={In2Features}, out_features={OutFeatures}, bias={(bias is null ? "False" : "True")}";
}

/// <summary>Sums, means or maxima of bags of embedding rows (torch.nn.EmbeddingBag), initialized N(0, 1).</summary>
public sealed class EmbeddingBag : Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public EmbeddingBag(long numEmbeddings, long embeddingDim, string mode = "mean", bool includeLastOffset = false, long? paddingIdx = null)
    {
        if (numEmbeddings <= 0 || embeddingDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(numEmbeddings), $"EmbeddingBag needs positive sizes, got num_embeddings={numEmbeddings}, embedding_dim={embeddingDim}.");
        if (mode is not ("sum" or "mean" or "max")) throw new ArgumentException($"mode has to be one of sum, mean or max, got {mode}", nameof(mode));
        if (paddingIdx is long p && (p >= numEmbeddings || p < -numEmbeddings))
            throw new ArgumentOutOfRangeException(nameof(paddingIdx), $"padding_idx must be within num_embeddings (got {p} for {numEmbeddings}).");
        (NumEmbeddings, EmbeddingDim, Mode, IncludeLastOffset) = (numEmbeddings, embeddingDim, mode, includeLastOffset);
        PaddingIdx = paddingIdx is long q && q < 0 ? q + numEmbeddings : paddingIdx;
        var init = Torch.Randn(numEmbeddings, embeddingDim);
        if (PaddingIdx is long row) init[row] = Torch.Zeros(embeddingDim);
        weight = new Parameter(init);
    }

    public long NumEmbeddings { get; }
    public long EmbeddingDim { get; }
    public string Mode { get; }
    public bool IncludeLastOffset { get; }
    public long? PaddingIdx { get; }
    public Parameter Weight => weight;

    /// <summary>Bags of a 2-D input's rows.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>Bags of a 1-D input starting at offsets (or of a 2-D input's rows), each index's row scaled by its weight ("sum").</summary>
    public Tensor Forward(Tensor input, Tensor? offsets, Tensor? perSampleWeights = null) =>
        Functional.EmbeddingBag(input, weight, offsets, Mode, perSampleWeights, IncludeLastOffset, PaddingIdx);

    protected override string ExtraRepr() => $"{NumEmbeddings}, {EmbeddingDim}, mode='{Mode}'" + (PaddingIdx is long p ? $", padding_idx={p}" : "");
}

/// <summary>AlexNet's local response normalization across channels (torch.nn.LocalResponseNorm).</summary>
public sealed class LocalResponseNorm(long size, double alpha = 1e-4, double beta = 0.75, double k = 1.0) : Module<Tensor, Tensor>
{
    public long Size { get; } = size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size), $"LocalResponseNorm needs a positive size, got {size}.");

    public override Tensor Forward(Tensor x) => Functional.LocalResponseNorm(x, Size, alpha, beta, k);

    protected override string ExtraRepr() => $"{Size}, alpha={PythonRepr.Float(alpha)}, beta={PythonRepr.Float(beta)}, k={PythonRepr.Float(k)}";
}

/// <summary>The cosine similarity of two inputs along dim (torch.nn.CosineSimilarity).</summary>
public sealed class CosineSimilarity(long dim = 1, double eps = 1e-8) : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x1, Tensor x2) => Functional.CosineSimilarity(x1, x2, dim, eps);
}

/// <summary>The p-norm distance between two inputs along their last dim (torch.nn.PairwiseDistance).</summary>
public sealed class PairwiseDistance(double p = 2, double eps = 1e-6, bool keepdim = false) : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x1, Tensor x2) => Functional.PairwiseDistance(x1, x2, p, eps, keepdim);
}

/// <summary>Spatial blocks folded into channels, the inverse of PixelShuffle (torch.nn.PixelUnshuffle).</summary>
public sealed class PixelUnshuffle(long downscaleFactor) : Module<Tensor, Tensor>
{
    public long DownscaleFactor { get; } = downscaleFactor;

    public override Tensor Forward(Tensor x) => Functional.PixelUnshuffle(x, DownscaleFactor);

    protected override string ExtraRepr() => $"downscale_factor={DownscaleFactor}";
}

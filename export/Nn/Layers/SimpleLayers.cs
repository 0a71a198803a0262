using Graphport.Graphs;

namespace Graphport;

/// <summary>Layer normalization over the trailing dims (torch.nn.LayerNorm).</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    public LayerNorm(long[] normalizedShape, double eps = 1e-5)
    {
        if (normalizedShape.Length == 0 || normalizedShape.Any(s => s <= 0))
            throw new ArgumentException($"LayerNorm needs a non-empty normalized shape of positive sizes, got [{string.Join(", ", normalizedShape)}].", nameof(normalizedShape));
        NormalizedShape = normalizedShape;
        Eps = eps;
        weight = new Parameter(Torch.Ones(normalizedShape));
        bias = new Parameter(Torch.Zeros(normalizedShape));
    }

    public LayerNorm(long normalizedSize, double eps = 1e-5) : this([normalizedSize], eps) { }

    public long[] NormalizedShape { get; }
    public double Eps { get; }

    public override Tensor Forward(Tensor x) => Functional.LayerNorm(x, NormalizedShape, weight, bias, Eps);

    protected override string ExtraRepr() => $"{PythonRepr.Tuple(NormalizedShape)}, eps={PythonRepr.Float(Eps)}, elementwise_affine=True";
}

/// <summary>Group normalization (torch.nn.GroupNorm).</summary>
public sealed class GroupNorm : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    public GroupNorm(long numGroups, long numChannels, double eps = 1e-5)
    {
        if (numGroups <= 0 || numChannels % numGroups != 0)
            throw new ArgumentException($"num_channels ({numChannels}) must be divisible by num_groups ({numGroups}).");
        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        weight = new Parameter(Torch.Ones(numChannels));
        bias = new Parameter(Torch.Zeros(numChannels));
    }

    public long NumGroups { get; }
    public long NumChannels { get; }
    public double Eps { get; }

    public override Tensor Forward(Tensor x) => Functional.GroupNorm(x, NumGroups, weight, bias, Eps);

    protected override string ExtraRepr() => $"{NumGroups}, {NumChannels}, eps={PythonRepr.Float(Eps)}, affine=True";
}

/// <summary>A lookup table of embedding vectors (torch.nn.Embedding), initialized N(0, 1).</summary>
public sealed class Embedding : Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public Embedding(long numEmbeddings, long embeddingDim, long? paddingIdx = null)
    {
        if (numEmbeddings <= 0 || embeddingDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(numEmbeddings), $"Embedding needs positive sizes, got num_embeddings={numEmbeddings}, embedding_dim={embeddingDim}.");
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIdx = paddingIdx;
        var init = Torch.Randn(numEmbeddings, embeddingDim);
        if (paddingIdx is long p) init[p] = Torch.Zeros(embeddingDim);
        weight = new Parameter(init);
    }

    public long NumEmbeddings { get; }
    public long EmbeddingDim { get; }
    public long? PaddingIdx { get; }
    public Parameter Weight => weight;

    public override Tensor Forward(Tensor indices) => Functional.Embedding(indices, weight, PaddingIdx);

    protected override string ExtraRepr() => $"{NumEmbeddings}, {EmbeddingDim}" + (PaddingIdx is long p ? $", padding_idx={p}" : "");
}

public sealed class ReLU(bool inplace = false) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Relu(x, inplace);

    protected override string ExtraRepr() => inplace ? "inplace=True" : "";
}

public sealed class ReLU6 : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Relu6(x);
}

public sealed class GELU(string approximate = "none") : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Gelu(x, approximate);

    protected override string ExtraRepr() => $"approximate='{approximate}'";
}

public sealed class SiLU : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Silu(x);
}

public sealed class Hardswish : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Functional.Hardswish(x);
}

public sealed class Sigmoid : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x.Sigmoid();
}

public sealed class Tanh : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x.Tanh();
}

public sealed class Softmax(long dim) : Module<Tensor, Tensor>
{
    public long Dim { get; } = dim;

    public override Tensor Forward(Tensor x) => x.Softmax(Dim);

    protected override string ExtraRepr() => $"dim={Dim}";
}

public sealed class Identity : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x;
}

public sealed class Flatten(long startDim = 1, long endDim = -1) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x.Flatten(startDim, endDim);

    protected override string ExtraRepr() => $"start_dim={startDim}, end_dim={endDim}";
}


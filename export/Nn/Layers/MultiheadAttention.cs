namespace Graphport;

/// <summary>
/// Multi-head attention (torch.nn.MultiheadAttention, keys and values of the embedding's own width): one packed
/// input projection (in_proj_weight, in_proj_bias), scaled dot products per head, an output projection (out_proj), so
/// torch's state dict loads as it is. Inputs are (L, N, E), or (N, L, E) with batchFirst. Returns the output and, when
/// needWeights, the attention weights (averaged over heads unless averageAttnWeights is false).
/// </summary>
public sealed class MultiheadAttention : Module<Tensor, Tensor, Tensor, (Tensor Output, Tensor? Weights)>
{
    private readonly Parameter in_proj_weight;
    private readonly Parameter? in_proj_bias;
    private readonly Linear out_proj;

    public MultiheadAttention(long embedDim, long numHeads, double dropout = 0, bool hasBias = true, bool batchFirst = false)
    {
        if (embedDim <= 0 || numHeads <= 0)
            throw new ArgumentOutOfRangeException(nameof(embedDim), $"embed_dim and num_heads must be greater than 0, got embed_dim={embedDim} and num_heads={numHeads} instead");
        if (embedDim % numHeads != 0) throw new ArgumentException($"embed_dim ({embedDim}) must be divisible by num_heads ({numHeads})", nameof(numHeads));
        EmbedDim = embedDim;
        NumHeads = numHeads;
        Dropout = dropout;
        BatchFirst = batchFirst;
        in_proj_weight = new Parameter(Init.XavierUniform([3 * embedDim, embedDim]));
        in_proj_bias = hasBias ? new Parameter(Torch.Zeros(3 * embedDim)) : null;
        out_proj = new Linear(embedDim, embedDim, hasBias);
        if (out_proj.Bias is { } outBias) outBias.Zero_();
    }

    public long EmbedDim { get; }
    public long NumHeads { get; }
    public long HeadDim => EmbedDim / NumHeads;
    public double Dropout { get; }
    public bool BatchFirst { get; }
    public Parameter InProjWeight => in_proj_weight;
    public Parameter? InProjBias => in_proj_bias;
    public Linear OutProj => out_proj;

    public override (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value) => Forward(query, key, value, null);

    /// <summary>
    /// Attention with masks: keyPaddingMask (N, S), true (or -inf) where a key is padding; attnMask (L, S) or
    /// (N · heads, L, S), true (or -inf, or any number added to the scores) where a query may not look.
    /// </summary>
    public (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask, bool needWeights = true,
        Tensor? attnMask = null, bool averageAttnWeights = true)
    {
        if (query.Ndim == 2)
        {
            // Unbatched (L, E): a batch of one along dim 1 whatever batchFirst says, as torch adds and removes it.
            if (key.Ndim != 2 || value.Ndim != 2)
                throw new ArgumentException($"For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found {key.Ndim}-D and {value.Ndim}-D tensors respectively");
            var q1 = query.Unsqueeze(1);
            var k1 = ReferenceEquals(key, query) ? q1 : key.Unsqueeze(1);
            var v1 = ReferenceEquals(value, query) ? q1 : ReferenceEquals(value, key) ? k1 : value.Unsqueeze(1);
            var (output, weights) = Attend(q1, k1, v1, keyPaddingMask?.Unsqueeze(0), needWeights, attnMask, averageAttnWeights, batchFirst: false);
            return (output.Squeeze(1), weights?.Squeeze(0));
        }
        if (query.Ndim != 3) throw new ArgumentException($"query should be unbatched 2D or batched 3D tensor but received {query.Ndim}-D query tensor");
        return Attend(query, key, value, keyPaddingMask, needWeights, attnMask, averageAttnWeights, BatchFirst);
    }

    private (Tensor Output, Tensor? Weights) Attend(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask, bool needWeights,
        Tensor? attnMask, bool averageAttnWeights, bool batchFirst)
    {
        bool selfAttention = ReferenceEquals(query, key) && ReferenceEquals(key, value);
        if (batchFirst)
        {
            query = query.Transpose(1, 0);
            key = selfAttention ? query : key.Transpose(1, 0);
            value = selfAttention ? query : value.Transpose(1, 0);
        }
        var (l, n, s) = (query.Shape[0], query.Shape[1], key.Shape[0]);
        var (q, k, v) = selfAttention ? PackedProjection(query) : SeparateProjections(query, key, value);
        q = q.View(l, n * NumHeads, HeadDim).Transpose(0, 1);
        k = k.View(s, n * NumHeads, HeadDim).Transpose(0, 1);
        v = v.View(s, n * NumHeads, HeadDim).Transpose(0, 1);
        var mask = MergedMask(attnMask, keyPaddingMask, query.DType, n, l, s);
        double dropout = Training ? Dropout : 0;

        Tensor attended;
        Tensor? weights = null;
        if (needWeights)
        {
            var scaled = q * Math.Sqrt(1.0 / HeadDim);
            var scores = mask is null ? scaled.Bmm(k.Transpose(-2, -1)) : Torch.Baddbmm(mask, scaled, k.Transpose(-2, -1));
            var probabilities = Functional.Dropout(scores.Softmax(-1), dropout, Training);
            attended = probabilities.Bmm(v).Transpose(0, 1).Contiguous().View(l * n, EmbedDim);
            weights = probabilities.View(n, NumHeads, l, s);
            if (averageAttnWeights) weights = weights.Mean(1);
        }
        else
        {
            if (mask is not null) mask = mask.Shape[0] == 1 && mask.Ndim == 3 ? mask.Unsqueeze(0) : mask.View(n, NumHeads, -1, s);
            var heads = Functional.ScaledDotProductAttention(q.View(n, NumHeads, l, HeadDim), k.View(n, NumHeads, s, HeadDim), v.View(n, NumHeads, s, HeadDim), mask, dropout);
            attended = heads.Permute(2, 0, 1, 3).Contiguous().View(n * l, EmbedDim);
        }
        var output = out_proj.Call(attended).View(l, n, EmbedDim);
        return (batchFirst ? output.Transpose(1, 0) : output, weights);
    }

    // Self-attention projects once by the packed weight and splits the result, as torch's _in_projection_packed.
    private (Tensor Q, Tensor K, Tensor V) PackedProjection(Tensor x)
    {
        var projected = Functional.Linear(x, in_proj_weight, in_proj_bias).Unflatten(-1, 3, EmbedDim).Unsqueeze(0).Transpose(0, -2).Squeeze(-2).Contiguous();
        return (projected[0], projected[1], projected[2]);
    }

    private (Tensor Q, Tensor K, Tensor V) SeparateProjections(Tensor query, Tensor key, Tensor value)
    {
        var w = in_proj_weight.Chunk(3);
        var b = in_proj_bias?.Chunk(3);
        return (Functional.Linear(query, w[0], b?[0]), Functional.Linear(key, w[1], b?[1]), Functional.Linear(value, w[2], b?[2]));
    }

    /// <summary>The attention mask and the key padding mask as one additive float mask of (N · heads, L or 1, S).</summary>
    private Tensor? MergedMask(Tensor? attnMask, Tensor? keyPaddingMask, DType dtype, SymInt n, SymInt l, SymInt s)
    {
        var mask = Additive(attnMask, dtype);
        if (mask is { Ndim: 2 }) mask = mask.Unsqueeze(0);
        if (Additive(keyPaddingMask, dtype) is { } padding)
        {
            var perHead = padding.View(n, 1, 1, s).Expand(-1, NumHeads, -1, -1).Reshape(n * NumHeads, 1, s);
            mask = mask is null ? perHead : mask + perHead;
        }
        return mask;
    }

    /// <summary>A boolean mask as 0 where false and -inf where true (torch's _canonical_mask); a float one as it is.</summary>
    private static Tensor? Additive(Tensor? mask, DType dtype) =>
        mask is { DType: DType.Bool } ? Torch.ZerosLike(mask, dtype).MaskedFill(mask, double.NegativeInfinity) : mask;
}

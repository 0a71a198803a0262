namespace Graphport;

/// <summary>
/// One encoder layer of a transformer (torch.nn.TransformerEncoderLayer): self-attention and a feed-forward block,
/// each added back to its input and layer-normed after (or, with normFirst, normed before). Its submodules carry
/// torch's names (self_attn, linear1, linear2, norm1, norm2), so torch's state dict loads as it is.
/// </summary>
public sealed class TransformerEncoderLayer : Module<Tensor, Tensor>
{
    private readonly MultiheadAttention self_attn;
    private readonly Linear linear1;
    private readonly Dropout dropout;
    private readonly Linear linear2;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly Dropout dropout1;
    private readonly Dropout dropout2;

    public TransformerEncoderLayer(long dModel, long nhead, long dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, bool hasBias = true)
    {
        (DModel, Nhead, DimFeedforward, DropoutP, LayerNormEps, BatchFirst, HasBias) = (dModel, nhead, dimFeedforward, dropout, layerNormEps, batchFirst, hasBias);
        Activation = TransformerFeedForward.CheckActivation(activation);
        NormFirst = normFirst;
        self_attn = new MultiheadAttention(dModel, nhead, dropout, hasBias, batchFirst);
        linear1 = new Linear(dModel, dimFeedforward, hasBias);
        this.dropout = new Dropout(dropout);
        linear2 = new Linear(dimFeedforward, dModel, hasBias);
        norm1 = new LayerNorm(dModel, layerNormEps);
        norm2 = new LayerNorm(dModel, layerNormEps);
        dropout1 = new Dropout(dropout);
        dropout2 = new Dropout(dropout);
    }

    public long DModel { get; }
    public long Nhead { get; }
    public long DimFeedforward { get; }
    public double DropoutP { get; }
    public string Activation { get; }
    public double LayerNormEps { get; }
    public bool BatchFirst { get; }
    public bool NormFirst { get; }
    public bool HasBias { get; }
    public MultiheadAttention SelfAttn => self_attn;

    /// <summary>A new layer of the same shape with a copy of this one's weights (torch's copy.deepcopy of a layer).</summary>
    public TransformerEncoderLayer Copy()
    {
        var copy = new TransformerEncoderLayer(DModel, Nhead, DimFeedforward, DropoutP, Activation, LayerNormEps, BatchFirst, NormFirst, HasBias);
        copy.LoadStateDict(StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone()));
        if (!Training) copy.Eval();
        return copy;
    }

    public override Tensor Forward(Tensor src) => Forward(src, null);

    /// <summary>With an attention mask (L, L) and a key padding mask (N, L), as MultiheadAttention takes them.</summary>
    public Tensor Forward(Tensor src, Tensor? srcMask, Tensor? srcKeyPaddingMask = null)
    {
        var x = src;
        if (NormFirst)
        {
            x = x + SelfAttentionBlock(norm1.Call(x), srcMask, srcKeyPaddingMask);
            return x + FeedForwardBlock(norm2.Call(x));
        }
        x = norm1.Call(x + SelfAttentionBlock(x, srcMask, srcKeyPaddingMask));
        return norm2.Call(x + FeedForwardBlock(x));
    }

    private Tensor SelfAttentionBlock(Tensor x, Tensor? mask, Tensor? keyPaddingMask) =>
        dropout1.Call(self_attn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: mask).Output);

    private Tensor FeedForwardBlock(Tensor x) => TransformerFeedForward.Apply(x, linear1, Activation, dropout, linear2, dropout2);
}

namespace Graphport;

/// <summary>
/// One decoder layer of a transformer (torch.nn.TransformerDecoderLayer): self-attention over the target, attention
/// from the target to the encoder's output (the memory) and a feed-forward block, each added back to its input and
/// layer-normed after (or, with normFirst, normed before). Its submodules carry torch's names (self_attn,
/// multihead_attn, linear1, linear2, norm1, norm2, norm3), so torch's state dict loads as it is.
/// </summary>
public sealed class TransformerDecoderLayer : Module<Tensor, Tensor, Tensor>
{
    private readonly MultiheadAttention self_attn;
    private readonly MultiheadAttention multihead_attn;
    private readonly Linear linear1;
    private readonly Dropout dropout;
    private readonly Linear linear2;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly LayerNorm norm3;
    private readonly Dropout dropout1;
    private readonly Dropout dropout2;
    private readonly Dropout dropout3;

    public TransformerDecoderLayer(long dModel, long nhead, long dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, bool hasBias = true)
    {
        (DModel, Nhead, DimFeedforward, DropoutP, LayerNormEps, BatchFirst, NormFirst, HasBias) = (dModel, nhead, dimFeedforward, dropout, layerNormEps, batchFirst, normFirst, hasBias);
        Activation = TransformerFeedForward.CheckActivation(activation);
        self_attn = new MultiheadAttention(dModel, nhead, dropout, hasBias, batchFirst);
        multihead_attn = new MultiheadAttention(dModel, nhead, dropout, hasBias, batchFirst);
        linear1 = new Linear(dModel, dimFeedforward, hasBias);
        this.dropout = new Dropout(dropout);
        linear2 = new Linear(dimFeedforward, dModel, hasBias);
        norm1 = new LayerNorm(dModel, layerNormEps);
        norm2 = new LayerNorm(dModel, layerNormEps);
        norm3 = new LayerNorm(dModel, layerNormEps);
        dropout1 = new Dropout(dropout);
        dropout2 = new Dropout(dropout);
        dropout3 = new Dropout(dropout);
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
    public MultiheadAttention MultiheadAttn => multihead_attn;

    /// <summary>A new layer of the same shape with a copy of this one's weights (torch's copy.deepcopy of a layer).</summary>
    public TransformerDecoderLayer Copy()
    {
        var copy = new TransformerDecoderLayer(DModel, Nhead, DimFeedforward, DropoutP, Activation, LayerNormEps, BatchFirst, NormFirst, HasBias);
        copy.LoadStateDict(StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone()));
        if (!Training) copy.Eval();
        return copy;
    }

    public override Tensor Forward(Tensor tgt, Tensor memory) => Forward(tgt, memory, null);

    /// <summary>
    /// With masks as MultiheadAttention takes them: tgtMask (T, T) over the target's own positions (a causal mask
    /// from Transformer.GenerateSquareSubsequentMask), memoryMask (T, S), and key padding masks (N, T) and (N, S).
    /// </summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null)
    {
        var x = tgt;
        if (NormFirst)
        {
            x = x + SelfAttentionBlock(norm1.Call(x), tgtMask, tgtKeyPaddingMask);
            x = x + CrossAttentionBlock(norm2.Call(x), memory, memoryMask, memoryKeyPaddingMask);
            return x + FeedForwardBlock(norm3.Call(x));
        }
        x = norm1.Call(x + SelfAttentionBlock(x, tgtMask, tgtKeyPaddingMask));
        x = norm2.Call(x + CrossAttentionBlock(x, memory, memoryMask, memoryKeyPaddingMask));
        return norm3.Call(x + FeedForwardBlock(x));
    }

    private Tensor SelfAttentionBlock(Tensor x, Tensor? mask, Tensor? keyPaddingMask) =>
        dropout1.Call(self_attn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: mask).Output);

    private Tensor CrossAttentionBlock(Tensor x, Tensor memory, Tensor? mask, Tensor? keyPaddingMask) =>
        dropout2.Call(multihead_attn.Forward(x, memory, memory, keyPaddingMask, needWeights: false, attnMask: mask).Output);

    private Tensor FeedForwardBlock(Tensor x) => TransformerFeedForward.Apply(x, linear1, Activation, dropout, linear2, dropout3);
}

namespace Graphport.Zoo;

/// <summary>
/// A BERT-style encoder: token + position embeddings, LayerNorm, a stack of encoder layers, and a tanh pooler on
/// the first token. Inputs: token ids [batch, seq] (int64) and an attention mask [batch, seq] (1 = token, 0 = pad).
/// Returns the pooled output [batch, hidden].
/// </summary>
public sealed class BertEncoder : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly LayerNorm embeddings_norm;
    private readonly ModuleList layers;
    private readonly Linear pooler;

    public BertEncoder(long vocab = 1000, long hidden = 64, long layers = 2, long heads = 4, long feedForward = 256, long maxPositions = 128)
    {
        Hidden = hidden;
        word_embeddings = new Embedding(vocab, hidden);
        position_embeddings = new Embedding(maxPositions, hidden);
        embeddings_norm = new LayerNorm(hidden, eps: 1e-12);
        this.layers = new ModuleList(Enumerable.Range(0, (int)layers).Select(_ => (Module)new EncoderLayer(hidden, heads, feedForward)));
        pooler = new Linear(hidden, hidden);
    }

    public long Hidden { get; }

    public override Tensor Forward(Tensor inputIds, Tensor attentionMask)
    {
        var seq = inputIds.Shape[1];
        var positions = Torch.Arange(seq).Unsqueeze(0);
        var x = embeddings_norm.Call(word_embeddings.Call(inputIds) + position_embeddings.Call(positions));
        // Padding positions get a large negative score so softmax ignores them.
        var mask = (1.0 - attentionMask.Float().Unsqueeze(1).Unsqueeze(2)) * -10000.0;
        foreach (var layer in layers) x = ((EncoderLayer)layer).Call(x, mask);
        return pooler.Call(x.Select(1, 0)).Tanh();
    }
}

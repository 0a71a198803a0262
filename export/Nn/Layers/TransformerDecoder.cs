namespace Graphport;

/// <summary>
/// numLayers copies of a decoder layer run in turn over the same memory, then an optional final norm
/// (torch.nn.TransformerDecoder); the layers are layers.0, layers.1, ... and the norm is norm in the state dict.
/// </summary>
public sealed class TransformerDecoder : Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList layers;
    private readonly LayerNorm? norm;

    /// <param name="decoderLayer">The layer copied numLayers times (its weights too, as torch deep-copies it).</param>
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, long numLayers, LayerNorm? norm = null)
    {
        ArgumentNullException.ThrowIfNull(decoderLayer);
        if (numLayers <= 0) throw new ArgumentOutOfRangeException(nameof(numLayers), $"TransformerDecoder needs at least one layer, got num_layers={numLayers}.");
        layers = new ModuleList(Enumerable.Range(0, (int)numLayers).Select(_ => (Module)decoderLayer.Copy()));
        this.norm = norm;
        NumLayers = numLayers;
    }

    public long NumLayers { get; }

    public TransformerDecoderLayer Layer(int index) => (TransformerDecoderLayer)layers[index];

    public override Tensor Forward(Tensor tgt, Tensor memory) => Forward(tgt, memory, null);

    /// <summary>Every layer with the same masks (see TransformerDecoderLayer.Forward).</summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null)
    {
        var x = tgt;
        foreach (var layer in layers.Cast<TransformerDecoderLayer>()) x = layer.Forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        return norm is null ? x : norm.Call(x);
    }
}

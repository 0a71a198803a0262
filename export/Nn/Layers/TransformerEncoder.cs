namespace Graphport;

/// <summary>
/// numLayers copies of an encoder layer run in turn, then an optional final norm (torch.nn.TransformerEncoder); the
/// layers are layers.0, layers.1, ... and the norm is norm in the state dict, as torch names them.
/// </summary>
public sealed class TransformerEncoder : Module<Tensor, Tensor>
{
    private readonly ModuleList layers;
    private readonly LayerNorm? norm;

    /// <param name="encoderLayer">The layer copied numLayers times (its weights too, as torch deep-copies it).</param>
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, long numLayers, LayerNorm? norm = null)
    {
        ArgumentNullException.ThrowIfNull(encoderLayer);
        if (numLayers <= 0) throw new ArgumentOutOfRangeException(nameof(numLayers), $"TransformerEncoder needs at least one layer, got num_layers={numLayers}.");
        layers = new ModuleList(Enumerable.Range(0, (int)numLayers).Select(_ => (Module)encoderLayer.Copy()));
        this.norm = norm;
        NumLayers = numLayers;
    }

    public long NumLayers { get; }

    public TransformerEncoderLayer Layer(int index) => (TransformerEncoderLayer)layers[index];

    public override Tensor Forward(Tensor src) => Forward(src, null);

    /// <summary>Every layer with the same attention mask (L, L) and key padding mask (N, L).</summary>
    public Tensor Forward(Tensor src, Tensor? mask, Tensor? srcKeyPaddingMask = null)
    {
        var x = src;
        foreach (var layer in layers.Cast<TransformerEncoderLayer>()) x = layer.Forward(x, mask, srcKeyPaddingMask);
        return norm is null ? x : norm.Call(x);
    }
}

namespace Graphport;

/// <summary>
/// An encoder-decoder transformer (torch.nn.Transformer): the encoder stack reads the source into a memory, the
/// decoder stack reads the target with attention to it; each stack ends in a layer norm. Submodules carry torch's
/// names (encoder.layers.0..., encoder.norm, decoder.layers.0..., decoder.norm), and every weight matrix starts
/// Xavier-uniform as torch resets them.
/// </summary>
public sealed class Transformer : Module<Tensor, Tensor, Tensor>
{
    private readonly TransformerEncoder encoder;
    private readonly TransformerDecoder decoder;

    public Transformer(long dModel = 512, long nhead = 8, long numEncoderLayers = 6, long numDecoderLayers = 6, long dimFeedforward = 2048,
        double dropout = 0.1, string activation = "relu", double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, bool hasBias = true)
    {
        DModel = dModel;
        Nhead = nhead;
        BatchFirst = batchFirst;
        encoder = new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, hasBias),
            numEncoderLayers, new LayerNorm(dModel, layerNormEps));
        decoder = new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, hasBias),
            numDecoderLayers, new LayerNorm(dModel, layerNormEps));
        foreach (var (_, parameter) in NamedParameters())
            if (parameter.Ndim > 1) parameter.Copy_(Init.XavierUniform(parameter.Shape.Select(s => (long)s).ToArray()));
    }

    public long DModel { get; }
    public long Nhead { get; }
    public bool BatchFirst { get; }
    public TransformerEncoder Encoder => encoder;
    public TransformerDecoder Decoder => decoder;

    /// <summary>A float mask (sz, sz) with −inf above the diagonal and 0 elsewhere: each position sees itself and those before it.</summary>
    public static Tensor GenerateSquareSubsequentMask(long sz) => Torch.Triu(Torch.Full([sz, sz], double.NegativeInfinity), 1);

    public override Tensor Forward(Tensor src, Tensor tgt) => Forward(src, tgt, null);

    /// <summary>
    /// src (S, N, E) and tgt (T, N, E), or (N, S, E) and (N, T, E) with batchFirst, or unbatched (S, E) and (T, E); masks
    /// as the encoder and decoder take them.
    /// </summary>
    public Tensor Forward(Tensor src, Tensor tgt, Tensor? srcMask, Tensor? tgtMask = null, Tensor? memoryMask = null,
        Tensor? srcKeyPaddingMask = null, Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null)
    {
        bool batched = src.Ndim == 3;
        int batchDim = BatchFirst ? 0 : 1;
        if (batched && (tgt.Ndim != 3 || !(src.Shape[batchDim] == tgt.Shape[batchDim])))
            throw new ArgumentException($"the batch number of src and tgt must be equal: src {src.Shape} and tgt {tgt.Shape} (batch dim {batchDim}{(BatchFirst ? ", batchFirst" : "")}).");
        if (!(src.Shape[^1] == DModel) || !(tgt.Shape[^1] == DModel))
            throw new ArgumentException($"the feature number of src and tgt must be equal to d_model ({DModel}): src {src.Shape} and tgt {tgt.Shape}.");
        var memory = encoder.Forward(src, srcMask, srcKeyPaddingMask);
        return decoder.Forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
    }
}

using System.Text.Json.Nodes;
using Graphport.Tests.Shared;
using static Graphport.Torch;

namespace Graphport.Tests.Interop;

/// <summary>
/// nn.MultiheadAttention, nn.TransformerEncoderLayer/Encoder, nn.TransformerDecoderLayer/Decoder and nn.Transformer in C#
/// compute what PyTorch 2.14's do with the same weights:
/// torch builds the layers (random weights and inputs), and its state dicts load into ours by their own names.
/// Self-attention through the packed projection, cross-attention with keys of another length, boolean and float
/// masks, padding masks, per-head and averaged weights, post-norm ReLU and pre-norm GELU encoder and decoder layers, the
/// whole encoder-decoder with causal and padding masks, batched and on one unbatched sequence.
/// </summary>
public class TransformerLayersTorchTests
{
    private const string Script = """
        import json, sys, torch
        seed = int(sys.argv[2])
        torch.manual_seed(seed)

        def number(v):
            return v if v == v and abs(v) != float("inf") else ("nan" if v != v else ("inf" if v > 0 else "-inf"))

        def t(x):
            data = x.detach().flatten().tolist()
            return {"dtype": str(x.dtype).replace("torch.", ""), "shape": list(x.shape), "data": [number(v) if isinstance(v, float) else v for v in data]}

        def state(m):
            return {k: t(v) for k, v in m.state_dict().items()}

        out = {}
        mha = torch.nn.MultiheadAttention(12, 3).eval()
        q, k, v = torch.randn(4, 2, 12), torch.randn(6, 2, 12), torch.randn(6, 2, 12)
        padding = torch.tensor([[False] * 6, [False, False, False, False, True, True]])
        forbidden = torch.rand(4, 6) > 0.7
        forbidden[:, 0] = False
        cross, cross_weights = mha(q, k, v, key_padding_mask=padding, attn_mask=forbidden)
        own, own_weights = mha(q, q, q, average_attn_weights=False)
        fast, _ = mha(q, q, q, need_weights=False)
        out["mha"] = {"state": state(mha), "q": t(q), "k": t(k), "v": t(v), "padding": t(padding), "forbidden": t(forbidden),
                      "cross": t(cross), "cross_weights": t(cross_weights), "own": t(own), "own_weights": t(own_weights), "fast": t(fast)}

        for name, norm_first, activation in (("post_relu", False, "relu"), ("pre_gelu", True, "gelu")):
            layer = torch.nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, activation=activation, batch_first=True, norm_first=norm_first).eval()
            x = torch.randn(2, 5, 16)
            causal = torch.nn.Transformer.generate_square_subsequent_mask(5)
            pad = torch.tensor([[False] * 5, [False, False, False, True, True]])
            # Gradients on, so torch takes its general path (its fused inference path differs on padded rows).
            y = layer(x, src_mask=causal, src_key_padding_mask=pad)
            plain = layer(x)
            out[name] = {"state": state(layer), "x": t(x), "causal": t(causal), "pad": t(pad), "y": t(y), "plain": t(plain)}
        encoder = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, batch_first=True), 2,
                                              norm=torch.nn.LayerNorm(16), enable_nested_tensor=False).eval()
        with torch.no_grad():
            encoder.layers[1].linear1.weight.uniform_(-0.3, 0.3)
            encoder.norm.weight.uniform_(0.5, 1.5)
        x = torch.randn(2, 5, 16)
        pad = torch.tensor([[False] * 5, [False, False, False, False, True]])
        out["encoder"] = {"state": state(encoder), "x": t(x), "pad": t(pad), "y": t(encoder(x, src_key_padding_mask=pad))}
        with open(sys.argv[1], "w") as f:
            json.dump(out, f)
        """;

    private static Tensor T(JsonNode node) => TorchScriptJson.Tensor(node);

    private static void Load(Module module, JsonNode state) =>
        module.LoadStateDict(state.AsObject().ToDictionary(kv => kv.Key, kv => T(kv.Value!)));

    private static void Close(JsonNode expected, Tensor? actual, string what, int seed)
    {
        var e = T(expected);
        Assert.NotNull(actual);
        Assert.Equal(e.Shape.Select(s => (long)s), actual!.Shape.Select(s => (long)s));
        double worst = (actual - e).Abs().Max().Item<double>();
        Assert.True(worst <= 2e-5, $"seed {seed}: {what} differs from torch by {worst}");
    }

    [Fact]
    public void Multihead_attention_and_encoder_layers_compute_what_torch_computes_with_torchs_weights()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(Script, seed);

        var m = json["mha"]!;
        var mha = new MultiheadAttention(12, 3);
        mha.Eval();
        Load(mha, m["state"]!);
        var (q, k, v) = (T(m["q"]!), T(m["k"]!), T(m["v"]!));
        var (cross, crossWeights) = mha.Forward(q, k, v, T(m["padding"]!), attnMask: T(m["forbidden"]!));
        Close(m["cross"]!, cross, "cross-attention", seed);
        Close(m["cross_weights"]!, crossWeights, "its averaged weights", seed);
        var (own, ownWeights) = mha.Forward(q, q, q, null, averageAttnWeights: false);
        Close(m["own"]!, own, "self-attention", seed);
        Close(m["own_weights"]!, ownWeights, "its per-head weights", seed);
        var (fast, none) = mha.Forward(q, q, q, null, needWeights: false);
        Close(m["fast"]!, fast, "self-attention without weights", seed);
        Assert.Null(none);

        foreach (var (name, normFirst, activation) in new[] { ("post_relu", false, "relu"), ("pre_gelu", true, "gelu") })
        {
            var l = json[name]!;
            var layer = new TransformerEncoderLayer(16, 4, 32, dropout: 0, activation: activation, batchFirst: true, normFirst: normFirst);
            layer.Eval();
            Load(layer, l["state"]!);
            var x = T(l["x"]!);
            Close(l["y"]!, layer.Forward(x, T(l["causal"]!), T(l["pad"]!)), $"{name} with masks", seed);
            Close(l["plain"]!, layer.Call(x), $"{name} without", seed);

            // Exported, the program computes the same.
            var program = Export(layer, [x]);
            Close(l["plain"]!, program.Module().Call(x), $"{name} exported", seed);
        }

        // A stack of two (torch deep-copies the layer; its second copy's weights were changed there) and a final norm.
        var e = json["encoder"]!;
        var encoder = new TransformerEncoder(new TransformerEncoderLayer(16, 4, 32, dropout: 0, batchFirst: true), 2, new LayerNorm(16));
        encoder.Eval();
        Load(encoder, e["state"]!);
        Close(e["y"]!, encoder.Forward(T(e["x"]!), null, T(e["pad"]!)), "the encoder stack", seed);

        // Exported with a dynamic batch from 1 and a dynamic sequence: the attention's views guard batch * seq != batch,
        // which holds for every size in the ranges (it was refused as a constraint violation).
        var dynamic = Export(encoder, [T(e["x"]!)], dynamicShapes: new() { ["src"] = new() { [0] = new Dim("batch", min: 1, max: 8), [1] = new Dim("seq", min: 2, max: 64) } });
        var longer = Randn(3, 7, 16);
        double worst = (dynamic.Module().Call(longer) - encoder.Call(longer)).Abs().Max().Item<double>();
        Assert.True(worst <= 1e-5, $"seed {seed}: the exported encoder stack differs from eager by {worst}");
    }

    private const string DecoderScript = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))

        def number(v):
            return v if v == v and abs(v) != float("inf") else ("nan" if v != v else ("inf" if v > 0 else "-inf"))

        def t(x):
            data = x.detach().flatten().tolist()
            return {"dtype": str(x.dtype).replace("torch.", ""), "shape": list(x.shape), "data": [number(v) if isinstance(v, float) else v for v in data]}

        out = {}
        causal = torch.nn.Transformer.generate_square_subsequent_mask(5)
        tpad = torch.tensor([[False] * 5, [False, False, False, True, True]])
        mpad = torch.tensor([[False] * 7, [False] * 5 + [True, True]])
        out["causal"], out["tpad"], out["mpad"] = t(causal), t(tpad), t(mpad)
        for name, norm_first, activation in (("post_relu", False, "relu"), ("pre_gelu", True, "gelu")):
            layer = torch.nn.TransformerDecoderLayer(16, 4, 32, dropout=0.0, activation=activation, batch_first=True, norm_first=norm_first).eval()
            tgt, mem = torch.randn(2, 5, 16), torch.randn(2, 7, 16)
            y = layer(tgt, mem, tgt_mask=causal, tgt_key_padding_mask=tpad, memory_key_padding_mask=mpad)
            out[name] = {"state": {k: t(v) for k, v in layer.state_dict().items()}, "tgt": t(tgt), "mem": t(mem), "y": t(y), "plain": t(layer(tgt, mem))}
        model = torch.nn.Transformer(16, 4, 2, 2, 32, dropout=0.0).eval()
        src, tgt = torch.randn(7, 2, 16), torch.randn(5, 2, 16)
        out["transformer"] = {"state": {k: t(v) for k, v in model.state_dict().items()}, "src": t(src), "tgt": t(tgt),
                              "y": t(model(src, tgt, tgt_mask=causal, src_key_padding_mask=mpad, memory_key_padding_mask=mpad)),
                              "plain": t(model(src, tgt)), "unbatched": t(model(src[:, 0], tgt[:, 0], tgt_mask=causal))}
        with open(sys.argv[1], "w") as f:
            json.dump(out, f)
        """;

    [Fact]
    public void Decoder_layers_and_the_encoder_decoder_transformer_compute_what_torch_computes_with_torchs_weights()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(DecoderScript, seed);
        var (causal, tpad, mpad) = (T(json["causal"]!), T(json["tpad"]!), T(json["mpad"]!));
        Assert.True((Transformer.GenerateSquareSubsequentMask(5) == causal).All().Item<bool>(), "the causal mask");

        foreach (var (name, normFirst, activation) in new[] { ("post_relu", false, "relu"), ("pre_gelu", true, "gelu") })
        {
            var l = json[name]!;
            var layer = new TransformerDecoderLayer(16, 4, 32, dropout: 0, activation: activation, batchFirst: true, normFirst: normFirst);
            layer.Eval();
            Load(layer, l["state"]!);
            var (tgt, mem) = (T(l["tgt"]!), T(l["mem"]!));
            Close(l["y"]!, layer.Forward(tgt, mem, causal, null, tpad, mpad), $"decoder {name} with masks", seed);
            Close(l["plain"]!, layer.Call(tgt, mem), $"decoder {name} without", seed);
            Close(l["plain"]!, Export(layer, [tgt, mem]).Module().Call(tgt, mem), $"decoder {name} exported", seed);
        }

        var m = json["transformer"]!;
        var model = new Transformer(16, 4, 2, 2, 32, dropout: 0);
        model.Eval();
        Assert.Equal(m["state"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal), model.StateDict().Keys.Order(StringComparer.Ordinal));
        Load(model, m["state"]!);
        var (src, target) = (T(m["src"]!), T(m["tgt"]!));
        Close(m["y"]!, model.Forward(src, target, null, causal, null, mpad, null, mpad), "the transformer with masks", seed);
        Close(m["plain"]!, model.Call(src, target), "the transformer without", seed);
        Close(m["unbatched"]!, model.Forward(src[.., 0], target[.., 0], null, causal), "the transformer on one unbatched sequence", seed);

        // Exported with dynamic source and target lengths, it runs at others.
        var program = Export(model, [src, target], dynamicShapes: new() { ["src"] = new() { [0] = new Dim("s", min: 2, max: 64) }, ["tgt"] = new() { [0] = new Dim("t", min: 2, max: 64) } });
        var (longerSource, longerTarget) = (Randn(11, 2, 16), Randn(3, 2, 16));
        double worst = (program.Module().Call(longerSource, longerTarget) - model.Call(longerSource, longerTarget)).Abs().Max().Item<double>();
        Assert.True(worst <= 1e-5, $"seed {seed}: the exported transformer differs from eager by {worst}");

        var mismatch = Assert.Throws<ArgumentException>(() => model.Call(Randn(7, 2, 16), Randn(5, 3, 16)));
        Assert.Contains("the batch number of src and tgt must be equal", mismatch.Message, StringComparison.Ordinal);
    }
}

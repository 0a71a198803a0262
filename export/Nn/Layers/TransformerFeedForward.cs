namespace Graphport;

/// <summary>
/// What torch's transformer encoder and decoder layers share: the activations they take, and the feed-forward block
/// linear2(dropout(activation(linear1(x)))) followed by the layer's own dropout.
/// </summary>
internal static class TransformerFeedForward
{
    public static string CheckActivation(string activation) => activation is "relu" or "gelu"
        ? activation
        : throw new ArgumentException($"activation should be relu/gelu, not {activation}", nameof(activation));

    public static Tensor Apply(Tensor x, Linear linear1, string activation, Dropout inner, Linear linear2, Dropout outer)
    {
        var hidden = linear1.Call(x);
        hidden = activation == "gelu" ? Functional.Gelu(hidden) : Functional.Relu(hidden);
        return outer.Call(linear2.Call(inner.Call(hidden)));
    }
}

namespace Graphport.Zoo;

/// <summary>A BERT encoder layer (post-norm): attention + residual + LayerNorm, GELU feed-forward + residual + LayerNorm.</summary>
public sealed class EncoderLayer : Module<Tensor, Tensor, Tensor>
{
    private readonly SelfAttention attention;
    private readonly LayerNorm attention_norm;
    private readonly Linear intermediate;
    private readonly Linear output;
    private readonly LayerNorm output_norm;
    private readonly Dropout dropout = new(0.1);

    public EncoderLayer(long hidden, long heads, long feedForward)
    {
        attention = new SelfAttention(hidden, heads);
        attention_norm = new LayerNorm(hidden, eps: 1e-12);
        intermediate = new Linear(hidden, feedForward);
        output = new Linear(feedForward, hidden);
        output_norm = new LayerNorm(hidden, eps: 1e-12);
    }

    public override Tensor Forward(Tensor x, Tensor mask)
    {
        x = attention_norm.Call(x + dropout.Call(attention.Call(x, mask)));
        var h = output.Call(Functional.Gelu(intermediate.Call(x)));
        return output_norm.Call(x + dropout.Call(h));
    }
}

namespace Graphport.Zoo;

/// <summary>Multi-head self-attention: q/k/v/out projections and scaled dot-product attention with a padding mask.</summary>
public sealed class SelfAttention : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear output;

    public SelfAttention(long hidden, long heads)
    {
        if (hidden % heads != 0) throw new ArgumentException($"hidden size {hidden} must be divisible by the number of heads {heads}.");
        Heads = heads;
        HeadSize = hidden / heads;
        query = new Linear(hidden, hidden);
        key = new Linear(hidden, hidden);
        value = new Linear(hidden, hidden);
        output = new Linear(hidden, hidden);
    }

    public long Heads { get; }

    public long HeadSize { get; }

    /// <param name="x">[batch, seq, hidden]</param>
    /// <param name="mask">[batch, 1, 1, seq] additive mask (0 to attend, a large negative to ignore).</param>
    public override Tensor Forward(Tensor x, Tensor mask)
    {
        var batch = x.Shape[0];
        var seq = x.Shape[1];
        Tensor Split(Tensor t) => t.View([batch, seq, Heads, HeadSize]).Transpose(1, 2);
        var context = Functional.ScaledDotProductAttention(Split(query.Call(x)), Split(key.Call(x)), Split(value.Call(x)), attnMask: mask);
        return output.Call(context.Transpose(1, 2).Reshape([batch, seq, Heads * HeadSize]));
    }
}

namespace Graphport;

/// <summary>
/// What the recurrent cells share (torch.nn.RNNCellBase): weight_ih [gates · hidden, input], weight_hh
/// [gates · hidden, hidden] and the biases bias_ih and bias_hh, initialized U(±1/sqrt(hidden)) as torch does; input
/// (N, input_size) or unbatched (input_size), states of the same batch, zeros when none are given.
/// </summary>
public abstract class RecurrentCellBase<TState> : Module<Tensor, TState>
{
    private readonly Parameter weight_ih;
    private readonly Parameter weight_hh;
    private readonly Parameter? bias_ih;
    private readonly Parameter? bias_hh;

    private protected RecurrentCellBase(int gates, long inputSize, long hiddenSize, bool hasBias)
    {
        if (inputSize <= 0 || hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"input_size and hidden_size must be positive, got {inputSize} and {hiddenSize}.");
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        HasBias = hasBias;
        double bound = 1.0 / Math.Sqrt(hiddenSize);
        weight_ih = new Parameter(Init.Uniform([gates * hiddenSize, inputSize], bound));
        weight_hh = new Parameter(Init.Uniform([gates * hiddenSize, hiddenSize], bound));
        if (hasBias)
        {
            bias_ih = new Parameter(Init.Uniform([gates * hiddenSize], bound));
            bias_hh = new Parameter(Init.Uniform([gates * hiddenSize], bound));
        }
    }

    public long InputSize { get; }
    public long HiddenSize { get; }
    public bool HasBias { get; }

    private protected object?[] Weights => [weight_ih, weight_hh, bias_ih, bias_hh];

    /// <summary>The input as (N, input_size), and whether it was unbatched.</summary>
    private protected (Tensor Input, bool Unbatched) Batched(Tensor input, string name)
    {
        if (input.Ndim is not (1 or 2)) throw new ArgumentException($"{name}: Expected input to be 1D or 2D, got {input.Ndim}D instead");
        return input.Ndim == 1 ? (input.Unsqueeze(0), true) : (input, false);
    }

    /// <summary>A state given by the caller, checked against the input's batching; zeros (N, hidden) when null.</summary>
    private protected Tensor StateOf(Tensor? state, Tensor input, bool unbatched, string name)
    {
        if (state is null) return Torch.Zeros(new SymInt[] { input.Shape[0], HiddenSize }, input.DType);
        if (state.Ndim != (unbatched ? 1 : 2))
            throw new ArgumentException($"{name}: Expected hidden to be {(unbatched ? "1D" : "2D")} for a {(unbatched ? "1D" : "2D")} input, got {state.Ndim}D instead");
        return unbatched ? state.Unsqueeze(0) : state;
    }

    protected override string ExtraRepr() => $"{InputSize}, {HiddenSize}" + (HasBias ? "" : ", bias=False");
}

/// <summary>One step of an Elman network, h' = tanh (or relu) of W_ih x + b_ih + W_hh h + b_hh (torch.nn.RNNCell).</summary>
public sealed class RNNCell : RecurrentCellBase<Tensor>
{
    public RNNCell(long inputSize, long hiddenSize, bool hasBias = true, string nonlinearity = "tanh") : base(1, inputSize, hiddenSize, hasBias)
    {
        Nonlinearity = nonlinearity is "tanh" or "relu" ? nonlinearity : throw new ArgumentException($"Unknown nonlinearity: {nonlinearity}", nameof(nonlinearity));
    }

    public string Nonlinearity { get; }

    public override Tensor Forward(Tensor input) => Forward(input, null);

    public Tensor Forward(Tensor input, Tensor? hx)
    {
        var (x, unbatched) = Batched(input, "RNNCell");
        var h = StateOf(hx, x, unbatched, "RNNCell");
        var next = Aten.Call(Nonlinearity == "relu" ? Aten.RnnReluCell : Aten.RnnTanhCell, [x, h, .. Weights]);
        return unbatched ? next.Squeeze(0) : next;
    }

    protected override string ExtraRepr() => base.ExtraRepr() + (Nonlinearity == "tanh" ? "" : $", nonlinearity={Nonlinearity}");
}

/// <summary>One step of an LSTM: (h, c) → (h', c') (torch.nn.LSTMCell).</summary>
public sealed class LSTMCell(long inputSize, long hiddenSize, bool hasBias = true) : RecurrentCellBase<(Tensor H, Tensor C)>(4, inputSize, hiddenSize, hasBias)
{
    public override (Tensor H, Tensor C) Forward(Tensor input) => Forward(input, null);

    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var (x, unbatched) = Batched(input, "LSTMCell");
        var h = StateOf(state?.H, x, unbatched, "LSTMCell");
        var c = StateOf(state?.C, x, unbatched, "LSTMCell");
        var next = (Tensor[])Aten.Dispatch(Aten.LstmCell, [x, new[] { h, c }, .. Weights])!;
        return unbatched ? (next[0].Squeeze(0), next[1].Squeeze(0)) : (next[0], next[1]);
    }
}

/// <summary>One step of a GRU: h → h' (torch.nn.GRUCell).</summary>
public sealed class GRUCell(long inputSize, long hiddenSize, bool hasBias = true) : RecurrentCellBase<Tensor>(3, inputSize, hiddenSize, hasBias)
{
    public override Tensor Forward(Tensor input) => Forward(input, null);

    public Tensor Forward(Tensor input, Tensor? hx)
    {
        var (x, unbatched) = Batched(input, "GRUCell");
        var h = StateOf(hx, x, unbatched, "GRUCell");
        var next = Aten.Call(Aten.GruCell, [x, h, .. Weights]);
        return unbatched ? next.Squeeze(0) : next;
    }
}

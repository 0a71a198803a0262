using Graphport.Shapes;

namespace Graphport;

/// <summary>
/// What LSTM, GRU and RNN share (torch.nn.RNNBase): the sizes, the parameters per layer and direction named as torch
/// names them (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, then *_reverse for the backward direction;
/// weight_hr_l0 with an LSTM's projections), initialized U(-1/sqrt(hidden), 1/sqrt(hidden)), and the call of
/// aten::lstm.input / aten::gru.input / aten::rnn_*.input with zero initial states (of the input's batch size, symbolic or not) when
/// none are given. Unbatched 2-D input gets a batch of one and loses it again, as in torch.
/// </summary>
public abstract class RecurrentBase<TResult> : Module<Tensor, TResult>
{
    private readonly List<Parameter> flat = [];

    private protected RecurrentBase(int gates, long inputSize, long hiddenSize, long numLayers, bool hasBias, bool batchFirst, double dropout, bool bidirectional, long projSize)
    {
        if (inputSize <= 0 || hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"input_size and hidden_size must be positive, got {inputSize} and {hiddenSize}.");
        if (numLayers <= 0) throw new ArgumentOutOfRangeException(nameof(numLayers), $"num_layers must be greater than or equal to 1, got {numLayers}.");
        if (dropout < 0 || dropout > 1) throw new ArgumentOutOfRangeException(nameof(dropout), $"dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got {dropout}.");
        if (projSize < 0) throw new ArgumentOutOfRangeException(nameof(projSize), "proj_size should be a positive integer or zero to disable projections.");
        if (projSize > 0 && projSize >= hiddenSize) throw new ArgumentOutOfRangeException(nameof(projSize), "proj_size has to be smaller than hidden_size.");
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        HasBias = hasBias;
        BatchFirst = batchFirst;
        Dropout = dropout;
        Bidirectional = bidirectional;
        ProjSize = projSize;
        double bound = 1.0 / Math.Sqrt(hiddenSize);
        long output = projSize > 0 ? projSize : hiddenSize;
        for (long layer = 0; layer < numLayers; layer++)
            for (int d = 0; d < Directions; d++)
            {
                string suffix = $"_l{layer}" + (d == 1 ? "_reverse" : "");
                long layerInput = layer == 0 ? inputSize : output * Directions;
                Add("weight_ih" + suffix, [gates * hiddenSize, layerInput], bound);
                Add("weight_hh" + suffix, [gates * hiddenSize, output], bound);
                if (hasBias)
                {
                    Add("bias_ih" + suffix, [gates * hiddenSize], bound);
                    Add("bias_hh" + suffix, [gates * hiddenSize], bound);
                }
                if (projSize > 0) Add("weight_hr" + suffix, [projSize, hiddenSize], bound);
            }
    }

    private void Add(string name, long[] shape, double bound) => flat.Add(RegisterParameter(name, new Parameter(Init.Uniform(shape, bound))));

    public long InputSize { get; }
    public long HiddenSize { get; }
    public long NumLayers { get; }
    public bool HasBias { get; }
    public bool BatchFirst { get; }
    public double Dropout { get; }
    public bool Bidirectional { get; }
    public long ProjSize { get; }

    private int Directions => Bidirectional ? 2 : 1;

    /// <summary>The parameters in the order the ops take them (torch's _flat_weights).</summary>
    public IReadOnlyList<Parameter> FlatWeights => flat;

    /// <summary>The input as [seq, batch, in] or [batch, seq, in], and whether it was unbatched.</summary>
    private protected (Tensor Input, bool Unbatched) Batched(Tensor input, string name)
    {
        if (input.Ndim is not (2 or 3)) throw new ArgumentException($"{name}: Expected input to be 2D or 3D, got {input.Ndim}D instead");
        if (!(input.Shape[^1] == InputSize)) throw new ArgumentException($"input.size(-1) must be equal to input_size. Expected {InputSize}, got {input.Shape[^1].Hint}");
        return input.Ndim == 2 ? (input.Unsqueeze(BatchFirst ? 0 : 1), true) : (input, false);
    }

    /// <summary>Zeros [layers * directions, batch, size] of the input's dtype.</summary>
    private protected Tensor ZeroState(Tensor input, long size) =>
        Torch.Zeros(new SymInt[] { NumLayers * Directions, input.Shape[BatchFirst ? 0 : 1], size }, input.DType);

    /// <summary>A state given by the caller: [layers * dirs, batch, size], or unbatched [layers * dirs, size].</summary>
    private protected static Tensor StateOf(Tensor state, bool unbatched, string name)
    {
        if (unbatched && state.Ndim != 2) throw new ArgumentException($"For unbatched 2-D input, {name} should also be 2-D but got {state.Ndim}-D tensor");
        if (!unbatched && state.Ndim != 3) throw new ArgumentException($"For batched 3-D input, {name} should also be 3-D but got {state.Ndim}-D tensor");
        return unbatched ? state.Unsqueeze(1) : state;
    }

    private protected Tensor[] Weights => [.. flat.Cast<Tensor>()];

    private protected object?[] Flags => [HasBias, NumLayers, Dropout, Training, Bidirectional, BatchFirst];

    private protected Tensor Unbatch(Tensor t, bool unbatched, int dim) => unbatched ? t.Squeeze(dim) : t;

    protected override string ExtraRepr() =>
        $"{InputSize}, {HiddenSize}" + (ProjSize > 0 ? $", proj_size={ProjSize}" : "") + (NumLayers != 1 ? $", num_layers={NumLayers}" : "") +
        (HasBias ? "" : ", bias=False") + (BatchFirst ? ", batch_first=True" : "") + (Dropout != 0 ? $", dropout={Dropout}" : "") +
        (Bidirectional ? ", bidirectional=True" : "");
}

/// <summary>
/// torch.nn.LSTM: exports as aten.lstm.input. Forward returns (output, (h_n, c_n)); output is [seq, batch,
/// directions * out] (batch first: [batch, seq, ...]), out = proj_size when set, else hidden_size.
/// </summary>
public sealed class LSTM(long inputSize, long hiddenSize, long numLayers = 1, bool hasBias = true, bool batchFirst = false, double dropout = 0, bool bidirectional = false, long projSize = 0)
    : RecurrentBase<(Tensor Output, (Tensor H, Tensor C) State)>(4, inputSize, hiddenSize, numLayers, hasBias, batchFirst, dropout, bidirectional, projSize)
{
    public override (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input) => Forward(input, null);

    /// <summary>With initial states (h_0, c_0), each [layers * directions, batch, size]; zeros when null.</summary>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var (x, unbatched) = Batched(input, "LSTM");
        Tensor h0 = state is { } s ? StateOf(s.H, unbatched, "hx") : ZeroState(x, ProjSize > 0 ? ProjSize : HiddenSize);
        Tensor c0 = state is { } t ? StateOf(t.C, unbatched, "cx") : ZeroState(x, HiddenSize);
        var r = Aten.CallMulti(Aten.Lstm, [x, new[] { h0, c0 }, Weights, .. Flags]);
        return (Unbatch(r[0], unbatched, BatchFirst ? 0 : 1), (Unbatch(r[1], unbatched, 1), Unbatch(r[2], unbatched, 1)));
    }
}

/// <summary>torch.nn.GRU: exports as aten.gru.input. Forward returns (output, h_n), shaped as LSTM's.</summary>
public sealed class GRU(long inputSize, long hiddenSize, long numLayers = 1, bool hasBias = true, bool batchFirst = false, double dropout = 0, bool bidirectional = false)
    : RecurrentBase<(Tensor Output, Tensor H)>(3, inputSize, hiddenSize, numLayers, hasBias, batchFirst, dropout, bidirectional, 0)
{
    public override (Tensor Output, Tensor H) Forward(Tensor input) => Forward(input, null);

    /// <summary>With an initial state h_0 [layers * directions, batch, hidden]; zeros when null.</summary>
    public (Tensor Output, Tensor H) Forward(Tensor input, Tensor? h0)
    {
        var (x, unbatched) = Batched(input, "GRU");
        Tensor h = h0 is not null ? StateOf(h0, unbatched, "hx") : ZeroState(x, HiddenSize);
        var r = Aten.CallMulti(Aten.Gru, [x, h, Weights, .. Flags]);
        return (Unbatch(r[0], unbatched, BatchFirst ? 0 : 1), Unbatch(r[1], unbatched, 1));
    }
}

/// <summary>
/// torch.nn.RNN, the Elman network: h = tanh (or relu) of W_ih x + b_ih + W_hh h + b_hh per step; exports as
/// aten.rnn_tanh.input or aten.rnn_relu.input. Forward returns (output, h_n), shaped as GRU's.
/// </summary>
public sealed class RNN : RecurrentBase<(Tensor Output, Tensor H)>
{
    public RNN(long inputSize, long hiddenSize, long numLayers = 1, string nonlinearity = "tanh", bool hasBias = true, bool batchFirst = false, double dropout = 0, bool bidirectional = false)
        : base(1, inputSize, hiddenSize, numLayers, hasBias, batchFirst, dropout, bidirectional, 0)
    {
        Nonlinearity = nonlinearity is "tanh" or "relu" ? nonlinearity : throw new ArgumentException($"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.", nameof(nonlinearity));
    }

    public string Nonlinearity { get; }

    public override (Tensor Output, Tensor H) Forward(Tensor input) => Forward(input, null);

    /// <summary>With an initial state h_0 [layers * directions, batch, hidden]; zeros when null.</summary>
    public (Tensor Output, Tensor H) Forward(Tensor input, Tensor? h0)
    {
        var (x, unbatched) = Batched(input, "RNN");
        Tensor h = h0 is not null ? StateOf(h0, unbatched, "hx") : ZeroState(x, HiddenSize);
        var r = Aten.CallMulti(Nonlinearity == "relu" ? Aten.RnnRelu : Aten.RnnTanh, [x, h, Weights, .. Flags]);
        return (Unbatch(r[0], unbatched, BatchFirst ? 0 : 1), Unbatch(r[1], unbatched, 1));
    }
}

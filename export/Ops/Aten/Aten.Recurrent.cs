using Graphport.Operators;
using Graphport.Shapes;

namespace Graphport;

/// <summary>
/// The recurrent layers torch.export records for nn.LSTM, nn.GRU and nn.RNN: lstm.input, gru.input, rnn_tanh.input and
/// rnn_relu.input (not core; they
/// decompose, unrolled over the time steps, when the sequence length is static). params holds, per layer and then
/// per direction, w_ih, w_hh, and with has_biases b_ih, b_hh (LSTM with projections adds w_hr last). Gate order:
/// LSTM i, f, g, o; GRU r, z, n with n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); an RNN's one gate is h = act(W_ih x + b_ih +
/// W_hh h + b_hh).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Lstm = Def(
        "lstm.input(Tensor input, Tensor[] hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor, Tensor)",
        meta: a =>
        {
            var hx = (Tensor[])a[1]!;
            if (hx.Length != 2) throw new ArgumentException($"lstm expects two hidden states, got {hx.Length}");
            var (input, output) = RecurrentMeta("lstm", a, hx[0], hx[1]);
            return new[] { output, new TensorMeta(input.DType, hx[0].Shape.AsArray()), new TensorMeta(input.DType, hx[1].Shape.AsArray()) };
        },
        kernel: RecurrentKernels.Lstm);

    public static readonly OpOverload Gru = Def(
        "gru.input(Tensor input, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor)",
        meta: a =>
        {
            var hx = Tn(a, 1);
            var (input, output) = RecurrentMeta("gru", a, hx, null);
            return new[] { output, new TensorMeta(input.DType, hx.Shape.AsArray()) };
        },
        kernel: RecurrentKernels.Gru);

    public static readonly OpOverload RnnTanh = Def(
        "rnn_tanh.input(Tensor input, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor)",
        meta: a => SimpleRecurrentMeta("rnn_tanh", a), kernel: RecurrentKernels.RnnTanh);

    public static readonly OpOverload RnnRelu = Def(
        "rnn_relu.input(Tensor input, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor)",
        meta: a => SimpleRecurrentMeta("rnn_relu", a), kernel: RecurrentKernels.RnnRelu);

    private static object SimpleRecurrentMeta(string op, object?[] a)
    {
        var hx = Tn(a, 1);
        var (input, output) = RecurrentMeta(op, a, hx, null);
        return new[] { output, new TensorMeta(input.DType, hx.Shape.AsArray()) };
    }

    /// <summary>
    /// Checks a recurrent call (input [seq, batch, in] or batch_first [batch, seq, in], hidden states
    /// [layers * dirs, batch, hidden], the weights of every layer and direction) and gives the output's metadata:
    /// [seq, batch, dirs * out] (or batch first), out the projection size when an LSTM has one, else hidden.
    /// </summary>
    private static (Tensor Input, TensorMeta Output) RecurrentMeta(string op, object?[] a, Tensor h0, Tensor? c0)
    {
        var input = T0(a);
        var ps = (Tensor[])a[2]!;
        bool hasBiases = B(a[3]), bidirectional = B(a[7]), batchFirst = B(a[8]);
        long layers = L(a[4]);
        int dirs = bidirectional ? 2 : 1;
        if (input.Ndim != 3) throw new ArgumentException($"{op}: input must have 3 dimensions, got {input.Ndim}");
        if (!input.DType.IsFloatingPoint()) throw new ArgumentException($"{op}: expected a floating-point input, got {DTypeNames.Capitalized(input.DType)}");
        if (layers < 1) throw new ArgumentException($"{op}: num_layers must be at least 1, got {layers}");
        SymInt seq = input.Shape[batchFirst ? 1 : 0], batch = input.Shape[batchFirst ? 0 : 1];
        if (seq.AsConstant == 0) throw new ArgumentException($"{op}: expected sequence length to be larger than 0 in RNN");
        var spec = RecurrentSpec.Of(op, ps.Length, hasBiases, layers, dirs, c0 is not null && h0.Ndim == 3 && c0.Ndim == 3 && !(h0.Shape[2] == c0!.Shape[2]));
        SymInt hidden = (c0 ?? h0).Shape[^1], outSize = h0.Shape[^1];
        foreach (var (state, size, name) in new[] { (h0, outSize, "hx[0]"), (c0, hidden, "hx[1]") })
        {
            if (state is null) continue;
            if (state.Ndim != 3 || !(state.Shape[0] == layers * dirs) || !(state.Shape[1] == batch) || !(state.Shape[2] == size))
                throw new ArgumentException($"{op}: expected hidden size [{layers * dirs}, {batch.Hint}, {size.Hint}], got {name} of size [{string.Join(", ", state.Shape.Select(s => s.Hint))}]");
            if (state.DType != input.DType)
                throw new ArgumentException($"{op}: input and hidden state must have the same dtype, got {DTypeNames.Capitalized(input.DType)} and {DTypeNames.Capitalized(state.DType)}");
        }
        for (int layer = 0; layer < layers; layer++)
            for (int d = 0; d < dirs; d++)
            {
                int at = (layer * dirs + d) * spec.Group;
                SymInt inSize = layer == 0 ? input.Shape[2] : outSize * dirs;
                CheckWeight(op, ps[at], [spec.Gates * hidden, inSize], "weight_ih", input.DType);
                CheckWeight(op, ps[at + 1], [spec.Gates * hidden, outSize], "weight_hh", input.DType);
                if (hasBiases)
                {
                    CheckWeight(op, ps[at + 2], [spec.Gates * hidden], "bias_ih", input.DType);
                    CheckWeight(op, ps[at + 3], [spec.Gates * hidden], "bias_hh", input.DType);
                }
                if (spec.Projected) CheckWeight(op, ps[at + spec.Group - 1], [outSize, hidden], "weight_hr", input.DType);
            }
        SymInt features = outSize * dirs;
        return (input, new TensorMeta(input.DType, batchFirst ? [batch, seq, features] : [seq, batch, features]));
    }

    private static void CheckWeight(string op, Tensor w, SymInt[] shape, string name, DType dtype)
    {
        bool matches = w.Ndim == shape.Length;
        for (int i = 0; matches && i < shape.Length; i++) matches = w.Shape[i] == shape[i];
        if (!matches)
            throw new ArgumentException($"{op}: expected {name} of size [{string.Join(", ", shape.Select(s => s.Hint))}], got [{string.Join(", ", w.Shape.Select(s => s.Hint))}]");
        if (w.DType != dtype)
            throw new ArgumentException($"{op}: input and parameter tensors are not the same dtype, found input tensor with {DTypeNames.Capitalized(dtype)} and parameter tensor with {DTypeNames.Capitalized(w.DType)}");
    }
}

/// <summary>How a recurrent op's flat params list groups: tensors per layer and direction, gates, projections.</summary>
internal readonly record struct RecurrentSpec(int Group, int Gates, bool Projected)
{
    public static RecurrentSpec Of(string op, int count, bool hasBiases, long layers, int dirs, bool projected)
    {
        int group = (hasBiases ? 4 : 2) + (projected ? 1 : 0);
        if (count != layers * dirs * group)
            throw new ArgumentException($"{op}: expected {layers * dirs * group} parameter tensors ({layers} layers, {dirs} directions, {group} each), got {count}");
        return new RecurrentSpec(group, op switch { "lstm" => 4, "gru" => 3, _ => 1 }, projected);
    }
}

using Graphport.Operators;

namespace Graphport;

/// <summary>
/// One step of a recurrent layer (CompositeImplicitAutograd in ATen, so tracing records their bodies): rnn_tanh_cell,
/// rnn_relu_cell, lstm_cell and gru_cell, each two linears and the gates in ATen's order, after ATen's checks of the
/// input and hidden sizes.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload RnnTanhCell = Composite("rnn_tanh_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> Tensor", RnnTanhCellBody);
    public static readonly OpOverload RnnReluCell = Composite("rnn_relu_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> Tensor", RnnReluCellBody);
    public static readonly OpOverload LstmCell = Composite("lstm_cell(Tensor input, Tensor[] hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> (Tensor, Tensor)", LstmCellBody);
    public static readonly OpOverload GruCell = Composite("gru_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> Tensor", GruCellBody);

    private static object? RnnTanhCellBody(object?[] a) => Call(Tanh, SimpleCellSum(a, "rnn_tanh_cell"));

    private static object? RnnReluCellBody(object?[] a) => Call(Relu, SimpleCellSum(a, "rnn_relu_cell"));

    // W_hh h + b_hh + W_ih x + b_ih.
    private static Tensor SimpleCellSum(object?[] a, string op)
    {
        CheckCell(op, a, Tn(a, 1), 0);
        return Call(Add, Call(Linear, a[1], a[3], a[5]), Call(Linear, a[0], a[2], a[4]));
    }

    // i, f, g, o from the summed products; c' = f·c + i·g; h' = o·tanh(c').
    private static object? LstmCellBody(object?[] a)
    {
        var hx = (Tensor[])a[1]!;
        if (hx.Length != 2) throw new ArgumentException($"lstm_cell expects two hidden states (h, c), got {hx.Length}");
        CheckCell("lstm_cell", a, hx[0], 0);
        CheckCell("lstm_cell", a, hx[1], 1);
        var gates = Call(Add, Call(Linear, hx[0], a[3], a[5]), Call(Linear, a[0], a[2], a[4]));
        var chunks = (Tensor[])Dispatch(Chunk, [gates, 4L, 1L])!;
        var input = Call(Sigmoid, chunks[0]);
        var forget = Call(Sigmoid, chunks[1]);
        var cell = Call(Tanh, chunks[2]);
        var output = Call(Sigmoid, chunks[3]);
        var c = Call(Add, Call(Mul, forget, hx[1]), Call(Mul, input, cell));
        return new[] { Call(Mul, output, Call(Tanh, c)), c };
    }

    // r, z from the summed products; n = tanh(W_in x + b_in + r·(W_hn h + b_hn)); h' = (h − n)·z + n.
    private static object? GruCellBody(object?[] a)
    {
        var h = Tn(a, 1);
        CheckCell("gru_cell", a, h, 0);
        var inputGates = (Tensor[])Dispatch(Chunk, [Call(Linear, a[0], a[2], a[4]), 3L, 1L])!;
        var hiddenGates = (Tensor[])Dispatch(Chunk, [Call(Linear, h, a[3], a[5]), 3L, 1L])!;
        var reset = Call(Sigmoid, Call(Add, hiddenGates[0], inputGates[0]));
        var update = Call(Sigmoid, Call(Add, hiddenGates[1], inputGates[1]));
        var candidate = Call(Tanh, Call(Add, inputGates[2], Call(Mul, hiddenGates[2], reset)));
        return Call(Add, Call(Mul, Call(Sub, h, candidate), update), candidate);
    }

    /// <summary>ATen's check_rnn_cell_forward_input/hidden: input (N, input_size), each state (N, hidden_size).</summary>
    private static void CheckCell(string op, object?[] a, Tensor state, int which)
    {
        var input = T0(a);
        Tensor wih = Tn(a, 2), whh = Tn(a, 3);
        if (input.Ndim != 2 || state.Ndim != 2)
            throw new ArgumentException($"{op}: expected a 2-D input (batch, input_size) and 2-D states (batch, hidden_size), got {input.Ndim}-D and {state.Ndim}-D; the cell modules add the batch of an unbatched input.");
        if (!(input.Shape[1] == wih.Shape[1]))
            throw new ArgumentException($"input has inconsistent input_size: got {input.Shape[1].Hint}, expected {wih.Shape[1].Hint}");
        if (!(input.Shape[0] == state.Shape[0]))
            throw new ArgumentException($"Input batch size {input.Shape[0].Hint} doesn't match hidden{which} batch size {state.Shape[0].Hint}");
        if (!(state.Shape[1] == whh.Shape[1]))
            throw new ArgumentException($"hidden{which} has inconsistent hidden_size: got {state.Shape[1].Hint}, expected {whh.Shape[1].Hint}");
    }
}

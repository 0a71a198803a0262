using System.Numerics;
using System.Numerics.Tensors;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Eager LSTM, GRU and RNN (aten::lstm.input, aten::gru.input, aten::rnn_tanh.input, aten::rnn_relu.input) on the CPU. Per layer and direction the weights are packed
/// for the GEMM once (<see cref="RecurrentWeights"/>; a frozen module packs them once for good), the input-to-hidden
/// products of every time step are one GEMM ([seq * batch, in] x w_ihᵀ, b_ih in the accumulator; an LSTM's b_hh too);
/// each step adds one GEMM of the hidden state with w_hhᵀ (an LSTM's straight into its step's row, a GRU's into its own
/// with b_hh, which r gates), then the gates as vector ops. Half-precision inputs compute in float32 and round the
/// results.
/// </summary>
internal static class RecurrentKernels
{
    public static readonly KernelFunction Lstm = a =>
    {
        var hx = (Tensor[])a[1]!;
        return Dispatch(a, hx[0], hx[1]);
    };

    public static readonly KernelFunction Gru = a => Dispatch(a, Aten.Tn(a, 1), null);

    public static readonly KernelFunction RnnTanh = a => Dispatch(a, Aten.Tn(a, 1), null, op: "rnn_tanh");

    public static readonly KernelFunction RnnRelu = a => Dispatch(a, Aten.Tn(a, 1), null, op: "rnn_relu");

    /// <summary>aten.lstm.input or aten.gru.input (bound arguments) with its weights packed once, by a frozen module.</summary>
    internal static Tensor[] RunPrepared(object?[] a, bool lstm, RecurrentWeights prepared)
    {
        Tensor h0 = lstm ? ((Tensor[])a[1]!)[0] : Aten.Tn(a, 1);
        Tensor? c0 = lstm ? ((Tensor[])a[1]!)[1] : null;
        return Dispatch(a, h0, c0, prepared);
    }

    /// <summary>Whether a frozen module may pack this call's weights once: no dropout between layers in training.</summary>
    internal static bool Preparable(object?[] a) => !(Aten.B(a[6]) && Aten.D(a[5]) > 0 && Aten.L(a[4]) > 1);

    private static Tensor[] Dispatch(object?[] a, Tensor h0, Tensor? c0, RecurrentWeights? prepared = null, string? op = null)
    {
        var input = Aten.T0(a);
        op ??= c0 is null ? "gru" : "lstm";
        if (!Preparable(a))
            throw new NotSupportedException($"{op}: dropout between layers in training mode (dropout={Aten.D(a[5])}, train=True) is not supported on the CPU interpreter; run in eval mode or with dropout=0.");
        return input.DType == DType.Float64 ? Run<double>(op, a, h0, c0, prepared) : Run<float>(op, a, h0, c0, prepared);
    }

    private static Tensor[] Run<T>(string op, object?[] a, Tensor h0, Tensor? c0, RecurrentWeights? prepared) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Aten.T0(a);
        var ps = (Tensor[])a[2]!;
        bool hasBiases = Aten.B(a[3]), bidirectional = Aten.B(a[7]), batchFirst = Aten.B(a[8]);
        int layers = (int)Aten.L(a[4]), dirs = bidirectional ? 2 : 1;
        bool lstm = c0 is not null;
        bool projected = lstm && h0.Sizes[2] != c0!.Sizes[2];
        var spec = RecurrentSpec.Of(op, ps.Length, hasBiases, layers, dirs, projected);
        int seq = (int)input.Sizes[batchFirst ? 1 : 0], batch = (int)input.Sizes[batchFirst ? 0 : 1];
        int hidden = (int)(c0 ?? h0).Sizes[2], outSize = (int)h0.Sizes[2], gh = spec.Gates * hidden;
        if (seq == 0) throw new ArgumentException($"{op}: expected sequence length to be larger than 0 in RNN");

        var x = TimeMajor(Eager.Dense<T>(input), batch, seq, (int)input.Sizes[2], batchFirst);
        int inSize = (int)input.Sizes[2];
        var h0d = Eager.Dense<T>(h0);
        var c0d = c0 is null ? null : Eager.Dense<T>(c0);
        var hn = new T[h0d.Length];
        var cn = c0d is null ? null : new T[c0d.Length];

        var pre = new T[(long)seq * batch * gh];
        // A GRU's hidden products and its r, z and n (an LSTM's go into the input projection's rows).
        var hg = lstm ? [] : new T[(long)batch * gh];
        var gates = lstm ? [] : new T[gh];
        var cellTanh = new T[hidden];
        var raw = projected ? new T[(long)batch * hidden] : null;
        for (int layer = 0; layer < layers; layer++)
        {
            var next = new T[(long)seq * batch * dirs * outSize];
            int stride = dirs * outSize;
            for (int d = 0; d < dirs; d++)
            {
                int index = layer * dirs + d, at = index * spec.Group;
                // The weights packed for the GEMM once per call (or once for good, when a frozen module prepared them),
                // not once per step: an LSTM of 128 hidden units packed 256 KB of w_hh on every step before.
                var packed = prepared?.Of<T>(index) ?? RecurrentWeights.PackDirection<T>(ps, at, spec, hasBiases, projected);
                // Input-to-hidden for every step at once; an LSTM's b_hh added there too, each step's hidden product then
                // accumulating straight into its rows (a GRU keeps its own: b_hn goes inside r·(W_hn h + b_hn)).
                Product(x, seq * batch, inSize, packed.InputWeight, packed.InputBias, gh, pre);
                if (lstm && packed.HiddenBias is { } hiddenBias)
                    for (long row = 0; row < (long)seq * batch; row++) TensorPrimitives.Add(pre.AsSpan((int)(row * gh), gh), hiddenBias, pre.AsSpan((int)(row * gh), gh));
                var h = h0d.AsSpan(index * batch * outSize, batch * outSize).ToArray();
                var c = c0d?.AsSpan(index * batch * hidden, batch * hidden).ToArray();
                for (int s = 0; s < seq; s++)
                {
                    int t = d == 0 ? s : seq - 1 - s;
                    if (lstm) Gemm.ComputePacked(false, batch, T.One, h.AsSpan(0, batch * outSize), outSize, packed.HiddenWeight, T.One, pre.AsSpan(t * batch * gh, batch * gh), gh);
                    else Product(h, batch, outSize, packed.HiddenWeight, packed.HiddenBias, gh, hg);
                    for (int b = 0; b < batch; b++)
                    {
                        var p = pre.AsSpan((t * batch + b) * gh, gh);
                        if (spec.Gates == 1)
                        {
                            // h = tanh or relu of both products and both biases.
                            var hRow = h.AsSpan(b * hidden, hidden);
                            TensorPrimitives.Add(p, hg.AsSpan(b * gh, gh), hRow);
                            if (op == "rnn_relu") TensorPrimitives.Max(hRow, T.Zero, hRow);
                            else VectorMath.Tanh<T>(hRow, hRow);
                        }
                        else if (lstm)
                        {
                            // i, f, g, o = σ, σ, tanh, σ of the step's row (both products and both biases); c = f·c + i·g;
                            // h = o·tanh(c).
                            var row = p;
                            VectorMath.Sigmoid<T>(row.Slice(0, 2 * hidden), row.Slice(0, 2 * hidden));
                            VectorMath.Tanh<T>(row.Slice(2 * hidden, hidden), row.Slice(2 * hidden, hidden));
                            VectorMath.Sigmoid<T>(row.Slice(3 * hidden, hidden), row.Slice(3 * hidden, hidden));
                            var cRow = c.AsSpan(b * hidden, hidden);
                            TensorPrimitives.Multiply(row.Slice(hidden, hidden), cRow, cRow);
                            TensorPrimitives.FusedMultiplyAdd(row.Slice(0, hidden), row.Slice(2 * hidden, hidden), cRow, cRow);
                            VectorMath.Tanh<T>(cRow, cellTanh);
                            TensorPrimitives.Multiply(row.Slice(3 * hidden, hidden), cellTanh, (raw ?? h).AsSpan(b * hidden, hidden));
                        }
                        else
                        {
                            // r, z = σ of the sums; n = tanh(p_n + r·q_n); h = (h − n)·z + n.
                            var q = hg.AsSpan(b * gh, gh);
                            TensorPrimitives.Add(p[..(2 * hidden)], q[..(2 * hidden)], gates.AsSpan(0, 2 * hidden));
                            VectorMath.Sigmoid<T>(gates.AsSpan(0, 2 * hidden), gates.AsSpan(0, 2 * hidden));
                            var n = gates.AsSpan(2 * hidden, hidden);
                            TensorPrimitives.FusedMultiplyAdd(gates.AsSpan(0, hidden), q.Slice(2 * hidden, hidden), p.Slice(2 * hidden, hidden), n);
                            VectorMath.Tanh<T>(n, n);
                            var hRow = h.AsSpan(b * hidden, hidden);
                            TensorPrimitives.Subtract(hRow, n, hRow);
                            TensorPrimitives.FusedMultiplyAdd(hRow, gates.AsSpan(hidden, hidden), n, hRow);
                        }
                    }
                    if (raw is not null) Product(raw, batch, hidden, packed.Projection!, null, outSize, h);
                    for (int b = 0; b < batch; b++)
                        h.AsSpan(b * outSize, outSize).CopyTo(next.AsSpan((t * batch + b) * stride + d * outSize, outSize));
                }
                h.CopyTo(hn.AsSpan(index * batch * outSize));
                c?.CopyTo(cn!.AsSpan(index * batch * hidden));
            }
            x = next;
            inSize = stride;
        }

        int features = dirs * outSize;
        var output = batchFirst ? TimeMajor(x, seq, batch, features, transpose: true) : x;
        long[] outShape = batchFirst ? [batch, seq, features] : [seq, batch, features];
        var results = new List<Tensor> { Eager.Wrap(output, outShape, input.DType), Eager.Wrap(hn, h0.Sizes, input.DType) };
        if (cn is not null) results.Add(Eager.Wrap(cn, c0!.Sizes, input.DType));
        return [.. results];
    }

    /// <summary>[rows, inner] x wᵀ (w [n, inner], packed) into result [rows, n], bias broadcast over the rows first.</summary>
    private static void Product<T>(T[] x, int rows, int inner, PackedB<T> w, T[]? bias, int n, T[] result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = result.AsSpan(0, rows * n);
        if (bias is null) c.Clear();
        else
            for (int r = 0; r < rows; r++) bias.AsSpan(0, n).CopyTo(c.Slice(r * n, n));
        if (rows == 0 || n == 0 || inner == 0) return;
        Gemm.ComputePacked(false, rows, T.One, x.AsSpan(0, rows * inner), inner, w, T.One, c, n);
    }

    /// <summary>[a, b, f] as [b, a, f] when <paramref name="transpose"/> (batch first to time major and back); else as is.</summary>
    private static T[] TimeMajor<T>(T[] data, int a, int b, int f, bool transpose) where T : unmanaged
    {
        if (!transpose) return data;
        var result = new T[data.Length];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
                data.AsSpan((i * b + j) * f, f).CopyTo(result.AsSpan((j * a + i) * f, f));
        return result;
    }
}

using System.Numerics;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Eager LSTM and GRU (aten::lstm.input, aten::gru.input) on the CPU. Per layer and direction the input-to-hidden
/// products of every time step are one GEMM ([seq * batch, in] x w_ihᵀ, b_ih in the accumulator); each step adds
/// one GEMM of the hidden state with w_hhᵀ (b_hh in the accumulator), then the gates elementwise. Half-precision
/// inputs compute in float32 and round the results.
/// </summary>
internal static class RecurrentKernels
{
    public static readonly KernelFunction Lstm = a =>
    {
        var hx = (Tensor[])a[1]!;
        return Dispatch(a, hx[0], hx[1]);
    };

    public static readonly KernelFunction Gru = a => Dispatch(a, Aten.Tn(a, 1), null);

    private static Tensor[] Dispatch(object?[] a, Tensor h0, Tensor? c0)
    {
        var input = Aten.T0(a);
        string op = c0 is null ? "gru" : "lstm";
        if (Aten.B(a[6]) && Aten.D(a[5]) > 0 && Aten.L(a[4]) > 1)
            throw new NotSupportedException($"{op}: dropout between layers in training mode (dropout={Aten.D(a[5])}, train=True) is not supported on the CPU interpreter; run in eval mode or with dropout=0.");
        return input.DType == DType.Float64 ? Run<double>(op, a, h0, c0) : Run<float>(op, a, h0, c0);
    }

    private static T Sigmoid<T>(T x) where T : IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));

    private static Tensor[] Run<T>(string op, object?[] a, Tensor h0, Tensor? c0) where T : unmanaged, IFloatingPointIeee754<T>
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
        var hg = new T[(long)batch * gh];
        var raw = projected ? new T[(long)batch * hidden] : null;
        for (int layer = 0; layer < layers; layer++)
        {
            var next = new T[(long)seq * batch * dirs * outSize];
            int stride = dirs * outSize;
            for (int d = 0; d < dirs; d++)
            {
                int index = layer * dirs + d, at = index * spec.Group;
                var wih = Eager.Dense<T>(ps[at]);
                var whh = Eager.Dense<T>(ps[at + 1]);
                var bih = hasBiases ? Eager.Dense<T>(ps[at + 2]) : null;
                var bhh = hasBiases ? Eager.Dense<T>(ps[at + 3]) : null;
                var whr = projected ? Eager.Dense<T>(ps[at + spec.Group - 1]) : null;

                // Input-to-hidden for every step at once.
                Product(x, seq * batch, inSize, wih, bih, gh, pre);
                var h = h0d.AsSpan(index * batch * outSize, batch * outSize).ToArray();
                var c = c0d?.AsSpan(index * batch * hidden, batch * hidden).ToArray();
                for (int s = 0; s < seq; s++)
                {
                    int t = d == 0 ? s : seq - 1 - s;
                    Product(h, batch, outSize, whh, bhh, gh, hg);
                    var p = pre.AsSpan(t * batch * gh, batch * gh);
                    if (lstm)
                    {
                        var target = raw ?? h;
                        for (int b = 0; b < batch; b++)
                        {
                            int row = b * gh;
                            for (int j = 0; j < hidden; j++)
                            {
                                T i = Sigmoid(p[row + j] + hg[row + j]);
                                T f = Sigmoid(p[row + hidden + j] + hg[row + hidden + j]);
                                T g = T.Tanh(p[row + 2 * hidden + j] + hg[row + 2 * hidden + j]);
                                T o = Sigmoid(p[row + 3 * hidden + j] + hg[row + 3 * hidden + j]);
                                int k = b * hidden + j;
                                c![k] = f * c[k] + i * g;
                                target[k] = o * T.Tanh(c[k]);
                            }
                        }
                        if (raw is not null) Product(raw, batch, hidden, whr!, null, outSize, h);
                    }
                    else
                    {
                        for (int b = 0; b < batch; b++)
                        {
                            int row = b * gh;
                            for (int j = 0; j < hidden; j++)
                            {
                                T r = Sigmoid(p[row + j] + hg[row + j]);
                                T z = Sigmoid(p[row + hidden + j] + hg[row + hidden + j]);
                                T n = T.Tanh(p[row + 2 * hidden + j] + r * hg[row + 2 * hidden + j]);
                                int k = b * hidden + j;
                                h[k] = (h[k] - n) * z + n;
                            }
                        }
                    }
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

    /// <summary>[rows, inner] x wᵀ (w [n, inner]) into result [rows, n], bias broadcast over the rows first.</summary>
    private static void Product<T>(T[] x, int rows, int inner, T[] w, T[]? bias, int n, T[] result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = result.AsSpan(0, rows * n);
        if (bias is null) c.Clear();
        else
            for (int r = 0; r < rows; r++) bias.AsSpan(0, n).CopyTo(c.Slice(r * n, n));
        if (rows == 0 || n == 0 || inner == 0) return;
        Gemm.Compute(false, true, rows, n, inner, T.One, x.AsSpan(0, rows * inner), inner, w, inner, T.One, c, n, "lstm/gru");
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

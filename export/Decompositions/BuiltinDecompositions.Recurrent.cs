using Graphport.Operators;
using Graphport.Shapes;

namespace Graphport;

/// <summary>
/// lstm.input, gru.input and rnn_tanh/rnn_relu.input unrolled over the time steps with core ops (torch/_decomp's lstm_impl,
/// gru_impl and rnn_tanh/relu):
/// per layer and direction, each step is addmm/mm with the weights' permutes, slices of the gates, sigmoid, tanh,
/// mul and add; the steps are concatenated, the directions concatenated on the features, the final states stacked.
/// Unrolling needs the number of steps, so a symbolic sequence length cannot decompose: the decomposition then
/// raises an error that names the op and says how to keep it.
/// </summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterRecurrent()
    {
        Register("aten::lstm.input", a => UnrolledRecurrence(a, "lstm"));
        Register("aten::gru.input", a => UnrolledRecurrence(a, "gru"));
        Register("aten::rnn_tanh.input", a => UnrolledRecurrence(a, "rnn_tanh"));
        Register("aten::rnn_relu.input", a => UnrolledRecurrence(a, "rnn_relu"));
    }

    private static Tensor[] UnrolledRecurrence(object?[] a, string op)
    {
        bool lstm = op == "lstm";
        var input = T(a[0]);
        var ps = (Tensor[])a[2]!;
        bool hasBiases = Aten.B(a[3]), train = Aten.B(a[6]), bidirectional = Aten.B(a[7]), batchFirst = Aten.B(a[8]);
        int layers = (int)Aten.L(a[4]), dirs = bidirectional ? 2 : 1;
        string name = $"aten::{op}.input";
        Tensor h0 = lstm ? ((Tensor[])a[1]!)[0] : T(a[1]);
        Tensor? c0 = lstm ? ((Tensor[])a[1]!)[1] : null;
        SymInt seqSize = input.Shape[batchFirst ? 1 : 0];
        if (seqSize.AsConstant is not long seq)
            throw new ExportException(
                $"{name} cannot be decomposed to Core ATen: its sequence length {seqSize} is symbolic, and the decomposition unrolls the " +
                $"recurrence over a known number of time steps. Keep the op (var table = Decompositions.Default(); table.Remove(\"{name}\"); " +
                "ep.RunDecompositions(table)) or export with a static sequence length.");
        if (train && Aten.D(a[5]) > 0 && layers > 1)
            throw new ExportException($"{name} with dropout between layers in training mode cannot be decomposed here; export in eval mode or with dropout=0.");
        bool projected = c0 is not null && !(h0.Shape[2] == c0!.Shape[2]);
        var spec = RecurrentSpec.Of(op, ps.Length, hasBiases, layers, dirs, projected);
        SymInt hidden = (c0 ?? h0).Shape[2];

        var x = batchFirst ? Aten.Call(Aten.Permute, input, new long[] { 1, 0, 2 }) : input;
        var finalH = new List<Tensor>();
        var finalC = new List<Tensor>();
        for (int layer = 0; layer < layers; layer++)
        {
            var outputs = new List<Tensor>();
            for (int d = 0; d < dirs; d++)
            {
                int index = layer * dirs + d, at = index * spec.Group;
                Tensor wih = Transposed(ps[at]), whh = Transposed(ps[at + 1]);
                Tensor? bih = hasBiases ? ps[at + 2] : null, bhh = hasBiases ? ps[at + 3] : null;
                Tensor? whr = projected ? Transposed(ps[at + spec.Group - 1]) : null;
                var h = Aten.Call(Aten.Select, h0, 0L, (long)index);
                var c = c0 is null ? null : Aten.Call(Aten.Select, c0, 0L, (long)index);
                var steps = new Tensor[seq];
                for (long s = 0; s < seq; s++)
                {
                    long t = d == 0 ? s : seq - 1 - s;
                    var gi = Affine(Aten.Call(Aten.Select, x, 0L, t), wih, bih);
                    var gh = Affine(h, whh, bhh);
                    if (lstm)
                    {
                        var gates = Aten.Call(Aten.Add, gi, gh);
                        var i = Aten.Call(Aten.Sigmoid, Gate(gates, 0, hidden));
                        var f = Aten.Call(Aten.Sigmoid, Gate(gates, 1, hidden));
                        var g = Aten.Call(Aten.Tanh, Gate(gates, 2, hidden));
                        var o = Aten.Call(Aten.Sigmoid, Gate(gates, 3, hidden));
                        c = Aten.Call(Aten.Add, Aten.Call(Aten.Mul, f, c!), Aten.Call(Aten.Mul, i, g));
                        h = Aten.Call(Aten.Mul, o, Aten.Call(Aten.Tanh, c));
                        if (whr is not null) h = Aten.Call(Aten.Mm, h, whr);
                    }
                    else if (spec.Gates == 1)
                    {
                        h = Aten.Call(op == "rnn_relu" ? Aten.Relu : Aten.Tanh, Aten.Call(Aten.Add, gi, gh));
                    }
                    else
                    {
                        var r = Aten.Call(Aten.Sigmoid, Aten.Call(Aten.Add, Gate(gi, 0, hidden), Gate(gh, 0, hidden)));
                        var z = Aten.Call(Aten.Sigmoid, Aten.Call(Aten.Add, Gate(gi, 1, hidden), Gate(gh, 1, hidden)));
                        var n = Aten.Call(Aten.Tanh, Aten.Call(Aten.Add, Gate(gi, 2, hidden), Aten.Call(Aten.Mul, r, Gate(gh, 2, hidden))));
                        h = Aten.Call(Aten.Add, Aten.Call(Aten.Mul, Aten.Call(Aten.Sub, h, n), z), n);
                    }
                    steps[t] = Aten.Call(Aten.Unsqueeze, h, 0L);
                }
                outputs.Add(Aten.Call(Aten.Cat, steps, 0L));
                finalH.Add(Aten.Call(Aten.Unsqueeze, h, 0L));
                if (c is not null) finalC.Add(Aten.Call(Aten.Unsqueeze, c, 0L));
            }
            x = outputs.Count == 1 ? outputs[0] : Aten.Call(Aten.Cat, outputs.ToArray(), 2L);
        }
        var output = batchFirst ? Aten.Call(Aten.Permute, x, new long[] { 1, 0, 2 }) : x;
        var results = new List<Tensor> { output, Aten.Call(Aten.Cat, finalH.ToArray(), 0L) };
        if (lstm) results.Add(Aten.Call(Aten.Cat, finalC.ToArray(), 0L));
        return [.. results];
    }

    private static Tensor Transposed(Tensor w) => Aten.Call(Aten.Permute, w, new long[] { 1, 0 });

    /// <summary>x wᵀ + b for 2-D x, with the permuted weight given.</summary>
    private static Tensor Affine(Tensor x, Tensor weightT, Tensor? bias) =>
        bias is null ? Aten.Call(Aten.Mm, x, weightT) : Aten.Call(Aten.Addmm, bias, x, weightT);

    /// <summary>The k-th of the gates stacked along the features: columns [k * hidden, (k + 1) * hidden).</summary>
    private static Tensor Gate(Tensor gates, int k, SymInt hidden) => Aten.Call(Aten.Slice, gates, 1L, k * hidden, (k + 1) * hidden, 1L);
}

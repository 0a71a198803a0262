namespace Graphport.Onnx;

/// <summary>
/// LSTM, GRU and RNN. A plain LSTM, or a GRU as PyTorch exports it, becomes the one aten.lstm.input or aten.gru.input
/// node torch.export records for nn.LSTM and nn.GRU (<see cref="AsTorchRecurrence"/>). The rest are unrolled at import
/// over their time steps, as torch.export unrolls nn.LSTM when it decomposes it: the input's product with W (and the
/// biases that only add) is one matrix product for all steps, then each step is a product with R, slices of the gates,
/// their activations and the state updates. Every ONNX option is honoured: the three directions, both layouts, initial
/// states, per-batch sequence lengths (shorter rows keep their state and output zeros past their end, as in ONNX
/// Runtime), peepholes, cell clip, coupled input and forget gates, GRU's linear_before_reset and any listed
/// activations. Unrolling needs the number of steps, so an unrolled node's sequence length must be known when importing.
/// </summary>
internal static partial class OnnxOpTable
{
    /// <summary>The most time steps unrolled: each is a copy of the step's ops in the program.</summary>
    private const int MaxRecurrentSteps = 4096;

    private static void AddRecurrent(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["LSTM"] = c => Recurrence(c, RecurrentCell.Lstm);
        t["GRU"] = c => Recurrence(c, RecurrentCell.Gru);
        t["RNN"] = c => Recurrence(c, RecurrentCell.Rnn);
    }

    private enum RecurrentCell { Lstm, Gru, Rnn }

    private static OnnxValue[] Recurrence(OnnxNodeContext c, RecurrentCell cell)
    {
        int gates = cell switch { RecurrentCell.Lstm => 4, RecurrentCell.Gru => 3, _ => 1 };
        string direction = c.String("direction", "forward");
        int directions = direction switch
        {
            "forward" or "reverse" => 1,
            "bidirectional" => 2,
            _ => throw c.Fail($"has direction '{direction}'; ONNX allows forward, reverse or bidirectional"),
        };
        long layout = c.Int("layout", 0);
        if (layout is not (0 or 1)) throw c.Fail($"has layout {layout}; ONNX allows 0 (sequence first) or 1 (batch first)");
        var x = c.Tensor(0);
        var w = c.Tensor(1);
        var r = c.Tensor(2);
        if (x.Ndim != 3) throw c.Fail($"has an input X of {x.Ndim} dimensions; X is [{(layout == 0 ? "sequence, batch" : "batch, sequence")}, input_size]");
        if (w.Ndim != 3 || r.Ndim != 3)
            throw c.Fail($"has weights W of {w.Ndim} and R of {r.Ndim} dimensions; both are [num_directions, {gates}·hidden_size, ...]");
        if (layout == 1) x = Call(Aten.Permute, x, new long[] { 1, 0, 2 });

        SymInt stepsSize = x.Shape[0], batch = x.Shape[1], hidden = r.Shape[2];
        if (c.Attr("hidden_size") is not null && hidden.AsConstant is long declared && declared != c.Int("hidden_size", 0))
            throw c.Fail($"has hidden_size {c.Int("hidden_size", 0)} but a recurrence weight R of shape {Dims(r)}");
        if (w.Shape[0] != directions || r.Shape[0] != directions)
            throw c.Fail($"runs {directions} direction(s) ('{direction}') but has W of shape {Dims(w)} and R of shape {Dims(r)}");
        if (w.Shape[1] != gates * hidden || r.Shape[1] != gates * hidden)
            throw c.Fail($"needs W and R with {gates}·hidden_size = {gates * hidden} rows, got {Dims(w)} and {Dims(r)}");
        if (AsTorchRecurrence(c, cell, x, w, r, direction, directions, layout) is { } fused) return fused;
        if (stepsSize.AsConstant is not long steps)
            throw c.Fail(
                $"has a symbolic sequence length ({stepsSize}); Graphport unrolls recurrences at import over a known number of time steps, " +
                "as torch.export unrolls nn.LSTM. Fix it with --dim NAME=SIZE (OnnxImportOptions.DimSizes) or --static");
        if (steps == 0) throw c.Fail("has an input of 0 time steps; a recurrence needs at least one");
        if (steps > MaxRecurrentSteps) throw c.Fail($"runs {steps} time steps; at most {MaxRecurrentSteps} are unrolled");

        var bias = c.OptionalTensor(3);
        var lengths = RecurrentLengths(c, steps);
        var initialH = RecurrentState(c, 5, layout);
        var initialC = cell == RecurrentCell.Lstm ? RecurrentState(c, 6, layout) : null;
        var peepholes = cell == RecurrentCell.Lstm ? c.OptionalTensor(7) : null;
        float clip = c.Float("clip", 0f);
        if (clip < 0) throw c.Fail($"has clip {clip}; a cell clip is a positive threshold");
        var activations = RecurrentActivations(c, cell, directions);
        bool coupled = cell == RecurrentCell.Lstm && c.Int("input_forget", 0) != 0;
        bool linearBeforeReset = cell == RecurrentCell.Gru && c.Int("linear_before_reset", 0) != 0;

        // One product of every step's input with W: [steps · batch, input] × Wᵀ.
        var flat = Call(Aten.Reshape, x, new[] { stepsSize * batch, x.Shape[2] });
        var outputs = new List<Tensor>();
        var finalH = new List<Tensor>();
        var finalC = new List<Tensor>();
        for (int d = 0; d < directions; d++)
        {
            bool reverse = direction == "reverse" || d == 1;
            var wT = Call(Aten.Permute, Call(Aten.Select, w, 0L, (long)d), new long[] { 1, 0 });
            var rT = Call(Aten.Permute, Call(Aten.Select, r, 0L, (long)d), new long[] { 1, 0 });
            Tensor? wb = null, rb = null;
            if (bias is not null)
            {
                var b = Call(Aten.Select, bias, 0L, (long)d);
                wb = Call(Aten.Slice, b, 0L, (SymInt)0, gates * hidden, 1L);
                rb = Call(Aten.Slice, b, 0L, gates * hidden, 2 * gates * hidden, 1L);
            }
            // The recurrence bias adds with the input's, except GRU's candidate part under linear_before_reset (it is gated by r).
            Tensor? inputBias = wb, hiddenBias = null;
            if (rb is not null)
            {
                if (linearBeforeReset)
                {
                    inputBias = Call(Aten.Add, wb!, Call(Aten.Cat, new[] { Gate(rb, 0, hidden, 2), Call(Aten.ZerosLike, Gate(rb, 2, hidden, 1)) }, 0L));
                    hiddenBias = Call(Aten.Cat, new[] { Call(Aten.ZerosLike, Gate(rb, 0, hidden, 2)), Gate(rb, 2, hidden, 1) }, 0L);
                }
                else inputBias = Call(Aten.Add, wb!, rb);
            }
            var projected = inputBias is null ? Call(Aten.Mm, flat, wT) : Call(Aten.Addmm, inputBias, flat, wT);
            projected = Call(Aten.Reshape, projected, new[] { stepsSize, batch, gates * hidden });

            // Zeros of [batch, hidden] in the input's dtype, where no initial state is given.
            Tensor Zeros() => Torch.Zeros(new SymInt[] { batch, hidden }, x.DType);
            var h = initialH is null ? Zeros() : Call(Aten.Select, initialH, 0L, (long)d);
            var cState = cell != RecurrentCell.Lstm ? null : initialC is null ? Zeros() : Call(Aten.Select, initialC, 0L, (long)d);
            Tensor? pi = null, po = null, pf = null;
            if (peepholes is not null)
            {
                var p = Call(Aten.Select, peepholes, 0L, (long)d);
                pi = Gate(p, 0, hidden, 1, dim: 0);
                po = Gate(p, 1, hidden, 1, dim: 0);
                pf = Gate(p, 2, hidden, 1, dim: 0);
            }
            var (f, g, hAct) = activations[d];
            Tensor Activate(Func<Tensor, Tensor> activation, Tensor pre) =>
                activation(clip > 0 ? Call(Aten.Clamp, pre, -(double)clip, (double)clip) : pre);

            var stepOutputs = new Tensor[steps];
            for (long s = 0; s < steps; s++)
            {
                long t = reverse ? steps - 1 - s : s;
                var xt = Call(Aten.Select, projected, 0L, t);
                Tensor newH;
                Tensor? newC = null;
                switch (cell)
                {
                    case RecurrentCell.Lstm:
                    {
                        var all = Call(Aten.Addmm, xt, h, rT);
                        var iPre = Gate(all, 0, hidden, 1);
                        if (pi is not null) iPre = Call(Aten.Add, iPre, Call(Aten.Mul, pi, cState!));
                        var i = Activate(f, iPre);
                        Tensor forget;
                        if (coupled) forget = Call(Aten.Rsub, i, 1.0);
                        else
                        {
                            var fPre = Gate(all, 2, hidden, 1);
                            if (pf is not null) fPre = Call(Aten.Add, fPre, Call(Aten.Mul, pf, cState!));
                            forget = Activate(f, fPre);
                        }
                        var candidate = Activate(g, Gate(all, 3, hidden, 1));
                        newC = Call(Aten.Add, Call(Aten.Mul, forget, cState!), Call(Aten.Mul, i, candidate));
                        var oPre = Gate(all, 1, hidden, 1);
                        if (po is not null) oPre = Call(Aten.Add, oPre, Call(Aten.Mul, po, newC));
                        newH = Call(Aten.Mul, Activate(f, oPre), hAct(newC));
                        break;
                    }
                    case RecurrentCell.Gru:
                    {
                        Tensor z, reset, candidate;
                        if (linearBeforeReset)
                        {
                            var hr = hiddenBias is null ? Call(Aten.Mm, h, rT) : Call(Aten.Addmm, hiddenBias, h, rT);
                            var zr = Call(Aten.Add, Gate(xt, 0, hidden, 2), Gate(hr, 0, hidden, 2));
                            z = Activate(f, Gate(zr, 0, hidden, 1));
                            reset = Activate(f, Gate(zr, 1, hidden, 1));
                            candidate = Activate(g, Call(Aten.Add, Gate(xt, 2, hidden, 1), Call(Aten.Mul, reset, Gate(hr, 2, hidden, 1))));
                        }
                        else
                        {
                            var zr = Call(Aten.Addmm, Gate(xt, 0, hidden, 2), h, Gate(rT, 0, hidden, 2));
                            z = Activate(f, Gate(zr, 0, hidden, 1));
                            reset = Activate(f, Gate(zr, 1, hidden, 1));
                            candidate = Activate(g, Call(Aten.Addmm, Gate(xt, 2, hidden, 1), Call(Aten.Mul, reset, h), Gate(rT, 2, hidden, 1)));
                        }
                        // (1 − z)·h̃ + z·h, written as h̃ + z·(h − h̃).
                        newH = Call(Aten.Add, candidate, Call(Aten.Mul, z, Call(Aten.Sub, h, candidate)));
                        break;
                    }
                    default:
                        newH = Activate(f, Call(Aten.Addmm, xt, h, rT));
                        break;
                }

                if (lengths is null)
                {
                    stepOutputs[t] = Call(Aten.Unsqueeze, newH, 0L);
                    h = newH;
                    cState = newC;
                }
                else
                {
                    // Rows whose sequence ended before this step keep their state and output zeros.
                    var running = Call(Aten.Unsqueeze, Call(Aten.GtScalar, lengths, (double)t), 1L);
                    stepOutputs[t] = Call(Aten.Unsqueeze, Call(Aten.Where, running, newH, Call(Aten.ZerosLike, newH)), 0L);
                    h = Call(Aten.Where, running, newH, h);
                    if (newC is not null) cState = Call(Aten.Where, running, newC, cState!);
                }
            }
            // [steps, 1, batch, hidden] for this direction.
            outputs.Add(Call(Aten.Unsqueeze, Call(Aten.Cat, stepOutputs, 0L), 1L));
            finalH.Add(Call(Aten.Unsqueeze, h, 0L));
            if (cState is not null) finalC.Add(Call(Aten.Unsqueeze, cState, 0L));
        }

        var y = outputs.Count == 1 ? outputs[0] : Call(Aten.Cat, outputs.ToArray(), 1L);
        var yH = finalH.Count == 1 ? finalH[0] : Call(Aten.Cat, finalH.ToArray(), 0L);
        Tensor? yC = finalC.Count == 0 ? null : finalC.Count == 1 ? finalC[0] : Call(Aten.Cat, finalC.ToArray(), 0L);
        if (layout == 1)
        {
            y = Call(Aten.Permute, y, new long[] { 2, 0, 1, 3 });
            yH = Call(Aten.Permute, yH, new long[] { 1, 0, 2 });
            if (yC is not null) yC = Call(Aten.Permute, yC, new long[] { 1, 0, 2 });
        }
        return yC is null ? [new TensorValue(y), new TensorValue(yH)] : [new TensorValue(y), new TensorValue(yH), new TensorValue(yC)];
    }

    /// <summary>
    /// An LSTM, or a GRU with linear_before_reset (how PyTorch's nn.GRU exports), that uses none of ONNX's extras (listed
    /// activations, clip, peepholes, coupled gates, sequence lengths short of the input's) as the one aten.lstm.input or
    /// aten.gru.input that torch.export records for nn.LSTM and nn.GRU: the gates reordered from ONNX's (i, o, f, c and
    /// z, r, h) to torch's (i, f, g, o and r, z, n), the bias split into b_ih and b_hh, a reverse direction as the
    /// forward one over the flipped sequence. The program stays one node however long the sequence (which may be
    /// symbolic), a CPU executor runs it with the weights packed once, and RunDecompositions unrolls it where a backend
    /// wants core ops. Null when the node needs the unrolled form.
    /// </summary>
    private static OnnxValue[]? AsTorchRecurrence(OnnxNodeContext c, RecurrentCell cell, Tensor x, Tensor w, Tensor r, string direction, int directions, long layout)
    {
        if (cell == RecurrentCell.Rnn || (cell == RecurrentCell.Gru && c.Int("linear_before_reset", 0) == 0)) return null;
        if (c.Float("clip", 0f) != 0 || c.Int("input_forget", 0) != 0 || c.Has(7)) return null;
        if (c.Attr("activation_alpha") is not null || c.Attr("activation_beta") is not null) return null;
        string[] defaults = cell == RecurrentCell.Lstm ? ["sigmoid", "tanh", "tanh"] : ["sigmoid", "tanh"];
        if (c.Attr("activations")?.Strings is { Count: > 0 } listed
            && !listed.Select(a => a.ToLowerInvariant()).SequenceEqual(Enumerable.Range(0, directions).SelectMany(_ => defaults))) return null;
        if (c.Has(4) && (x.Shape[0].AsConstant is not long steps || RecurrentLengths(c, steps) is not null)) return null;

        SymInt batch = x.Shape[1], hidden = r.Shape[2];
        // Torch's gate k is ONNX's gate order[k].
        int[] order = cell == RecurrentCell.Lstm ? [0, 2, 3, 1] : [1, 0, 2];
        Tensor Reordered(Tensor stacked) => Call(Aten.Cat, order.Select(k => Gate(stacked, k, hidden, 1, dim: 0)).ToArray(), 0L);
        var bias = c.OptionalTensor(3);
        var parameters = new List<Tensor>();
        for (int d = 0; d < directions; d++)
        {
            parameters.Add(Reordered(Call(Aten.Select, w, 0L, (long)d)));
            parameters.Add(Reordered(Call(Aten.Select, r, 0L, (long)d)));
            if (bias is null) continue;
            var b = Call(Aten.Select, bias, 0L, (long)d);
            int width = order.Length;
            parameters.Add(Reordered(Call(Aten.Slice, b, 0L, (SymInt)0, width * hidden, 1L)));
            parameters.Add(Reordered(Call(Aten.Slice, b, 0L, width * hidden, 2 * width * hidden, 1L)));
        }
        Tensor State(int input) => RecurrentState(c, input, layout) ?? Torch.Zeros(new SymInt[] { directions, batch, hidden }, x.DType);
        bool reverse = direction == "reverse";
        var sequence = reverse ? Call(Aten.Flip, x, new long[] { 0 }) : x;
        object?[] flags = [bias is not null, 1L, 0.0, false, directions == 2, false];
        var results = cell == RecurrentCell.Lstm
            ? Aten.CallMulti(Aten.Lstm, [sequence, new[] { State(5), State(6) }, parameters.ToArray(), .. flags])
            : Aten.CallMulti(Aten.Gru, [sequence, State(5), parameters.ToArray(), .. flags]);
        // [steps, batch, directions · hidden] → ONNX's [steps, directions, batch, hidden].
        var y = results[0];
        if (reverse) y = Call(Aten.Flip, y, new long[] { 0 });
        y = Call(Aten.Permute, Call(Aten.View, y, new[] { x.Shape[0], batch, (SymInt)directions, hidden }), new long[] { 0, 2, 1, 3 });
        var states = results.Skip(1).ToArray();
        if (layout == 1)
        {
            y = Call(Aten.Permute, y, new long[] { 2, 0, 1, 3 });
            states = [.. states.Select(t => Call(Aten.Permute, t, new long[] { 1, 0, 2 }))];
        }
        return [new TensorValue(y), .. states.Select(t => (OnnxValue)new TensorValue(t))];
    }

    private static string Dims(Tensor t) => "[" + string.Join(", ", t.Shape.Select(s => s.ToString())) + "]";

    /// <summary>Gates k to k + count − 1 of a tensor that stacks them along <paramref name="dim"/> (the last, unless given).</summary>
    private static Tensor Gate(Tensor stacked, int k, SymInt hidden, int count, int dim = -1)
    {
        long axis = dim < 0 ? stacked.Ndim - 1 : dim;
        return Call(Aten.Slice, stacked, axis, k * hidden, (k + count) * hidden, 1L);
    }

    /// <summary>sequence_lens, or null when absent or known to be the full length for every row.</summary>
    private static Tensor? RecurrentLengths(OnnxNodeContext c, long steps)
    {
        if (!c.Has(4)) return null;
        if (c.Value(4) is ShapeValue { IsConcrete: true } known && known.Items.All(i => (long)i == steps)) return null;
        var lengths = c.Tensor(4);
        if (lengths.Ndim != 1) throw c.Fail($"has sequence_lens of {lengths.Ndim} dimensions; it is one length per batch row");
        if (!lengths.IsFake)
        {
            var values = lengths.To(DType.Int64).ToArray<long>();
            if (values.Any(v => v < 0 || v > steps))
                throw c.Fail($"has sequence_lens [{string.Join(", ", values)}]; each must be between 0 and the sequence length {steps}");
            if (values.All(v => v == steps)) return null;
        }
        return lengths;
    }

    /// <summary>An initial state as [num_directions, batch, hidden] whatever the layout, or null (zeros).</summary>
    private static Tensor? RecurrentState(OnnxNodeContext c, int input, long layout)
    {
        var state = c.OptionalTensor(input);
        if (state is null) return null;
        if (state.Ndim != 3) throw c.Fail($"has an initial state (input {input}) of {state.Ndim} dimensions; it is 3-D");
        return layout == 1 ? Call(Aten.Permute, state, new long[] { 1, 0, 2 }) : state;
    }

    /// <summary>
    /// Each direction's activations (f, g, h; GRU uses f and g, RNN f): the listed ones, or Sigmoid, Tanh, Tanh (RNN:
    /// Tanh). activation_alpha and activation_beta are consumed in order by the functions that take them, as ONNX
    /// Runtime reads them; a function without its number uses the ONNX operator's default.
    /// </summary>
    private static (Func<Tensor, Tensor> F, Func<Tensor, Tensor> G, Func<Tensor, Tensor> H)[] RecurrentActivations(OnnxNodeContext c, RecurrentCell cell, int directions)
    {
        int perDirection = cell switch { RecurrentCell.Lstm => 3, RecurrentCell.Gru => 2, _ => 1 };
        string[] defaults = cell switch { RecurrentCell.Lstm => ["Sigmoid", "Tanh", "Tanh"], RecurrentCell.Gru => ["Sigmoid", "Tanh"], _ => ["Tanh"] };
        string[]? names = c.Attr("activations")?.Strings.ToArray();
        if (names is null || names.Length == 0) names = [.. Enumerable.Range(0, directions).SelectMany(_ => defaults)];
        if (names.Length != perDirection * directions)
            throw c.Fail($"lists {names.Length} activation(s); with {directions} direction(s) it needs {perDirection * directions} ({perDirection} per direction)");
        var alphas = new Queue<float>(c.Floats("activation_alpha") ?? []);
        var betas = new Queue<float>(c.Floats("activation_beta") ?? []);
        var functions = names.Select(n => RecurrentActivation(c, n, alphas, betas)).ToArray();
        Func<Tensor, Tensor> identity = t => t;
        return [.. Enumerable.Range(0, directions).Select(d => (
            functions[d * perDirection],
            perDirection > 1 ? functions[d * perDirection + 1] : identity,
            perDirection > 2 ? functions[d * perDirection + 2] : identity))];
    }

    private static Func<Tensor, Tensor> RecurrentActivation(OnnxNodeContext c, string name, Queue<float> alphas, Queue<float> betas)
    {
        double Alpha(double fallback) => alphas.Count > 0 ? alphas.Dequeue() : fallback;
        double Beta(double fallback) => betas.Count > 0 ? betas.Dequeue() : fallback;
        switch (name.ToLowerInvariant())
        {
            case "sigmoid": return t => Call(Aten.Sigmoid, t);
            case "tanh": return t => Call(Aten.Tanh, t);
            case "relu": return t => Call(Aten.Relu, t);
            case "softsign": return t => Call(Aten.Div, t, Call(Aten.Add, Call(Aten.Abs, t), 1.0));
            case "softplus": return t => Call(Aten.Softplus, t, 1.0, 20.0);
            case "leakyrelu":
            {
                double alpha = Alpha(0.01);
                return t => Call(Aten.LeakyRelu, t, alpha);
            }
            case "thresholdedrelu":
            {
                double alpha = Alpha(1.0);
                return t => Call(Aten.Where, Call(Aten.GtScalar, t, alpha), t, Call(Aten.ZerosLike, t));
            }
            case "elu":
            {
                double alpha = Alpha(1.0);
                return t => Call(Aten.Elu, t, alpha, 1.0, 1.0);
            }
            case "hardsigmoid":
            {
                double alpha = Alpha(0.2), beta = Beta(0.5);
                return t => Call(Aten.Clamp, Call(Aten.Add, Call(Aten.Mul, t, alpha), beta), 0.0, 1.0);
            }
            case "affine":
            {
                double alpha = Alpha(1.0), beta = Beta(0.0);
                return t => Call(Aten.Add, Call(Aten.Mul, t, alpha), beta);
            }
            case "scaledtanh":
            {
                double alpha = Alpha(1.0), beta = Beta(1.0);
                return t => Call(Aten.Mul, Call(Aten.Tanh, Call(Aten.Mul, t, beta)), alpha);
            }
            default:
                throw c.Fail($"lists the activation '{name}'; ONNX's recurrent ops take Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign or Softplus");
        }
    }
}

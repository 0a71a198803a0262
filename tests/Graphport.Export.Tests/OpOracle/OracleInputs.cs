namespace Graphport.Tests.OpOracle;

/// <summary>
/// Seeded random inputs for every op that has a decomposition. Tensor arguments come from the op's schema (a
/// tensor per Tensor argument, shapes from a shared list including sizes 0 and 1); a small table per op adds what
/// the schema cannot say: valid shapes, the dtypes torch accepts, and the non-tensor arguments worth covering.
/// </summary>
public static partial class OracleInputs
{
    private static readonly long[][] AnyShapes = [[], [0], [1], [5], [3, 4], [2, 1, 3], [2, 3, 4, 2]];

    private static readonly DType[] Floats = [DType.Float32, DType.Float64, DType.Float16, DType.BFloat16];

    private static readonly DType[] Common = [DType.Float32, DType.Float64, DType.Int64, DType.Bool];

    /// <summary>Cases for an op, or null when the table has no entry (a test asserts every decomposed op has one).</summary>
    public static IReadOnlyList<OracleCase>? For(string op)
    {
        var rng = new Random(StableSeed(op));
        return Table.TryGetValue(op, out var make) || NnExtrasTable.TryGetValue(op, out make) || LossesTable.TryGetValue(op, out make) || PoolingAndMarginsTable.TryGetValue(op, out make) ? make(rng).ToList() : null;
    }

    /// <summary>A seed from the op name that does not change between runs (string.GetHashCode does).</summary>
    private static int StableSeed(string s) => s.Aggregate(17, (h, c) => unchecked(h * 31 + c));

    /// <summary>A random tensor of any dtype: floats in [lo, hi), integers in [lo, hi), bools half true.</summary>
    public static Tensor Make(Random rng, long[] shape, DType dtype, double lo = -3, double hi = 3)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        if (dtype == DType.Bool) return Tensor.FromArray(Enumerable.Range(0, (int)n).Select(_ => rng.Next(2) == 1).ToArray(), shape);
        if (!dtype.IsFloatingPoint())
        {
            var ints = Enumerable.Range(0, (int)n).Select(_ => rng.NextInt64((long)lo, (long)hi)).ToArray();
            var t = Tensor.FromArray(ints, shape);
            return dtype == DType.Int64 ? t : t.To(dtype);
        }
        var values = Enumerable.Range(0, (int)n).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray();
        var d = Tensor.FromArray(values, shape);
        return dtype == DType.Float64 ? d : d.To(dtype);
    }

    private static string Describe(long[] shape, DType dtype, string extra = "") => $"[{string.Join(", ", shape)}] {dtype.TorchName()}{extra}";

    private static IEnumerable<OracleCase> Each(long[][] shapes, DType[] dtypes, Func<long[], DType, IEnumerable<OracleCase>> make) =>
        from s in shapes from d in dtypes from c in make(s, d) select c;

    /// <summary>A shape broadcastable to <paramref name="shape"/>: a trailing suffix or the shape with some sizes set to 1.</summary>
    private static long[] BroadcastableTo(Random rng, long[] shape)
    {
        if (shape.Length == 0) return [];
        return rng.Next(3) switch
        {
            0 => shape[rng.Next(shape.Length)..],
            1 => shape.Select(s => rng.Next(2) == 0 ? 1 : s).ToArray(),
            _ => (long[])shape.Clone(),
        };
    }

    private static readonly Dictionary<string, Func<Random, IEnumerable<OracleCase>>> Table = new()
    {
        ["aten::t"] = rng => Each([[], [5], [3, 4], [1, 0]], Common, (s, d) => [new(Describe(s, d), [Make(rng, s, d)])]),
        ["aten::transpose.int"] = rng => Each(AnyShapes, Common, (s, d) =>
            new (long, long)[] { (0, -1), (-1, 0) }.Select(p => new OracleCase(Describe(s, d, $" dims {p}"), [Make(rng, s, d), p.Item1, p.Item2]))),
        ["aten::_unsafe_view"] = rng => Each([[3, 4], [2, 3, 4], [0, 3]], Common, (s, d) =>
        {
            var x = Make(rng, s, d);
            long n = s.Aggregate(1L, (a, b) => a * b);
            // A transposed (non-contiguous) input checks that the view reads elements in logical order.
            var t = s.Length >= 2 ? x.Transpose(0, 1) : x;
            return [new(Describe(s, d), [x, new long[] { n == 0 ? 3 : 2, -1 }]), new(Describe(s, d, " transposed"), [t, new long[] { -1 }])];
        }),
        ["aten::squeeze"] = rng => Each([[], [1], [1, 1], [3, 1, 4], [0, 1], [2, 3]], Common, (s, d) => [new(Describe(s, d), [Make(rng, s, d)])]),
        ["aten::diagonal_scatter"] = rng => Each([[4, 5], [5, 3], [2, 3, 4], [1, 1]], [DType.Float32, DType.Int64, DType.Bool], (s, d) =>
            from spec in new (long Offset, long D1, long D2)[] { (0, 0, 1), (1, 0, 1), (-2, 1, 0), (1, -1, 0) }
            let self = Make(rng, s, d)
            let diagonal = self.Diagonal(spec.Offset, spec.D1, spec.D2)
            select new OracleCase(Describe(s, d, $" diagonal {spec}"), [self, Make(rng, diagonal.Shape.ToLongs(), d), spec.Offset, spec.D1, spec.D2])),
        ["aten::as_strided_scatter"] = rng => Each([[4, 5], [2, 3, 4]], [DType.Float32, DType.Int64], (s, d) =>
            from spec in new (long[] Size, long[] Stride, long? Offset)[] { ([2, 3], [5, 1], 1), ([3], [6], null), ([2, 2], [1, 4], 3), ([], [], 7) }
            select new OracleCase(Describe(s, d, $" size [{string.Join(", ", spec.Size)}] stride [{string.Join(", ", spec.Stride)}] offset {spec.Offset}"),
                [Make(rng, s, d), Make(rng, spec.Size, d), spec.Size, spec.Stride, spec.Offset])),
        ["aten::dot"] = rng => Each([[0], [1], [7]], [DType.Float32, DType.Float64, DType.Int64], (s, d) => [new(Describe(s, d), [Make(rng, s, d), Make(rng, s, d)])]),
        ["aten::sum"] = rng => Each(AnyShapes, Common, (s, d) =>
            new DType?[] { null, DType.Float64 }.Select(dt => new OracleCase(Describe(s, d, $" dtype {dt}"), [Make(rng, s, d), dt]))),
        // max()/min() of an empty tensor are errors (checked in Torch214AgreementTests), so only non-empty shapes.
        ["aten::max"] = rng => Each(AnyShapes.Where(s => s.All(n => n > 0)).ToArray(), Common, (s, d) => [new(Describe(s, d), [Make(rng, s, d)])]),
        ["aten::min"] = rng => Each(AnyShapes.Where(s => s.All(n => n > 0)).ToArray(), Common, (s, d) => [new(Describe(s, d), [Make(rng, s, d)])]),
        ["aten::all"] = rng => Each(AnyShapes, Common, (s, d) =>
            // Integer inputs in [0, 2) make zeros common, so both outcomes occur.
            [new(Describe(s, d), [Make(rng, s, d, 0, 2)]), new(Describe(s, d, " ones"), [Make(rng, s, d, 1, 2)])]),
        ["aten::arange"] = _ => Ranges(withStart: false),
        ["aten::arange.start"] = _ => Ranges(withStart: true),
        ["aten::zeros"] = _ => Factory(),
        ["aten::ones"] = _ => Factory(),
        ["aten::zeros_like"] = rng => Like(rng),
        ["aten::ones_like"] = rng => Like(rng),
        ["aten::empty_like"] = rng => Like(rng, Agreement.ShapeAndDType),
        ["aten::rand_like"] = rng => Each([[3, 4], [0]], [DType.Float32, DType.Float64], (s, d) => [new(Describe(s, d), [Make(rng, s, d)], Agreement.ShapeAndDType)]),
        ["aten::randn_like"] = rng => Each([[3, 4], [0]], [DType.Float32, DType.Float64], (s, d) => [new(Describe(s, d), [Make(rng, s, d)], Agreement.ShapeAndDType)]),
        ["aten::randint.low"] = _ =>
        [
            new("[3, 4] in [0, 10)", [0L, 10L, new long[] { 3, 4 }], Agreement.ShapeAndDType),
            new("[5] in [-3, 3) int32", [-3L, 3L, new long[] { 5 }, DType.Int32], Agreement.ShapeAndDType),
        ],
        ["aten::bernoulli.p"] = rng => Each([[3, 4], [0]], [DType.Float32, DType.Float64], (s, d) => [new(Describe(s, d), [Make(rng, s, d), 0.3], Agreement.ShapeAndDType)]),
        ["aten::bernoulli"] = rng => Each([[3, 4], [0]], [DType.Float32, DType.Float64], (s, d) => [new(Describe(s, d), [Make(rng, s, d, 0, 1)], Agreement.ShapeAndDType)]),
        ["aten::bernoulli_.float"] = rng => Each([[3, 4], [0]], [DType.Float32, DType.Float64], (s, d) => [new(Describe(s, d), [Make(rng, s, d), 0.3], Agreement.ShapeAndDType)]),
        ["aten::normal_"] = rng => Each([[3, 4], [0]], [DType.Float32, DType.Float64], (s, d) => [new(Describe(s, d), [Make(rng, s, d), 1.0, 2.0], Agreement.ShapeAndDType)]),
        ["aten::silu"] = rng => Activation(rng),
        ["aten::hardsigmoid"] = rng => Activation(rng),
        ["aten::hardswish"] = rng => Activation(rng),
        ["aten::softplus"] = rng => Each(AnyShapes, Floats, (s, d) =>
            new (double Beta, double Threshold)[] { (1, 20), (2, 1.5), (0.5, 1) }
                .Select(p => new OracleCase(Describe(s, d, $" beta {p.Beta} threshold {p.Threshold}"), [Make(rng, s, d, -6, 6), p.Beta, p.Threshold]))),
        ["aten::masked_fill.Scalar"] = rng => Each(AnyShapes, Common, (s, d) =>
            new object[] { 2.5, -4L, true }.Where(v => d != DType.Bool || v is bool).Where(v => d.IsFloatingPoint() || v is not double)
                .Select(v => new OracleCase(Describe(s, d, $" value {v}"), [Make(rng, s, d), Make(rng, BroadcastableTo(rng, s), DType.Bool), v]))),
        ["aten::where.ScalarOther"] = rng => Each(AnyShapes, Common, (s, d) => new object[] { 2.5, -4L, true }
            .Select(v => new OracleCase(Describe(s, d, $" other {v}"), [Make(rng, BroadcastableTo(rng, s), DType.Bool), Make(rng, s, d), v]))),
        ["aten::where.ScalarSelf"] = rng => Each(AnyShapes, Common, (s, d) => new object[] { 2.5, -4L, true }
            .Select(v => new OracleCase(Describe(s, d, $" self {v}"), [Make(rng, s, DType.Bool), v, Make(rng, BroadcastableTo(rng, s), d)]))),
        ["aten::where.Scalar"] = rng => Each(AnyShapes, [DType.Bool], (s, d) => new (object, object)[] { (2.5, -4L), (3L, -4L), (true, false), (true, 0.5) }
            .Select(p => new OracleCase(Describe(s, d, $" self {p.Item1} other {p.Item2}"), [Make(rng, s, d), p.Item1, p.Item2]))),
        ["aten::fill.Tensor"] = rng => Each(AnyShapes, Common, (s, d) =>
            [new(Describe(s, d), [Make(rng, s, d), Make(rng, [], d)]), new(Describe(s, d, " float value"), [Make(rng, s, d), Make(rng, [], DType.Float64)])]),
        ["aten::cumprod"] = rng => Each([[5], [3, 4], [2, 3, 4], [0, 3]], [DType.Float32, DType.Float64, DType.Int64], (s, d) =>
            Enumerable.Range(-s.Length, 2 * s.Length).Select(dim => new OracleCase(Describe(s, d, $" dim {dim}"), [Make(rng, s, d, -2, 3), (long)dim]))),
        // Divisors kept off zero: an integer // 0 is an error, as in torch.
        ["aten::floor_divide"] = rng => Each(AnyShapes, [DType.Float32, DType.Float64, DType.Int64, DType.Int32], (s, d) =>
            [new(Describe(s, d, " positive divisor"), [Make(rng, s, d, -9, 9), Make(rng, BroadcastableTo(rng, s), d, 1, 4)]),
             new(Describe(s, d, " negative divisor"), [Make(rng, s, d, -9, 9), Make(rng, BroadcastableTo(rng, s), d, -4, -1)])]),
        ["aten::floor_divide.Scalar"] = rng => Each(AnyShapes, [DType.Float32, DType.Float64, DType.Int64], (s, d) => new object[] { 2L, -3L, 2.5 }
            .Select(v => new OracleCase(Describe(s, d, $" other {v}"), [Make(rng, s, d, -9, 9), v]))),
        ["aten::triu"] = rng => Triangle(rng),
        ["aten::tril"] = rng => Triangle(rng),
        ["aten::_native_batch_norm_legit_functional"] = rng => BatchNorm(rng),
        // uint8 rather than bool, which torch's replication pads refuse.
        ["aten::replication_pad1d"] = rng => Each([[3, 5], [2, 3, 5], [2, 1]], [DType.Float32, DType.Float64, DType.Int64, DType.UInt8], (s, d) =>
            from p in new long[][] { [1, 2], [0, 0], [3, 0], [-1, 2] }
            select new OracleCase(Describe(s, d, $" pad [{string.Join(", ", p)}]"), [Make(rng, s, d), p])),
        ["aten::lstm.input"] = rng => Recurrent(rng, "lstm"),
        ["aten::gru.input"] = rng => Recurrent(rng, "gru"),
        ["aten::rnn_tanh.input"] = rng => Recurrent(rng, "rnn_tanh"),
        ["aten::rnn_relu.input"] = rng => Recurrent(rng, "rnn_relu"),
        // int8 matrices over the whole range, k not a multiple of the VNNI kernel's four, columns past its 16-wide blocks.
        ["aten::_int_mm"] = rng =>
            from shape in new (long M, long K, long N)[] { (3, 7, 5), (5, 32, 19), (1, 1, 1) }
            select new OracleCase($"int8 [{shape.M}, {shape.K}] x [{shape.K}, {shape.N}]",
                [Make(rng, [shape.M, shape.K], DType.Int8, -128, 128), Make(rng, [shape.K, shape.N], DType.Int8, -128, 128)]),
        ["aten::one_hot"] = rng => Each([[5], [2, 3], [1]], [DType.Int64], (s, d) =>
            [new(Describe(s, d, " 4 classes"), [Make(rng, s, d, 0, 4), 4L]), new(Describe(s, d, " inferred"), [Make(rng, s, d, 0, 6), -1L]) { Traceable = false }]),
        // histc: a range, one bin, the data's range (min == max), a constant range widened by one; counts must agree exactly.
        ["aten::histc"] = rng => Each([[5], [3, 4], [2, 3, 4], [0]], [DType.Float32, DType.Float64], (s, d) =>
            from r in new (long Bins, double Min, double Max)[] { (7, -1.5, 2.0), (1, -3, 3), (5, 0, 0), (4, 0.25, 0.25) }
            select new OracleCase(Describe(s, d, $" {r.Bins} bins [{r.Min}, {r.Max}]"), [Make(rng, s, d), r.Bins, r.Min, r.Max])),
        ["aten::linspace"] = _ =>
            from c in new (double Start, double End, long Steps)[] { (0, 1, 5), (-1.1, 0.7, 12), (3, -2.5, 9), (0, 1, 1), (0, 1, 0), (0, 10, 4) }
            from dtype in new DType?[] { null, DType.Float64, DType.Int64 }
            select new OracleCase($"{c.Start} to {c.End} in {c.Steps} {dtype}", [c.Start, c.End, c.Steps, dtype]),
        // The four pairings of 2-D and 3-D operands, with an empty group, every row in a group (torch leaves rows past
        // the last end unwritten; GroupedMmTests checks they are zero here), and inner sizes of 16 bytes' multiples in
        // bfloat16 and float32, which torch's CPU kernel requires.
        ["aten::_grouped_mm"] = rng => new[] { DType.Float32, DType.BFloat16 }.SelectMany(d => new OracleCase[]
        {
            new($"rows [7, 8] x [3, 8, 8] {d.TorchName()}", [Make(rng, [7, 8], d), Make(rng, [3, 8, 8], d), Tensor.FromArray(new[] { 2, 2, 7 }, 3), null, null]),
            new($"columns [3, 2, 8] x [8, 16] {d.TorchName()}", [Make(rng, [3, 2, 8], d), Make(rng, [8, 16], d), Tensor.FromArray(new[] { 8, 8, 16 }, 3), null, null]),
            new($"inner [2, 16] x [16, 8] {d.TorchName()}", [Make(rng, [2, 16], d), Make(rng, [16, 8], d), Tensor.FromArray(new[] { 8, 8, 16 }, 3), null, null]),
            new($"batched [3, 2, 8] x [3, 8, 8] {d.TorchName()}", [Make(rng, [3, 2, 8], d), Make(rng, [3, 8, 8], d), null, null, null]),
        }),
        ["aten::add_.Tensor"] = rng => InPlaceBinary(rng, withAlpha: true),
        ["aten::sub_.Tensor"] = rng => InPlaceBinary(rng, withAlpha: true),
        ["aten::mul_.Tensor"] = rng => InPlaceBinary(rng, withAlpha: false),
        ["aten::div_.Tensor"] = rng => InPlaceBinary(rng, withAlpha: false, floatsOnly: true),
        // detach_ (torch's training IR records it on lifted constants) is a no-op without autograd; its generic
        // in-place decomposition (detach, then copy_) must leave self as it was.
        ["aten::detach_"] = rng => Each(AnyShapes, Common, (s, d) => [new(Describe(s, d), [Make(rng, s, d)])]),
        ["aten::relu_"] = rng => Each(AnyShapes, [DType.Float32, DType.Float64, DType.Int64], (s, d) => [new(Describe(s, d), [Make(rng, s, d)])]),
        ["aten::copy_"] = rng => Each(AnyShapes, Common, (s, d) =>
            [new(Describe(s, d), [Make(rng, s, d), Make(rng, BroadcastableTo(rng, s), d)]), new(Describe(s, d, " from float64"), [Make(rng, s, d), Make(rng, BroadcastableTo(rng, s), DType.Float64, 0, 2)])]),
        ["aten::fill_.Scalar"] = rng => Each(AnyShapes, [DType.Float32, DType.Int64, DType.Bool], (s, d) => [new(Describe(s, d), [Make(rng, s, d), d == DType.Bool ? true : 3L])]),
        ["aten::fill_.Tensor"] = rng => Each(AnyShapes, [DType.Float32, DType.Int64], (s, d) => [new(Describe(s, d), [Make(rng, s, d), Make(rng, [], d)])]),
    };

    private static IEnumerable<OracleCase> Factory() =>
        from size in new long[][] { [], [0], [3, 4], [2, 1, 3] }
        from dtype in new DType?[] { null, DType.Float64, DType.Int64, DType.Bool }
        select new OracleCase($"[{string.Join(", ", size)}] {dtype}", [size, dtype]);

    // Integer and float bounds (the dtype follows them unless one is given), an empty range, and a dtype; arange(end) takes the ends.
    private static IEnumerable<OracleCase> Ranges(bool withStart) =>
        from bounds in new (object Start, object End)[] { (0L, 5L), (2L, 7L), (3L, 3L), (0.5, 4.0), (-2L, 1.5) }
        from dtype in new DType?[] { null, DType.Float64 }
        select new OracleCase($"{(withStart ? $"{bounds.Start}, " : "")}{bounds.End} {dtype}", withStart ? [bounds.Start, bounds.End, dtype] : [bounds.End, dtype]);

    private static IEnumerable<OracleCase> Like(Random rng, Agreement agreement = Agreement.Values) => Each(AnyShapes, Common, (s, d) =>
        new DType?[] { null, DType.Int64 }.Select(dt => new OracleCase(Describe(s, d, $" as {dt}"), [Make(rng, s, d), dt], agreement)));

    private static IEnumerable<OracleCase> Activation(Random rng) => Each(AnyShapes, Floats, (s, d) => [new(Describe(s, d), [Make(rng, s, d, -6, 6)])]);

    private static IEnumerable<OracleCase> Triangle(Random rng) => Each([[3, 4], [4, 3], [2, 3, 5], [0, 3], [1, 1]], Common, (s, d) =>
        new long[] { -1, 0, 2 }.Select(k => new OracleCase(Describe(s, d, $" diagonal {k}"), [Make(rng, s, d), k])));

    /// <summary>
    /// lstm.input / gru.input (seq 3, batch 2, input 3, hidden 4): one and two layers, bidirectional, without biases,
    /// batch first, an LSTM with projections (size 2); params per layer and direction w_ih, w_hh, b_ih, b_hh, w_hr.
    /// </summary>
    private static IEnumerable<OracleCase> Recurrent(Random rng, string op)
    {
        bool lstm = op == "lstm";
        var configs = new (long Layers, bool Bidir, bool Bias, bool BatchFirst, long Proj)[]
            { (1, false, true, false, 0), (2, true, true, true, 0), (1, false, false, false, 2), (2, false, false, true, 0) };
        foreach (var (layers, bidir, bias, batchFirst, proj) in configs.Where(c => lstm || c.Proj == 0))
            foreach (var d in new[] { DType.Float32, DType.Float64 })
            {
                long seq = 3, batch = 2, input = 3, hidden = 4, dirs = bidir ? 2 : 1, gates = op switch { "lstm" => 4, "gru" => 3, _ => 1 }, output = proj > 0 ? proj : hidden;
                var ps = new List<Tensor>();
                for (long layer = 0; layer < layers; layer++)
                    for (long dir = 0; dir < dirs; dir++)
                    {
                        ps.Add(Make(rng, [gates * hidden, layer == 0 ? input : dirs * output], d, -1, 1));
                        ps.Add(Make(rng, [gates * hidden, output], d, -1, 1));
                        if (bias) ps.AddRange([Make(rng, [gates * hidden], d, -1, 1), Make(rng, [gates * hidden], d, -1, 1)]);
                        if (proj > 0) ps.Add(Make(rng, [output, hidden], d, -1, 1));
                    }
                var x = Make(rng, batchFirst ? [batch, seq, input] : [seq, batch, input], d, -1, 1);
                var h0 = Make(rng, [layers * dirs, batch, output], d, -1, 1);
                object hx = lstm ? new[] { h0, Make(rng, [layers * dirs, batch, hidden], d, -1, 1) } : h0;
                yield return new OracleCase(Describe(x.Shape.ToLongs(), d, $" layers {layers} bidirectional {bidir} bias {bias} batch_first {batchFirst} proj {proj}"),
                    [x, hx, ps.ToArray(), bias, layers, 0.0, false, bidir, batchFirst]);
            }
    }

    private static IEnumerable<OracleCase> BatchNorm(Random rng) =>
        from shape in new long[][] { [4, 3], [2, 3, 5], [2, 3, 4, 4] }
        from dtype in new[] { DType.Float32, DType.Float64 }
        from affine in new[] { true, false }
        from training in new[] { true, false }
        select new OracleCase(Describe(shape, dtype, $" affine {affine} training {training}"),
        [
            Make(rng, shape, dtype), affine ? Make(rng, [3], dtype) : null, affine ? Make(rng, [3], dtype) : null,
            Make(rng, [3], dtype, -1, 1), Make(rng, [3], dtype, 0.5, 2), training, 0.1, 1e-5,
        ]);

    private static IEnumerable<OracleCase> InPlaceBinary(Random rng, bool withAlpha, bool floatsOnly = false) =>
        Each(AnyShapes, floatsOnly ? [DType.Float32, DType.Float64] : [DType.Float32, DType.Float64, DType.Int64], (s, d) =>
        {
            var cases = new List<OracleCase> { new(Describe(s, d), [Make(rng, s, d), Make(rng, BroadcastableTo(rng, s), d, 0.5, 3)]) };
            if (withAlpha) cases.Add(new(Describe(s, d, " alpha 2"), [Make(rng, s, d), Make(rng, BroadcastableTo(rng, s), d), 2L]));
            cases.Add(new(Describe(s, d, " scalar"), [Make(rng, s, d), 2L]));
            return cases;
        });
}

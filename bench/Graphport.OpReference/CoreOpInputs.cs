using Graphport.Tests.OpOracle;

namespace Graphport.OpReference;

/// <summary>
/// Seeded calls of every Core ATen op for the torch reference check: a handful of shapes (sizes 0 and 1,
/// broadcasting), the dtypes torch accepts (and some it rejects, to see that we reject them too), the scalar kinds
/// (int vs float) that change result dtypes, and edge values (NaN, ±inf, -0.0, halves for rounding). Inputs of ops
/// whose results depend on which of equal elements wins (sort, max.dim, scatter.src, index_put) have no ties.
/// </summary>
internal static class CoreOpInputs
{
    private static readonly DType F32 = DType.Float32, F64 = DType.Float64, F16 = DType.Float16, BF16 = DType.BFloat16;
    private static readonly DType I64 = DType.Int64, I32 = DType.Int32, I8 = DType.Int8, U8 = DType.UInt8, B = DType.Bool;

    private static readonly long[][] UnaryShapes = [[], [0], [5], [3, 4]];
    private static readonly DType[] AllFloats = [F32, F64, F16, BF16];

    /// <summary>Core ops no case is written for, and why.</summary>
    public static IReadOnlyDictionary<string, string> Uncovered { get; } = new Dictionary<string, string>
    {
        ["aten::_fft_c2r"] = "its input is a complex tensor, which Graphport has no dtype for",
    };

    public static IReadOnlyList<OracleCase>? For(string op) =>
        Table.TryGetValue(op, out var make) ? make(new Random(StableSeed(op))).ToList() : null;

    public static IEnumerable<string> Ops => Table.Keys;

    private static int StableSeed(string s) => s.Aggregate(29, (h, c) => unchecked(h * 31 + c));

    private static Tensor M(Random rng, long[] shape, DType dtype, double lo = -3, double hi = 3) => OracleInputs.Make(rng, shape, dtype, lo, hi);

    private static string D(long[] shape, DType dtype, string extra = "") => $"[{string.Join(", ", shape)}] {ValueJson.DTypeName(dtype)}{extra}";

    private static string L(long[] values) => $"[{string.Join(", ", values)}]";

    private static OracleCase V(string description, params object?[] args) => new(description, args);

    private static OracleCase S(string description, params object?[] args) => new(description, args, Agreement.ShapeAndDType);

    private static IEnumerable<OracleCase> Each(long[][] shapes, DType[] dtypes, Func<long[], DType, IEnumerable<OracleCase>> make) =>
        from s in shapes from d in dtypes from c in make(s, d) select c;

    /// <summary>NaN, infinities, signed zeros, halves (round to even) and huge/tiny values.</summary>
    private static Tensor Special(DType dtype) =>
        Tensor.FromArray(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 1e-30, 1e30, 100, -100 }, 16).To(dtype);

    /// <summary>Edge values without ties (no -0.0 beside 0.0), for sorts and top-k.</summary>
    private static Tensor Distinct(DType dtype) =>
        Tensor.FromArray(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, 1, -1, 0.5, -0.5, 2.5, -2.5, 0.001, 100 }, 12).To(dtype);

    /// <summary>Pairs of edge values for binary ops: NaN against numbers, inf against inf, zero divisors, signed zeros.</summary>
    private static (Tensor A, Tensor B) SpecialPair(DType dtype) => (
        Tensor.FromArray(new[] { double.NaN, 1, double.PositiveInfinity, double.PositiveInfinity, 0.0, -0.0, 1, -1, 2.5, -2.5, 0.0, 7 }, 12).To(dtype),
        Tensor.FromArray(new[] { 1, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, 0.0, 0.0, -0.0, -1.5, 2, -0.0, 2 }, 12).To(dtype));

    /// <summary>Integers from {-3, -2, -1, 1, 2, 3}: divisors that never raise division by zero.</summary>
    private static Tensor NonZeroInts(Random rng, long[] shape, DType dtype)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var values = Enumerable.Range(0, (int)n).Select(_ => (long)(rng.Next(1, 4) * (rng.Next(2) == 0 ? -1 : 1))).ToArray();
        return Tensor.FromArray(values, shape).To(dtype);
    }

    /// <summary>Distinct integers (a shuffled range) so sorts and arg-reductions have one answer.</summary>
    private static Tensor DistinctInts(Random rng, long[] shape, DType dtype)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var values = Enumerable.Range(0, (int)n).Select(i => (long)(i * 3 - n)).OrderBy(_ => rng.Next()).ToArray();
        return Tensor.FromArray(values, shape).To(dtype);
    }

    /// <summary>An int64 index whose entries along <paramref name="dim"/> are distinct (so scatter and index_put are deterministic).</summary>
    private static Tensor UniqueIndex(Random rng, long[] shape, int dim, long size)
    {
        var result = new long[shape.Aggregate(1L, (a, b) => a * b)];
        long rows = shape[0], cols = shape[1];
        int lines = (int)(dim == 0 ? cols : rows), count = (int)(dim == 0 ? rows : cols);
        for (int line = 0; line < lines; line++)
        {
            var perm = Enumerable.Range(0, (int)size).OrderBy(_ => rng.Next()).Take(count).ToArray();
            for (int k = 0; k < count; k++)
                result[dim == 0 ? k * cols + line : line * cols + k] = perm[k];
        }
        return Tensor.FromArray(result, shape);
    }

    private static Tensor Longs(params long[] values) => Tensor.FromArray(values, values.Length);

    private static Tensor[] Multi(string op, params object?[] args) => (Tensor[])Torch.Ops[op].Call(args)!;

    private static Tensor One(string op, params object?[] args) => (Tensor)Torch.Ops[op].Call(args)!;

    // ---- families -------------------------------------------------------------------------------------------

    /// <summary>Unary math: every float dtype, ints and bools (which torch promotes to float32), and the edge values.</summary>
    private static Func<Random, IEnumerable<OracleCase>> FloatUnary(double lo, double hi) => rng =>
        Each(UnaryShapes, [F32, F64, F16, BF16, I64, B], (s, d) => [V(D(s, d), M(rng, s, d, lo, hi))])
            .Concat([V("special float32", Special(F32)), V("special float64", Special(F64))]);

    /// <summary>Unary ops defined on integers too (abs, neg, rounding, sign).</summary>
    private static Func<Random, IEnumerable<OracleCase>> AnyUnary(params DType[] extra) => rng =>
        Each(UnaryShapes, [F32, F64, F16, BF16, I64, .. extra], (s, d) => [V(D(s, d), M(rng, s, d))])
            .Concat([V("special float32", Special(F32)), V("special float16", Special(F16))]);

    private static readonly long[][][] BinaryShapes = [[[3, 4], [3, 4]], [[2, 1, 3], [4, 1]], [[], [5]], [[5], []], [[0, 3], [1, 3]]];

    private static readonly (DType, DType)[] ArithmeticPairs =
        [(F32, F32), (F64, F64), (F16, F16), (BF16, BF16), (I64, I64), (I32, I32), (I64, F32), (F32, F64), (I32, I64), (U8, I8), (B, F32)];

    /// <summary>Tensor-tensor ops over broadcasting shapes and dtype pairs (type promotion), plus the edge-value pair.</summary>
    private static Func<Random, IEnumerable<OracleCase>> Binary((DType, DType)[] pairs, bool nonZeroIntDivisor = false, bool nonNegativeIntExponent = false,
        Func<Tensor, Tensor, object?[]>? extra = null) => rng =>
    {
        var cases = new List<OracleCase>();
        foreach (var shapes in BinaryShapes)
        {
            foreach (var (da, db) in pairs)
            {
                var a = M(rng, shapes[0], da);
                var b = !db.IsFloatingPoint() && db != B && nonZeroIntDivisor ? NonZeroInts(rng, shapes[1], db)
                    : !db.IsFloatingPoint() && nonNegativeIntExponent ? M(rng, shapes[1], db, 0, 4)
                    : M(rng, shapes[1], db);
                string description = $"{L(shapes[0])} {ValueJson.DTypeName(da)} with {L(shapes[1])} {ValueJson.DTypeName(db)}";
                cases.Add(V(description, [a, b, .. extra?.Invoke(a, b) ?? []]));
            }
        }
        if (pairs.Any(p => p.Item1.IsFloatingPoint()))
        {
            var (x, y) = SpecialPair(F32);
            cases.Add(V("special float32", [x, y, .. extra?.Invoke(x, y) ?? []]));
        }
        return cases;
    };

    private static readonly (DType, DType)[] ComparePairs = [(F32, F32), (F64, F32), (I64, I64), (I64, F32), (B, B), (F16, F16), (BF16, F32), (I32, I8)];
    private static readonly (DType, DType)[] LogicalPairs = [(F32, F32), (I64, I64), (B, B), (B, F32), (I32, B), (F16, F16)];
    private static readonly (DType, DType)[] BitwisePairs = [(I64, I64), (I32, I64), (B, B), (U8, U8), (B, I64), (I8, I8), (F32, F32)];

    /// <summary>Integer inputs in [0, 2) cast to the dtype, so zeros (false) are common.</summary>
    private static Func<Random, IEnumerable<OracleCase>> LogicalBinary() => rng =>
        from shapes in BinaryShapes
        from pair in LogicalPairs
        select V($"{L(shapes[0])} {ValueJson.DTypeName(pair.Item1)} with {L(shapes[1])} {ValueJson.DTypeName(pair.Item2)}",
            M(rng, shapes[0], I64, 0, 2).To(pair.Item1), M(rng, shapes[1], I64, 0, 2).To(pair.Item2));

    /// <summary>Tensor-scalar ops: int, float and bool scalars against float, int, bool and half tensors.</summary>
    private static Func<Random, IEnumerable<OracleCase>> ScalarBinary(object[] scalars, DType[] dtypes, bool withAlpha = false) => rng =>
    {
        var cases = new List<OracleCase>();
        foreach (var d in dtypes)
        {
            foreach (var scalar in scalars)
            {
                var x = M(rng, [3, 4], d);
                cases.Add(V($"[3, 4] {ValueJson.DTypeName(d)} with {scalar} ({scalar.GetType().Name})", x, scalar));
            }
        }
        cases.Add(V("0-dim float32 with 2", M(rng, [], F32), 2L));
        cases.Add(V("special float32 with 0.0", Special(F32), 0.0));
        cases.Add(V("special float32 with -1.5", Special(F32), -1.5));
        if (withAlpha)
        {
            cases.Add(V("float32 with 1.5 alpha 2", M(rng, [3, 4], F32), 1.5, 2L));
            cases.Add(V("int64 with 2 alpha 3", M(rng, [3, 4], I64), 2L, 3L));
            cases.Add(V("int64 with 2 alpha 0.5 (rejected)", M(rng, [3, 4], I64), 2L, 0.5));
        }
        return cases;
    };

    private static Func<Random, IEnumerable<OracleCase>> DivisionByScalar(bool withMode) => rng =>
    {
        var cases = new List<OracleCase>();
        string?[] modes = withMode ? ["floor", "trunc", null] : [null];
        foreach (var mode in modes)
        {
            foreach (var (d, divisor) in new (DType, object)[] { (F32, 2L), (F32, -1.5), (F64, 0.0), (I64, 2L), (I64, -2L), (I64, 2.5), (I32, 3L), (F16, 3L), (B, 2L) })
            {
                object?[] args = withMode ? [M(rng, [3, 4], d), divisor, mode] : [M(rng, [3, 4], d), divisor];
                cases.Add(V($"[3, 4] {ValueJson.DTypeName(d)} by {divisor} mode {mode ?? "none"}", args));
            }
            object?[] special = withMode ? [Special(F32), -1.5, mode] : [Special(F32), -1.5];
            cases.Add(V($"special float32 by -1.5 mode {mode ?? "none"}", special));
            if (withMode) cases.Add(V($"int64 by 0 mode {mode ?? "none"} (torch raises ZeroDivisionError for floor/trunc)", M(rng, [4], I64), 0L, mode));
        }
        return cases;
    };

    /// <summary>Reductions over a list of dims: all dims (null and []), one dim, two dims, with and without keepdim.</summary>
    private static Func<Random, IEnumerable<OracleCase>> DimListReduction(DType[] dtypes, bool withDType, double lo = -3, double hi = 3) => rng =>
    {
        var cases = new List<OracleCase>();
        foreach (var d in dtypes)
        {
            foreach (var dims in new long[]?[] { null, [], [1], [0, -1] })
            {
                foreach (var keep in new[] { false, true })
                    cases.Add(V(D([3, 4], d, $" dims {(dims is null ? "None" : L(dims))} keepdim {keep}"), M(rng, [3, 4], d, lo, hi), dims, keep));
            }
            cases.Add(V(D([2, 0, 3], d, " dims [1]"), M(rng, [2, 0, 3], d), new long[] { 1 }, false));
            cases.Add(V(D([], d, " dims None"), M(rng, [], d, lo, hi), null, false));
        }
        if (withDType) cases.Add(V("[3, 4] int64 as float64", M(rng, [3, 4], I64), new long[] { 1 }, false, F64));
        return cases;
    };

    private static Func<Random, IEnumerable<OracleCase>> MinMaxReduction() => rng =>
    {
        var cases = new List<OracleCase>();
        foreach (var d in new[] { F32, F64, I64, B, F16 })
        {
            foreach (var dims in new long[][] { [], [1], [0, -1] })
                cases.Add(V(D([3, 4], d, $" dims {L(dims)}"), M(rng, [3, 4], d), dims, dims.Length == 1));
        }
        cases.Add(V("special float32 dim 0", Special(F32).Reshape(4, 4), new long[] { 0 }));
        cases.Add(V("[2, 0, 3] float32 dim 2", M(rng, [2, 0, 3], F32), new long[] { 2 }));
        return cases;
    };

    private static Func<Random, IEnumerable<OracleCase>> ArgReduction() => rng =>
    [
        V("[3, 4] float32 dim None", M(rng, [3, 4], F32)),
        V("[3, 4] float32 dim 1", M(rng, [3, 4], F32), 1L),
        V("[3, 4] float64 dim 0 keepdim", M(rng, [3, 4], F64), 0L, true),
        V("[3, 4] int64 with ties dim 1 (first index wins)", M(rng, [3, 4], I64, 0, 2), 1L),
        V("[5] float32 dim -1", M(rng, [5], F32), -1L),
        V("[] float32 dim None", M(rng, [], F32)),
        V("[] float32 dim 0", M(rng, [], F32), 0L),
        V("special float32 (NaN wins)", Special(F32)),
        V("[0] float32 (rejected)", M(rng, [0], F32)),
        V("[2, 0] float32 dim 0", M(rng, [2, 0], F32), 0L),
    ];

    private static Func<Random, IEnumerable<OracleCase>> ValuesAndIndices() => rng =>
    [
        V("[3, 4] float32 dim 1", M(rng, [3, 4], F32), 1L),
        V("[3, 4] float64 dim 0 keepdim", M(rng, [3, 4], F64), 0L, true),
        V("[2, 3, 4] float32 dim -1", M(rng, [2, 3, 4], F32), -1L),
        V("[3, 4] int64 distinct dim 1", DistinctInts(rng, [3, 4], I64), 1L),
        V("[3, 4] int64 with ties dim 1 (first index wins)", M(rng, [3, 4], I64, 0, 2), 1L),
        V("[] float32 dim 0", M(rng, [], F32), 0L),
        V("special float32 dim 0 (NaN wins)", Special(F32).Reshape(4, 4), 0L),
        V("[5] bool dim 0", Tensor.FromArray(new[] { false, true, false, true, false }, 5), 0L),
    ];

    private static Func<Random, IEnumerable<OracleCase>> Softmax() => rng =>
    [
        V("[3, 4] float32 dim 1", M(rng, [3, 4], F32), 1L, false),
        V("[3, 4] float64 dim 0", M(rng, [3, 4], F64), 0L, false),
        V("[2, 3, 4] float32 dim -1", M(rng, [2, 3, 4], F32, -20, 20), -1L, false),
        V("[2, 3, 4] float32 dim 1", M(rng, [2, 3, 4], F32), 1L, false),
        V("[0, 3] float32 dim 1", M(rng, [0, 3], F32), 1L, false),
        V("[] float32 dim 0", M(rng, [], F32), 0L, false),
        V("[3, 4] float16 dim 1", M(rng, [3, 4], F16), 1L, false),
        V("[3, 4] bfloat16 dim 1", M(rng, [3, 4], BF16), 1L, false),
        V("special float32 dim 0", Special(F32).Reshape(4, 4), 0L, false),
        V("[3, 4] float16 half_to_float (CUDA only in torch)", M(rng, [3, 4], F16), 1L, true),
    ];

    private static IEnumerable<OracleCase> Comparison(Random rng, bool tensorOther)
    {
        if (tensorOther)
        {
            foreach (var c in Binary(ComparePairs)(rng)) yield return c;
            yield break;
        }
        foreach (var (d, scalar) in new (DType, object)[] { (F32, 0L), (F32, 0.5), (I64, 1L), (I64, 0.5), (B, true), (B, 0L), (F16, 1.0), (BF16, -1L), (I32, 2L) })
            yield return V($"[3, 4] {ValueJson.DTypeName(d)} with {scalar}", M(rng, [3, 4], d), scalar);
        yield return V("special float32 with 0.0", Special(F32), 0.0);
        yield return V("special float32 with inf", Special(F32), double.PositiveInfinity);
        yield return V("special float32 with nan", Special(F32), double.NaN);
    }

    // ---- the table ------------------------------------------------------------------------------------------

    private static readonly Dictionary<string, Func<Random, IEnumerable<OracleCase>>> Table = new()
    {
        // Unary math
        ["aten::acos"] = FloatUnary(-1.2, 1.2),
        ["aten::acosh"] = FloatUnary(0.5, 4),
        ["aten::asin"] = FloatUnary(-1.2, 1.2),
        ["aten::asinh"] = FloatUnary(-3, 3),
        ["aten::atan"] = FloatUnary(-3, 3),
        ["aten::atanh"] = FloatUnary(-1.2, 1.2),
        ["aten::cos"] = FloatUnary(-4, 4),
        ["aten::cosh"] = FloatUnary(-4, 4),
        ["aten::erf"] = FloatUnary(-3, 3),
        ["aten::exp"] = FloatUnary(-5, 5),
        ["aten::expm1"] = FloatUnary(-3, 3),
        ["aten::log"] = FloatUnary(-0.5, 4),
        ["aten::log10"] = FloatUnary(-0.5, 4),
        ["aten::log1p"] = FloatUnary(-1.5, 4),
        ["aten::log2"] = FloatUnary(-0.5, 4),
        ["aten::reciprocal"] = FloatUnary(-3, 3),
        ["aten::rsqrt"] = FloatUnary(-1, 4),
        ["aten::sigmoid"] = FloatUnary(-6, 6),
        ["aten::sin"] = FloatUnary(-4, 4),
        ["aten::sinh"] = FloatUnary(-3, 3),
        ["aten::sqrt"] = FloatUnary(-1, 4),
        ["aten::tan"] = FloatUnary(-1.5, 1.5),
        ["aten::tanh"] = FloatUnary(-4, 4),
        ["aten::abs"] = AnyUnary(I32, I8, B),
        ["aten::neg"] = AnyUnary(I32, B),
        ["aten::sign"] = AnyUnary(I32, B),
        ["aten::ceil"] = AnyUnary(I32, B),
        ["aten::floor"] = AnyUnary(I32, B),
        ["aten::round"] = AnyUnary(I32),
        ["aten::trunc"] = AnyUnary(I32),
        ["aten::relu"] = AnyUnary(I32, B),
        ["aten::bitwise_not"] = rng => Each(UnaryShapes, [I64, I32, U8, I8, B, F32], (s, d) => [V(D(s, d), M(rng, s, d, -100, 100))]),
        ["aten::logical_not"] = rng => Each(UnaryShapes, [F32, I64, B, F16], (s, d) => [V(D(s, d), M(rng, s, I64, 0, 2).To(d))])
            .Append(V("special float32", Special(F32))),
        ["aten::isinf"] = rng => Each([[5], [3, 4]], [F32, F64, I64, B], (s, d) => [V(D(s, d), M(rng, s, d))])
            .Concat([V("special float32", Special(F32)), V("special float16", Special(F16)), V("special bfloat16", Special(BF16))]),
        ["aten::isnan"] = rng => Each([[5], [3, 4]], [F32, F64, I64, B], (s, d) => [V(D(s, d), M(rng, s, d))])
            .Concat([V("special float32", Special(F32)), V("special float16", Special(F16))]),

        // Activations with parameters
        ["aten::gelu"] = rng => Each(UnaryShapes, AllFloats, (s, d) => new[] { "none", "tanh" }.Select(a => V(D(s, d, $" {a}"), M(rng, s, d, -5, 5), a)))
            .Append(V("special float32", Special(F32))).Append(V("int64 (rejected)", M(rng, [4], I64)))
            // torch hands contiguous float32/bfloat16 tensors of 2+ elements to oneDNN, where +inf gives NaN and
            // x > float.MaxValue / 2 overflows; one element (or float16) takes torch's own kernel.
            .Concat([V("special bfloat16", Special(BF16)), V("special float16", Special(F16)),
                V("[1] float32 inf", Tensor.FromArray(new[] { double.PositiveInfinity }, 1).To(F32)),
                V("[4] float32 near float.MaxValue", Tensor.FromArray(new[] { 1.7e38, 1.71e38, 3.4e38, -3.4e38 }, 4).To(F32)),
                V("bool (rejected)", M(rng, [3], B))]),
        ["aten::elu"] = rng => Each([[5], [3, 4]], AllFloats, (s, d) => [V(D(s, d), M(rng, s, d)), V(D(s, d, " alpha 0.5 scale 2 input_scale 1.5"), M(rng, s, d), 0.5, 2.0, 1.5)])
            .Append(V("special float32 alpha 2 (int)", Special(F32), 2L)),
        ["aten::hardtanh"] = rng => Each([[5], [3, 4]], [F32, F64, F16, I64], (s, d) =>
            [V(D(s, d), M(rng, s, d)), V(D(s, d, " [0, 6]"), M(rng, s, d, -8, 8), 0L, 6L), V(D(s, d, " [-0.5, 0.5]"), M(rng, s, d), -0.5, 0.5)])
            .Append(V("special float32", Special(F32))),
        ["aten::leaky_relu"] = rng => Each([[5], [3, 4], []], AllFloats, (s, d) => [V(D(s, d), M(rng, s, d)), V(D(s, d, " slope 0.2"), M(rng, s, d), 0.2)])
            .Append(V("special float32", Special(F32))),

        // Tensor-tensor arithmetic
        ["aten::add.Tensor"] = rng => Binary(ArithmeticPairs.Append((B, B)).ToArray())(rng).Concat(
        [
            V("int64 + int64 alpha 0.5 (rejected)", M(rng, [3], I64), M(rng, [3], I64), 0.5), V("int64 + float32 alpha 0.5", M(rng, [3], I64), M(rng, [3], F32), 0.5),
            V("float32 + float32 alpha true (rejected)", M(rng, [3], F32), M(rng, [3], F32), true), V("bool + bool alpha true", M(rng, [3], B), M(rng, [3], B), true),
        ]),
        ["aten::sub.Tensor"] = rng => Binary(ArithmeticPairs)(rng).Concat(Binary([(F32, F32), (I64, I64)], extra: (_, _) => [2L])(rng))
            .Append(V("bool - bool (rejected)", M(rng, [3], B), M(rng, [3], B))),
        ["aten::mul.Tensor"] = Binary(ArithmeticPairs.Append((B, B)).ToArray()),
        ["aten::div.Tensor"] = Binary(ArithmeticPairs),
        ["aten::div.Tensor_mode"] = rng => new[] { "floor", "trunc" }.SelectMany(mode => Binary(ArithmeticPairs, nonZeroIntDivisor: true, extra: (_, _) => [mode])(rng))
            .Concat(Binary([(F32, F32), (I64, I64)], nonZeroIntDivisor: true, extra: (_, _) => [null])(rng))
            .Append(V("int64 by zero floor (torch raises ZeroDivisionError)", M(rng, [3], I64), Longs(1, 0, 2), "floor")),
        ["aten::fmod.Tensor"] = rng => Binary(ArithmeticPairs, nonZeroIntDivisor: true)(rng)
            .Append(V("int64 by zero (torch raises ZeroDivisionError)", M(rng, [3], I64), Longs(1, 0, 2))),
        ["aten::remainder.Tensor"] = rng => Binary(ArithmeticPairs, nonZeroIntDivisor: true)(rng)
            .Append(V("int64 by zero (torch raises ZeroDivisionError)", M(rng, [3], I64), Longs(1, 0, 2))),
        ["aten::atan2"] = Binary([(F32, F32), (F64, F64), (F16, F16), (I64, I64), (I64, F32), (F32, F64)]),
        ["aten::maximum"] = Binary([(F32, F32), (F64, F64), (F16, F16), (I64, I64), (I64, F32), (B, B), (I32, I64)]),
        ["aten::minimum"] = Binary([(F32, F32), (F64, F64), (F16, F16), (I64, I64), (I64, F32), (B, B), (I32, I64)]),
        ["aten::pow.Tensor_Tensor"] = rng => Binary([(F32, F32), (F64, F64), (F16, F16), (I64, I64), (I64, F32), (F32, I64), (I32, I32)], nonNegativeIntExponent: true)(rng)
            .Append(V("int64 to a negative int64 power (rejected)", Longs(2, 3), Longs(-1, 2))),

        // Comparisons and logic
        ["aten::eq.Tensor"] = rng => Comparison(rng, true),
        ["aten::ne.Tensor"] = rng => Comparison(rng, true),
        ["aten::lt.Tensor"] = rng => Comparison(rng, true),
        ["aten::le.Tensor"] = rng => Comparison(rng, true),
        ["aten::gt.Tensor"] = rng => Comparison(rng, true),
        ["aten::ge.Tensor"] = rng => Comparison(rng, true),
        ["aten::eq.Scalar"] = rng => Comparison(rng, false),
        ["aten::ne.Scalar"] = rng => Comparison(rng, false),
        ["aten::lt.Scalar"] = rng => Comparison(rng, false),
        ["aten::le.Scalar"] = rng => Comparison(rng, false),
        ["aten::gt.Scalar"] = rng => Comparison(rng, false),
        ["aten::ge.Scalar"] = rng => Comparison(rng, false),
        ["aten::logical_and"] = LogicalBinary(),
        ["aten::logical_or"] = LogicalBinary(),
        ["aten::logical_xor"] = LogicalBinary(),
        ["aten::bitwise_and.Tensor"] = rng => BitwiseTensor(rng),
        ["aten::bitwise_or.Tensor"] = rng => BitwiseTensor(rng),
        ["aten::bitwise_xor.Tensor"] = rng => BitwiseTensor(rng),
        ["aten::bitwise_and.Scalar"] = rng => BitwiseScalar(rng),
        ["aten::bitwise_or.Scalar"] = rng => BitwiseScalar(rng),
        ["aten::bitwise_xor.Scalar"] = rng => BitwiseScalar(rng),

        // Tensor-scalar arithmetic
        ["aten::add.Scalar"] = ScalarBinary([2L, 2.5, true], [F32, F64, I64, I32, F16, BF16, B], withAlpha: true),
        ["aten::sub.Scalar"] = ScalarBinary([2L, 2.5], [F32, F64, I64, I32, F16, BF16], withAlpha: true),
        ["aten::mul.Scalar"] = ScalarBinary([2L, -2.5, true], [F32, F64, I64, I32, F16, BF16, B]),
        ["aten::div.Scalar"] = DivisionByScalar(withMode: false),
        ["aten::div.Scalar_mode"] = DivisionByScalar(withMode: true),
        ["aten::fmod.Scalar"] = rng => ScalarBinary([3L, -1.5, 0.0], [F32, F64, F16])(rng)
            .Concat([V("int64 by 3", M(rng, [3, 4], I64, -9, 9), 3L), V("int64 by -3", M(rng, [3, 4], I64, -9, 9), -3L), V("int64 by 2.5", M(rng, [3, 4], I64), 2.5)]),
        ["aten::remainder.Scalar"] = rng => ScalarBinary([3L, -1.5, 0.0], [F32, F64, F16])(rng)
            .Concat([V("int64 by 3", M(rng, [3, 4], I64, -9, 9), 3L), V("int64 by -3", M(rng, [3, 4], I64, -9, 9), -3L), V("int64 by 2.5", M(rng, [3, 4], I64), 2.5)]),
        ["aten::pow.Tensor_Scalar"] = rng => new (DType, object)[] { (F32, 2L), (F32, 0.5), (F32, -1L), (F32, 3.0), (F32, 0L), (F64, -2.5), (F16, 2L), (BF16, 3L), (I64, 2L), (I64, 0.5), (I32, 3L), (B, 2L) }
            .Select(p => V($"[3, 4] {ValueJson.DTypeName(p.Item1)} to {p.Item2}", M(rng, [3, 4], p.Item1, p.Item1.IsFloatingPoint() ? -3 : 0, 4), p.Item2))
            .Concat([V("special float32 to 0.5", Special(F32), 0.5), V("special float32 to -2", Special(F32), -2L), V("special float32 to 0", Special(F32), 0L),
                V("int64 to -1 (rejected)", Longs(1, 2, 3), -1L)]),
        ["aten::pow.Scalar"] = rng => new (object, DType)[] { (2L, I64), (2.5, I64), (2L, F32), (-2.0, F32), (3L, F64), (2L, F16), (true, I64), (0L, F32) }
            .Select(p => V($"{p.Item1} to [3, 4] {ValueJson.DTypeName(p.Item2)}", p.Item1, M(rng, [3, 4], p.Item2, p.Item2.IsFloatingPoint() ? -3 : 0, 4)))
            .Append(V("2 to special float32", 2L, Special(F32))),
        ["aten::clamp"] = rng =>
        [
            V("float32 [-1, 1]", M(rng, [3, 4], F32), -1.0, 1.0), V("float32 max 0.5", M(rng, [3, 4], F32), null, 0.5),
            V("float32 min 1 (int)", M(rng, [3, 4], F32), 1L), V("int64 [-1, 1]", M(rng, [3, 4], I64), -1L, 1L),
            V("int64 min 0.5 (float result)", M(rng, [3, 4], I64), 0.5), V("float32 min > max", M(rng, [3, 4], F32), 1.0, -1.0),
            V("float16 [-1, 2]", M(rng, [3, 4], F16), -1L, 2L), V("special float32 [-1, 1]", Special(F32), -1.0, 1.0),
            V("float32 min nan", M(rng, [4], F32), double.NaN), V("[0] float32", M(rng, [0], F32), 0.0, 1.0),
            V("no bounds (rejected)", M(rng, [3], F32), null, null), V("bool [0, 1]", M(rng, [4], B), false, true),
            V("bool [0, 1] (int bounds: int64)", M(rng, [4], B), 0L, 1L), V("bool max true (rejected)", M(rng, [4], B), null, true),
        ],
        ["aten::clamp.Tensor"] = rng =>
        [
            V("float32 with broadcast bounds", M(rng, [3, 4], F32), M(rng, [4], F32, -2, 0), M(rng, [3, 1], F32, 0, 2)),
            V("float32 min only", M(rng, [3, 4], F32), M(rng, [3, 4], F32), null),
            V("float32 max only", M(rng, [3, 4], F32), null, M(rng, [], F32)),
            V("int64 with float32 min", M(rng, [5], I64), M(rng, [1], F32), null),
            V("bounds broadcast the result", M(rng, [3], F32), M(rng, [2, 1], F32), null),
            V("int64 with int64 bounds", M(rng, [5], I64), Longs(-1), Longs(2)),
            V("special float32", Special(F32), Tensor.FromArray(new float[] { 0f }, 1), Tensor.FromArray(new float[] { float.NaN }, 1)),
        ],
        ["aten::fill.Scalar"] = rng =>
        [
            V("float32 with 2", M(rng, [3, 4], F32), 2L), V("float32 with nan", M(rng, [3], F32), double.NaN),
            V("int64 with 2.5", M(rng, [3, 4], I64), 2.5), V("int64 with -2.5", M(rng, [3], I64), -2.5), V("bool with 2", M(rng, [3], B), 2L),
            V("float16 with 1e5 (overflow)", M(rng, [3], F16), 1e5), V("[] int32 with true", M(rng, [], I32), true), V("[0] float32", M(rng, [0], F32), 1.0),
            V("uint8 with 300", M(rng, [2], U8, 0, 9), 300L),
            V("uint8 with -1 (wraps)", M(rng, [2], U8, 0, 9), -1L), V("uint8 with -256 (overflow)", M(rng, [2], U8, 0, 9), -256L),
            V("uint8 with 255.9", M(rng, [2], U8, 0, 9), 255.9), V("uint8 with -0.5 (overflow)", M(rng, [2], U8, 0, 9), -0.5),
            V("int8 with 127.9", M(rng, [2], I8), 127.9), V("int8 with 128.0 (overflow)", M(rng, [2], I8), 128.0),
            V("float16 with 65504", M(rng, [2], F16), 65504.0), V("float16 with inf", M(rng, [2], F16), double.PositiveInfinity),
            V("float32 with 1e39 (overflow)", M(rng, [2], F32), 1e39), V("bfloat16 with 1e38", M(rng, [2], BF16), 1e38),
            V("int64 with nan (overflow)", M(rng, [2], I64), double.NaN), V("int64 with 2^53 + 1", M(rng, [2], I64), (1L << 53) + 1),
            V("bool with 1e39", M(rng, [2], B), 1e39),
        ],
        ["aten::where.self"] = rng =>
        [
            V("float32", M(rng, [3, 4], B), M(rng, [3, 4], F32), M(rng, [3, 4], F32)),
            V("broadcast", M(rng, [3, 1], B), M(rng, [4], F32), M(rng, [], F32)),
            V("float32 and float64", M(rng, [5], B), M(rng, [5], F32), M(rng, [5], F64)),
            V("int64 and float32", M(rng, [5], B), M(rng, [5], I64), M(rng, [5], F32)),
            V("bool and bool", M(rng, [5], B), M(rng, [5], B), M(rng, [5], B)),
            V("0-dim float64 other with float32", M(rng, [5], B), M(rng, [5], F32), M(rng, [], F64)),
            V("int64 condition (rejected)", M(rng, [5], I64, 0, 2), M(rng, [5], F32), M(rng, [5], F32)),
            V("[0] float32", M(rng, [0], B), M(rng, [0], F32), M(rng, [1], F32)),
        ],

        // Reductions
        ["aten::amax"] = MinMaxReduction(),
        ["aten::amin"] = MinMaxReduction(),
        ["aten::any"] = rng => Each([[], [0], [5], [3, 4]], [F32, I64, B, F16], (s, d) => [V(D(s, d), M(rng, s, I64, 0, 2).To(d)), V(D(s, d, " zeros"), M(rng, s, I64, 0, 1).To(d))])
            .Append(V("special float32 (NaN is true)", Special(F32)))
            .Append(V("[3, 4] uint8 (uint8 result)", M(rng, [3, 4], I64, 0, 3).To(U8))),
        ["aten::any.dim"] = rng => Each([[3, 4], [2, 0]], [F32, I64, B], (s, d) =>
            from dim in new long[] { 0, -1 } from keep in new[] { false, true } select V(D(s, d, $" dim {dim} keepdim {keep}"), M(rng, s, I64, 0, 2).To(d), dim, keep))
            .Append(V("[] bool dim 0", M(rng, [], B), 0L)),
        ["aten::any.dims"] = rng => Each([[3, 4], [2, 3, 2]], [F32, B], (s, d) =>
            from dims in new long[]?[] { null, [], [0], [0, -1] } from keep in new[] { false, true }
            select V(D(s, d, $" dims {(dims is null ? "None" : L(dims))} keepdim {keep}"), M(rng, s, I64, 0, 2).To(d), dims, keep))
            .Concat([V("[3, 4] uint8 dims [] (uint8 result)", M(rng, [3, 4], I64, 0, 3).To(U8), Array.Empty<long>()),
                V("[3, 4] uint8 dims [1]", M(rng, [3, 4], I64, 0, 2).To(U8), new long[] { 1 }), V("special float32 dims []", Special(F32), Array.Empty<long>())]),
        ["aten::argmax"] = ArgReduction(),
        ["aten::argmin"] = ArgReduction(),
        ["aten::max.dim"] = ValuesAndIndices(),
        ["aten::min.dim"] = ValuesAndIndices(),
        ["aten::cumsum"] = rng => Each([[5], [3, 4], [2, 0, 3]], [F32, F64, I64, I32, B, F16], (s, d) => [V(D(s, d, " dim 0"), M(rng, s, d), 0L), V(D(s, d, " dim -1"), M(rng, s, d), -1L)])
            .Concat([V("[3, 4] int64 as float64", M(rng, [3, 4], I64), 1L, F64), V("[] float32 dim 0", M(rng, [], F32), 0L), V("special float32", Special(F32), 0L)]),
        ["aten::mean"] = rng => Each([[], [0], [5], [3, 4]], [F32, F64, F16, BF16], (s, d) => [V(D(s, d), M(rng, s, d))])
            .Concat([V("int64 (rejected)", M(rng, [4], I64)), V("int64 as float64", M(rng, [4], I64), F64), V("float32 as float64", M(rng, [3, 4], F32), F64),
                V("special float32", Special(F32))]),
        ["aten::mean.dim"] = DimListReduction([F32, F64, F16], withDType: true),
        ["aten::sum.dim_IntList"] = DimListReduction([F32, F64, I64, I32, B, F16, BF16], withDType: true),
        ["aten::prod"] = rng => Each([[], [0], [5], [3, 4]], [F32, F64, I64, I32, B, F16], (s, d) => [V(D(s, d), M(rng, s, d, -2, 2))])
            .Concat([V("int64 as float64", M(rng, [4], I64), F64), V("special float32", Special(F32))]),
        ["aten::prod.dim_int"] = rng => Each([[3, 4], [2, 0, 3]], [F32, I64, B, F16], (s, d) =>
            from dim in new long[] { 0, -1 } from keep in new[] { false, true } select V(D(s, d, $" dim {dim} keepdim {keep}"), M(rng, s, d, -2, 2), dim, keep))
            .Append(V("int32 as float64", M(rng, [3, 4], I32), 1L, false, F64)),
        ["aten::var.correction"] = rng => Each([[3, 4], [5], [1]], [F32, F64, F16], (s, d) =>
            from dims in new long[]?[] { null, [0], [-1] } from correction in new object?[] { null, 0L, 2L, 0.5 }
            select V(D(s, d, $" dims {(dims is null ? "None" : L(dims))} correction {correction ?? "None"}"), M(rng, s, d), dims, correction, s.Length > 1))
            .Append(V("int64 (rejected)", M(rng, [4], I64))),
        ["aten::var.dim"] = rng => Each([[3, 4], [5], [1]], [F32, F64], (s, d) =>
            from dims in new long[]?[] { null, [0], [-1] } from unbiased in new[] { true, false }
            select V(D(s, d, $" dims {(dims is null ? "None" : L(dims))} unbiased {unbiased}"), M(rng, s, d), dims, unbiased, true)),
        ["aten::sort"] = rng =>
        [
            V("[3, 4] float32 dim -1", M(rng, [3, 4], F32)), V("[3, 4] float32 dim 0 descending", M(rng, [3, 4], F32), 0L, true),
            V("[2, 3, 4] float64 dim 1", M(rng, [2, 3, 4], F64), 1L), V("[3, 4] int64 distinct descending", DistinctInts(rng, [3, 4], I64), -1L, true),
            V("special float32 (NaN last)", Distinct(F32)), V("special float32 descending (NaN first)", Distinct(F32), 0L, true), V("special float16", Distinct(F16)),
            V("[] float32", M(rng, [], F32)), V("[0] float32", M(rng, [0], F32)),
        ],
        ["aten::topk"] = rng =>
        [
            V("[3, 5] float32 k 2", M(rng, [3, 5], F32), 2L), V("[3, 5] float32 k 3 smallest", M(rng, [3, 5], F32), 3L, -1L, false),
            V("[4, 3] float64 k 2 dim 0", M(rng, [4, 3], F64), 2L, 0L), V("[5] int64 distinct k 5", DistinctInts(rng, [5], I64), 5L),
            V("[3, 5] float32 k 0", M(rng, [3, 5], F32), 0L), V("[3, 5] float32 k 6 (rejected)", M(rng, [3, 5], F32), 6L),
            V("special float32 k 3 (NaN is largest)", Distinct(F32), 3L), V("special float32 k 3 smallest", Distinct(F32), 3L, 0L, false),
        ],
        ["aten::_softmax"] = Softmax(),
        ["aten::_log_softmax"] = Softmax(),

        // Views, copies and shape ops
        ["aten::alias"] = rng => Each([[], [3, 4]], [F32, I64, B], (s, d) => [V(D(s, d), M(rng, s, d))]),
        ["aten::clone"] = rng => Each([[], [0], [3, 4]], [F32, I64, B, F16], (s, d) => [V(D(s, d), M(rng, s, d))])
            .Concat([V("preserve_format", M(rng, [2, 3], F32), "preserve_format"), V("channels_last", M(rng, [2, 3, 4, 5], F32), "channels_last")]),
        ["aten::_to_copy"] = rng =>
            from pair in new (DType From, DType? To)[] { (F32, null), (F32, I64), (F32, I32), (F32, B), (F32, F16), (F32, BF16), (F64, F32), (I64, F32), (B, F32), (I64, I32),
                (I64, U8), (I64, I8), (F16, F32), (BF16, F64), (I64, B), (F32, U8) }
            select V($"[3, 4] {ValueJson.DTypeName(pair.From)} to {(pair.To is DType t ? ValueJson.DTypeName(t) : "same")}",
                pair.From == F32 && pair.To is DType.UInt8 ? M(rng, [3, 4], F32, 0, 250) : M(rng, [3, 4], pair.From, pair.From.IsFloatingPoint() ? -3 : -200, pair.From.IsFloatingPoint() ? 3 : 200),
                pair.To),
        ["aten::copy"] = rng =>
        [
            V("float32 from float32", M(rng, [3, 4], F32), M(rng, [3, 4], F32)), V("float32 from broadcast [4]", M(rng, [3, 4], F32), M(rng, [4], F32)),
            V("float32 from float64", M(rng, [3, 4], F32), M(rng, [3, 4], F64)), V("int64 from float32 (truncates)", M(rng, [5], I64), M(rng, [5], F32)),
            V("bool from int64", M(rng, [5], B), M(rng, [5], I64)), V("float16 from 0-dim float64", M(rng, [2, 3], F16), M(rng, [], F64)),
            V("shape mismatch (rejected)", M(rng, [3], F32), M(rng, [4], F32)),
        ],
        ["aten::as_strided"] = rng =>
            from spec in new (long[] Size, long[] Stride, long? Offset)[] { ([2, 3], [5, 1], 1), ([3], [6], null), ([2, 2], [1, 4], 3), ([], [], 7), ([3, 2], [0, 1], 0), ([2, 5], [5, 1], null) }
            select V($"[4, 5] size {L(spec.Size)} stride {L(spec.Stride)} offset {spec.Offset?.ToString() ?? "None"}", M(rng, [4, 5], F32), spec.Size, spec.Stride, spec.Offset),
        ["aten::cat"] = rng =>
        [
            V("dim 0", new[] { M(rng, [2, 3], F32), M(rng, [4, 3], F32) }, 0L),
            V("dim 1 with an empty part", new[] { M(rng, [2, 3], F32), M(rng, [2, 1], F32), M(rng, [2, 0], F32) }, 1L),
            V("dim -1", new[] { M(rng, [2, 3], I64), M(rng, [2, 2], I64) }, -1L),
            V("float32 and float64 (promotes)", new[] { M(rng, [2, 3], F32), M(rng, [2, 3], F64) }, 0L),
            V("int64 and bool (promotes)", new[] { M(rng, [2, 3], I64), M(rng, [1, 3], B) }, 0L),
            V("one tensor", new[] { M(rng, [2, 3], F16) }, 1L),
            V("legacy empty [0] part", new[] { M(rng, [2, 3], F32), M(rng, [0], F32) }, 0L),
            V("0-dim (rejected)", new[] { M(rng, [], F32), M(rng, [], F32) }, 0L),
            V("mismatched sizes (rejected)", new[] { M(rng, [2, 3], F32), M(rng, [2, 4], F32) }, 0L),
        ],
        ["aten::constant_pad_nd"] = rng =>
        [
            V("[3, 4] pad [1, 2]", M(rng, [3, 4], F32), new long[] { 1, 2 }), V("[2, 3, 4] pad [1, 1, 2, 0] value 1.5", M(rng, [2, 3, 4], F32), new long[] { 1, 1, 2, 0 }, 1.5),
            V("[3, 4] pad [-1, 1] (crop)", M(rng, [3, 4], F32), new long[] { -1, 1 }), V("int64 value 7", M(rng, [3, 4], I64), new long[] { 0, 0, 1, 1 }, 7L),
            V("bool value true", M(rng, [2, 2], B), new long[] { 1, 0 }, true), V("[0, 2] pad [1, 1, 1, 1]", M(rng, [0, 2], F32), new long[] { 1, 1, 1, 1 }, -1.0),
            V("float16 value -inf", M(rng, [3], F16), new long[] { 2, 1 }, double.NegativeInfinity),
        ],
        ["aten::diagonal"] = rng =>
            from spec in new (long[] Shape, long Offset, long D1, long D2)[] { ([3, 4], 0, 0, 1), ([3, 4], 1, 0, 1), ([3, 4], -1, 0, 1), ([3, 4], 5, 0, 1), ([2, 3, 4], 0, 1, 2), ([2, 3, 4], 1, -1, 0) }
            select V(D(spec.Shape, F32, $" offset {spec.Offset} dims ({spec.D1}, {spec.D2})"), M(rng, spec.Shape, F32), spec.Offset, spec.D1, spec.D2),
        ["aten::expand"] = rng =>
        [
            V("[3, 1] to [3, 4]", M(rng, [3, 1], F32), new long[] { 3, 4 }), V("[4] to [2, 3, 4]", M(rng, [4], I64), new long[] { 2, 3, 4 }),
            V("[3, 1] to [-1, 5]", M(rng, [3, 1], F32), new long[] { -1, 5 }), V("[] to [2, 2]", M(rng, [], B), new long[] { 2, 2 }),
            V("[1, 0] to [3, 0]", M(rng, [1, 0], F32), new long[] { 3, 0 }), V("[3] to [4] (rejected)", M(rng, [3], F32), new long[] { 4 }),
        ],
        ["aten::flip"] = rng =>
        [
            V("[2, 3, 4] dims [0, -1]", M(rng, [2, 3, 4], F32), new long[] { 0, -1 }), V("[5] dims [0]", M(rng, [5], I64), new long[] { 0 }),
            V("[3, 4] dims []", M(rng, [3, 4], F32), Array.Empty<long>()), V("[] dims []", M(rng, [], F32), Array.Empty<long>()),
            V("[3, 4] dims [1, 1] (rejected)", M(rng, [3, 4], F32), new long[] { 1, 1 }),
        ],
        ["aten::permute"] = rng =>
        [
            V("[2, 3, 4] dims [2, 0, 1]", M(rng, [2, 3, 4], F32), new long[] { 2, 0, 1 }), V("[3, 4] dims [-1, 0]", M(rng, [3, 4], I64), new long[] { -1, 0 }),
            V("[] dims []", M(rng, [], F32), Array.Empty<long>()), V("[3, 4] dims [0] (rejected)", M(rng, [3, 4], F32), new long[] { 0 }),
        ],
        ["aten::repeat"] = rng =>
        [
            V("[2, 3] by [2, 2]", M(rng, [2, 3], F32), new long[] { 2, 2 }), V("[3] by [2, 1, 2]", M(rng, [3], I64), new long[] { 2, 1, 2 }),
            V("[] by [3]", M(rng, [], F32), new long[] { 3 }), V("[2, 3] by [0, 1]", M(rng, [2, 3], F32), new long[] { 0, 1 }),
            V("[2, 3] by [2] (rejected)", M(rng, [2, 3], F32), new long[] { 2 }),
        ],
        ["aten::select.int"] = rng =>
        [
            V("[3, 4] dim 0 index 1", M(rng, [3, 4], F32), 0L, 1L), V("[3, 4] dim 1 index -1", M(rng, [3, 4], I64), 1L, -1L),
            V("[2, 3, 4] dim 2 index 0", M(rng, [2, 3, 4], F32), 2L, 0L), V("[3, 4] dim 0 index 3 (out of range)", M(rng, [3, 4], F32), 0L, 3L),
        ],
        ["aten::select_scatter"] = rng =>
        [
            V("[3, 4] dim 0 index 1", M(rng, [3, 4], F32), M(rng, [4], F32), 0L, 1L), V("[3, 4] dim 1 index -1", M(rng, [3, 4], I64), M(rng, [3], I64), 1L, -1L),
            V("[2, 3, 4] dim 1 index 2", M(rng, [2, 3, 4], F32), M(rng, [2, 4], F32), 1L, 2L),
        ],
        ["aten::slice.Tensor"] = rng =>
            from spec in new (long Dim, long? Start, long? End, long Step)[] { (0, 1, 4, 1), (0, null, null, 2), (1, -3, null, 1), (0, 2, 100, 1), (0, -100, 2, 1), (1, 3, 1, 1), (0, null, null, 3), (1, null, -1, 2) }
            select V($"[5, 4] dim {spec.Dim} {spec.Start?.ToString() ?? ""}:{spec.End?.ToString() ?? ""}:{spec.Step}", M(rng, [5, 4], F32), spec.Dim, spec.Start, spec.End, spec.Step),
        ["aten::slice_scatter"] = rng =>
        [
            V("[5, 4] dim 0 1:4", M(rng, [5, 4], F32), M(rng, [3, 4], F32), 0L, 1L, 4L), V("[5, 4] dim 1 ::2", M(rng, [5, 4], F32), M(rng, [5, 2], F32), 1L, null, null, 2L),
            V("[5, 4] dim 0 ::3", M(rng, [5, 4], I64), M(rng, [2, 4], I64), 0L, null, null, 3L), V("[5, 4] dim 0 -2:", M(rng, [5, 4], F32), M(rng, [2, 4], F32), 0L, -2L),
        ],
        ["aten::split_with_sizes"] = rng =>
        [
            V("[5, 4] sizes [2, 3] dim 0", M(rng, [5, 4], F32), new long[] { 2, 3 }), V("[3, 6] sizes [1, 0, 5] dim 1", M(rng, [3, 6], I64), new long[] { 1, 0, 5 }, 1L),
            V("[4] sizes [4]", M(rng, [4], F32), new long[] { 4 }), V("[5] sizes [2, 2] (rejected)", M(rng, [5], F32), new long[] { 2, 2 }),
        ],
        ["aten::squeeze.dim"] = rng =>
        [
            V("[3, 1, 4] dim 1", M(rng, [3, 1, 4], F32), 1L), V("[3, 1, 4] dim 0 (no-op)", M(rng, [3, 1, 4], F32), 0L), V("[3, 1, 4] dim -2", M(rng, [3, 1, 4], I64), -2L),
            V("[] dim 0", M(rng, [], F32), 0L), V("[1] dim 0", M(rng, [1], F32), 0L),
        ],
        ["aten::squeeze.dims"] = rng =>
        [
            V("[3, 1, 4, 1] dims [1, 3]", M(rng, [3, 1, 4, 1], F32), new long[] { 1, 3 }), V("[1, 1] dims [0]", M(rng, [1, 1], F32), new long[] { 0 }),
            V("[2, 3] dims []", M(rng, [2, 3], F32), Array.Empty<long>()), V("[] dims [0]", M(rng, [], F32), new long[] { 0 }), V("[1, 2, 1] dims [-1, 0]", M(rng, [1, 2, 1], B), new long[] { -1, 0 }),
        ],
        ["aten::unsqueeze"] = rng =>
        [
            V("[3, 4] dim 0", M(rng, [3, 4], F32), 0L), V("[3, 4] dim -1", M(rng, [3, 4], F32), -1L), V("[3, 4] dim 2", M(rng, [3, 4], I64), 2L),
            V("[] dim 0", M(rng, [], F32), 0L), V("[3, 4] dim 3 (out of range)", M(rng, [3, 4], F32), 3L),
        ],
        ["aten::view"] = rng =>
        [
            V("[3, 4] to [12]", M(rng, [3, 4], F32), new long[] { 12 }), V("[3, 4] to [2, -1]", M(rng, [3, 4], F32), new long[] { 2, -1 }),
            V("[2, 3, 4] to [4, 6]", M(rng, [2, 3, 4], I64), new long[] { 4, 6 }), V("[] to [1]", M(rng, [], F32), new long[] { 1 }),
            V("[0, 3] to [3, -1]", M(rng, [0, 3], F32), new long[] { 3, -1 }), V("[0, 3] to [-1, 0] (ambiguous, rejected)", M(rng, [0, 3], F32), new long[] { -1, 0 }),
            V("[3, 4] to [5, -1] (rejected)", M(rng, [3, 4], F32), new long[] { 5, -1 }),
        ],
        ["aten::resize_"] = rng =>
        [
            V("[3, 4] to [2, 3] (shrinks: the first elements)", M(rng, [3, 4], F32), new long[] { 2, 3 }),
            V("[3, 4] to [12]", M(rng, [3, 4], I64), new long[] { 12 }),
            S("[3, 4] to [4, 5] (grows: new elements are uninitialized)", M(rng, [3, 4], F32), new long[] { 4, 5 }),
            S("[0] to [2]", M(rng, [0], F32), new long[] { 2 }),
        ],

        // Factories
        ["aten::arange.start_step"] = _ =>
        [
            V("0 to 10 by 3", 0L, 10L, 3L), V("1.0 to 2.5 by 0.5", 1.0, 2.5, 0.5), V("10 to 0 by -2", 10L, 0L, -2L), V("0 to 1.0 by 0.1", 0L, 1.0, 0.1),
            V("0 to 5 as float64", 0L, 5L, 1L, F64), V("-1.5 to 1.5 by 0.25 as float16", -1.5, 1.5, 0.25, F16), V("0 to 0", 0L, 0L, 1L), V("0.0 to 1.0 by 0.3", 0.0, 1.0, 0.3),
            V("0 to 5 by 0 (rejected)", 0L, 5L, 0L), V("0 to 5 by -1 (rejected)", 0L, 5L, -1L), V("0 to 4 as int32", 0L, 4L, 1L, I32), V("0.5 to 4 as int64", 0.5, 4L, 1L, I64),
        ],
        ["aten::empty.memory_format"] = _ => [S("[2, 3]", new long[] { 2, 3 }), S("[0] int64", new long[] { 0 }, I64), S("[] bool", Array.Empty<long>(), B)],
        ["aten::empty_strided"] = _ => [S("[2, 3] stride [1, 2]", new long[] { 2, 3 }, new long[] { 1, 2 }), S("[0, 3] float64", new long[] { 0, 3 }, new long[] { 3, 1 }, F64)],
        ["aten::full"] = _ =>
        [
            V("[2, 3] 1.5", new long[] { 2, 3 }, 1.5), V("[2, 3] 7 (int64)", new long[] { 2, 3 }, 7L), V("[2] true (bool)", new long[] { 2 }, true),
            V("[] 2 as float16", Array.Empty<long>(), 2L, F16), V("[0, 2] 3.5", new long[] { 0, 2 }, 3.5), V("[2] 2.5 as int64", new long[] { 2 }, 2.5, I64),
            V("[2] nan", new long[] { 2 }, double.NaN), V("[2] 300 as uint8 (overflow)", new long[] { 2 }, 300L, U8), V("[2] 1e39 (float32 overflow)", new long[] { 2 }, 1e39),
        ],
        ["aten::full_like"] = rng =>
        [
            V("float32 with 2", M(rng, [2, 3], F32), 2L), V("int64 with 2.5", M(rng, [2, 3], I64), 2.5), V("bool with 3", M(rng, [2], B), 3L),
            V("float32 with 1.5 as int64", M(rng, [2, 3], F32), 1.5, I64), V("[] float16 with -inf", M(rng, [], F16), double.NegativeInfinity),
            V("uint8 with -1 (wraps)", M(rng, [2], U8, 0, 9), -1L), V("float16 with 1e5 (overflow)", M(rng, [2], F16), 1e5),
        ],
        ["aten::scalar_tensor"] = _ => [V("2", 2L), V("2.5", 2.5), V("true", true), V("3 as int64", 3L, I64), V("1.5 as float16", 1.5, F16), V("-7 as int8", -7L, I8), V("nan", double.NaN),
            V("300 as uint8 (overflow)", 300L, U8)],
        ["aten::rand"] = _ => [S("[3, 4]", new long[] { 3, 4 }), S("[0]", new long[] { 0 }), S("[2] float64", new long[] { 2 }, F64), S("[2] float16", new long[] { 2 }, F16)],
        ["aten::randn"] = _ => [S("[3, 4]", new long[] { 3, 4 }), S("[0]", new long[] { 0 }), S("[2] float64", new long[] { 2 }, F64), S("[2] bfloat16", new long[] { 2 }, BF16)],
        ["aten::randperm"] = _ => [S("5", 5L), S("0", 0L), S("7 as int32", 7L, I32), S("4 as float32", 4L, F32)],

        // Indexing, gather and scatter
        ["aten::gather"] = rng =>
        [
            V("[3, 4] dim 0", M(rng, [3, 4], F32), 0L, M(rng, [2, 4], I64, 0, 3)), V("[3, 4] dim 1", M(rng, [3, 4], I64), 1L, M(rng, [3, 2], I64, 0, 4)),
            V("[3, 4] dim -1 smaller index", M(rng, [3, 4], F32), -1L, M(rng, [2, 3], I64, 0, 4)), V("[3, 4] empty index", M(rng, [3, 4], F32), 0L, M(rng, [0, 4], I64)),
            V("[5] dim 0", M(rng, [5], B), 0L, M(rng, [7], I64, 0, 5)), V("index out of range (rejected)", M(rng, [3], F32), 0L, Longs(3)),
        ],
        ["aten::index.Tensor"] = rng =>
        [
            V("[4, 3] rows", M(rng, [4, 3], F32), new Tensor?[] { M(rng, [5], I64, 0, 4) }),
            V("[4, 3] columns", M(rng, [4, 3], I64), new Tensor?[] { null, M(rng, [2], I64, 0, 3) }),
            V("[4, 3] broadcast pair", M(rng, [4, 3], F32), new Tensor?[] { M(rng, [2, 1], I64, 0, 4), M(rng, [3], I64, 0, 3) }),
            V("[4, 3] bool mask", M(rng, [4, 3], F32), new Tensor?[] { M(rng, [4, 3], B) }),
            V("[4, 3] bool row mask", M(rng, [4, 3], F32), new Tensor?[] { M(rng, [4], B) }),
            V("[4, 3] negative indices", M(rng, [4, 3], F32), new Tensor?[] { Longs(-1, -4, 2) }),
            V("[2, 3, 4, 5] adjacent advanced", M(rng, [2, 3, 4, 5], F32), new Tensor?[] { null, M(rng, [2], I64, 0, 3), M(rng, [2], I64, 0, 4) }),
            V("[3, 2, 2, 4] separated advanced (moved to front)", M(rng, [3, 2, 2, 4], F32), new Tensor?[] { M(rng, [2], I64, 0, 3), null, null, M(rng, [2], I64, 0, 4) }),
            V("[4, 3] 0-dim index", M(rng, [4, 3], F32), new Tensor?[] { Torch.ScalarTensor(2L) }),
            V("[4, 3] int32 index", M(rng, [4, 3], F32), new Tensor?[] { M(rng, [3], I32, 0, 4) }),
            V("[4, 3] out of range (rejected)", M(rng, [4, 3], F32), new Tensor?[] { Longs(4) }),
        ],
        ["aten::index_put"] = rng =>
        [
            V("[4, 3] distinct rows", M(rng, [4, 3], F32), new Tensor?[] { UniqueIndex(rng, [3, 1], 0, 4).Reshape(3) }, M(rng, [3, 3], F32)),
            V("[4, 3] repeated rows accumulate", M(rng, [4, 3], F32), new Tensor?[] { Longs(1, 3, 1, 1) }, M(rng, [4, 3], F32), true),
            V("[4, 3] bool mask, 0-dim value", M(rng, [4, 3], F64), new Tensor?[] { M(rng, [4, 3], B) }, M(rng, [], F64)),
            V("[4, 3] columns", M(rng, [4, 3], I64), new Tensor?[] { null, Longs(2, 0) }, M(rng, [4, 2], I64)),
            V("[4, 3] broadcast values", M(rng, [4, 3], F32), new Tensor?[] { Longs(0, 2) }, M(rng, [3], F32)),
            V("[4, 3] pair accumulate int64", M(rng, [4, 3], I64), new Tensor?[] { Longs(0, 0, 3), Longs(1, 1, 2) }, M(rng, [3], I64), true),
            V("[4, 3] float64 values into float32 (rejected)", M(rng, [4, 3], F32), new Tensor?[] { Longs(0) }, M(rng, [3], F64)),
        ],
        ["aten::index_select"] = rng =>
        [
            V("[4, 3] dim 0 repeated", M(rng, [4, 3], F32), 0L, Longs(3, 0, 3, 1, 2)), V("[4, 3] dim 1", M(rng, [4, 3], I64), 1L, Longs(2, 0)),
            V("[4, 3] 0-dim index", M(rng, [4, 3], F32), 0L, Torch.ScalarTensor(1L)), V("[4, 3] empty index", M(rng, [4, 3], F32), 1L, M(rng, [0], I64)),
            V("[4, 3] int32 index", M(rng, [4, 3], F32), 0L, Longs(1, 1).To(I32)), V("[] dim 0", M(rng, [], F32), 0L, Longs(0)),
            V("out of range (rejected)", M(rng, [4], F32), 0L, Longs(4)),
        ],
        ["aten::masked_scatter"] = rng =>
        [
            V("[3, 4]", M(rng, [3, 4], F32), M(rng, [3, 4], B), M(rng, [12], F32)), V("broadcast mask [4]", M(rng, [3, 4], I64), M(rng, [4], B), M(rng, [4, 4], I64)),
            V("all false", M(rng, [3], F32), Tensor.FromArray(new[] { false, false, false }, 3), M(rng, [1], F32)),
            V("too few source elements (rejected)", M(rng, [4], F32), Tensor.FromArray(new[] { true, true, true, true }, 4), M(rng, [2], F32)),
        ],
        ["aten::scatter.src"] = rng =>
        [
            V("[3, 5] dim 0", M(rng, [3, 5], F32), 0L, UniqueIndex(rng, [2, 5], 0, 3), M(rng, [2, 5], F32)),
            V("[3, 5] dim 1 smaller src", M(rng, [3, 5], I64), 1L, UniqueIndex(rng, [3, 2], 1, 5), M(rng, [3, 4], I64)),
            V("[3, 5] empty index", M(rng, [3, 5], F32), 0L, M(rng, [0, 5], I64), M(rng, [0, 5], F32)),
        ],
        ["aten::scatter.value"] = rng =>
        [
            V("[3, 5] dim 0 value -1.5", M(rng, [3, 5], F32), 0L, M(rng, [2, 5], I64, 0, 3), -1.5), V("[3, 5] dim 1 value 2 (int)", M(rng, [3, 5], I64), 1L, M(rng, [3, 2], I64, 0, 5), 2L),
            V("bool value true", Torch.Zeros(new long[] { 2, 2 }, B), 1L, Tensor.FromArray(new long[] { 1, 0 }, 2, 1), true), V("int64 value 2.7", M(rng, [4], I64), 0L, Longs(0, 2), 2.7),
        ],
        ["aten::scatter_add"] = rng =>
        [
            V("[3, 5] dim 0 repeated", M(rng, [3, 5], F32), 0L, M(rng, [4, 5], I64, 0, 3), M(rng, [4, 5], F32)),
            V("[3, 5] dim 1", M(rng, [3, 5], I64), 1L, M(rng, [3, 4], I64, 0, 5), M(rng, [3, 4], I64)),
            V("[3, 5] float64 smaller src", M(rng, [3, 5], F64), -1L, M(rng, [2, 3], I64, 0, 5), M(rng, [3, 4], F64)),
        ],
        ["aten::scatter_reduce.two"] = rng =>
            from reduce in new[] { "sum", "prod", "mean", "amax", "amin" }
            from include in new[] { true, false }
            from d in new[] { F32, I64 }
            select V($"[4, 3] {ValueJson.DTypeName(d)} {reduce} include_self {include}", M(rng, [4, 3], d), 0L, M(rng, [5, 3], I64, 0, 4), M(rng, [5, 3], d), reduce, include),

        // Matrix products
        ["aten::mm"] = rng =>
        [
            .. new[] { F32, F64, I64, F16, BF16 }.Select(d => V(D([3, 4], d, " @ [4, 5]"), M(rng, [3, 4], d), M(rng, [4, 5], d))),
            V("[0, 4] @ [4, 5]", M(rng, [0, 4], F32), M(rng, [4, 5], F32)), V("[3, 0] @ [0, 5] (zeros)", M(rng, [3, 0], F32), M(rng, [0, 5], F32)),
            V("float32 @ float64 (rejected)", M(rng, [2, 2], F32), M(rng, [2, 2], F64)), V("[3, 4] @ [5, 2] (rejected)", M(rng, [3, 4], F32), M(rng, [5, 2], F32)),
        ],
        ["aten::bmm"] = rng =>
        [
            .. new[] { F32, F64, I64 }.Select(d => V(D([2, 3, 4], d, " @ [2, 4, 5]"), M(rng, [2, 3, 4], d), M(rng, [2, 4, 5], d))),
            V("[0, 3, 4] @ [0, 4, 2]", M(rng, [0, 3, 4], F32), M(rng, [0, 4, 2], F32)), V("batch mismatch (rejected)", M(rng, [2, 3, 4], F32), M(rng, [3, 4, 5], F32)),
        ],
        ["aten::addmm"] = rng =>
        [
            V("bias [5]", M(rng, [5], F32), M(rng, [3, 4], F32), M(rng, [4, 5], F32)), V("bias [3, 5] beta 0.5 alpha 2", M(rng, [3, 5], F32), M(rng, [3, 4], F32), M(rng, [4, 5], F32), 0.5, 2L),
            V("float64 bias [1, 5]", M(rng, [1, 5], F64), M(rng, [3, 4], F64), M(rng, [4, 5], F64)),
            V("beta 0 ignores NaN in self", Tensor.FromArray(new[] { float.NaN, 1f, 2f, 3f, 4f }, 5), M(rng, [3, 4], F32), M(rng, [4, 5], F32), 0L),
            V("int64", M(rng, [5], I64), M(rng, [3, 4], I64), M(rng, [4, 5], I64), 2L, 3L),
        ],

        // Pooling
        ["aten::_adaptive_avg_pool2d"] = rng => AdaptivePool2d(rng).Select(c => V(c.Description, c.Input, c.Output)),
        ["aten::_adaptive_avg_pool2d_backward"] = rng => AdaptivePool2d(rng).Select(c =>
            V(c.Description, M(rng, One("aten::_adaptive_avg_pool2d", c.Input, c.Output).Shape.ToLongs(), c.Input.DType), c.Input)),
        ["aten::_adaptive_avg_pool3d"] = rng =>
        [
            V("[1, 2, 4, 5, 6] to [2, 3, 2]", M(rng, [1, 2, 4, 5, 6], F32), new long[] { 2, 3, 2 }), V("[2, 3, 3, 3] to [1, 1, 1]", M(rng, [2, 3, 3, 3], F64), new long[] { 1, 1, 1 }),
            V("[1, 1, 2, 3, 3] to [3, 5, 2] (upsamples)", M(rng, [1, 1, 2, 3, 3], F32), new long[] { 3, 5, 2 }),
        ],
        ["aten::adaptive_avg_pool1d"] = rng =>
        [
            V("[2, 3, 7] to [3]", M(rng, [2, 3, 7], F32), new long[] { 3 }), V("[3, 8] to [4]", M(rng, [3, 8], F64), new long[] { 4 }), V("[1, 2, 3] to [5]", M(rng, [1, 2, 3], F32), new long[] { 5 }),
        ],
        ["aten::avg_pool1d"] = rng =>
        [
            V("[2, 3, 9] k 3 s 2 p 1", M(rng, [2, 3, 9], F32), new long[] { 3 }, new long[] { 2 }, new long[] { 1 }),
            V("[2, 3, 8] k 2 (stride = kernel)", M(rng, [2, 3, 8], F64), new long[] { 2 }),
            V("[1, 2, 7] k 3 s 2 p 1 ceil, no pad count", M(rng, [1, 2, 7], F32), new long[] { 3 }, new long[] { 2 }, new long[] { 1 }, true, false),
            V("[3, 6] unbatched k 2 s 1", M(rng, [3, 6], F32), new long[] { 2 }, new long[] { 1 }),
        ],
        ["aten::avg_pool2d"] = rng => AvgPool2d(rng).Select(c => V(c.Description, [c.Input, .. c.Args])),
        ["aten::avg_pool2d_backward"] = rng => AvgPool2d(rng).Select(c =>
        {
            var full = new object?[] { c.Input, new long[] { 2, 2 }, Array.Empty<long>(), new long[] { 0, 0 }, false, true, null };
            for (int i = 0; i < c.Args.Length; i++) full[i + 1] = c.Args[i];
            var output = One("aten::avg_pool2d", full);
            return V(c.Description, [M(rng, output.Shape.ToLongs(), c.Input.DType), .. full]);
        }),
        ["aten::avg_pool3d"] = rng =>
        [
            V("[1, 2, 4, 5, 6] k 2", M(rng, [1, 2, 4, 5, 6], F32), new long[] { 2, 2, 2 }),
            V("[1, 1, 5, 5, 5] k 3 s 2 p 1 ceil, no pad count", M(rng, [1, 1, 5, 5, 5], F64), new long[] { 3, 3, 3 }, new long[] { 2, 2, 2 }, new long[] { 1, 1, 1 }, true, false),
            V("[2, 4, 4, 4] unbatched k 2 divisor 3", M(rng, [2, 4, 4, 4], F32), new long[] { 2, 2, 2 }, Array.Empty<long>(), new long[] { 0, 0, 0 }, false, true, 3L),
        ],
        ["aten::max_pool2d_with_indices"] = rng => MaxPool2d(rng).Select(c => V(c.Description, [c.Input, .. c.Args]))
            .Append(V("NaN in a window wins", Special(F32).Reshape(1, 1, 4, 4), new long[] { 2, 2 })),
        ["aten::max_pool2d_with_indices_backward"] = rng => MaxPool2d(rng).Select(c =>
        {
            var full = new object?[] { c.Input, new long[] { 2, 2 }, Array.Empty<long>(), new long[] { 0, 0 }, new long[] { 1, 1 }, false };
            for (int i = 0; i < c.Args.Length; i++) full[i + 1] = c.Args[i];
            var r = Multi("aten::max_pool2d_with_indices", full);
            return V(c.Description, [M(rng, r[0].Shape.ToLongs(), c.Input.DType), .. full, r[1]]);
        }),
        ["aten::max_pool3d_with_indices"] = rng =>
        [
            V("[1, 2, 4, 6, 6] k 2", M(rng, [1, 2, 4, 6, 6], F32), new long[] { 2, 2, 2 }),
            V("[1, 1, 5, 5, 5] k 3 s 2 p 1 ceil", M(rng, [1, 1, 5, 5, 5], F64), new long[] { 3, 3, 3 }, new long[] { 2, 2, 2 }, new long[] { 1, 1, 1 }, new long[] { 1, 1, 1 }, true),
            V("[2, 5, 5, 5] unbatched k 2 dilation 2", M(rng, [2, 5, 5, 5], F32), new long[] { 2, 2, 2 }, new long[] { 1, 1, 1 }, new long[] { 0, 0, 0 }, new long[] { 2, 2, 2 }),
        ],

        // Convolution and normalization
        ["aten::convolution"] = rng => Convolutions(rng).Select(c => V(c.Description, c.Args)),
        ["aten::convolution_backward"] = rng => Convolutions(rng).Where(c => c.Args[0] is Tensor { DType: DType.Float64 }).SelectMany(c =>
        {
            var x = (Tensor)c.Args[0]!;
            var w = (Tensor)c.Args[1]!;
            var outShape = ConvolutionOutputShape(c.Args);
            var g = M(rng, outShape, x.DType);
            var rest = c.Args[3..];
            var biasSizes = new long[] { outShape[x.Ndim == w.Ndim ? 1 : 0] };
            return new[]
            {
                V(c.Description + " all grads", [g, x, w, biasSizes, .. rest, new[] { true, true, true }]),
                V(c.Description + " weight grad only", [g, x, w, null, .. rest, new[] { false, true, false }]),
            };
        }),
        ["aten::_native_batch_norm_legit"] = rng =>
            from shape in new long[][] { [4, 3], [2, 3, 5], [2, 3, 4, 4] }
            from dtype in new[] { F32, F64 }
            from affine in new[] { true, false }
            from training in new[] { true, false }
            select V(D(shape, dtype, $" affine {affine} training {training}"), M(rng, shape, dtype), affine ? M(rng, [3], dtype) : null, affine ? M(rng, [3], dtype) : null,
                M(rng, [3], dtype, -1, 1), M(rng, [3], dtype, 0.5, 2), training, 0.1, 1e-5),
        ["aten::_native_batch_norm_legit.no_stats"] = rng =>
            from shape in new long[][] { [4, 3], [2, 3, 5], [2, 3, 4, 4] }
            from dtype in new[] { F32, F64 }
            from affine in new[] { true, false }
            select V(D(shape, dtype, $" affine {affine}"), M(rng, shape, dtype), affine ? M(rng, [3], dtype) : null, affine ? M(rng, [3], dtype) : null, true, 0.1, 1e-5),
        ["aten::_native_batch_norm_legit_no_training"] = rng =>
            from shape in new long[][] { [4, 3], [2, 3, 5], [2, 3, 4, 4] }
            from dtype in new[] { F32, F64 }
            from affine in new[] { true, false }
            select V(D(shape, dtype, $" affine {affine}"), M(rng, shape, dtype), affine ? M(rng, [3], dtype) : null, affine ? M(rng, [3], dtype) : null,
                M(rng, [3], dtype, -1, 1), M(rng, [3], dtype, 0.5, 2), 0.1, 1e-5),
        ["aten::native_group_norm"] = rng => GroupNorms(rng).Select(c => V(c.Description, c.Input, c.Weight, c.Bias, c.N, c.C, c.HxW, c.Groups, 1e-5)),
        ["aten::native_group_norm_backward"] = rng => GroupNorms(rng).Select(c =>
        {
            var r = Multi("aten::native_group_norm", c.Input, c.Weight, c.Bias, c.N, c.C, c.HxW, c.Groups, 1e-5);
            return V(c.Description, M(rng, c.Input.Shape.ToLongs(), c.Input.DType), c.Input, r[1], r[2], c.Weight, c.N, c.C, c.HxW, c.Groups,
                new[] { true, c.Weight is not null, c.Weight is not null });
        }),
        ["aten::native_layer_norm"] = rng => LayerNorms(rng).Select(c => V(c.Description, c.Input, c.Normalized, c.Weight, c.Bias, 1e-5)),
        ["aten::native_layer_norm_backward"] = rng => LayerNorms(rng).Select(c =>
        {
            var r = Multi("aten::native_layer_norm", c.Input, c.Normalized, c.Weight, c.Bias, 1e-5);
            return V(c.Description, M(rng, c.Input.Shape.ToLongs(), c.Input.DType), c.Input, c.Normalized, r[1], r[2], c.Weight, c.Bias,
                new[] { true, c.Weight is not null, c.Bias is not null });
        }),
        ["aten::native_dropout"] = rng =>
        [
            V("eval keeps the input", M(rng, [3, 4], F32), 0.3, false), V("p 0 in training keeps the input", M(rng, [3, 4], F32), 0.0, true),
            V("p 1 in training zeroes everything", M(rng, [3, 4], F64), 1.0, true), S("p 0.3 in training (random)", M(rng, [3, 4], F32), 0.3, true),
            V("train None (training) p 1 zeroes everything", M(rng, [5], F32), 1.0, null), V("p 1.5 (rejected)", M(rng, [3], F32), 1.5, true),
        ],

        // Embedding
        ["aten::embedding"] = rng =>
        [
            V("[10, 4] with [2, 3]", M(rng, [10, 4], F32), M(rng, [2, 3], I64, 0, 10)), V("0-dim index", M(rng, [10, 4], F64), Torch.ScalarTensor(7L)),
            V("empty index", M(rng, [10, 4], F32), M(rng, [0], I64)), V("padding_idx 2 (forward unaffected)", M(rng, [10, 4], F32), Longs(2, 3, 2), 2L),
            V("int32 index", M(rng, [10, 4], F32), Longs(1, 9).To(I32)), V("out of range (rejected)", M(rng, [10, 4], F32), Longs(10)),
        ],
        ["aten::embedding_dense_backward"] = rng =>
            from padding in new long[] { -1, 0 }
            from scale in new[] { false, true }
            select V($"padding_idx {padding} scale_grad_by_freq {scale}", M(rng, [2, 3, 4], F32), Tensor.FromArray(new long[] { 1, 4, 1, 0, 4, 4 }, 2, 3), 5L, padding, scale),
        ["aten::_embedding_bag"] = rng =>
        [
            .. new long[] { 0, 1, 2 }.Select(mode => V($"mode {mode}, an empty bag", M(rng, [10, 3], F32), M(rng, [8], I64, 0, 10), Longs(0, 3, 3, 5), false, mode)),
            V("sum with per-sample weights", M(rng, [10, 3], F32), M(rng, [8], I64, 0, 10), Longs(0, 3, 5), false, 0L, false, M(rng, [8], F32)),
            V("mean include_last_offset", M(rng, [10, 3], F64), M(rng, [8], I64, 0, 10), Longs(0, 3, 5, 8), false, 1L, false, null, true),
            V("sum padding_idx 2", M(rng, [10, 3], F32), Longs(2, 1, 2, 5, 2), Longs(0, 2), false, 0L, false, null, false, 2L),
        ],

        // Activation with a mode
        ["aten::grid_sampler_2d"] = rng =>
            from interpolation in new long[] { 0, 1, 2 }
            from padding in new long[] { 0, 1, 2 }
            from align in new[] { false, true }
            select V($"interpolation {interpolation} padding {padding} align_corners {align}", M(rng, [1, 2, 4, 5], F32), M(rng, [1, 3, 3, 2], F32, -1.2, 1.2), interpolation, padding, align),
        ["aten::col2im"] = rng =>
        [
            V("[1, 8, 12] to [4, 5] k 2", M(rng, [1, 8, 12], F32), new long[] { 4, 5 }, new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 0, 0 }, new long[] { 1, 1 }),
            V("[2, 18, 9] to [5, 5] k 3 p 1 s 2", M(rng, [2, 18, 9], F64), new long[] { 5, 5 }, new long[] { 3, 3 }, new long[] { 1, 1 }, new long[] { 1, 1 }, new long[] { 2, 2 }),
            V("[8, 12] unbatched", M(rng, [8, 12], F32), new long[] { 4, 5 }, new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 0, 0 }, new long[] { 1, 1 }),
            V("[1, 4, 4] to [4, 4] k 2 dilation 2", M(rng, [1, 4, 4], F32), new long[] { 4, 4 }, new long[] { 2, 2 }, new long[] { 2, 2 }, new long[] { 0, 0 }, new long[] { 1, 1 }),
        ],

        // Padding and resampling
        ["aten::reflection_pad1d"] = rng =>
        [
            V("[2, 5] pad [1, 2]", M(rng, [2, 5], F32), new long[] { 1, 2 }), V("[1, 2, 5] pad [3, 0]", M(rng, [1, 2, 5], F64), new long[] { 3, 0 }),
            V("[2, 4] int64 pad [2, 2]", M(rng, [2, 4], I64), new long[] { 2, 2 }), V("[2, 3] pad [3, 0] (too wide)", M(rng, [2, 3], F32), new long[] { 3, 0 }),
            V("[2, 4] bool (rejected)", M(rng, [2, 4], B), new long[] { 1, 1 }),
        ],
        ["aten::reflection_pad2d"] = rng =>
        [
            V("[1, 2, 4, 5] pad [1, 2, 2, 1]", M(rng, [1, 2, 4, 5], F32), new long[] { 1, 2, 2, 1 }), V("[2, 3, 3] pad [0, 1, 1, 0]", M(rng, [2, 3, 3], F64), new long[] { 0, 1, 1, 0 }),
            V("[1, 1, 3, 3] pad [-1, 1, 0, 0]", M(rng, [1, 1, 3, 3], F32), new long[] { -1, 1, 0, 0 }),
        ],
        ["aten::reflection_pad3d"] = rng => [V("[1, 1, 3, 4, 5] pad [1, 1, 2, 0, 1, 2]", M(rng, [1, 1, 3, 4, 5], F32), new long[] { 1, 1, 2, 0, 1, 2 }),
            V("[2, 3, 3, 3] unbatched pad [1, 0, 0, 1, 2, 2]", M(rng, [2, 3, 3, 3], F64), new long[] { 1, 0, 0, 1, 2, 2 })],
        ["aten::replication_pad2d"] = rng =>
        [
            V("[1, 2, 3, 4] pad [2, 1, 0, 3]", M(rng, [1, 2, 3, 4], F32), new long[] { 2, 1, 0, 3 }), V("[1, 2, 4, 5] pad [-1, 1, 0, 0]", M(rng, [1, 2, 4, 5], F32), new long[] { -1, 1, 0, 0 }),
            V("[2, 3, 3] int64 pad [1, 1, 1, 1]", M(rng, [2, 3, 3], I64), new long[] { 1, 1, 1, 1 }), V("[1, 0, 3] (rejected)", M(rng, [1, 0, 3], F32), new long[] { 1, 1, 1, 1 }),
            V("[2, 3, 3] uint8 pad [1, 1, 1, 1]", M(rng, [2, 3, 3], I64, 0, 9).To(U8), new long[] { 1, 1, 1, 1 }), V("[2, 3, 3] bool (rejected)", M(rng, [2, 3, 3], B), new long[] { 1, 1, 1, 1 }),
        ],
        ["aten::replication_pad3d"] = rng => [V("[1, 1, 2, 3, 4] pad [1, 2, 0, 1, 2, 1]", M(rng, [1, 1, 2, 3, 4], F32), new long[] { 1, 2, 0, 1, 2, 1 }),
            V("[2, 2, 2, 2] unbatched pad [3, 0, 1, 1, 0, 2]", M(rng, [2, 2, 2, 2], F64), new long[] { 3, 0, 1, 1, 0, 2 })],
        ["aten::upsample_bilinear2d.vec"] = rng =>
        [
            V("[1, 2, 3, 4] to [6, 8]", M(rng, [1, 2, 3, 4], F32), new long[] { 6, 8 }, false, null), V("[1, 2, 3, 4] to [5, 7] align_corners", M(rng, [1, 2, 3, 4], F32), new long[] { 5, 7 }, true, null),
            V("[1, 2, 3, 4] scale [2.0, 1.5]", M(rng, [1, 2, 3, 4], F32), null, false, new[] { 2.0, 1.5 }), V("[2, 1, 4, 4] to [2, 3] (downsamples)", M(rng, [2, 1, 4, 4], F64), new long[] { 2, 3 }, false, null),
            V("[1, 1, 3, 3] scale [1.7, 2.3] align_corners", M(rng, [1, 1, 3, 3], F32), null, true, new[] { 1.7, 2.3 }), V("[1, 1, 1, 1] to [3, 3]", M(rng, [1, 1, 1, 1], F32), new long[] { 3, 3 }, false, null),
        ],
        ["aten::upsample_nearest2d.vec"] = rng =>
        [
            V("[1, 2, 3, 4] to [6, 8]", M(rng, [1, 2, 3, 4], F32), new long[] { 6, 8 }, null), V("[1, 2, 3, 4] to [5, 7]", M(rng, [1, 2, 3, 4], F32), new long[] { 5, 7 }, null),
            V("[1, 2, 3, 4] scale [2.0, 1.5]", M(rng, [1, 2, 3, 4], F32), null, new[] { 2.0, 1.5 }), V("[1, 1, 5, 5] to [3, 2]", M(rng, [1, 1, 5, 5], F64), new long[] { 3, 2 }, null),
            V("[1, 1, 3, 3] scale [1.7, 2.3]", M(rng, [1, 1, 3, 3], F32), null, new[] { 1.7, 2.3 }),
        ],
        ["aten::_cdist_forward"] = rng =>
            from p in new[] { 2.0, 1.0, 0.0, double.PositiveInfinity, 3.0 }
            from batched in new[] { true, false }
            select V($"p {p} {(batched ? "[2, 4, 3] and [2, 5, 3]" : "[4, 3] and [5, 3]")}", batched ? M(rng, [2, 4, 3], F32) : M(rng, [4, 3], F64),
                batched ? M(rng, [2, 5, 3], F32) : M(rng, [5, 3], F64), p, null),
        ["aten::_pdist_forward"] = rng =>
            new[] { 2.0, 1.0, 0.0, double.PositiveInfinity, 3.0 }.Select(p => V($"[5, 3] p {p}", M(rng, [5, 3], F32), p))
                .Concat([V("[1, 3] (no pairs)", M(rng, [1, 3], F32), 2.0), V("[4, 2] float64", M(rng, [4, 2], F64))]),

        // Scalars and sizes
        ["aten::_local_scalar_dense"] = rng => new[] { F32, F64, I64, I32, B, F16, BF16 }.Select(d => V(D([], d), M(rng, [], d)))
            .Concat([V("[1, 1] int64", M(rng, [1, 1], I64)), V("[2] (rejected)", M(rng, [2], F32))]),
        ["aten::sym_numel"] = rng => [V("[3, 4]", M(rng, [3, 4], F32)), V("[0, 5]", M(rng, [0, 5], F32)), V("[]", M(rng, [], F32))],
        ["aten::sym_size.int"] = rng => [V("[3, 4] dim 1", M(rng, [3, 4], F32), 1L), V("[2, 3, 4] dim -1", M(rng, [2, 3, 4], F32), -1L), V("[3] dim 1 (rejected)", M(rng, [3], F32), 1L)],
        ["aten::sym_storage_offset"] = rng => [V("[3, 4]", M(rng, [3, 4], F32))],
        ["aten::sym_stride.int"] = rng => [V("[2, 3, 4] dim 0", M(rng, [2, 3, 4], F32), 0L), V("[2, 3, 4] dim -1", M(rng, [2, 3, 4], F32), -1L)],
        ["aten::sym_is_contiguous"] = rng =>
        [
            V("[3, 4]", M(rng, [3, 4], F32)), V("[2, 3, 4, 5] channels_last", M(rng, [2, 3, 4, 5], F32), "channels_last"),
            V("[2, 1, 4, 5] channels_last", M(rng, [2, 1, 4, 5], F32), "channels_last"),
        ],
        ["aten::nonzero"] = rng => Each([[], [0], [5], [3, 4]], [F32, I64, B], (s, d) => [V(D(s, d), M(rng, s, I64, 0, 2).To(d))])
            .Append(V("special float32 (NaN is nonzero)", Special(F32))),

        // Others
        ["aten::atan2.out"] = rng =>
        [
            V("into [2, 3]", M(rng, [2, 3], F32), M(rng, [2, 3], F32), Torch.Zeros(new long[] { 2, 3 }, F32)), V("into an empty out (resized)", M(rng, [2, 3], F32), M(rng, [3], F32), Torch.Zeros(new long[] { 0 }, F32)),
            V("int64 inputs into float32", M(rng, [4], I64), M(rng, [4], I64), Torch.Zeros(new long[] { 4 }, F32)), V("into int64 (rejected)", M(rng, [2], F32), M(rng, [2], F32), Torch.Zeros(new long[] { 2 }, I64)),
        ],
        ["aten::_fft_r2c"] = rng => [V("[8] float32 onesided", M(rng, [8], F32), new long[] { 0 }, 0L, true), V("[4, 6] float64 dim 1 full", M(rng, [4, 6], F64), new long[] { 1 }, 2L, false)],
    };

    private static IEnumerable<OracleCase> BitwiseTensor(Random rng) =>
        from shapes in BinaryShapes
        from pair in BitwisePairs
        select V($"{L(shapes[0])} {ValueJson.DTypeName(pair.Item1)} with {L(shapes[1])} {ValueJson.DTypeName(pair.Item2)}",
            M(rng, shapes[0], pair.Item1, -100, 100), M(rng, shapes[1], pair.Item2, -100, 100));

    private static IEnumerable<OracleCase> BitwiseScalar(Random rng) =>
        from pair in new (DType, object)[] { (I64, 6L), (I64, -3L), (I32, 5L), (U8, 5L), (I8, -1L), (B, true), (B, 1L), (F32, 1L) }
        select V($"[3, 4] {ValueJson.DTypeName(pair.Item1)} with {pair.Item2}", M(rng, [3, 4], pair.Item1, -100, 100), pair.Item2);

    private sealed record PoolCase(string Description, Tensor Input, object?[] Args);

    private static IEnumerable<(string Description, Tensor Input, long[] Output)> AdaptivePool2d(Random rng) =>
    [
        ("[2, 3, 7, 8] to [3, 3]", M(rng, [2, 3, 7, 8], F32), [3, 3]), ("[3, 5, 5] unbatched to [2, 2]", M(rng, [3, 5, 5], F64), [2, 2]),
        ("[1, 2, 4, 4] to [1, 1]", M(rng, [1, 2, 4, 4], F32), [1, 1]), ("[1, 1, 5, 7] to [5, 7] (identity)", M(rng, [1, 1, 5, 7], F32), [5, 7]),
        ("[1, 1, 3, 3] to [5, 5] (upsamples)", M(rng, [1, 1, 3, 3], F64), [5, 5]),
    ];

    private static IEnumerable<PoolCase> AvgPool2d(Random rng) =>
    [
        new("[2, 3, 8, 8] k 2", M(rng, [2, 3, 8, 8], F32), [new long[] { 2, 2 }]),
        new("[1, 2, 7, 9] k 3 s 2 p 1 ceil, no pad count", M(rng, [1, 2, 7, 9], F64), [new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 }, true, false, null]),
        new("[1, 2, 6, 6] k [3, 2] s [1, 2] p [1, 0] divisor 5", M(rng, [1, 2, 6, 6], F32), [new long[] { 3, 2 }, new long[] { 1, 2 }, new long[] { 1, 0 }, false, true, 5L]),
        new("[3, 5, 5] unbatched k 2", M(rng, [3, 5, 5], F32), [new long[] { 2, 2 }]),
        new("[1, 1, 5, 5] k 3 s 2 p 1 ceil, pad counted", M(rng, [1, 1, 5, 5], F64), [new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 }, true, true, null]),
    ];

    private static IEnumerable<PoolCase> MaxPool2d(Random rng) =>
    [
        new("[2, 3, 8, 8] k 2", M(rng, [2, 3, 8, 8], F32), [new long[] { 2, 2 }]),
        new("[1, 2, 9, 7] k 3 s 2 p 1 ceil", M(rng, [1, 2, 9, 7], F64), [new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 1, 1 }, true]),
        new("[1, 1, 7, 7] k 2 s 1 dilation 2", M(rng, [1, 1, 7, 7], F32), [new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 0, 0 }, new long[] { 2, 2 }, false]),
        new("[3, 6, 6] unbatched k 3 s 3", M(rng, [3, 6, 6], F32), [new long[] { 3, 3 }, new long[] { 3, 3 }]),
    ];

    /// <summary>input, weight, bias, stride, padding, dilation, transposed, output_padding, groups — 1d, 2d, 3d, depthwise, transposed.</summary>
    private static IEnumerable<OracleCase> Convolutions(Random rng)
    {
        var specs = new (string Name, long[] Input, long[] Weight, bool Bias, long Stride, long Padding, long Dilation, bool Transposed, long OutputPadding, long Groups)[]
        {
            ("conv1d groups 2 stride 2", [2, 4, 9], [6, 2, 3], true, 2, 1, 1, false, 0, 2),
            ("conv2d dilation 2", [1, 3, 7, 6], [4, 3, 3, 2], false, 1, 1, 2, false, 0, 1),
            ("conv2d depthwise stride 2", [2, 4, 5, 5], [4, 1, 3, 3], true, 2, 0, 1, false, 0, 4),
            ("conv_transpose1d output_padding 1", [2, 4, 5], [4, 3, 3], true, 2, 1, 1, true, 1, 1),
            ("conv_transpose2d groups 2", [1, 4, 4, 3], [4, 1, 2, 3], false, 2, 1, 1, true, 0, 2),
            ("conv3d", [1, 2, 4, 3, 5], [3, 2, 2, 2, 3], true, 1, 0, 1, false, 0, 1),
            ("conv3d groups 2 stride 2 padding 1", [2, 4, 5, 6, 7], [6, 2, 3, 3, 3], true, 2, 1, 1, false, 0, 2),
            ("conv3d dilation 2 padding 2", [1, 3, 7, 6, 7], [2, 3, 3, 2, 3], false, 1, 2, 2, false, 0, 1),
            ("conv3d depthwise", [1, 4, 4, 5, 6], [4, 1, 3, 3, 3], true, 1, 1, 1, false, 0, 4),
            ("conv3d 1x1x1", [2, 6, 3, 4, 5], [5, 6, 1, 1, 1], true, 1, 0, 1, false, 0, 1),
            ("conv_transpose3d output_padding 1", [2, 4, 3, 4, 3], [4, 3, 3, 3, 3], true, 2, 1, 1, true, 1, 1),
            ("conv_transpose3d groups 2 dilation 2", [1, 4, 3, 3, 4], [4, 2, 2, 3, 2], false, 1, 0, 2, true, 1, 2),
            ("conv2d unbatched", [3, 5, 5], [2, 3, 3, 3], true, 1, 1, 1, false, 0, 1),
            ("conv3d unbatched", [3, 4, 5, 6], [2, 3, 3, 3, 3], true, 1, 1, 1, false, 0, 1),
        };
        foreach (var dtype in new[] { F32, F64 })
        {
            foreach (var s in specs)
            {
                int spatial = s.Input.Length - (s.Name.EndsWith("unbatched", StringComparison.Ordinal) ? 1 : 2);
                long outChannels = s.Transposed ? s.Weight[1] * s.Groups : s.Weight[0];
                long[] Repeat(long v) => Enumerable.Repeat(v, spatial).ToArray();
                yield return V($"{s.Name} {ValueJson.DTypeName(dtype)}", M(rng, s.Input, dtype), M(rng, s.Weight, dtype), s.Bias ? M(rng, [outChannels], dtype) : null,
                    Repeat(s.Stride), Repeat(s.Padding), Repeat(s.Dilation), s.Transposed, Repeat(s.OutputPadding), s.Groups);
            }
        }
    }

    /// <summary>The convolution's output shape by torch's formula (not by running ours, which may not support the case).</summary>
    private static long[] ConvolutionOutputShape(object?[] args)
    {
        var input = ((Tensor)args[0]!).Shape.ToLongs();
        var weight = ((Tensor)args[1]!).Shape.ToLongs();
        var (stride, padding, dilation) = ((long[])args[3]!, (long[])args[4]!, (long[])args[5]!);
        bool transposed = (bool)args[6]!;
        var outputPadding = (long[])args[7]!;
        long groups = (long)args[8]!;
        int spatial = weight.Length - 2;
        bool batched = input.Length == weight.Length;
        long channels = transposed ? weight[1] * groups : weight[0];
        var size = new List<long>();
        if (batched) size.Add(input[0]);
        size.Add(channels);
        for (int i = 0; i < spatial; i++)
        {
            long n = input[input.Length - spatial + i], k = weight[2 + i];
            size.Add(transposed
                ? (n - 1) * stride[i] - 2 * padding[i] + dilation[i] * (k - 1) + outputPadding[i] + 1
                : (n + 2 * padding[i] - dilation[i] * (k - 1) - 1) / stride[i] + 1);
        }
        return [.. size];
    }

    private sealed record GroupNormCase(string Description, Tensor Input, Tensor? Weight, Tensor? Bias, long N, long C, long HxW, long Groups);

    private static IEnumerable<GroupNormCase> GroupNorms(Random rng) =>
    [
        new("[2, 4, 3] 2 groups", M(rng, [2, 4, 3], F64), M(rng, [4], F64), M(rng, [4], F64), 2, 4, 3, 2),
        new("[2, 6, 2, 2] 3 groups float32", M(rng, [2, 6, 2, 2], F32), M(rng, [6], F32), M(rng, [6], F32), 2, 6, 4, 3),
        new("[3, 4, 5] 4 groups no affine", M(rng, [3, 4, 5], F32), null, null, 3, 4, 5, 4),
        new("[1, 2, 1] 1 group", M(rng, [1, 2, 1], F64), M(rng, [2], F64), M(rng, [2], F64), 1, 2, 1, 1),
    ];

    private sealed record LayerNormCase(string Description, Tensor Input, long[] Normalized, Tensor? Weight, Tensor? Bias);

    private static IEnumerable<LayerNormCase> LayerNorms(Random rng) =>
    [
        new("[3, 2, 4] over [2, 4]", M(rng, [3, 2, 4], F64), [2, 4], M(rng, [2, 4], F64), M(rng, [2, 4], F64)),
        new("[5, 6] over [6] no affine", M(rng, [5, 6], F32), [6], null, null),
        new("[2, 3, 8] over [8] float32", M(rng, [2, 3, 8], F32), [8], M(rng, [8], F32), M(rng, [8], F32)),
        new("[4, 5] over [5] weight only", M(rng, [4, 5], F64), [5], M(rng, [5], F64), null),
    ];
}

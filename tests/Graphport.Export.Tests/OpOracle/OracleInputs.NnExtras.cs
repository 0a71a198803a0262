namespace Graphport.Tests.OpOracle;

/// <summary>Oracle inputs of the torch.nn ops of Aten.NnExtras.cs (roll, pixel shuffles, adaptive max pools, bicubic upsampling, vector norms, embedding_bag) and grid_sampler_3d.</summary>
public static partial class OracleInputs
{
    private static readonly Dictionary<string, Func<Random, IEnumerable<OracleCase>>> NnExtrasTable = new()
    {
        ["aten::roll"] = rng => Each([[5], [3, 4], [2, 3, 4], [0, 3]], Common, (s, d) =>
            from p in new (long[] Shifts, long[] Dims)[] { ([1], []), ([2], [1 % s.Length]), ([-1, 3], [0, -1]), ([7], [0]), ([-4], []) }
            select new OracleCase(Describe(s, d, $" shifts [{string.Join(", ", p.Shifts)}] dims [{string.Join(", ", p.Dims)}]"),
                [Make(rng, s, d), p.Shifts.Select(x => (SymInt)x).ToArray(), p.Dims])),
        ["aten::pixel_shuffle"] = rng => Each([[1, 8, 3, 3], [2, 4, 2, 3], [4, 2, 2], [2, 1, 9, 1, 2]], [DType.Float32, DType.Float64, DType.Int64, DType.Bool], (s, d) =>
            [new(Describe(s, d), [Make(rng, s, d), s[^3] == 9 ? 3L : 2L])]),
        ["aten::pixel_unshuffle"] = rng => Each([[1, 2, 4, 6], [3, 4, 2], [2, 1, 1, 6, 3]], [DType.Float32, DType.Float64, DType.Int64, DType.Bool], (s, d) =>
            [new(Describe(s, d), [Make(rng, s, d), s[^1] == 3 ? 3L : 2L])]),
        ["aten::adaptive_max_pool2d"] = rng => Each([[1, 3, 8, 8], [2, 7, 5], [2, 3, 6, 9]], [DType.Float32, DType.Float64], (s, d) =>
            from o in new long[][] { [2, 2], [3, 4], [1, 1], [5, 3] }
            select new OracleCase(Describe(s, d, $" output [{o[0]}, {o[1]}]"), [Make(rng, s, d), o])),
        ["aten::adaptive_max_pool1d"] = rng => Each([[2, 3, 10], [3, 7]], [DType.Float32, DType.Float64], (s, d) =>
            from o in new long[] { 1, 3, 5, 7 }
            select new OracleCase(Describe(s, d, $" output {o}"), [Make(rng, s, d), new[] { o }])),
        ["aten::upsample_bicubic2d.vec"] = rng => Each([[1, 2, 4, 5], [2, 1, 3, 3]], [DType.Float32, DType.Float64], (s, d) =>
            from c in new (long[]? Size, bool Align, double[]? Scales)[] { ([7, 9], false, null), ([3, 11], true, null), (null, false, [1.5, 0.5]), (null, true, [2.0, 2.0]), ([1, 1], true, null) }
            select new OracleCase(Describe(s, d, $" size {(c.Size is null ? "None" : string.Join("x", c.Size))} align {c.Align} scales {(c.Scales is null ? "None" : string.Join("x", c.Scales))}"),
                [Make(rng, s, d), c.Size?.Select(x => (SymInt)x).ToArray(), c.Align, c.Scales])),
        ["aten::linalg_vector_norm"] = rng => Each([[5], [3, 4], [2, 3, 4]], [DType.Float32, DType.Float64], (s, d) =>
            from ord in new object[] { 2L, 1L, 0L, double.PositiveInfinity, double.NegativeInfinity, 3.5, -2L }
            from dims in new long[]?[] { null, [-1], [0, -1] }
            from keep in new[] { false, true }
            where s.Length > 1 || dims is not [0, -1]
            select new OracleCase(Describe(s, d, $" ord {ord} dims {(dims is null ? "None" : string.Join(",", dims))} keepdim {keep}"),
                [Make(rng, s, d, -3, 3), ord, dims, keep, ord is 1L && !keep ? DType.Float64 : null])),
        ["aten::grid_sampler_3d"] = rng =>
            from dtype in new[] { DType.Float32, DType.Float64 }
            from mode in new long[] { 0, 1 }
            from padding in new long[] { 0, 1, 2 }
            from align in new[] { false, true }
            select new OracleCase($"{dtype.TorchName()} mode {mode} padding {padding} align_corners {align}",
                [Make(rng, [2, 3, 4, 5, 3], dtype), Make(rng, [2, 3, 2, 4, 3], dtype, -1.4, 1.4), mode, padding, align]),
        ["aten::embedding_bag.padding_idx"] = rng => EmbeddingBags(rng, withPadding: true),
        ["aten::embedding_bag"] = rng => EmbeddingBags(rng, withPadding: false),
    };

    /// <summary>
    /// embedding_bag over 10×4 weights: 7 indices in bags [0, 2), [2, 2) (empty), [2, 5), [5, 7) in each mode; with
    /// include_last_offset the offsets end with 7, the number of indices, as torch requires.
    /// </summary>
    private static Tensor Offsets(bool includeLast) => includeLast ? Tensor.FromArray(new long[] { 0, 2, 2, 5, 7 }, 5) : Tensor.FromArray(new long[] { 0, 2, 2, 5 }, 4);

    private static IEnumerable<OracleCase> EmbeddingBags(Random rng, bool withPadding) =>
        from dtype in new[] { DType.Float32, DType.Float64 }
        from mode in new long[] { 0, 1, 2 }
        from weighted in mode == 0 ? new[] { false, true } : [false]
        from last in new[] { false, true }
        from padding in withPadding ? new long?[] { null, 3, -7 } : [null]
        select new OracleCase($"{dtype.TorchName()} mode {mode} weighted {weighted} include_last_offset {last} padding_idx {padding?.ToString() ?? "None"}",
            withPadding
                ? [Make(rng, [10, 4], dtype), Make(rng, [7], DType.Int64, 0, 10), Offsets(last), false, mode, false,
                   weighted ? Make(rng, [7], dtype, 0, 2) : null, last, padding]
                : [Make(rng, [10, 4], dtype), Make(rng, [7], DType.Int64, 0, 10), Offsets(last), false, mode, false,
                   weighted ? Make(rng, [7], dtype, 0, 2) : null, last]);
}

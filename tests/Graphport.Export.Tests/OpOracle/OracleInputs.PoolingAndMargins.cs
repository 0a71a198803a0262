namespace Graphport.Tests.OpOracle;

/// <summary>
/// Oracle inputs of the ops that make or take pooling indices (adaptive_max_pool3d, max_unpool2d/3d: indices a real
/// max pool made, so every position is written at most once, and batched and unbatched inputs; the fractional max
/// pools with uniform samples) and of the margin
/// losses (every reduction, weights, p 1 and 2, label lists of every length, empty batches unreduced: torch's CPU kernels
/// return uninitialized memory for an empty batch's mean or sum).
/// </summary>
public static partial class OracleInputs
{
    private static readonly Dictionary<string, Func<Random, IEnumerable<OracleCase>>> PoolingAndMarginsTable = new()
    {
        ["aten::adaptive_max_pool3d"] = rng => Each([[1, 2, 4, 4, 6], [2, 5, 3, 7], [2, 1, 6, 9, 3]], [DType.Float32, DType.Float64], (s, d) =>
            from o in new long[][] { [2, 2, 3], [3, 2, 4], [1, 1, 1], [4, 3, 5] }
            select new OracleCase(Describe(s, d, $" output [{string.Join(", ", o)}]"), [Make(rng, s, d), o])),
        ["aten::max_unpool2d"] = rng => Each([[2, 3, 6, 8], [3, 5, 4], [1, 2, 7, 5]], [DType.Float32, DType.Float64], (s, d) =>
            from w in new (long[] Kernel, long[] Stride, long[] Padding)[] { ([2, 2], [2, 2], [0, 0]), ([3, 2], [2, 1], [1, 0]), ([2, 3], [1, 2], [0, 1]) }
            select UnpoolCase(rng, s, d, w.Kernel, w.Stride, w.Padding)),
        ["aten::max_unpool3d"] = rng => Each([[1, 2, 4, 6, 5], [3, 4, 4, 6]], [DType.Float32, DType.Float64], (s, d) =>
            from w in new (long[] Kernel, long[] Stride, long[] Padding)[] { ([2, 2, 2], [2, 2, 2], [0, 0, 0]), ([2, 3, 2], [1, 2, 2], [1, 1, 0]) }
            select UnpoolCase(rng, s, d, w.Kernel, w.Stride, w.Padding)),
        ["aten::fractional_max_pool2d"] = rng => Each([[2, 3, 9, 11], [3, 8, 7], [1, 2, 16, 6]], [DType.Float32, DType.Float64], (s, d) =>
            from c in new (long[] Kernel, long[] Output)[] { ([2, 2], [4, 5]), ([3, 2], [5, 3]), ([1, 1], [7, 4]), ([2, 3], [1, 2]), ([2, 2], [7, 5]) }
            where c.Output[0] + c.Kernel[0] - 1 <= s[^2] && c.Output[1] + c.Kernel[1] - 1 <= s[^1]
            select new OracleCase(Describe(s, d, $" kernel [{string.Join(", ", c.Kernel)}] output [{string.Join(", ", c.Output)}]"),
                [Make(rng, s, d), c.Kernel, c.Output, Make(rng, [s.Length == 4 ? s[0] : 1, s[^3], 2], d, 0, 1)])),
        ["aten::fractional_max_pool3d"] = rng => Each([[2, 2, 6, 7, 5], [3, 5, 8, 4]], [DType.Float32, DType.Float64], (s, d) =>
            from c in new (long[] Kernel, long[] Output)[] { ([2, 2, 2], [3, 4, 2]), ([1, 3, 2], [4, 2, 2]) }
            select new OracleCase(Describe(s, d, $" kernel [{string.Join(", ", c.Kernel)}] output [{string.Join(", ", c.Output)}]"),
                [Make(rng, s, d), c.Kernel, c.Output, Make(rng, [s.Length == 5 ? s[0] : 1, s[^4], 3], d, 0, 1)])),
        ["aten::multi_margin_loss"] = rng =>
            from shape in new long[][] { [4, 5], [6], [0, 3], [1, 1] }
            from dtype in new[] { DType.Float32, DType.Float64 }
            from p in new long[] { 1, 2 }
            from weighted in new[] { false, true }
            from reduction in Reductions
            where shape[0] != 0 || reduction == 0
            let samples = shape.Length == 2 ? shape[0] : 1
            let target = Make(rng, shape.Length == 2 ? [samples] : [], DType.Int64, 0, shape[^1])
            select new OracleCase(Describe(shape, dtype, $" p {p} weighted {weighted} reduction {reduction}"),
                [Make(rng, shape, dtype, -2, 2), target, p, p == 2 ? 0.5 : 1.0, weighted ? Make(rng, [shape[^1]], dtype, 0.2, 2) : null, reduction]),
        ["aten::multilabel_margin_loss"] = rng =>
            from shape in new long[][] { [4, 5], [6], [0, 3], [3, 1] }
            from dtype in new[] { DType.Float32, DType.Float64 }
            from reduction in Reductions
            where shape[0] != 0 || reduction == 0
            select new OracleCase(Describe(shape, dtype, $" reduction {reduction}"), [Make(rng, shape, dtype, -2, 2), LabelLists(rng, shape), reduction]),
    };

    /// <summary>A max pool's values and indices over a random input, and the input's spatial size to unpool to.</summary>
    private static OracleCase UnpoolCase(Random rng, long[] shape, DType dtype, long[] kernel, long[] stride, long[] padding)
    {
        var input = Make(rng, shape, dtype);
        var (values, indices) = kernel.Length == 2
            ? Functional.MaxPool2dWithIndices(input, kernel, stride, padding)
            : Functional.MaxPool3dWithIndices(input, kernel, stride, padding);
        var size = shape[^kernel.Length..].Select(x => (SymInt)x).ToArray();
        var args = new List<object?> { values, indices, size };
        if (kernel.Length == 3) args.AddRange([stride, padding]);
        return new OracleCase(Describe(shape, dtype, $" kernel [{string.Join(", ", kernel)}] stride [{string.Join(", ", stride)}] padding [{string.Join(", ", padding)}]"), [.. args]);
    }

    /// <summary>Per sample, a random number of distinct class indices (some repeated once), then −1 and filler.</summary>
    private static Tensor LabelLists(Random rng, long[] shape)
    {
        long classes = shape[^1], samples = shape.Length == 2 ? shape[0] : 1;
        var labels = new long[samples * classes];
        for (long n = 0; n < samples; n++)
        {
            int listed = rng.Next((int)classes + 1);
            var order = Enumerable.Range(0, (int)classes).OrderBy(_ => rng.Next()).ToArray();
            for (long j = 0; j < classes; j++)
                labels[n * classes + j] = j < listed ? order[j] : j == listed ? -1 : rng.NextInt64(-1, classes);
            if (listed >= 2 && rng.Next(2) == 0) labels[n * classes + 1] = labels[n * classes];
        }
        return Tensor.FromArray(labels, shape);
    }
}

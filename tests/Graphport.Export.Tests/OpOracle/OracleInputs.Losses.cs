namespace Graphport.Tests.OpOracle;

/// <summary>
/// Oracle inputs of the loss ops of Aten.Losses.cs: every reduction, with and without weights, ignored targets,
/// broadcast targets, empty batches, and the dtypes torch's CPU kernels take.
/// </summary>
public static partial class OracleInputs
{
    private static readonly long[] Reductions = [0, 1, 2];

    private static readonly Dictionary<string, Func<Random, IEnumerable<OracleCase>>> LossesTable = new()
    {
        ["aten::nll_loss_forward"] = rng =>
            from shape in new long[][] { [5], [4, 5], [7, 3], [0, 5] }
            from dtype in Floats
            from weighted in new[] { false, true }
            from reduction in Reductions
            from ignore in new long[] { -100, 1 }
            select NllCase(rng, shape, shape.Length == 1 ? [] : [shape[0]], dtype, weighted, reduction, ignore),
        ["aten::nll_loss2d_forward"] = rng =>
            from shape in new long[][] { [2, 3, 4, 5], [1, 4, 1, 3], [0, 3, 2, 2] }
            from dtype in new[] { DType.Float32, DType.Float64 }
            from weighted in new[] { false, true }
            from reduction in Reductions
            from ignore in new long[] { -100, 2 }
            select NllCase(rng, shape, [shape[0], shape[2], shape[3]], dtype, weighted, reduction, ignore),
        ["aten::mse_loss"] = rng => PointwiseLossCases(rng, (x, y, r) => [x, y, r]),
        ["aten::smooth_l1_loss"] = rng => PointwiseLossCases(rng, (x, y, r) => [x, y, r, r == 1 ? 0.5 : 1.0]),
        ["aten::huber_loss"] = rng => PointwiseLossCases(rng, (x, y, r) => [x, y, r, r == 2 ? 0.3 : 1.7]),
        ["aten::soft_margin_loss"] = rng =>
            from shape in new long[][] { [5], [3, 4], [2, 3, 4] }
            from dtype in Floats
            from reduction in Reductions
            select new OracleCase(Describe(shape, dtype, $" reduction {reduction}"), [Make(rng, shape, dtype), Signs(rng, shape, dtype), reduction]),
        ["aten::binary_cross_entropy"] = rng =>
            from shape in new long[][] { [5], [3, 4], [0, 2] }
            from dtype in new[] { DType.Float32, DType.Float64 }
            from weighted in new[] { false, true }
            from reduction in Reductions
            select new OracleCase(Describe(shape, dtype, $" weighted {weighted} reduction {reduction}"),
                [Probabilities(rng, shape, dtype, withCertainties: true), Make(rng, shape, dtype, 0, 1), weighted ? Make(rng, shape, dtype, 0, 2) : null, reduction]),
        ["aten::binary_cross_entropy_with_logits"] = rng =>
            from shape in new long[][] { [5], [3, 4], [2, 3, 4] }
            from dtype in new[] { DType.Float32, DType.Float64, DType.BFloat16 }
            from weighted in new[] { false, true }
            from positives in new[] { false, true }
            from reduction in Reductions
            select new OracleCase(Describe(shape, dtype, $" weighted {weighted} pos_weight {positives} reduction {reduction}"),
                [Make(rng, shape, dtype, -8, 8), Make(rng, shape, dtype, 0, 1), weighted ? Make(rng, shape, dtype, 0, 2) : null,
                 positives ? Make(rng, [shape[^1]], dtype, 0.5, 3) : null, reduction]),
    };

    /// <summary>Log-probabilities and class indices, about a fifth of them set to the ignored index.</summary>
    private static OracleCase NllCase(Random rng, long[] shape, long[] targetShape, DType dtype, bool weighted, long reduction, long ignore)
    {
        long classes = shape.Length == 1 ? shape[0] : shape[1];
        long n = targetShape.Aggregate(1L, (a, b) => a * b);
        var labels = Enumerable.Range(0, (int)n).Select(_ => rng.Next(5) == 0 && ignore >= 0 ? ignore : rng.NextInt64(0, classes)).ToArray();
        var target = Tensor.FromArray(labels, targetShape);
        return new OracleCase(Describe(shape, dtype, $" weighted {weighted} reduction {reduction} ignore_index {ignore}"),
            [Make(rng, shape, dtype, -4, 0), target, weighted ? Make(rng, [classes], dtype, 0.2, 2) : null, reduction, ignore]);
    }

    /// <summary>Same-shape and broadcast (input, target) pairs over the float dtypes and reductions.</summary>
    private static IEnumerable<OracleCase> PointwiseLossCases(Random rng, Func<Tensor, Tensor, long, object?[]> args) =>
        from pair in new (long[] Input, long[] Target)[] { ([5], [5]), ([3, 4], [3, 4]), ([3, 4], [4]), ([2, 1, 4], [3, 1]), ([0, 3], [0, 3]), ([], []) }
        from dtype in Floats
        from reduction in Reductions
        select new OracleCase($"{Describe(pair.Input, dtype)} target [{string.Join(", ", pair.Target)}] reduction {reduction}",
            args(Make(rng, pair.Input, dtype), Make(rng, pair.Target, dtype), reduction));

    private static Tensor Signs(Random rng, long[] shape, DType dtype) =>
        Make(rng, shape, DType.Int64, 0, 2).To(dtype) * 2.0 - 1.0;

    /// <summary>Probabilities in (0, 1), the first exactly 0 and the last exactly 1 when asked (the −100 floor of the logs).</summary>
    private static Tensor Probabilities(Random rng, long[] shape, DType dtype, bool withCertainties)
    {
        int n = (int)shape.Aggregate(1L, (a, b) => a * b);
        var values = Enumerable.Range(0, n).Select(_ => 0.01 + 0.98 * rng.NextDouble()).ToArray();
        if (withCertainties && n > 2)
        {
            values[0] = 0;
            values[^1] = 1;
        }
        return Tensor.FromArray(values, shape).To(dtype);
    }
}

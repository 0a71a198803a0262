using Graphport.Operators;

namespace Graphport;

/// <summary>
/// <c>graphport::split_mm_cat(input, weight, ends)</c>: the rows of <c>input</c> (rows, k) split into one run per
/// group at the cumulative <c>ends</c> (groups), run g times <c>weight[g]</c> (k, n), the products concatenated
/// in order: cat([mm(run_g, weight[g]) for g], 0), (rows, n). What a mixture of experts written as a loop over its
/// experts computes (<see cref="ExpertSplitMatmul"/>); unlike _grouped_mm the runs must cover the rows exactly, as
/// the split's sizes must: each run non-negative and the last end equal to the rows, else the op fails as the
/// split's checks would. Graphport's own op: the device preparation writes it (RunDecompositions with groupedExperts),
/// and programs a user exports or saves never hold it.
/// </summary>
internal static partial class Aten
{
    private const string SplitMmCatName = "graphport::split_mm_cat";

    public static readonly OpOverload SplitMmCat = Def("split_mm_cat(Tensor input, Tensor weight, Tensor ends) -> Tensor",
        meta: a =>
        {
            Tensor input = T0(a), weight = Tn(a, 1), ends = Tn(a, 2);
            if (input.Ndim != 2 || weight.Ndim != 3 || ends.Ndim != 1)
                throw new ArgumentException($"{SplitMmCatName}: expects a 2-D input, a 3-D weight and 1-D ends, got {input.Ndim}-D, {weight.Ndim}-D and {ends.Ndim}-D.");
            if (!(ends.Shape[0] == weight.Shape[0]))
                throw new ArgumentException($"{SplitMmCatName}: {ends.Shape[0].Hint} group ends for the {weight.Shape[0].Hint} matrices of the weight.");
            if (!(input.Shape[1] == weight.Shape[1]))
                throw new ArgumentException($"{SplitMmCatName}: the input's rows have {input.Shape[1].Hint} columns, the weight's matrices {weight.Shape[1].Hint} rows.");
            if (ends.DType is not (DType.Int32 or DType.Int64))
                throw new ArgumentException($"{SplitMmCatName}: ends must be an integer tensor, got {DTypeNames.Capitalized(ends.DType)}.");
            SameDType(SplitMmCatName, input, weight);
            return new TensorMeta(input.DType, [input.Shape[0], weight.Shape[2]]);
        },
        kernel: a =>
        {
            Tensor input = T0(a), ends = Tn(a, 2);
            CheckSplitEnds(SplitMmCatName, Eager.Dense<long>(ends), input.Sizes[0]);
            return GroupedMmKernel(input, Tn(a, 1), ends, input.DType);
        },
        ns: "graphport");

    /// <summary>Fails unless <paramref name="ends"/> split <paramref name="rows"/> rows into runs of non-negative length that cover them.</summary>
    internal static void CheckSplitEnds(string op, long[] ends, long rows)
    {
        for (int g = 0; g < ends.Length; g++)
        {
            long count = ends[g] - (g == 0 ? 0 : ends[g - 1]);
            if (count < 0)
                throw new IndexValueException($"{op}: group {g} has {count} rows; a split's sizes must be non-negative (the row counts read from the data: [{string.Join(", ", Counts(ends))}]).");
        }
        long total = ends.Length == 0 ? 0 : ends[^1];
        if (total != rows)
            throw new IndexValueException($"{op}: the groups' row counts add up to {total}, but the input has {rows} rows; a split's sizes must add up to the size they split (the row counts read from the data: [{string.Join(", ", Counts(ends))}]).");
    }

    private static IEnumerable<long> Counts(long[] ends) => ends.Select((e, g) => e - (g == 0 ? 0 : ends[g - 1]));
}

using Graphport.Graphs;
using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

// sort and topk become a row sort on the device (SortRowsKernel), merge passes after it when rows are longer than a
// block sorts (MergeSortedRunsKernel): a mixture of experts routes every token with them, a sampler ranks a whole
// vocabulary, and on the host each waited for a copy out and back.
public sealed partial class FusionPlanner
{
    /// <summary>The longest row (or chunk of one) a block sorts in shared memory (keys and positions of 1024 doubles: 16 KB).</summary>
    public const long MaxSortedRow = 1024;

    private object? LowerSortRows(Node node, Dictionary<string, object?> args, bool topk)
    {
        if (node.Value is not TensorMeta[] { Length: 2 } metas || args["self"] is not PlannedValue input || input.Shape.Length == 0) return null;
        if (input.DType is DType.Bool) return null;
        int rank = input.Shape.Length, dim = NormalizeDim(Convert.ToInt64(args["dim"]), rank);
        long length = input.Shape[dim], inner = input.Shape[(dim + 1)..].Aggregate(1L, (a, b) => a * b);
        long keep = topk ? Convert.ToInt64(args["k"]) : length;
        if (keep < 0 || keep > length) return null;
        bool descending = topk ? args.GetValueOrDefault("largest") is not false : args.GetValueOrDefault("descending") is true;
        long rows = length == 0 ? 0 : input.Numel / length;
        var space = new IterationSpace("s", "s", input.Shape);
        var read = Exprs.Cast(ReadInlinedOrStored(input, space.Coordinates), ValueKinds.Of(input.DType));
        var outShape = input.Shape.Select((s, d) => d == dim ? keep : s).ToArray();
        var values = NewBuffer($"{node.Name}_values", metas[0].DType, rows * keep, BufferKind.Intermediate);
        var positions = NewBuffer($"{node.Name}_indices", DType.Int64, rows * keep, BufferKind.Intermediate);
        var valueResult = new PlannedValue($"{node.Name}_0", metas[0].DType, outShape) { Stored = StridedView.Contiguous(values, outShape) };
        var positionResult = new PlannedValue($"{node.Name}_1", DType.Int64, outShape) { Stored = StridedView.Contiguous(positions, outShape) };
        if (!input.IsStored) valueResult.Provenance.AddRange(input.Provenance);
        valueResult.Provenance.Add(topk ? "aten::topk" : "aten::sort");
        positionResult.Provenance.Add(topk ? "aten::topk" : "aten::sort");
        if (rows == 0 || keep == 0) return new object?[] { valueResult, positionResult };

        string what = $"{(topk ? $"topk {keep} {(descending ? "largest" : "smallest")} of" : $"sort {(descending ? "descending" : "ascending")}")} {rows} rows of {length}"
            + (dim == rank - 1 ? "" : $" (dim {dim})") + $"  {input.DType.ShortName()}";
        var sort = new SortRowsKernel(Hint(valueResult), $"{node.Name} = {what}", space, rows, length, keep, descending, read, values, positions) { Inner = inner, OutInner = inner };
        if (length <= MaxSortedRow)
        {
            steps.Add(sort);
            return new object?[] { valueResult, positionResult };
        }
        // Longer rows: sorted chunks of MaxSortedRow into runs, then merge passes between two pairs of run buffers
        // (keys in the type the sort compares: float for half inputs, int64 for integers), the last into the outputs.
        var keyType = read.Kind switch { ValueKind.Double => DType.Float64, ValueKind.Int64 or ValueKind.Bool => DType.Int64, _ => DType.Float32 };
        var runs = new[]
        {
            (Keys: NewBuffer($"{node.Name}_runs_a", keyType, rows * length, BufferKind.Intermediate), Positions: NewBuffer($"{node.Name}_run_positions_a", DType.Int64, rows * length, BufferKind.Intermediate)),
            (Keys: NewBuffer($"{node.Name}_runs_b", keyType, rows * length, BufferKind.Intermediate), Positions: NewBuffer($"{node.Name}_run_positions_b", DType.Int64, rows * length, BufferKind.Intermediate)),
        };
        steps.Add(sort with { Name = $"{sort.Name}_runs", Comment = $"{sort.Comment}: chunks of {MaxSortedRow}", Values = runs[0].Keys, Positions = runs[0].Positions, OutRow = length, OutInner = 1 });
        int from = 0, pass = 0;
        for (long width = MaxSortedRow; width < length; width *= 2, from ^= 1, pass++)
        {
            var merge = new MergeSortedRunsKernel($"{sort.Name}_merge{pass}", $"{node.Name}: merge runs of {width}", rows, length, width, keep, descending,
                runs[from].Keys, runs[from].Positions, runs[from ^ 1].Keys, runs[from ^ 1].Positions, length, 1);
            steps.Add(merge.IsLast ? merge with { Values = values, Positions = positions, OutRow = keep, OutInner = inner, Comment = $"{merge.Comment} into {what}" } : merge);
        }
        return new object?[] { valueResult, positionResult };
    }
}

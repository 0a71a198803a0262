using Graphport.Graphs;
using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

// sort and topk along the last dim become a row sort on the device (SortRowsKernel); a mixture of experts routes
// every token with them, and on the host each layer waited for a copy out and back.
public sealed partial class FusionPlanner
{
    /// <summary>The longest row a block sorts in shared memory (keys and positions of 1024 doubles: 16 KB).</summary>
    public const long MaxSortedRow = 1024;

    private object? LowerSortRows(Node node, Dictionary<string, object?> args, bool topk)
    {
        if (node.Value is not TensorMeta[] { Length: 2 } metas || args["self"] is not PlannedValue input || input.Shape.Length == 0) return null;
        if (input.DType is DType.Bool) return null;
        int rank = input.Shape.Length;
        if (NormalizeDim(Convert.ToInt64(args["dim"]), rank) != rank - 1) return null;
        long length = input.Shape[^1];
        if (length > MaxSortedRow) return null;
        long keep = topk ? Convert.ToInt64(args["k"]) : length;
        bool descending = topk ? args.GetValueOrDefault("largest") is not false : args.GetValueOrDefault("descending") is true;
        long rows = length == 0 ? 0 : input.Numel / length;
        var space = new IterationSpace("s", "s", input.Shape);
        var read = ReadInlinedOrStored(input, space.Coordinates);
        var outShape = input.Shape[..^1].Append(keep).ToArray();
        var values = NewBuffer($"{node.Name}_values", metas[0].DType, rows * keep, BufferKind.Intermediate);
        var positions = NewBuffer($"{node.Name}_indices", DType.Int64, rows * keep, BufferKind.Intermediate);
        var valueResult = new PlannedValue($"{node.Name}_0", metas[0].DType, outShape) { Stored = StridedView.Contiguous(values, outShape) };
        var positionResult = new PlannedValue($"{node.Name}_1", DType.Int64, outShape) { Stored = StridedView.Contiguous(positions, outShape) };
        if (!input.IsStored) valueResult.Provenance.AddRange(input.Provenance);
        valueResult.Provenance.Add(topk ? "aten::topk" : "aten::sort");
        positionResult.Provenance.Add(topk ? "aten::topk" : "aten::sort");
        if (rows > 0 && keep > 0)
            steps.Add(new SortRowsKernel(Hint(valueResult), $"{node.Name} = {(topk ? $"topk {keep} {(descending ? "largest" : "smallest")} of" : $"sort {(descending ? "descending" : "ascending")}")} {rows} rows of {length}  {input.DType.ShortName()}",
                space, rows, length, keep, descending, Exprs.Cast(read, ValueKinds.Of(input.DType)), values, positions));
        return new object?[] { valueResult, positionResult };
    }
}

using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// A mixture of experts' grouped product becomes a generated tiled kernel (GroupedMatmulKernel) that reads the group
// ends on the device; it ran on the host, copying the tokens, every expert's weights and the product across.
public sealed partial class FusionPlanner
{
    private PlannedValue? TryLowerGroupedMatmul(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        if (node.Value is not TensorMeta meta || !ValueKinds.Of(meta.DType).IsFloating()) return null;
        var (a, b, ends) = op.Name switch
        {
            "transformers::grouped_mm_fallback" => (args["input"] as PlannedValue, args["weight"] as PlannedValue, args["offs"] as PlannedValue),
            "graphport::split_mm_cat" => (args["input"] as PlannedValue, args["weight"] as PlannedValue, args["ends"] as PlannedValue),
            "aten::_grouped_mm" when args.GetValueOrDefault("bias") is null => (args["self"] as PlannedValue, args["mat2"] as PlannedValue, args.GetValueOrDefault("offs") as PlannedValue),
            _ => (null, null, null),
        };
        if (a is not { Shape.Length: 2 } || b is not { Shape.Length: 3 } || ends is not { Shape.Length: 1 }) return null;
        if (a.DType != meta.DType || b.DType != meta.DType) return null;
        long rows = a.Shape[0], k = a.Shape[1], groups = b.Shape[0], n = b.Shape[2];
        var accumulate = ValueKinds.Of(meta.DType);
        var aSpace = new IterationSpace("ai", "a", [rows, k]);
        var bSpace = new IterationSpace("bi", "b", [groups, k, n]);
        var endsSpace = new IterationSpace("gi", "g", [groups]);
        var left = Exprs.Cast(ReadInlinedOrStored(a, aSpace.Coordinates), accumulate);
        var right = Exprs.Cast(ReadInlinedOrStored(b, bSpace.Coordinates), accumulate);
        var groupEnds = Exprs.Cast(ReadInlinedOrStored(ends, endsSpace.Coordinates), ValueKind.Int64);
        var output = NewBuffer(node.Name, meta.DType, rows * n, BufferKind.Intermediate);
        var result = new PlannedValue(node.Name, meta.DType, [rows, n]) { Stored = StridedView.Contiguous(output, [rows, n]) };
        foreach (var operand in new[] { a, b, ends })
            if (!operand.IsStored) result.Provenance.AddRange(operand.Provenance);
        result.Provenance.Add(op.Name);
        // An expert loop's split must cover the rows exactly (the ends then stay within them): the device checks.
        var checks = op.Name == "graphport::split_mm_cat"
            ? (FaultSiteNumber(new SplitCountsSite(op.Name, node.Name, rows, Total: false)), FaultSiteNumber(new SplitCountsSite(op.Name, node.Name, rows, Total: true)))
            : ((int, int)?)null;
        steps.Add(new GroupedMatmulKernel(Hint(result), $"{node.Name} = {ShortOpName(op.Name)} {meta.DType.ShortName()} [{rows}x{k}] @ {groups} x [{k}x{n}]",
            aSpace, bSpace, endsSpace, left, right, groupEnds, output) { SplitChecks = checks });
        return result;
    }
}

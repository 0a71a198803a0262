using Graphport.Cpu;
using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// Nearest-neighbour upsampling as a gather that fuses into its consumer: each output pixel reads the source pixel
// the CPU kernel picks (Upsample.NearestIndices, float arithmetic as torch's), written as exact integer index math
// once the planner has checked that math against that table for every output row and column; a ratio whose float
// rounding strays from floor(o·in/out) stays on the host.
public sealed partial class FusionPlanner
{
    private PlannedValue? TryLowerResize(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        if (op.Name != "aten::upsample_nearest2d.vec" || node.Value is not TensorMeta meta) return null;
        if (args.GetValueOrDefault("input") is not PlannedValue input || input.Shape.Length != 4) return null;
        var outShape = shapes.Evaluate(meta.Shape);
        long h = input.Shape[2], w = input.Shape[3], oh = outShape[2], ow = outShape[3];
        double[]? scales = args.GetValueOrDefault("scale_factors") switch
        {
            double[] d => d,
            object?[] list when list.Length == 2 => list.Select(x => Convert.ToDouble(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            _ => null,
        };
        var rows = NearestSource(h, oh, scales?[0]);
        var cols = NearestSource(w, ow, scales?[1]);
        if (rows is null || cols is null) return null;
        return Inline(node, meta.DType, outShape, c => input.Read([c[0], c[1], rows(c[2]), cols(c[3])]), "upsample_nearest2d", input);
    }

    // The source coordinate as index math, or null when no exact integer form matches the kernel's table.
    private static Func<IndexExpr, IndexExpr>? NearestSource(long input, long output, double? scale)
    {
        var table = Upsample.NearestIndices(input, output, scale);
        if (Enumerable.Range(0, (int)output).All(o => table[o] == o)) return o => o;
        if (Enumerable.Range(0, (int)output).All(o => table[o] == o * input / output)) return o => (o * input).Div(output);
        return null;
    }
}

using Graphport.Cpu;
using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// Nearest-neighbour upsampling as a gather that fuses into its consumer: each output pixel reads the source pixel
// the CPU kernel picks (UpsampleKernels.NearestIndices, float arithmetic as torch's), written as exact integer index math
// once the planner has checked that math against that table for every output row and column; a ratio whose float
// rounding strays from floor(o·in/out) stays on the host.
public sealed partial class FusionPlanner
{
    private PlannedValue? TryLowerResize(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        if (op.Name == "aten::upsample_bilinear2d.vec" && node.Value is TensorMeta bilinear) return LowerBilinear(node, bilinear, args);
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
        var table = UpsampleKernels.NearestIndices(input, output, scale);
        if (Enumerable.Range(0, (int)output).All(o => table[o] == o)) return o => o;
        if (Enumerable.Range(0, (int)output).All(o => table[o] == o * input / output)) return o => (o * input).Div(output);
        return null;
    }

    // Bilinear upsampling (a segmentation head's F.interpolate to the input size): each output pixel blends the two
    // source rows the CPU kernel picks (UpsampleKernels.LinearTaps, its weights and order: rows first, then columns), with
    // the row and column taps as small weight tables the kernel reads. float32 only; other dtypes stay on the host.
    private PlannedValue? LowerBilinear(Node node, TensorMeta meta, Dictionary<string, object?> args)
    {
        if (meta.DType != DType.Float32 || args.GetValueOrDefault("input") is not PlannedValue { DType: DType.Float32 } input || input.Shape.Length != 4) return null;
        var outShape = shapes.Evaluate(meta.Shape);
        long h = input.Shape[2], w = input.Shape[3], oh = outShape[2], ow = outShape[3];
        bool alignCorners = args.GetValueOrDefault("align_corners") is true;
        double[]? scales = args.GetValueOrDefault("scale_factors") switch
        {
            double[] d => d,
            object?[] list when list.Length == 2 => list.Select(x => Convert.ToDouble(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            _ => null,
        };
        var rows = UpsampleKernels.LinearTaps<float>(h, oh, alignCorners, scales?[0]);
        var cols = UpsampleKernels.LinearTaps<float>(w, ow, alignCorners, scales?[1]);
        PlannedValue Table<T>(string part, long length, Func<int, T> of) where T : unmanaged =>
            WeightValue($"{node.Name}_{part}", Tensor.FromArray(Enumerable.Range(0, (int)length).Select(of).ToArray(), length));
        PlannedValue row0 = Table("row0", oh, i => rows[i].I0), row1 = Table("row1", oh, i => rows[i].I1);
        PlannedValue rowWeight0 = Table("row_weight0", oh, i => rows[i].W0), rowWeight1 = Table("row_weight1", oh, i => rows[i].W1);
        PlannedValue col0 = Table("col0", ow, i => cols[i].I0), col1 = Table("col1", ow, i => cols[i].I1);
        PlannedValue colWeight0 = Table("col_weight0", ow, i => cols[i].W0), colWeight1 = Table("col_weight1", ow, i => cols[i].W1);
        return Inline(node, meta.DType, outShape, c =>
        {
            static IndexExpr Tap(PlannedValue table, IndexExpr at, long extent) => new IndexLoad(table.Stored!.Buffer, table.Stored.Index([at]), extent);
            IndexExpr y0 = Tap(row0, c[2], h), y1 = Tap(row1, c[2], h), x0 = Tap(col0, c[3], w), x1 = Tap(col1, c[3], w);
            Expr Mul(Expr a, Expr b) => Exprs.Binary(Codegen.BinaryOp.Mul, a, b, ValueKind.Float);
            Expr Add(Expr a, Expr b) => Exprs.Binary(Codegen.BinaryOp.Add, a, b, ValueKind.Float);
            Expr Blend(IndexExpr x) =>
                Add(Mul(input.Read([c[0], c[1], y0, x]), rowWeight0.Read([c[2]])), Mul(input.Read([c[0], c[1], y1, x]), rowWeight1.Read([c[2]])));
            return Add(Mul(colWeight0.Read([c[3]]), Blend(x0)), Mul(colWeight1.Read([c[3]]), Blend(x1)));
        }, "upsample_bilinear2d", input);
    }
}

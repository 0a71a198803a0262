using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// 2-D pooling as reductions over the window: rows are output pixels, the reduced space is the window.
public sealed partial class FusionPlanner
{
    private object? TryLowerPooling(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        if (args.GetValueOrDefault("self") is not PlannedValue input || input.Shape.Length < 3) return null;
        StoreIfWindowReadsGrow(input);
        int rank = input.Shape.Length;
        long h = input.Shape[rank - 2], w = input.Shape[rank - 1];
        switch (op.Name)
        {
            case "aten::max_pool2d_with_indices":
            {
                if (node.Value is not TensorMeta[] metas || !OnlyFirstItemUsed(node)) return null;
                var outShape = shapes.Evaluate(metas[0].Shape);
                var (k, s, p, d) = Window(args);
                var kind = AccumulatorKind(input.DType, metas[0].DType);
                var value = BuildReduction(node, op.Name, ReductionOp.Max, kind, metas[0].DType, outShape, outShape, [k[0], k[1]],
                    (rows, win) =>
                    {
                        var ih = rows[rank - 2] * s[0] + win[0] * d[0] - IndexExpr.Constant(p[0]);
                        var iw = rows[rank - 1] * s[1] + win[1] * d[1] - IndexExpr.Constant(p[1]);
                        var c = rows.Take(rank - 2).Append(ih).Append(iw).ToArray();
                        return Exprs.Select(Exprs.And(Exprs.InRange(ih, 0, h), Exprs.InRange(iw, 0, w)), input.Read(c), Exprs.Const(double.NegativeInfinity, kind));
                    },
                    (_, acc) => acc, rows => rows, input);
                return new object?[] { value, null };
            }
            case "aten::avg_pool2d":
            {
                if (node.Value is not TensorMeta meta) return null;
                var outShape = shapes.Evaluate(meta.Shape);
                var (k, s, p, _) = Window(args);
                bool includePad = args.GetValueOrDefault("count_include_pad") is not false;
                var divisorOverride = args.GetValueOrDefault("divisor_override");
                var kind = AccumulatorKind(input.DType, meta.DType);
                return BuildReduction(node, op.Name, ReductionOp.Sum, kind, meta.DType, outShape, outShape, [k[0], k[1]],
                    (rows, win) =>
                    {
                        var ih = rows[rank - 2] * s[0] + win[0] - IndexExpr.Constant(p[0]);
                        var iw = rows[rank - 1] * s[1] + win[1] - IndexExpr.Constant(p[1]);
                        var c = rows.Take(rank - 2).Append(ih).Append(iw).ToArray();
                        return Exprs.Select(Exprs.And(Exprs.InRange(ih, 0, h), Exprs.InRange(iw, 0, w)), input.Read(c), Exprs.Const(0, kind));
                    },
                    (rows, acc) =>
                    {
                        if (divisorOverride is not null) return Exprs.Binary(BinaryOp.Div, acc, Exprs.Const(Convert.ToDouble(divisorOverride), kind), kind);
                        var count = Exprs.Binary(BinaryOp.Mul,
                            WindowCount(rows[rank - 2], s[0], p[0], k[0], h, includePad),
                            WindowCount(rows[rank - 1], s[1], p[1], k[1], w, includePad), ValueKind.Int64);
                        return Exprs.Binary(BinaryOp.Div, acc, count, kind);
                    },
                    rows => rows, input);
            }
            case "aten::_adaptive_avg_pool2d":
            {
                if (node.Value is not TensorMeta meta) return null;
                var outShape = shapes.Evaluate(meta.Shape);
                long oh = outShape[rank - 2], ow = outShape[rank - 1];
                // Windows start at floor(o·H/OH) and end at ceil((o+1)·H/OH); the reduced space is the widest window.
                long kh = MaxAdaptiveWindow(h, oh), kw = MaxAdaptiveWindow(w, ow);
                var kind = AccumulatorKind(input.DType, meta.DType);
                IndexExpr Start(IndexExpr o, long size, long outSize) => (o * size).Div(outSize);
                IndexExpr End(IndexExpr o, long size, long outSize) => (o * size + (size + outSize - 1)).Div(outSize);
                return BuildReduction(node, op.Name, ReductionOp.Sum, kind, meta.DType, outShape, outShape, [kh, kw],
                    (rows, win) =>
                    {
                        var ih = Start(rows[rank - 2], h, oh) + win[0];
                        var iw = Start(rows[rank - 1], w, ow) + win[1];
                        var c = rows.Take(rank - 2).Append(ih).Append(iw).ToArray();
                        var inside = Exprs.And(Exprs.InRange(End(rows[rank - 2], h, oh) - ih - IndexExpr.Constant(1), 0, long.MaxValue / 4),
                                               Exprs.InRange(End(rows[rank - 1], w, ow) - iw - IndexExpr.Constant(1), 0, long.MaxValue / 4));
                        return Exprs.Select(inside, input.Read(c), Exprs.Const(0, kind));
                    },
                    (rows, acc) =>
                    {
                        var height = new IndexValueExpr(End(rows[rank - 2], h, oh) - Start(rows[rank - 2], h, oh), ValueKind.Int64);
                        var width = new IndexValueExpr(End(rows[rank - 1], w, ow) - Start(rows[rank - 1], w, ow), ValueKind.Int64);
                        return Exprs.Binary(BinaryOp.Div, acc, Exprs.Binary(BinaryOp.Mul, height, width, ValueKind.Int64), kind);
                    },
                    rows => rows, input);
            }
            default:
                return null;
        }
    }

    private static long MaxAdaptiveWindow(long size, long outSize)
    {
        long widest = 0;
        for (long o = 0; o < outSize; o++)
            widest = Math.Max(widest, (o * size + size + outSize - 1) / outSize - o * size / outSize);
        return widest;
    }

    // Elements of a window along one axis that avg_pool2d divides by: the window clipped to the padded input
    // (count_include_pad) or to the input itself.
    private static Expr WindowCount(IndexExpr o, long stride, long pad, long kernel, long size, bool includePad)
    {
        var start = new IndexValueExpr(o * stride - IndexExpr.Constant(pad), ValueKind.Int64);
        var end = Exprs.Binary(BinaryOp.Minimum, Exprs.Binary(BinaryOp.Add, start, Exprs.Const(kernel, ValueKind.Int64), ValueKind.Int64), Exprs.Const(size + pad, ValueKind.Int64), ValueKind.Int64);
        if (includePad) return Exprs.Binary(BinaryOp.Sub, end, start, ValueKind.Int64);
        var clippedStart = Exprs.Binary(BinaryOp.Maximum, start, Exprs.Const(0, ValueKind.Int64), ValueKind.Int64);
        var clippedEnd = Exprs.Binary(BinaryOp.Minimum, end, Exprs.Const(size, ValueKind.Int64), ValueKind.Int64);
        return Exprs.Binary(BinaryOp.Sub, clippedEnd, clippedStart, ValueKind.Int64);
    }

    private static (long[] Kernel, long[] Stride, long[] Padding, long[] Dilation) Window(Dictionary<string, object?> args)
    {
        long[] Pair(object? v, long[] fallback)
        {
            var l = Longs(v);
            return l.Length == 0 ? fallback : l.Length == 1 ? [l[0], l[0]] : [l[0], l[1]];
        }
        var kernel = Pair(args["kernel_size"], [1, 1]);
        return (kernel, Pair(args.GetValueOrDefault("stride"), kernel), Pair(args.GetValueOrDefault("padding"), [0, 0]), Pair(args.GetValueOrDefault("dilation"), [1, 1]));
    }
}

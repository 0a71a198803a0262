using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// 1-D, 2-D and 3-D pooling as reductions over the window: rows are output pixels (or voxels), the reduced space is the window.
public sealed partial class FusionPlanner
{
    private object? TryLowerPooling(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        int spatial = op.Name switch
        {
            "aten::avg_pool1d" or "aten::adaptive_avg_pool1d" => 1,
            "aten::max_pool2d_with_indices" or "aten::avg_pool2d" or "aten::_adaptive_avg_pool2d" => 2,
            "aten::max_pool3d_with_indices" or "aten::avg_pool3d" or "aten::_adaptive_avg_pool3d" => 3,
            _ => 0,
        };
        if (spatial == 0 || args.GetValueOrDefault("self") is not PlannedValue input || input.Shape.Length < spatial + 1) return null;
        StoreIfWindowReadsGrow(input);
        int rank = input.Shape.Length, first = rank - spatial;
        var sizes = input.Shape[first..];
        // The input coordinates of an output position and window offset, and whether they fall inside the input.
        (IndexExpr[] Coordinates, Expr Inside) At(IndexExpr[] rows, IndexExpr[] window, Func<int, IndexExpr> position)
        {
            var c = rows.Take(first).ToList();
            Expr? inside = null;
            for (int i = 0; i < spatial; i++)
            {
                var at = position(i);
                c.Add(at);
                var within = Exprs.InRange(at, 0, sizes[i]);
                inside = inside is null ? within : Exprs.And(inside, within);
            }
            return (c.ToArray(), inside!);
        }
        switch (op.Name)
        {
            case "aten::max_pool2d_with_indices" or "aten::max_pool3d_with_indices":
            {
                if (node.Value is not TensorMeta[] metas) return null;
                var outShape = shapes.Evaluate(metas[0].Shape);
                var (k, s, p, d) = Window(args, spatial);
                var kind = AccumulatorKind(input.DType, metas[0].DType);
                Func<IndexExpr[], IndexExpr[], Expr> WindowValue(ValueKind padKind) => (rows, win) =>
                {
                    var (c, inside) = At(rows, win, i => rows[first + i] * s[i] + win[i] * d[i] - IndexExpr.Constant(p[i]));
                    return Exprs.Select(inside, input.Read(c), Exprs.Const(double.NegativeInfinity, padKind));
                };
                var value = BuildReduction(node, op.Name, ReductionOp.Max, kind, metas[0].DType, outShape, outShape, k, WindowValue(kind), (_, acc) => acc, rows => rows, input);
                if (OnlyFirstItemUsed(node)) return new object?[] { value, null };
                if (input.Numel == 0) return null;
                // The indices (what max_unpool reads): the window's argmax, the first of equal maxima as ATen's, turned
                // into the flat position of that input element within its plane (volume).
                var valueKind = ValueKinds.Of(input.DType) == ValueKind.Double ? ValueKind.Double : ValueKind.Float;
                var indices = BuildReduction(node, op.Name, ReductionOp.ArgMax, ValueKind.Int64, metas[1].DType, outShape, outShape, k, WindowValue(valueKind),
                    (rows, acc) => FlatWindowPosition(rows[first..], acc, k, s, p, d, sizes), rows => rows, valueKind, input);
                return new object?[] { value, indices };
            }
            case "aten::avg_pool1d" or "aten::avg_pool2d" or "aten::avg_pool3d":
            {
                if (node.Value is not TensorMeta meta) return null;
                var outShape = shapes.Evaluate(meta.Shape);
                var (k, s, p, _) = Window(args, spatial);
                bool includePad = args.GetValueOrDefault("count_include_pad") is not false;
                var divisorOverride = args.GetValueOrDefault("divisor_override");
                var kind = AccumulatorKind(input.DType, meta.DType);
                return BuildReduction(node, op.Name, ReductionOp.Sum, kind, meta.DType, outShape, outShape, k,
                    (rows, win) =>
                    {
                        var (c, inside) = At(rows, win, i => rows[first + i] * s[i] + win[i] - IndexExpr.Constant(p[i]));
                        return Exprs.Select(inside, input.Read(c), Exprs.Const(0, kind));
                    },
                    (rows, acc) =>
                    {
                        if (divisorOverride is not null) return Exprs.Binary(BinaryOp.Div, acc, Exprs.Const(Convert.ToDouble(divisorOverride), kind), kind);
                        var count = WindowCount(rows[first], s[0], p[0], k[0], sizes[0], includePad);
                        for (int i = 1; i < spatial; i++)
                            count = Exprs.Binary(BinaryOp.Mul, count, WindowCount(rows[first + i], s[i], p[i], k[i], sizes[i], includePad), ValueKind.Int64);
                        return Exprs.Binary(BinaryOp.Div, acc, count, kind);
                    },
                    rows => rows, input);
            }
            case "aten::adaptive_avg_pool1d" or "aten::_adaptive_avg_pool2d" or "aten::_adaptive_avg_pool3d":
            {
                if (node.Value is not TensorMeta meta) return null;
                var outShape = shapes.Evaluate(meta.Shape);
                var outSizes = outShape[first..];
                // Windows start at floor(o·H/OH) and end at ceil((o+1)·H/OH); the reduced space is the widest window.
                var widest = sizes.Select((size, i) => MaxAdaptiveWindow(size, outSizes[i])).ToArray();
                var kind = AccumulatorKind(input.DType, meta.DType);
                IndexExpr Start(IndexExpr o, long size, long outSize) => (o * size).Div(outSize);
                IndexExpr End(IndexExpr o, long size, long outSize) => (o * size + (size + outSize - 1)).Div(outSize);
                return BuildReduction(node, op.Name, ReductionOp.Sum, kind, meta.DType, outShape, outShape, widest,
                    (rows, win) =>
                    {
                        var c = rows.Take(first).ToList();
                        Expr? inside = null;
                        for (int i = 0; i < spatial; i++)
                        {
                            var at = Start(rows[first + i], sizes[i], outSizes[i]) + win[i];
                            c.Add(at);
                            var within = Exprs.InRange(End(rows[first + i], sizes[i], outSizes[i]) - at - IndexExpr.Constant(1), 0, long.MaxValue / 4);
                            inside = inside is null ? within : Exprs.And(inside, within);
                        }
                        return Exprs.Select(inside!, input.Read(c.ToArray()), Exprs.Const(0, kind));
                    },
                    (rows, acc) =>
                    {
                        Expr? count = null;
                        for (int i = 0; i < spatial; i++)
                        {
                            var extent = new IndexValueExpr(End(rows[first + i], sizes[i], outSizes[i]) - Start(rows[first + i], sizes[i], outSizes[i]), ValueKind.Int64);
                            count = count is null ? extent : Exprs.Binary(BinaryOp.Mul, count, extent, ValueKind.Int64);
                        }
                        return Exprs.Binary(BinaryOp.Div, acc, count!, kind);
                    },
                    rows => rows, input);
            }
            default:
                return null;
        }
    }

    // The flat input position (within its plane or volume) of window tap `tap` (flat over the window) of output `rows`.
    // A padding tap wins the argmax only when every real tap is -inf (padding reads as -inf and the first of equal
    // maxima wins); ATen then gives the window's first real element, so that is the position taken instead.
    private static Expr FlatWindowPosition(IndexExpr[] rows, Expr tap, long[] kernel, long[] stride, long[] padding, long[] dilation, long[] sizes)
    {
        Expr Int(long v) => Exprs.Const(v, ValueKind.Int64);
        // Operands in int64 (a comparison of them gives bool).
        Expr Op(BinaryOp op, Expr a, Expr b) => Exprs.Binary(op, a, b, ValueKind.Int64);
        Expr? flat = null, firstReal = null, inside = null;
        long inner = kernel.Aggregate(1L, (a, b) => a * b);
        for (int i = 0; i < kernel.Length; i++)
        {
            inner /= kernel[i];
            var offset = Op(BinaryOp.Remainder, Op(BinaryOp.FloorDiv, tap, Int(inner)), Int(kernel[i]));
            var start = new IndexValueExpr(rows[i] * stride[i] - IndexExpr.Constant(padding[i]), ValueKind.Int64);
            var at = Op(BinaryOp.Add, start, Op(BinaryOp.Mul, offset, Int(dilation[i])));
            // The first tap at or after 0: ceil(max(-start, 0) / dilation) taps in.
            var skipped = Op(BinaryOp.Maximum, Op(BinaryOp.Sub, Int(0), start), Int(0));
            var firstAt = Op(BinaryOp.Add, start, Op(BinaryOp.Mul, Op(BinaryOp.FloorDiv, Op(BinaryOp.Add, skipped, Int(dilation[i] - 1)), Int(dilation[i])), Int(dilation[i])));
            var within = Exprs.And(Op(BinaryOp.Ge, at, Int(0)), Op(BinaryOp.Lt, at, Int(sizes[i])));
            flat = flat is null ? at : Op(BinaryOp.Add, Op(BinaryOp.Mul, flat, Int(sizes[i])), at);
            firstReal = firstReal is null ? firstAt : Op(BinaryOp.Add, Op(BinaryOp.Mul, firstReal, Int(sizes[i])), firstAt);
            inside = inside is null ? within : Exprs.And(inside, within);
        }
        return Exprs.Select(inside!, flat!, firstReal!);
    }

    private static long MaxAdaptiveWindow(long size, long outSize)
    {
        long widest = 0;
        for (long o = 0; o < outSize; o++)
            widest = Math.Max(widest, (o * size + size + outSize - 1) / outSize - o * size / outSize);
        return widest;
    }

    // Elements of a window along one axis that avg_pool divides by: the window clipped to the padded input
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

    // Kernel, stride (the kernel when empty), padding and dilation, one per spatial dim (a single value repeated).
    private static (long[] Kernel, long[] Stride, long[] Padding, long[] Dilation) Window(Dictionary<string, object?> args, int spatial)
    {
        long[] PerDim(object? v, long[] fallback)
        {
            var l = Longs(v);
            return l.Length == 0 ? fallback : l.Length == 1 ? Enumerable.Repeat(l[0], spatial).ToArray() : l[..spatial];
        }
        var kernel = PerDim(args["kernel_size"], Enumerable.Repeat(1L, spatial).ToArray());
        return (kernel, PerDim(args.GetValueOrDefault("stride"), kernel), PerDim(args.GetValueOrDefault("padding"), new long[spatial]),
            PerDim(args.GetValueOrDefault("dilation"), Enumerable.Repeat(1L, spatial).ToArray()));
    }
}

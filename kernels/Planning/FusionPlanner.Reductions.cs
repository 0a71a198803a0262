using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// Reductions and row normalizations: generated kernels whose input reads inline their producers (the prologue).
public sealed partial class FusionPlanner
{
    private PlannedValue? TryLowerReduction(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        if (node.Value is not TensorMeta meta || args.GetValueOrDefault("self") is not PlannedValue input) return null;
        ReductionOp reduction;
        bool mean = false;
        switch (op.Name)
        {
            case "aten::sum.dim_IntList": reduction = ReductionOp.Sum; break;
            case "aten::mean.dim" or "aten::mean": reduction = ReductionOp.Sum; mean = true; break;
            case "aten::amax": reduction = ReductionOp.Max; break;
            case "aten::amin": reduction = ReductionOp.Min; break;
            case "aten::prod.dim_int": reduction = ReductionOp.Prod; break;
            // any/all of booleans: the max/min of their 0s and 1s.
            case "aten::any.dim" or "aten::any.dims" when input.DType == DType.Bool: reduction = ReductionOp.Max; break;
            case "aten::all.dim" or "aten::all.dims" when input.DType == DType.Bool: reduction = ReductionOp.Min; break;
            case "aten::argmax" or "aten::argmin": return LowerArgReduction(node, op.Name, meta, input, args);
            default: return null;
        }
        int rank = input.Shape.Length;
        var dimArg = args.GetValueOrDefault("dim");
        var dims = (dimArg is null ? [] : dimArg is object?[] or long[] ? Longs(dimArg) : [Convert.ToInt64(dimArg)]).Select(d => NormalizeDim(d, rank)).ToHashSet();
        if (dims.Count == 0) dims = Enumerable.Range(0, rank).ToHashSet();
        bool keepdim = args.GetValueOrDefault("keepdim") is true;
        var outShape = shapes.Evaluate(meta.Shape);
        var kept = Enumerable.Range(0, rank).Where(d => !dims.Contains(d)).ToArray();
        var reduced = Enumerable.Range(0, rank).Where(dims.Contains).ToArray();
        long count = reduced.Aggregate(1L, (a, d) => a * input.Shape[d]);
        var accKind = AccumulatorKind(input.DType, meta.DType);
        return BuildReduction(node, op.Name, reduction, accKind, meta.DType, outShape,
            kept.Select(d => input.Shape[d]).ToArray(), reduced.Select(d => input.Shape[d]).ToArray(),
            (rows, red) => input.Read(Assemble(rank, kept, rows, reduced, red)),
            (rows, acc) => mean ? Exprs.Binary(BinaryOp.Div, acc, Exprs.Const(count, accKind), accKind) : acc,
            rows => keepdim ? Assemble(rank, kept, rows, reduced, reduced.Select(_ => IndexExpr.Constant(0)).ToArray()) : rows,
            input);
    }

    /// <summary>
    /// max.dim and min.dim (GPT-OSS's attention takes its scores' maximum with the sinks so): the values a max (min)
    /// reduction, NaN-propagating, and the indices the argmax (argmin) one, NaN first and then the first of equals, as the
    /// CPU kernel gives them; two row kernels over the same input.
    /// </summary>
    private object? LowerExtremumWithIndex(Node node, Dictionary<string, object?> args, bool max)
    {
        if (node.Value is not TensorMeta[] { Length: 2 } metas || args.GetValueOrDefault("self") is not PlannedValue input
            || input.Numel == 0 || input.Shape.Length == 0 || input.DType == DType.Bool) return null;
        int rank = input.Shape.Length;
        int dim = NormalizeDim(Convert.ToInt64(args["dim"]), rank);
        bool keepdim = args.GetValueOrDefault("keepdim") is true;
        var kept = Enumerable.Range(0, rank).Where(d => d != dim).ToArray();
        int[] reduced = [dim];
        var values = BuildReduction(node, max ? "aten::amax" : "aten::amin", max ? ReductionOp.Max : ReductionOp.Min, AccumulatorKind(input.DType, metas[0].DType),
            metas[0].DType, shapes.Evaluate(metas[0].Shape), kept.Select(d => input.Shape[d]).ToArray(), [input.Shape[dim]],
            (rows, red) => input.Read(Assemble(rank, kept, rows, reduced, red)),
            (rows, acc) => acc,
            rows => keepdim ? Assemble(rank, kept, rows, reduced, [IndexExpr.Constant(0)]) : rows,
            input);
        var indices = LowerArgReduction(node, max ? "aten::argmax" : "aten::argmin", metas[1], input, new Dictionary<string, object?> { ["dim"] = (long)dim, ["keepdim"] = keepdim });
        return new object?[] { values, indices };
    }

    // argmax/argmin over one dim, or over every element in row-major order when dim is None (the index is then flat).
    private PlannedValue? LowerArgReduction(Node node, string opName, TensorMeta meta, PlannedValue input, Dictionary<string, object?> args)
    {
        int rank = input.Shape.Length;
        if (input.Numel == 0) return null;
        var dims = args.GetValueOrDefault("dim") is { } dim && rank > 0 ? [NormalizeDim(Convert.ToInt64(dim), rank)] : Enumerable.Range(0, rank).ToArray();
        bool keepdim = args.GetValueOrDefault("keepdim") is true;
        var kept = Enumerable.Range(0, rank).Where(d => !dims.Contains(d)).ToArray();
        var valueKind = ValueKinds.Of(input.DType) switch
        {
            ValueKind.Double => ValueKind.Double,
            var k when k.IsFloating() => ValueKind.Float,
            _ => ValueKind.Int64,
        };
        return BuildReduction(node, opName, opName == "aten::argmax" ? ReductionOp.ArgMax : ReductionOp.ArgMin, ValueKind.Int64, meta.DType, shapes.Evaluate(meta.Shape),
            kept.Select(d => input.Shape[d]).ToArray(), dims.Select(d => input.Shape[d]).ToArray(),
            (rows, red) => input.Read(Assemble(rank, kept, rows, dims, red)),
            (rows, acc) => acc,
            rows => keepdim ? Assemble(rank, kept, rows, dims, dims.Select(_ => IndexExpr.Constant(0)).ToArray()) : rows,
            valueKind, input);
    }

    private static ValueKind AccumulatorKind(DType input, DType output) =>
        ValueKinds.Of(output) == ValueKind.Double || ValueKinds.Of(input) == ValueKind.Double ? ValueKind.Double
        : ValueKinds.Of(output).IsFloating() ? ValueKind.Float : ValueKind.Int64;

    // Full input coordinates from the row and reduced coordinates, by dimension.
    private static IndexExpr[] Assemble(int rank, int[] rowDims, IndexExpr[] rows, int[] reducedDims, IndexExpr[] reduced)
    {
        var c = new IndexExpr[rank];
        for (int i = 0; i < rowDims.Length; i++) c[rowDims[i]] = rows[i];
        for (int i = 0; i < reducedDims.Length; i++) c[reducedDims[i]] = reduced[i];
        return c;
    }

    /// <summary>Emits a reduction kernel into a new buffer and returns the stored result.</summary>
    private PlannedValue BuildReduction(Node node, string opName, ReductionOp reduction, ValueKind accKind, DType outDType, long[] outShape,
        long[] rowShape, long[] reducedShape, Func<IndexExpr[], IndexExpr[], Expr> input, Func<IndexExpr[], Expr, Expr> finish,
        Func<IndexExpr[], IndexExpr[]> outputCoordinates, params PlannedValue[] inputs) =>
        BuildReduction(node, opName, reduction, accKind, outDType, outShape, rowShape, reducedShape, input, finish, outputCoordinates, accKind, inputs);

    /// <param name="inputKind">What the input is read as: the accumulator's kind, but an arg reduction's values keep theirs.</param>
    private PlannedValue BuildReduction(Node node, string opName, ReductionOp reduction, ValueKind accKind, DType outDType, long[] outShape,
        long[] rowShape, long[] reducedShape, Func<IndexExpr[], IndexExpr[], Expr> input, Func<IndexExpr[], Expr, Expr> finish,
        Func<IndexExpr[], IndexExpr[]> outputCoordinates, ValueKind inputKind, params PlannedValue[] inputs)
    {
        var rows = new IterationSpace("row", "o", rowShape);
        var red = new IterationSpace("r", "r", reducedShape);
        var result = new PlannedValue(node.Name, outDType, outShape);
        foreach (var v in inputs.Where(v => !v.IsStored)) result.Provenance.AddRange(v.Provenance);
        result.Provenance.Add(opName);
        var buffer = NewBuffer(node.Name, outDType, result.Numel, BufferKind.Intermediate);
        var rowVars = rows.Coordinates;
        var outCoords = outputCoordinates(rowVars);
        var index = rows.Tighten(IndexExpr.Linearize(outCoords, StridedView.ContiguousStrides(outShape)));
        var value = Exprs.Cast(finish(rowVars, new AccumulatorExpr(accKind)), ValueKinds.Of(outDType));
        var body = Exprs.Cast(input(rowVars, red.Coordinates), inputKind);
        steps.Add(new ReductionKernel(Hint(result), Comment(result), reduction, accKind, rows, red, body, [new Store(buffer, index, value)], outCoords, outShape));
        result.Stored = StridedView.Contiguous(buffer, outShape);
        return result;
    }

    private object? TryLowerNorm(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        switch (op.Name)
        {
            case "aten::_softmax" or "aten::_log_softmax":
            {
                if (node.Value is not TensorMeta meta || args["self"] is not PlannedValue input) return null;
                int rank = input.Shape.Length;
                int dim = NormalizeDim(Convert.ToInt64(args["dim"]), Math.Max(rank, 1));
                var rowDims = Enumerable.Range(0, rank).Where(d => d != dim).ToArray();
                int[] redDims = rank == 0 ? [] : [dim];
                var kind = op.Name == "aten::_softmax" ? (FindSafeSoftmaxGuard(node) ? NormKind.SafeSoftmax : NormKind.Softmax) : NormKind.LogSoftmax;
                return BuildNorm(node, op.Name, kind, meta.DType, input.Shape,
                    rowDims.Select(d => input.Shape[d]).ToArray(), redDims.Select(d => input.Shape[d]).ToArray(),
                    (rows, red) => Assemble(rank, rowDims, rows, redDims, red), input, null, null, 0, effectiveUsers.GetValueOrDefault(node));
            }
            case "aten::cumsum":
            {
                if (node.Value is not TensorMeta meta || args["self"] is not PlannedValue input || input.Shape.Length == 0) return null;
                // Integer sums run in int64; an int32 result (a mixture of experts' cumulative token counts) stores
                // their low 32 bits, which are those of sums wrapped at every step (adding commutes with the wrap).
                if (!ValueKinds.Of(meta.DType).IsFloating() && meta.DType is not (DType.Int64 or DType.Int32)) return null;
                int rank = input.Shape.Length;
                int dim = NormalizeDim(Convert.ToInt64(args["dim"]), rank);
                var rowDims = Enumerable.Range(0, rank).Where(d => d != dim).ToArray();
                return BuildNorm(node, op.Name, NormKind.CumSum, meta.DType, input.Shape,
                    rowDims.Select(d => input.Shape[d]).ToArray(), [input.Shape[dim]],
                    (rows, red) => Assemble(rank, rowDims, rows, [dim], red), input, null, null, 0, effectiveUsers.GetValueOrDefault(node));
            }
            case "aten::native_layer_norm":
            {
                if (node.Value is not TensorMeta[] metas || args["input"] is not PlannedValue input || !OnlyFirstItemUsed(node)) return null;
                int rank = input.Shape.Length;
                int normalized = Longs(args["normalized_shape"]).Length;
                var rowDims = Enumerable.Range(0, rank - normalized).ToArray();
                var redDims = Enumerable.Range(rank - normalized, normalized).ToArray();
                var weight = args.GetValueOrDefault("weight") as PlannedValue;
                var bias = args.GetValueOrDefault("bias") as PlannedValue;
                var value = BuildNorm(node, op.Name, NormKind.LayerNorm, metas[0].DType, input.Shape,
                    rowDims.Select(d => input.Shape[d]).ToArray(), redDims.Select(d => input.Shape[d]).ToArray(),
                    (rows, red) => Assemble(rank, rowDims, rows, redDims, red), input,
                    weight is null ? null : (rows, red) => weight.Read(red), bias is null ? null : (rows, red) => bias.Read(red),
                    Convert.ToDouble(args["eps"]), FirstItemUsers(node));
                return new object?[] { value, null, null };
            }
            case "aten::native_group_norm":
            {
                if (node.Value is not TensorMeta[] metas || args["input"] is not PlannedValue input || !OnlyFirstItemUsed(node)) return null;
                long n = input.Shape[0], channels = input.Shape[1], groups = Convert.ToInt64(args["group"]);
                var spatial = input.Shape.Skip(2).ToArray();
                long perGroup = channels / groups;
                var weight = args.GetValueOrDefault("weight") as PlannedValue;
                var bias = args.GetValueOrDefault("bias") as PlannedValue;
                IndexExpr Channel(IndexExpr[] rows, IndexExpr[] red) => rows[1] * perGroup + red[0];
                var value = BuildNorm(node, op.Name, NormKind.LayerNorm, metas[0].DType, input.Shape, [n, groups], [perGroup, .. spatial],
                    (rows, red) => [rows[0], Channel(rows, red), .. red.Skip(1)], input,
                    weight is null ? null : (rows, red) => weight.Read([Channel(rows, red)]), bias is null ? null : (rows, red) => bias.Read([Channel(rows, red)]),
                    Convert.ToDouble(args["eps"]), FirstItemUsers(node));
                return new object?[] { value, null, null };
            }
            case "aten::_native_batch_norm_legit_no_training":
            {
                if (node.Value is not TensorMeta[] metas || args["input"] is not PlannedValue input || !OnlyFirstItemUsed(node)) return null;
                var mean = (PlannedValue)args["running_mean"]!;
                var variance = (PlannedValue)args["running_var"]!;
                var weight = args.GetValueOrDefault("weight") as PlannedValue;
                var bias = args.GetValueOrDefault("bias") as PlannedValue;
                double eps = Convert.ToDouble(args["eps"]);
                var kind = ValueKinds.Of(metas[0].DType);
                var value = Inline(node, FirstItemUsers(node), metas[0].DType, input.Shape, c =>
                {
                    IndexExpr[] channel = [c[1]];
                    var centered = Exprs.Binary(BinaryOp.Sub, input.Read(c), mean.Read(channel), kind);
                    var invStd = Exprs.Unary(UnaryOp.Rsqrt, Exprs.Binary(BinaryOp.Add, Exprs.Cast(variance.Read(channel), kind), Exprs.Const(eps, kind), kind));
                    var y = Exprs.Binary(BinaryOp.Mul, centered, invStd, kind);
                    if (weight is not null) y = Exprs.Binary(BinaryOp.Mul, y, weight.Read(channel), kind);
                    if (bias is not null) y = Exprs.Binary(BinaryOp.Add, y, bias.Read(channel), kind);
                    return y;
                }, op.Name, input);
                return new object?[] { value, null, null };
            }
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="mean"/> starts an RMS norm (<see cref="RmsNormPattern"/>), now planned as one row kernel
    /// for the pattern's result node (scaled by the weight when the pattern holds one); its other nodes, the mean among
    /// them, then compute nothing.
    /// </summary>
    private bool TryLowerRmsNorm(Node mean)
    {
        if (RmsNormPattern.Of(mean) is not { } rms || options.ForceHost.Contains("aten::mean.dim")
            || values.GetValueOrDefault(rms.Input) is not PlannedValue input) return false;
        var weight = rms.Weight is null ? null : values.GetValueOrDefault(rms.Weight) as PlannedValue;
        // A weight computed after the norm (Gemma's 1 + weight, traced where it is used) is not planned yet: the norm
        // alone, its product by the weight then fused after it as any pointwise op.
        if (rms.Weight is not null && weight is null) rms = rms.WithoutWeight();
        if (rms.Result.Value is not TensorMeta meta) return false;
        rmsNorms[rms.Result] = BuildNorm(rms.Result, "rms_norm", NormKind.RmsNorm, meta.DType, input.Shape, input.Shape[..^1], [input.Shape[^1]],
            (rows, red) => [.. rows, red[0]], input, weight is null ? null : (rows, red) => weight.Read(red), null, rms.Epsilon, effectiveUsers.GetValueOrDefault(rms.Result));
        rmsNormParts.UnionWith(rms.Parts);
        return true;
    }

    private static bool OnlyFirstItemUsed(Node node) => UsedItems(node).All(i => i == 0);

    /// <summary>Emits a normalization kernel (stats over the reduced dims of each row) into a new buffer.</summary>
    private PlannedValue BuildNorm(Node node, string opName, NormKind kind, DType outDType, long[] shape, long[] rowShape, long[] reducedShape,
        Func<IndexExpr[], IndexExpr[], IndexExpr[]> coordinates, PlannedValue input,
        Func<IndexExpr[], IndexExpr[], Expr>? weight, Func<IndexExpr[], IndexExpr[], Expr>? bias, double eps, int users)
    {
        _ = users;
        var rows = new IterationSpace("row", "o", rowShape);
        var red = new IterationSpace("r", "r", reducedShape);
        var result = new PlannedValue(node.Name, outDType, shape);
        if (!input.IsStored) result.Provenance.AddRange(input.Provenance);
        result.Provenance.Add(opName);
        var buffer = NewBuffer(node.Name, outDType, result.Numel, BufferKind.Intermediate);
        var rowVars = rows.Coordinates;
        var redVars = red.Coordinates;
        var full = coordinates(rowVars, redVars);
        var accKind = kind == NormKind.CumSum && !ValueKinds.Of(outDType).IsFloating() ? ValueKind.Int64
            : ValueKinds.Of(outDType) == ValueKind.Double ? ValueKind.Double : ValueKind.Float;
        var store = new Store(buffer, IndexExpr.Linearize(full, StridedView.ContiguousStrides(shape)), Exprs.Cast(new AccumulatorExpr(accKind), ValueKinds.Of(outDType)));
        steps.Add(new NormKernel(Hint(result), Comment(result), kind, rows, red, Exprs.Cast(input.Read(full), accKind),
            weight is null ? null : Exprs.Cast(weight(rowVars, redVars), accKind), bias is null ? null : Exprs.Cast(bias(rowVars, redVars), accKind),
            eps, [store], full, shape));
        result.Stored = StridedView.Contiguous(buffer, shape);
        return result;
    }
}

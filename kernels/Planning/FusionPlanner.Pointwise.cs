using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// Elementwise ops become bodies: functions from output coordinates to an expression over the inputs' bodies or loads.
public sealed partial class FusionPlanner
{
    private PlannedValue? TryLowerPointwise(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        if (node.Value is not TensorMeta meta) return null;
        var shape = shapes.Evaluate(meta.Shape);
        var outKind = ValueKinds.Of(meta.DType);
        var tensors = args.Values.OfType<PlannedValue>().ToArray();
        // Gather indices are read inside index math, so they must be in memory.
        if (op.Name == "aten::embedding" && args["indices"] is PlannedValue ids) Materialize(ids);
        if (op.Name == "aten::index_select" && args["index"] is PlannedValue index) Materialize(index);
        if (op.Name == "aten::gather" && args["index"] is PlannedValue gatherIndex) Materialize(gatherIndex);
        if (op.Name == "aten::index.Tensor" && args["indices"] is object?[] indexList)
            foreach (var i in indexList.OfType<PlannedValue>()) Materialize(i);
        Func<IndexExpr[], Expr>? body = PointwiseBody(node.Name, op.Name, args, shape, outKind, meta.DType);
        if (body is null) return null;
        // Integer results wrap to their dtype's width as torch's do (int8 127 + 1 is -128); the chain computes in
        // int64. Half-precision results round only at explicit casts (below), as Inductor's fused kernels do.
        if (meta.DType is DType.Int8 or DType.UInt8 or DType.Int32)
        {
            var wide = body;
            body = c => Exprs.Narrow(wide(c), meta.DType);
        }
        return Inline(node, meta.DType, shape, body, op.Name, tensors);
    }

    /// <summary>The elementwise function of an op, or null when the op is not elementwise (or not supported).</summary>
    private Func<IndexExpr[], Expr>? PointwiseBody(string nodeName, string opName, Dictionary<string, object?> args, long[] shape, ValueKind outKind, DType outDType)
    {
        Func<IndexExpr[], Expr> Operand(string name) => Broadcast(args[name], shape);
        ValueKind InputKind(params string[] names) => PromotedKind(names.Select(n => args[n]));
        Func<IndexExpr[], Expr> Unary(UnaryOp u, string name = "self") { var a = Operand(name); return c => Exprs.Unary(u, Exprs.Cast(a(c), outKind)); }
        Func<IndexExpr[], Expr> Binary(BinaryOp b, string left = "self", string right = "other")
        {
            var x = Operand(left);
            var y = Operand(right);
            if (b.IsComparison()) { var k = InputKind(left, right); return c => Exprs.Binary(b, x(c), y(c), k); }
            return c => Exprs.Binary(b, x(c), y(c), outKind);
        }
        Expr Scalar(object? value) => Exprs.Const(Convert.ToDouble(value is bool flag ? (flag ? 1 : 0) : value), outKind);

        switch (opName)
        {
            case "aten::add.Tensor" or "aten::add.Scalar" or "aten::sub.Tensor" or "aten::sub.Scalar":
            {
                var x = Operand("self");
                var y = Operand("other");
                var alpha = args.GetValueOrDefault("alpha") ?? 1L;
                var op = opName.StartsWith("aten::add", StringComparison.Ordinal) ? BinaryOp.Add : BinaryOp.Sub;
                return c =>
                {
                    var other = Exprs.Cast(y(c), outKind);
                    if (Convert.ToDouble(alpha) != 1) other = Exprs.Binary(BinaryOp.Mul, other, Scalar(alpha), outKind);
                    return Exprs.Binary(op, x(c), other, outKind);
                };
            }
            case "aten::mul.Tensor" or "aten::mul.Scalar": return Binary(BinaryOp.Mul);
            case "aten::div.Tensor" or "aten::div.Scalar": return Binary(BinaryOp.Div);
            case "aten::div.Tensor_mode" or "aten::div.Scalar_mode":
                return (args.GetValueOrDefault("rounding_mode") as string) switch
                {
                    "floor" => Binary(BinaryOp.FloorDiv),
                    "trunc" => Binary(BinaryOp.TruncDiv),
                    _ => Binary(BinaryOp.Div),
                };
            case "aten::pow.Tensor_Scalar":
            {
                var x = Operand("self");
                double e = Convert.ToDouble(args["exponent"]);
                return e switch
                {
                    1 => c => Exprs.Cast(x(c), outKind),
                    2 => c => { var v = Exprs.Cast(x(c), outKind); return Exprs.Binary(BinaryOp.Mul, v, v, outKind); },
                    0.5 when outKind.IsFloating() => c => Exprs.Unary(UnaryOp.Sqrt, Exprs.Cast(x(c), outKind)),
                    -1 when outKind.IsFloating() => c => Exprs.Unary(UnaryOp.Reciprocal, Exprs.Cast(x(c), outKind)),
                    _ => c => Exprs.Binary(BinaryOp.Pow, x(c), Exprs.Const(e, outKind), outKind),
                };
            }
            case "aten::pow.Tensor_Tensor": return Binary(BinaryOp.Pow, "self", "exponent");
            case "aten::pow.Scalar": return Binary(BinaryOp.Pow, "self", "exponent");
            case "aten::maximum": return Binary(BinaryOp.Maximum);
            case "aten::minimum": return Binary(BinaryOp.Minimum);
            case "aten::atan2": return Binary(BinaryOp.Atan2);
            case "aten::remainder.Tensor" or "aten::remainder.Scalar": return Binary(BinaryOp.Remainder);
            case "aten::fmod.Tensor" or "aten::fmod.Scalar": return Binary(BinaryOp.Fmod);
            case "aten::eq.Tensor" or "aten::eq.Scalar": return Binary(BinaryOp.Eq);
            case "aten::ne.Tensor" or "aten::ne.Scalar": return Binary(BinaryOp.Ne);
            case "aten::lt.Tensor" or "aten::lt.Scalar": return Binary(BinaryOp.Lt);
            case "aten::le.Tensor" or "aten::le.Scalar": return Binary(BinaryOp.Le);
            case "aten::gt.Tensor" or "aten::gt.Scalar": return Binary(BinaryOp.Gt);
            case "aten::ge.Tensor" or "aten::ge.Scalar": return Binary(BinaryOp.Ge);
            case "aten::logical_and": return Binary(BinaryOp.LogicalAnd);
            case "aten::logical_or": return Binary(BinaryOp.LogicalOr);
            case "aten::logical_xor": return Binary(BinaryOp.LogicalXor);
            case "aten::logical_not": { var a = Operand("self"); return c => Exprs.Cast(Exprs.Unary(UnaryOp.LogicalNot, Exprs.Cast(a(c), ValueKind.Bool)), outKind); }
            case "aten::bitwise_and.Tensor" or "aten::bitwise_and.Scalar": return outKind == ValueKind.Bool ? Binary(BinaryOp.LogicalAnd) : Binary(BinaryOp.BitwiseAnd);
            case "aten::bitwise_or.Tensor" or "aten::bitwise_or.Scalar": return outKind == ValueKind.Bool ? Binary(BinaryOp.LogicalOr) : Binary(BinaryOp.BitwiseOr);
            case "aten::bitwise_xor.Tensor" or "aten::bitwise_xor.Scalar": return outKind == ValueKind.Bool ? Binary(BinaryOp.LogicalXor) : Binary(BinaryOp.BitwiseXor);
            case "aten::bitwise_not": return outKind == ValueKind.Bool ? Unary(UnaryOp.LogicalNot) : Unary(UnaryOp.BitwiseNot);
            case "aten::where.self":
            {
                var cond = Operand("condition");
                var a = Operand("self");
                var b = Operand("other");
                return c => Exprs.Select(cond(c), Exprs.Cast(a(c), outKind), Exprs.Cast(b(c), outKind));
            }
            case "aten::clamp" or "aten::clamp.Tensor" or "aten::hardtanh":
            {
                var x = Operand("self");
                string lo = opName == "aten::hardtanh" ? "min_val" : "min", hi = opName == "aten::hardtanh" ? "max_val" : "max";
                var min = args.GetValueOrDefault(lo) is { } m ? Broadcast(m, shape) : null;
                var max = args.GetValueOrDefault(hi) is { } n ? Broadcast(n, shape) : null;
                return c =>
                {
                    var v = Exprs.Cast(x(c), outKind);
                    if (min is not null) v = Exprs.Binary(BinaryOp.Maximum, v, min(c), outKind);
                    if (max is not null) v = Exprs.Binary(BinaryOp.Minimum, v, max(c), outKind);
                    return v;
                };
            }
            case "aten::relu": return Unary(UnaryOp.Relu);
            case "aten::leaky_relu":
            {
                var x = Operand("self");
                var slope = args.GetValueOrDefault("negative_slope") ?? 0.01;
                return c => { var v = Exprs.Cast(x(c), outKind); return Exprs.Select(Exprs.Binary(BinaryOp.Gt, v, Exprs.Const(0, outKind), outKind), v, Exprs.Binary(BinaryOp.Mul, v, Scalar(slope), outKind)); };
            }
            case "aten::elu":
            {
                var x = Operand("self");
                double alpha = Convert.ToDouble(args.GetValueOrDefault("alpha") ?? 1.0), scale = Convert.ToDouble(args.GetValueOrDefault("scale") ?? 1.0), inputScale = Convert.ToDouble(args.GetValueOrDefault("input_scale") ?? 1.0);
                return c =>
                {
                    var v = Exprs.Cast(x(c), outKind);
                    var negative = Exprs.Binary(BinaryOp.Mul, Exprs.Const(scale * alpha, outKind), Exprs.Unary(UnaryOp.Expm1, Exprs.Binary(BinaryOp.Mul, v, Exprs.Const(inputScale, outKind), outKind)), outKind);
                    return Exprs.Select(Exprs.Binary(BinaryOp.Gt, v, Exprs.Const(0, outKind), outKind), Exprs.Binary(BinaryOp.Mul, v, Exprs.Const(scale, outKind), outKind), negative);
                };
            }
            case "aten::gelu": return Unary(args.GetValueOrDefault("approximate") as string == "tanh" ? UnaryOp.GeluTanh : UnaryOp.Gelu);
            case "aten::sigmoid": return Unary(UnaryOp.Sigmoid);
            case "aten::tanh": return Unary(UnaryOp.Tanh);
            case "aten::exp": return Unary(UnaryOp.Exp);
            case "aten::expm1": return Unary(UnaryOp.Expm1);
            case "aten::log": return Unary(UnaryOp.Log);
            case "aten::log1p": return Unary(UnaryOp.Log1p);
            case "aten::log2": return Unary(UnaryOp.Log2);
            case "aten::log10": return Unary(UnaryOp.Log10);
            case "aten::sqrt": return Unary(UnaryOp.Sqrt);
            case "aten::rsqrt": return Unary(UnaryOp.Rsqrt);
            case "aten::reciprocal": return Unary(UnaryOp.Reciprocal);
            case "aten::neg": return Unary(UnaryOp.Neg);
            case "aten::abs": return Unary(UnaryOp.Abs);
            case "aten::sin": return Unary(UnaryOp.Sin);
            case "aten::cos": return Unary(UnaryOp.Cos);
            case "aten::tan": return Unary(UnaryOp.Tan);
            case "aten::asin": return Unary(UnaryOp.Asin);
            case "aten::acos": return Unary(UnaryOp.Acos);
            case "aten::atan": return Unary(UnaryOp.Atan);
            case "aten::sinh": return Unary(UnaryOp.Sinh);
            case "aten::cosh": return Unary(UnaryOp.Cosh);
            case "aten::asinh": return Unary(UnaryOp.Asinh);
            case "aten::acosh": return Unary(UnaryOp.Acosh);
            case "aten::atanh": return Unary(UnaryOp.Atanh);
            case "aten::erf": return Unary(UnaryOp.Erf);
            case "aten::erfc": return Unary(UnaryOp.Erfc);
            case "aten::lgamma": return Unary(UnaryOp.Lgamma);
            case "aten::i0": return Unary(UnaryOp.I0);
            case "aten::floor": return Unary(UnaryOp.Floor);
            case "aten::ceil": return Unary(UnaryOp.Ceil);
            case "aten::round": return Unary(UnaryOp.Round);
            case "aten::trunc": return Unary(UnaryOp.Trunc);
            case "aten::sign": return Unary(UnaryOp.Sign);
            case "aten::isnan": { var a = Operand("self"); return c => Exprs.Unary(UnaryOp.IsNan, a(c)); }
            case "aten::isinf": { var a = Operand("self"); return c => Exprs.Unary(UnaryOp.IsInf, a(c)); }
            case "aten::_to_copy" or "aten::copy":
            {
                var a = Operand(opName == "aten::copy" ? "src" : "self");
                return c => Exprs.Narrow(Exprs.Cast(a(c), outKind), outDType);
            }
            case "aten::fill.Scalar" or "aten::full_like":
            {
                var value = args.GetValueOrDefault("value") ?? args.GetValueOrDefault("fill_value");
                return _ => Scalar(value);
            }
            case "aten::full": return _ => Scalar(args["fill_value"]);
            case "aten::scalar_tensor": return _ => Scalar(args["s"]);
            case "aten::arange.start_step":
            {
                double start = Convert.ToDouble(args["start"]), step = Convert.ToDouble(args.GetValueOrDefault("step") ?? 1L);
                var kind = outKind == ValueKind.Int64 ? ValueKind.Int64 : ValueKind.Double;
                return c => Exprs.Cast(Exprs.Binary(BinaryOp.Add, Exprs.Binary(BinaryOp.Mul, new IndexValueExpr(c[0], kind), Exprs.Const(step, kind), kind), Exprs.Const(start, kind), kind), outKind);
            }
            case "aten::embedding":
            {
                var weight = (PlannedValue)args["weight"]!;
                var indices = (PlannedValue)args["indices"]!;
                var site = new IndexSite(opName, nodeName, 0, weight.Shape[0], false);
                return c => weight.Read([ToIndex(indices.Read(c[..^1]), site), c[^1]]);
            }
            case "aten::index_select":
            {
                var self = (PlannedValue)args["self"]!;
                var index = (PlannedValue)args["index"]!;
                int dim = NormalizeDim(Convert.ToInt64(args["dim"]), self.Shape.Length);
                var site = new IndexSite(opName, nodeName, dim, self.Shape[dim], false);
                return c => self.Read(c.Select((x, k) => k == dim ? ToIndex(index.Read([x]), site) : x).ToArray());
            }
            case "aten::gather":
            {
                // out[c] = self[c with c[dim] = index[c]]: index has the output's shape.
                var self = (PlannedValue)args["self"]!;
                var index = (PlannedValue)args["index"]!;
                int dim = NormalizeDim(Convert.ToInt64(args["dim"]), self.Shape.Length);
                if (index.Shape.Length != self.Shape.Length) return null;
                var site = new IndexSite(opName, nodeName, dim, self.Shape[dim], false);
                return c => Exprs.Cast(self.Read(c.Select((x, k) => k == dim ? ToIndex(index.Read(c), site) : x).ToArray()), outKind);
            }
            case "aten::index.Tensor": return AdvancedIndex(nodeName, args, shape, outKind);
            case "aten::cat":
            {
                var parts = ((object?[])args["tensors"]!).OfType<PlannedValue>().Where(t => t.Numel > 0 || t.Shape.Length == shape.Length).ToArray();
                int dim = NormalizeDim(Convert.ToInt64(args["dim"] ?? 0L), shape.Length);
                return c =>
                {
                    // Nested selects, last part innermost: coordinate < end of part k picks part k.
                    long start = parts.Take(parts.Length - 1).Sum(p => p.Shape[dim]);
                    var last = parts[^1];
                    Expr result = Exprs.Cast(last.Read(c.Select((x, k) => k == dim ? x - IndexExpr.Constant(start) : x).ToArray()), outKind);
                    for (int p = parts.Length - 2; p >= 0; p--)
                    {
                        start -= parts[p].Shape[dim];
                        long partStart = start;
                        var part = parts[p];
                        var read = Exprs.Cast(part.Read(c.Select((x, k) => k == dim ? x - IndexExpr.Constant(partStart) : x).ToArray()), outKind);
                        result = Exprs.Select(Exprs.InRange(c[dim], partStart, partStart + part.Shape[dim]), read, result);
                    }
                    return result;
                };
            }
            case "aten::slice_scatter":
            {
                // self with src written over a strided slice of dim: a select on whether the coordinate is one the slice hits.
                var self = (PlannedValue)args["self"]!;
                var src = (PlannedValue)args["src"]!;
                int dim = NormalizeDim(Convert.ToInt64(args["dim"] ?? 0L), shape.Length);
                long size = shape[dim], step = Convert.ToInt64(args["step"] ?? 1L), count = src.Shape[dim];
                long start = args["start"] is null ? 0 : Convert.ToInt64(args["start"]);
                if (start < 0) start += size;
                start = Math.Clamp(start, 0, size);
                if (step < 1) return null;
                return c =>
                {
                    var offset = c[dim] - IndexExpr.Constant(start);
                    Expr hit = Exprs.InRange(offset, 0, (count - 1) * step + 1);
                    if (step > 1 && count > 1) hit = Exprs.And(hit, Exprs.InRange(offset.Mod(step), 0, 1));
                    var at = c.Select((x, k) => k == dim ? (step == 1 ? offset : offset.Div(step)) : x).ToArray();
                    return count == 0 ? Exprs.Cast(self.Read(c), outKind) : Exprs.Select(hit, Exprs.Cast(src.Read(at), outKind), Exprs.Cast(self.Read(c), outKind));
                };
            }
            case "aten::select_scatter":
            {
                var self = (PlannedValue)args["self"]!;
                var src = (PlannedValue)args["src"]!;
                int dim = NormalizeDim(Convert.ToInt64(args["dim"] ?? 0L), shape.Length);
                long index = Convert.ToInt64(args["index"]);
                if (index < 0) index += shape[dim];
                return c => Exprs.Select(Exprs.InRange(c[dim], index, index + 1), Exprs.Cast(src.Read(c.Where((_, k) => k != dim).ToArray()), outKind), Exprs.Cast(self.Read(c), outKind));
            }
            case "aten::constant_pad_nd":
            {
                var self = (PlannedValue)args["self"]!;
                var pad = Longs(args["pad"]);
                var value = args.GetValueOrDefault("value") ?? 0.0;
                return c =>
                {
                    var inner = new IndexExpr[c.Length];
                    Expr inside = Exprs.Const(1, ValueKind.Bool);
                    for (int k = 0; k < c.Length; k++)
                    {
                        int padIndex = 2 * (c.Length - 1 - k);
                        long before = padIndex < pad.Length ? pad[padIndex] : 0;
                        inner[k] = c[k] - IndexExpr.Constant(before);
                        if (padIndex < pad.Length) inside = Exprs.And(inside, Exprs.InRange(inner[k], 0, self.Shape[k]));
                    }
                    return Exprs.Select(inside, Exprs.Cast(self.Read(inner), outKind), Scalar(value));
                };
            }
            case "aten::reflection_pad1d" or "aten::reflection_pad2d" or "aten::reflection_pad3d"
                or "aten::replication_pad1d" or "aten::replication_pad2d" or "aten::replication_pad3d":
            {
                var self = (PlannedValue)args["self"]!;
                var pad = Longs(args["padding"]);
                return BorderPadded(self, pad, reflect: opName.StartsWith("aten::reflection", StringComparison.Ordinal));
            }
            case "aten::flip":
            {
                var self = (PlannedValue)args["self"]!;
                var flipped = Longs(args["dims"]).Select(d => NormalizeDim(d, self.Shape.Length)).ToHashSet();
                return c => self.Read(c.Select((x, k) => flipped.Contains(k) ? IndexExpr.Constant(self.Shape[k] - 1) - x : x).ToArray());
            }
            default:
                return null;
        }
    }

    // Reflection or edge padding of the trailing dims (pad lists the last dim's before and after first, as ATen does).
    // Each padded dim's coordinate maps into the input three ways, chosen by selects that the generated C evaluates
    // lazily: below the input (reflected: -i, edge: 0), inside (i) and above (reflected: 2(size - 1) - i, edge:
    // size - 1). ATen requires reflection pads smaller than the dim, so a reflected coordinate is always inside.
    private static Func<IndexExpr[], Expr> BorderPadded(PlannedValue self, long[] pad, bool reflect)
    {
        int rank = self.Shape.Length, padded = pad.Length / 2;
        return c =>
        {
            var inner = (IndexExpr[])c.Clone();
            for (int j = 0; j < padded; j++) inner[rank - 1 - j] = c[rank - 1 - j] - IndexExpr.Constant(pad[2 * j]);
            return Mapped(inner, 0);
        };

        Expr Mapped(IndexExpr[] index, int j)
        {
            if (j == padded) return self.Read(index);
            int k = rank - 1 - j;
            long size = self.Shape[k];
            var i = index[k];
            var below = (IndexExpr[])index.Clone();
            below[k] = reflect ? IndexExpr.Constant(0) - i : IndexExpr.Constant(0);
            var above = (IndexExpr[])index.Clone();
            above[k] = reflect ? IndexExpr.Constant(2 * (size - 1)) - i : IndexExpr.Constant(size - 1);
            return Exprs.Select(Exprs.InRange(i, 0, size), Mapped(index, j + 1),
                Exprs.Select(Exprs.InRange(i, long.MinValue / 4, 0), Mapped(below, j + 1), Mapped(above, j + 1)));
        }
    }

    // An integer value used as an index (embedding ids): rendered as a load converted to int64, checked against the
    // size it indexes (the site's number is its place in the plan's list).
    private IndexLoad ToIndex(Expr value, IndexSite site)
    {
        if (value is not LoadExpr load) throw new NotSupportedException("Gather indices must come from a stored tensor.");
        return new IndexLoad(load.Buffer, load.Index, site.Size, site.WrapNegative, FaultSiteNumber(site));
    }

    // A check's number in the plan's list, which a kernel records a failure under.
    private int FaultSiteNumber(FaultSite site)
    {
        if (!faultSiteNumbers.TryGetValue(site, out int number))
        {
            faultSiteNumbers[site] = number = faultSites.Count;
            faultSites.Add(site);
        }
        return number;
    }

    /// <summary>torch's advanced indexing, <c>self[i0, :, i2]</c> (index.Tensor), as index math (<see cref="AdvancedIndexing"/>);
    /// boolean masks are left to the host.</summary>
    private Func<IndexExpr[], Expr>? AdvancedIndex(string nodeName, Dictionary<string, object?> args, long[] shape, ValueKind outKind)
    {
        var self = (PlannedValue)args["self"]!;
        if (AdvancedIndexing("aten::index.Tensor", nodeName, self, (object?[])args["indices"]!) is not var (indexedShape, selfAt) || !indexedShape.SequenceEqual(shape)) return null;
        return c => Exprs.Cast(self.Read(selfAt(c)), outKind);
    }

    /// <summary>
    /// The shape of <c>self[indices]</c> and, for each of its coordinates, the coordinates in self it reads: B's dims
    /// (the index tensors broadcast together) where the indexed dims were when those are adjacent, else first; each
    /// indexed dim takes its index tensor's value there (negative values count from the end). Null for boolean masks
    /// (a shape only the data decides) and index tensors that do not broadcast.
    /// </summary>
    private (long[] Shape, Func<IndexExpr[], IndexExpr[]> SelfAt)? AdvancedIndexing(string opName, string nodeName, PlannedValue self, object?[] list)
    {
        var indexed = list.Select((v, d) => (Tensor: v as PlannedValue, Dim: d)).Where(t => t.Tensor is not null).Select(t => (Tensor: t.Tensor!, t.Dim)).ToArray();
        if (indexed.Length == 0 || list.Length > self.Shape.Length || indexed.Any(t => t.Tensor.DType is DType.Bool or DType.UInt8)) return null;
        var broadcast = BroadcastShapes(indexed.Select(t => t.Tensor.Shape));
        if (broadcast is null) return null;
        int first = indexed[0].Dim, last = indexed[^1].Dim, rank = broadcast.Length;
        bool adjacent = indexed.Length == last - first + 1;
        var others = Enumerable.Range(0, self.Shape.Length).Where(d => !indexed.Any(t => t.Dim == d)).ToArray();
        var shape = adjacent
            ? self.Shape[..first].Concat(broadcast).Concat(self.Shape[(last + 1)..]).ToArray()
            : broadcast.Concat(others.Select(d => self.Shape[d])).ToArray();
        int bStart = adjacent ? first : 0;
        return (shape, c =>
        {
            var at = new IndexExpr[self.Shape.Length];
            var b = c[bStart..(bStart + rank)];
            for (int j = 0; j < others.Length; j++)
            {
                int d = others[j];
                at[d] = adjacent ? c[d < first ? d : d - (last + 1 - first) + rank] : c[rank + j];
            }
            foreach (var (tensor, dim) in indexed)
            {
                int lead = rank - tensor.Shape.Length;
                var read = tensor.Read(tensor.Shape.Select((s, k) => s == 1 && broadcast[k + lead] != 1 ? IndexExpr.Constant(0) : b[k + lead]).ToArray());
                at[dim] = ToIndex(read, new IndexSite(opName, nodeName, dim, self.Shape[dim], WrapNegative: true));
            }
            return at;
        });
    }

    /// <summary>
    /// <c>index_put</c> (what an in-place <c>x[i] = v</c> and <c>index_copy_</c> become: a static key/value cache's
    /// write): a copy of self, then a kernel over <c>self[indices]</c>'s shape that stores each of values' elements
    /// (broadcast to that shape) where it reads. Repeated indices write in no fixed order, as torch's do; with
    /// accumulate (index_add, x[i] += v) they add atomically, for the dtypes the device adds into.
    /// </summary>
    private PlannedValue? LowerIndexPut(Node node, Dictionary<string, object?> args)
    {
        bool accumulate = args.GetValueOrDefault("accumulate") is true;
        if (node.Value is not TensorMeta meta || args["self"] is not PlannedValue self || args["values"] is not PlannedValue values
            || (accumulate && !AddsAtomically(meta.DType)) || args["indices"] is not object?[] list) return null;
        if (MaskedPut(node, meta, self, values, list, accumulate) is { } masked) return masked;
        if (AdvancedIndexing("aten::index_put", node.Name, self, list) is not var (shape, selfAt) || values.Shape.Length > shape.Length) return null;
        for (int k = 1; k <= values.Shape.Length; k++)
            if (values.Shape[^k] != 1 && values.Shape[^k] != shape[^k]) return null;
        foreach (var index in list.OfType<PlannedValue>()) Materialize(index);
        var kind = ValueKinds.Of(meta.DType);
        var result = new PlannedValue(node.Name, meta.DType, self.Shape) { Body = c => Exprs.Cast(self.Read(c), kind) };
        result.Provenance.Add("aten::index_put");
        // A buffer the program updates (a key/value cache) takes the values in its own memory; anything else is
        // copied first and the copy updated.
        if (!accumulate && InPlaceTarget(node, self) is { } own)
        {
            result.Body = null;
            result.Stored = own;
        }
        var view = Materialize(result);
        var space = new IterationSpace("i", "x", shape);
        var coordinates = space.Coordinates;
        var value = Exprs.Cast(Broadcast(values, shape)(coordinates), kind);
        steps.Add(new PointwiseKernel($"{Hint(result)}_put", $"{node.Name}[indices] {(accumulate ? "+=" : "=")} values  {meta.DType.ShortName()}[{string.Join(", ", shape)}]", space,
            [Tighten(space, new Store(view.Buffer, view.Index(selfAt(coordinates)), value, accumulate))]));
        return result;
    }

    /// <summary>
    /// x[mask] = v (or += v) with one value for every picked element: where(mask, v, x), a pointwise body the consumers
    /// inline, over a mask of x's leading dims. A value per picked element would be taken in the mask's order (how many
    /// is data), and a buffer written in place keeps index_put's own path; both return null.
    /// </summary>
    private PlannedValue? MaskedPut(Node node, TensorMeta meta, PlannedValue self, PlannedValue values, object?[] list, bool accumulate)
    {
        if (list is not [PlannedValue { DType: DType.Bool or DType.UInt8 } mask] || mask.Shape.Length > self.Shape.Length
            || !mask.Shape.SequenceEqual(self.Shape.Take(mask.Shape.Length)) || values.Numel != 1 || InPlaceTarget(node, self) is not null) return null;
        var kind = ValueKinds.Of(meta.DType);
        var origin = new IndexExpr[values.Shape.Length];
        Array.Fill(origin, IndexExpr.Constant(0));
        var result = new PlannedValue(node.Name, meta.DType, self.Shape)
        {
            Body = c =>
            {
                var old = Exprs.Cast(self.Read(c), kind);
                var value = Exprs.Cast(values.Read(origin), kind);
                return Exprs.Select(mask.Read(c[..mask.Shape.Length]), accumulate ? Exprs.Binary(BinaryOp.Add, old, value, kind) : value, old);
            },
        };
        result.Provenance.AddRange(mask.Provenance);
        result.Provenance.Add("aten::index_put");
        return result;
    }

    /// <summary>The shape index tensors broadcast to, or null when they do not broadcast.</summary>
    private static long[]? BroadcastShapes(IEnumerable<long[]> shapes)
    {
        try
        {
            return shapes.Aggregate(Array.Empty<long>(), (a, b) => Cpu.ShapeMath.BroadcastShapes(a, b));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Reads a tensor operand broadcast to the output shape, or a scalar as a constant.</summary>
    private static Func<IndexExpr[], Expr> Broadcast(object? operand, long[] outShape)
    {
        if (operand is PlannedValue v)
        {
            int lead = outShape.Length - v.Shape.Length;
            return c => v.Read(v.Shape.Select((s, k) => s == 1 && outShape[k + lead] != 1 ? IndexExpr.Constant(0) : c[k + lead]).ToArray());
        }
        var (value, kind) = operand switch
        {
            bool b => (b ? 1.0 : 0.0, ValueKind.Bool),
            long or int => (Convert.ToDouble(operand), ValueKind.Int64),
            null => throw new NotSupportedException("A missing operand cannot be broadcast."),
            _ => (Convert.ToDouble(operand), ValueKind.Double),
        };
        var constant = Exprs.Const(value, kind);
        return _ => constant;
    }

    /// <summary>Type promotion of mixed operands: tensors decide, a float scalar lifts integer tensors to float.</summary>
    private static ValueKind PromotedKind(IEnumerable<object?> operands)
    {
        var list = operands.ToList();
        var tensorKinds = list.OfType<PlannedValue>().Select(v => ValueKinds.Of(v.DType)).ToList();
        var tensorKind = tensorKinds.Count == 0 ? ValueKind.Double : tensorKinds.Aggregate(ValueKinds.Widest);
        foreach (var scalar in list.Where(o => o is not PlannedValue and not null))
        {
            var scalarKind = scalar switch { bool => ValueKind.Bool, long or int => ValueKind.Int64, _ => ValueKind.Float };
            if (scalarKind > tensorKind && !(tensorKind.IsFloating() && scalarKind.IsFloating())) tensorKind = scalarKind;
        }
        return tensorKind;
    }
}

using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// Views: new strides over the same buffer when the input is stored, a coordinate map over the body otherwise.
public sealed partial class FusionPlanner
{
    private PlannedValue? TryLowerView(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        if (node.Value is not TensorMeta meta) return null;
        var outShape = shapes.Evaluate(meta.Shape);
        Func<IndexExpr[], IndexExpr[]>? map;
        if (op.Name is "aten::alias" or "aten::detach" or "aten::lift_fresh_copy" or "aten::clone" or "aten::contiguous")
            map = c => c;
        else if (op.Name is "aten::repeat" && args["self"] is PlannedValue repeated)
            map = RepeatMap(repeated.Shape, outShape);
        else if (!op.Schema.IsView || args["self"] is not PlannedValue)
            return null;
        else
            map = ViewMap(op.Name, args, ((PlannedValue)args["self"]!).Shape, outShape);
        if (map is null) return null;
        var input = (PlannedValue)args["self"]!;
        if (input.Stored is { } stored && StridedViewOf(op.Name, args, stored, outShape) is { } view)
        {
            var result = new PlannedValue(node.Name, meta.DType, outShape) { Stored = view };
            result.Provenance.Add(op.Name);
            return result;
        }
        var mapped = new PlannedValue(node.Name, meta.DType, outShape)
        {
            Body = c => input.Read(map(c)),
            ViewSource = (input, stored => StridedViewOf(op.Name, args, stored, outShape)),
        };
        mapped.Provenance.AddRange(input.Provenance);
        if (!input.IsStored && ReadIndexSize(mapped) > options.MaxViewIndexSize)
        {
            // Too many views composed over an unstored value: store it, and view the stored buffer instead.
            Materialize(input);
            return TryLowerView(node, op, args);
        }
        return mapped;
    }

    /// <summary>
    /// Stores an unstored input of a convolution or pooling whose reads at window positions (output position · stride
    /// + tap - padding, where views' divisions and remainders no longer cancel) would exceed the index budget.
    /// </summary>
    private void StoreIfWindowReadsGrow(PlannedValue input)
    {
        if (input.IsStored || input.Shape.Length < 3) return;
        var shape = input.Shape;
        var coordinates = new IndexExpr[shape.Length];
        for (int d = 0; d < shape.Length; d++)
        {
            if (d < 2) coordinates[d] = new IndexVar($"w{d}", shape[d]);
            else
            {
                // A 3-tap window of stride 2 and padding 1 over this dim.
                long outer = Math.Max((shape[d] + 1) / 2, 1);
                coordinates[d] = new IndexVar($"w{d}", outer) * 2 + new IndexVar($"k{d}", 3) - IndexExpr.Constant(1);
            }
        }
        if (IndexSize(input.Read(coordinates)) > options.MaxViewIndexSize) Materialize(input);
    }

    /// <summary>The size of the index math of one read of the value (every load's index, in tree nodes), saturating.</summary>
    private static long ReadIndexSize(PlannedValue value) => IndexSize(value.Read(new IterationSpace("i", "x", value.Shape).Coordinates));

    private static long IndexSize(Expr read)
    {
        long total = 0;
        int visited = 0;
        foreach (var node in ExprWalker.Nodes(read))
        {
            if (++visited > 1 << 16) return long.MaxValue;
            var index = node switch
            {
                LoadExpr load => load.Index,
                IndexValueExpr value2 => value2.Index,
                InRangeExpr range => range.Index,
                _ => null,
            };
            if (index is not null) total = Math.Min(long.MaxValue - index.Size, total) + index.Size;
        }
        return total;
    }

    /// <summary>Output coordinates → input coordinates of a view op (null for views this planner does not know).</summary>
    private static Func<IndexExpr[], IndexExpr[]>? ViewMap(string opName, Dictionary<string, object?> args, long[] inShape, long[] outShape)
    {
        int inRank = inShape.Length;
        switch (opName)
        {
            case "aten::permute":
            {
                var dims = Longs(args["dims"]).Select(d => NormalizeDim(d, inRank)).ToArray();
                return c =>
                {
                    var r = new IndexExpr[inRank];
                    for (int i = 0; i < dims.Length; i++) r[dims[i]] = c[i];
                    return r;
                };
            }
            case "aten::expand":
            {
                int lead = outShape.Length - inRank;
                return c => Enumerable.Range(0, inRank).Select(k => inShape[k] == 1 && outShape[k + lead] != 1 ? IndexExpr.Constant(0) : c[k + lead]).ToArray();
            }
            case "aten::unsqueeze":
            {
                int dim = NormalizeDim(Convert.ToInt64(args["dim"]), outShape.Length);
                return c => c.Where((_, i) => i != dim).ToArray();
            }
            case "aten::squeeze.dim":
            case "aten::squeeze.dims":
            case "aten::squeeze":
            {
                var dims = args.TryGetValue("dim", out var d) && d is not null ? (d is object?[] or long[] ? Longs(d) : [Convert.ToInt64(d)]).Select(x => NormalizeDim(x, inRank)).ToHashSet() : Enumerable.Range(0, inRank).ToHashSet();
                var removed = Enumerable.Range(0, inRank).Where(k => dims.Contains(k) && inShape[k] == 1).ToHashSet();
                return c =>
                {
                    var r = new IndexExpr[inRank];
                    int j = 0;
                    for (int k = 0; k < inRank; k++) r[k] = removed.Contains(k) ? IndexExpr.Constant(0) : c[j++];
                    return r;
                };
            }
            case "aten::select.int":
            {
                int dim = NormalizeDim(Convert.ToInt64(args["dim"]), inRank);
                long index = Convert.ToInt64(args["index"]);
                if (index < 0) index += inShape[dim];
                return c => c.Take(dim).Append(IndexExpr.Constant(index)).Concat(c.Skip(dim)).ToArray();
            }
            case "aten::slice.Tensor":
            {
                int dim = NormalizeDim(Convert.ToInt64(args["dim"] ?? 0L), inRank);
                var (start, _, step) = SliceBounds(args, inShape[dim]);
                return c => c.Select((x, k) => k == dim ? x * step + start : x).ToArray();
            }
            case "aten::view":
            case "aten::_unsafe_view":
            case "aten::reshape":
            {
                var outStrides = StridedView.ContiguousStrides(outShape);
                return c => IndexExpr.Delinearize(IndexExpr.Linearize(c, outStrides), inShape);
            }
            case "aten::t":
                return c => inRank < 2 ? c : [c[1], c[0]];
            case "aten::transpose.int":
            {
                int d0 = NormalizeDim(Convert.ToInt64(args["dim0"]), inRank), d1 = NormalizeDim(Convert.ToInt64(args["dim1"]), inRank);
                return c =>
                {
                    var r = (IndexExpr[])c.Clone();
                    (r[d0], r[d1]) = (c[d1], c[d0]);
                    return r;
                };
            }
            default:
                return null;
        }
    }

    /// <summary>repeat: the input tiled along each dim (new leading dims repeat it whole); each coordinate wraps at the input's size.</summary>
    private static Func<IndexExpr[], IndexExpr[]> RepeatMap(long[] inShape, long[] outShape)
    {
        int lead = outShape.Length - inShape.Length;
        return c => inShape.Select((size, k) => size == 1 ? IndexExpr.Constant(0) : c[lead + k].Mod(size)).ToArray();
    }

    /// <summary>
    /// split_with_sizes (Mamba's projections split into their parts): one slice of the input per size, each a view of
    /// the stored input or a coordinate shift over its body.
    /// </summary>
    private object? LowerSplitWithSizes(Node node, Dictionary<string, object?> args)
    {
        if (node.Value is not TensorMeta[] metas || args["self"] is not PlannedValue input || input.Shape.Length == 0) return null;
        int dim = NormalizeDim(Convert.ToInt64(args["dim"] ?? 0L), input.Shape.Length);
        var sizes = Longs(args["split_sizes"]);
        if (sizes.Length != metas.Length || sizes.Sum() != input.Shape[dim]) return null;
        var pieces = new object?[sizes.Length];
        long start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            var slice = new Dictionary<string, object?> { ["dim"] = (long)dim, ["start"] = start, ["end"] = start + sizes[i], ["step"] = 1L };
            var shape = input.Shape.Select((s, k) => k == dim ? sizes[i] : s).ToArray();
            PlannedValue piece;
            if (input.Stored is { } stored && StridedViewOf("aten::slice.Tensor", slice, stored, shape) is { } view)
                piece = new PlannedValue($"{node.Name}_{i}", metas[i].DType, shape) { Stored = view };
            else
            {
                var map = ViewMap("aten::slice.Tensor", slice, input.Shape, shape)!;
                piece = new PlannedValue($"{node.Name}_{i}", metas[i].DType, shape) { Body = c => input.Read(map(c)) };
                piece.Provenance.AddRange(input.Provenance);
            }
            piece.Provenance.Add("aten::split_with_sizes");
            pieces[i] = piece;
            start += sizes[i];
        }
        return pieces;
    }

    /// <summary>The strided view a view op gives over a stored input, or null when strides cannot express it.</summary>
    private static StridedView? StridedViewOf(string opName, Dictionary<string, object?> args, StridedView input, long[] outShape)
    {
        var inShape = input.Shape;
        var inStrides = input.Strides;
        int inRank = inShape.Count;
        switch (opName)
        {
            case "aten::alias" or "aten::detach" or "aten::lift_fresh_copy":
                return input;
            case "aten::clone" or "aten::contiguous":
                return null;
            case "aten::permute":
            {
                var dims = Longs(args["dims"]).Select(d => NormalizeDim(d, inRank)).ToArray();
                return input with { Shape = dims.Select(d => inShape[d]).ToArray(), Strides = dims.Select(d => inStrides[d]).ToArray() };
            }
            case "aten::t":
                return inRank < 2 ? input : input with { Shape = [inShape[1], inShape[0]], Strides = [inStrides[1], inStrides[0]] };
            case "aten::transpose.int":
            {
                int d0 = NormalizeDim(Convert.ToInt64(args["dim0"]), inRank), d1 = NormalizeDim(Convert.ToInt64(args["dim1"]), inRank);
                var s = inShape.ToArray();
                var st = inStrides.ToArray();
                (s[d0], s[d1]) = (s[d1], s[d0]);
                (st[d0], st[d1]) = (st[d1], st[d0]);
                return input with { Shape = s, Strides = st };
            }
            case "aten::expand":
            {
                int lead = outShape.Length - inRank;
                var expanded = new long[outShape.Length];
                for (int k = 0; k < outShape.Length; k++)
                    expanded[k] = k < lead ? 0 : inShape[k - lead] == 1 && outShape[k] != 1 ? 0 : inStrides[k - lead];
                return input with { Shape = outShape, Strides = expanded };
            }
            case "aten::unsqueeze":
            {
                int dim = NormalizeDim(Convert.ToInt64(args["dim"]), outShape.Length);
                long stride = dim < inRank ? inStrides[dim] * Math.Max(inShape[dim], 1) : 1;
                return input with { Shape = outShape, Strides = inStrides.Take(dim).Append(stride).Concat(inStrides.Skip(dim)).ToArray() };
            }
            case "aten::squeeze.dim" or "aten::squeeze.dims" or "aten::squeeze":
            {
                var dims = args.TryGetValue("dim", out var d) && d is not null ? (d is object?[] or long[] ? Longs(d) : [Convert.ToInt64(d)]).Select(x => NormalizeDim(x, inRank)).ToHashSet() : Enumerable.Range(0, inRank).ToHashSet();
                var keep = Enumerable.Range(0, inRank).Where(k => !(dims.Contains(k) && inShape[k] == 1)).ToArray();
                return input with { Shape = keep.Select(k => inShape[k]).ToArray(), Strides = keep.Select(k => inStrides[k]).ToArray() };
            }
            case "aten::select.int":
            {
                int dim = NormalizeDim(Convert.ToInt64(args["dim"]), inRank);
                long index = Convert.ToInt64(args["index"]);
                if (index < 0) index += inShape[dim];
                return input with
                {
                    Offset = input.Offset + index * inStrides[dim],
                    Shape = inShape.Where((_, k) => k != dim).ToArray(),
                    Strides = inStrides.Where((_, k) => k != dim).ToArray(),
                };
            }
            case "aten::slice.Tensor":
            {
                int dim = NormalizeDim(Convert.ToInt64(args["dim"] ?? 0L), inRank);
                var (start, _, step) = SliceBounds(args, inShape[dim]);
                return input with
                {
                    Offset = input.Offset + start * inStrides[dim],
                    Shape = outShape,
                    Strides = inStrides.Select((s, k) => k == dim ? s * step : s).ToArray(),
                };
            }
            case "aten::view" or "aten::_unsafe_view" or "aten::reshape":
                return ViewStrides(inShape, inStrides, outShape) is { } strides ? input with { Shape = outShape, Strides = strides } : null;
            case "aten::as_strided":
            {
                var size = Longs(args["size"]);
                var stride = Longs(args["stride"]);
                long offset = args.TryGetValue("storage_offset", out var o) && o is not null ? Convert.ToInt64(o) : input.Offset;
                return input with { Offset = offset, Shape = size, Strides = stride };
            }
            default:
                return null;
        }
    }

    /// <summary>
    /// Strides that let a strided tensor be viewed with a new shape without copying (torch's rule: each group of
    /// output dims must cover a group of input dims that are contiguous among themselves), or null.
    /// </summary>
    internal static long[]? ViewStrides(IReadOnlyList<long> inShape, IReadOnlyList<long> inStrides, IReadOnlyList<long> outShape)
    {
        long numel = inShape.Aggregate(1L, (a, b) => a * b);
        var result = new long[outShape.Count];
        if (numel == 0 || inShape.Count == 0) return StridedView.ContiguousStrides(outShape);
        int viewD = outShape.Count - 1;
        long chunkBaseStride = inStrides.Count > 0 ? inStrides[^1] : 1;
        long tensorNumel = 1, viewNumel = 1;
        for (int tensorD = inShape.Count - 1; tensorD >= 0; tensorD--)
        {
            tensorNumel *= inShape[tensorD];
            if (tensorD == 0 || (inShape[tensorD - 1] != 1 && inStrides[tensorD - 1] != tensorNumel * chunkBaseStride))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || outShape[viewD] == 1))
                {
                    result[viewD] = viewNumel * chunkBaseStride;
                    viewNumel *= outShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (tensorD > 0)
                {
                    chunkBaseStride = inStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? result : null;
    }

    private static (long Start, long End, long Step) SliceBounds(Dictionary<string, object?> args, long size)
    {
        long step = args.TryGetValue("step", out var st) && st is not null ? Convert.ToInt64(st) : 1;
        long start = args.TryGetValue("start", out var s) && s is not null ? Convert.ToInt64(s) : 0;
        long end = args.TryGetValue("end", out var e) && e is not null ? Convert.ToInt64(e) : size;
        if (start < 0) start += size;
        if (end < 0) end += size;
        start = Math.Clamp(start, 0, size);
        end = Math.Clamp(end, start, size);
        return (start, end, step);
    }

    internal static long[] Longs(object? value) => value switch
    {
        null => [],
        long[] l => l,
        int[] i => i.Select(x => (long)x).ToArray(),
        object?[] list => list.Select(x => Convert.ToInt64(x is SymInt s ? (long)s : x)).ToArray(),
        SymInt[] syms => syms.Select(x => (long)x).ToArray(),
        _ => [Convert.ToInt64(value)],
    };
}

namespace Graphport.Onnx;

/// <summary>
/// Shape, Reshape, Flatten, Transpose, Squeeze/Unsqueeze, Concat, Slice, Split, Expand, Tile, Pad,
/// ConstantOfShape, Range. Each folds on known sizes where the model computes shapes, so Shape →
/// Gather → Concat → Reshape chains leave no ops behind and the sizes stay symbolic.
/// </summary>
internal static partial class OnnxOpTable
{
    private static void AddShapes(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["Shape"] = Shape;
        t["Size"] = c => One(ShapeValue.Scalar(DimsOf(c.Value(0)).Aggregate((SymInt)1, (a, b) => a * b)));
        t["Reshape"] = Reshape;
        t["Flatten"] = Flatten;
        t["Transpose"] = c =>
        {
            var x = c.Tensor(0);
            var perm = c.Ints("perm") ?? Enumerable.Range(0, x.Ndim).Reverse().Select(d => (long)d).ToArray();
            if (perm.Length != x.Ndim) throw c.Fail($"has a perm of {perm.Length} axes for a {x.Ndim}-d input");
            return One(Call(Aten.Permute, x, perm.Select(p => (long)c.Axis(p, x.Ndim, "perm axis")).ToArray()));
        };
        t["Squeeze"] = Squeeze;
        t["Unsqueeze"] = Unsqueeze;
        t["Concat"] = Concat;
        t["Slice"] = Slice;
        t["Split"] = Split;
        t["Expand"] = Expand;
        t["Tile"] = c => One(Call(Aten.Repeat, c.Tensor(0), c.Sizes(1, "repeats")));
        t["Pad"] = Pad;
        t["ConstantOfShape"] = ConstantOfShape;
        t["Range"] = Range;
        t["Constant"] = c => throw c.Fail("was not evaluated before tracing (Constant nodes are read up front); this is a Graphport bug");
    }

    private static SymInt[] DimsOf(OnnxValue v) => v switch
    {
        TensorValue t => t.Tensor.Shape.ToArray(),
        ShapeValue s => s.Dims.Select(d => (SymInt)d).ToArray(),
        _ => [],
    };

    private static OnnxValue[] Shape(OnnxNodeContext c)
    {
        var dims = DimsOf(c.Value(0));
        int rank = dims.Length;
        long start = c.Int("start", 0), end = c.Int("end", rank);
        int s = (int)Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        int e = (int)Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        return One(ShapeValue.Vector(dims[s..Math.Max(s, e)]));
    }

    private static OnnxValue[] Reshape(OnnxNodeContext c)
    {
        var requested = c.Opset >= 5 ? c.Sizes(1, "target shape") : (c.Ints("shape") ?? throw c.Fail("has no shape")).Select(v => (SymInt)v).ToArray();
        var input = DimsOf(c.Value(0));
        bool allowZero = c.Int("allowzero", 0) != 0;
        var target = new SymInt[requested.Length];
        for (int i = 0; i < target.Length; i++)
        {
            // 0 copies the input's size at that position (unless allowzero); -1 is inferred by ATen's reshape.
            if (!allowZero && requested[i].AsConstant == 0)
            {
                if (i >= input.Length) throw c.Fail($"copies dim {i} (a 0 in the target shape) but the input has {input.Length} dims");
                target[i] = input[i];
            }
            else target[i] = requested[i];
        }
        if (c.Value(0) is ShapeValue known)
        {
            var dims = target.Select(d => d.AsConstant ?? throw c.Fail("reshapes a shape value to a symbolic shape")).ToArray();
            int infer = Array.IndexOf(dims, -1L);
            if (infer >= 0) dims[infer] = known.Items.Length / Math.Max(1, dims.Where((d, k) => k != infer).Aggregate(1L, (a, b) => a * b));
            return One(new ShapeValue(known.DType, dims, known.Items));
        }
        return One(Call(Aten.Reshape, c.Tensor(0), target));
    }

    private static OnnxValue[] Flatten(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        int axis = (int)c.Int("axis", 1);
        if (axis < 0) axis += x.Ndim;
        if (axis < 0 || axis > x.Ndim) throw c.Fail($"flattens at axis {c.Int("axis", 1)} of a {x.Ndim}-d input");
        SymInt rows = 1, cols = 1;
        for (int d = 0; d < axis; d++) rows *= x.Size(d);
        for (int d = axis; d < x.Ndim; d++) cols *= x.Size(d);
        return One(Call(Aten.Reshape, x, new[] { rows, cols }));
    }

    private static long[]? AxesOf(OnnxNodeContext c, long inputSince) =>
        c.Opset >= inputSince ? (c.Has(1) ? c.Longs(1, "axes") : null) : c.Ints("axes");

    private static OnnxValue[] Squeeze(OnnxNodeContext c)
    {
        var axes = AxesOf(c, 13);
        if (c.Value(0) is ShapeValue s)
        {
            int rank = s.Dims.Length;
            var drop = (axes ?? Enumerable.Range(0, rank).Where(d => s.Dims[d] == 1).Select(d => (long)d).ToArray()).Select(a => c.Axis(a, rank)).ToHashSet();
            return One(new ShapeValue(s.DType, s.Dims.Where((_, d) => !drop.Contains(d)).ToArray(), s.Items));
        }
        var x = c.Tensor(0);
        // Without axes every size-1 dim goes, which fixes each size in the program.
        var dims = axes is null
            ? Enumerable.Range(0, x.Ndim).Where(d => (long)x.Size(d) == 1).Select(d => (long)d).ToArray()
            : axes.Select(a => (long)c.Axis(a, x.Ndim)).ToArray();
        return One(Call(Aten.SqueezeDims, x, dims));
    }

    private static OnnxValue[] Unsqueeze(OnnxNodeContext c)
    {
        var axes = AxesOf(c, 13) ?? throw c.Fail("has no axes");
        int outRank = DimsOf(c.Value(0)).Length + axes.Length;
        var sorted = axes.Select(a => c.Axis(a, outRank)).Order().ToArray();
        if (c.Value(0) is ShapeValue s)
        {
            var dims = s.Dims.ToList();
            foreach (var a in sorted) dims.Insert(a, 1);
            return One(new ShapeValue(s.DType, dims.ToArray(), s.Items));
        }
        var x = c.Tensor(0);
        foreach (var a in sorted) x = Call(Aten.Unsqueeze, x, (long)a);
        return One(x);
    }

    private static OnnxValue[] Concat(OnnxNodeContext c)
    {
        long axis = c.Int("axis", 0);
        var parts = Enumerable.Range(0, c.InputCount).Where(c.Has).ToList();
        if (parts.Count > 0 && parts.All(i => c.Value(i) is ShapeValue { Dims.Length: 1 }))
        {
            var known = parts.Select(i => (ShapeValue)c.Value(i)).ToList();
            return One(ShapeValue.Vector(known.SelectMany(k => k.Items).ToArray(), known[0].DType));
        }
        var tensors = parts.Select(c.Tensor).Where(t => !(t.Ndim == 1 && t.Shape[0].AsConstant == 0)).ToArray();
        if (tensors.Length == 0) return One(c.Tensor(parts[0]));
        return One(Call(Aten.Cat, tensors, (long)c.Axis(axis, tensors[0].Ndim)));
    }

    private static OnnxValue[] Slice(OnnxNodeContext c)
    {
        SymInt[] starts, ends;
        long[]? axes, steps = null;
        if (c.Opset < 10)
        {
            starts = (c.Ints("starts") ?? throw c.Fail("has no starts")).Select(v => (SymInt)v).ToArray();
            ends = (c.Ints("ends") ?? throw c.Fail("has no ends")).Select(v => (SymInt)v).ToArray();
            axes = c.Ints("axes");
        }
        else
        {
            // Bounds stay sizes, not numbers: x[:, :seq] with seq from Shape keeps the program dynamic in seq.
            starts = c.Sizes(1, "starts");
            ends = c.Sizes(2, "ends");
            axes = c.Has(3) ? c.Longs(3, "axes") : null;
            steps = c.Has(4) ? c.Longs(4, "steps") : null;
        }
        if (ends.Length != starts.Length) throw c.Fail($"has {starts.Length} starts but {ends.Length} ends");
        axes ??= Enumerable.Range(0, starts.Length).Select(a => (long)a).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        if (c.Value(0) is ShapeValue s && s.Dims.Length == 1)
        {
            var items = s.Items;
            long n = items.Length;
            var (begin, stop, step) = ((long)starts[0], (long)ends[0], steps[0]);
            var picked = new List<SymInt>();
            if (step > 0)
            {
                long from = Math.Clamp(begin < 0 ? begin + n : begin, 0, n), to = Math.Clamp(stop < 0 ? stop + n : stop, 0, n);
                for (long k = from; k < to; k += step) picked.Add(items[k]);
            }
            else if (step < 0)
            {
                long from = Math.Clamp(begin < 0 ? begin + n : begin, -1, n - 1), to = Math.Clamp(stop < 0 ? stop + n : stop, -1, n - 1);
                for (long k = from; k > to; k += step) picked.Add(items[k]);
            }
            else throw c.Fail("has a step of 0");
            return One(ShapeValue.Vector(picked.ToArray(), s.DType));
        }
        var x = c.Tensor(0);
        for (int i = 0; i < starts.Length; i++)
        {
            int dim = c.Axis(axes[i], x.Ndim);
            long step = steps[i];
            if (step == 0) throw c.Fail("has a step of 0");
            if (step > 0)
            {
                // aten.slice follows Python slicing (negative indices wrap, out-of-range ends clamp), as ONNX does.
                x = Call(Aten.Slice, x, (long)dim, ClampIndex(starts[i]), ClampIndex(ends[i]), (SymInt)step);
                continue;
            }
            // A negative step walks backwards: flip the dim, then slice forwards with mirrored bounds.
            long n = (long)x.Size(dim);
            long first = (long)starts[i], last = (long)ends[i];
            long from = Math.Clamp(first < 0 ? first + n : first, -1, n - 1);
            long to = Math.Clamp(last < 0 ? last + n : last, -1, n - 1);
            var flipped = Call(Aten.Flip, x, new[] { (long)dim });
            x = Call(Aten.Slice, flipped, (long)dim, (SymInt)(n - 1 - from), (SymInt)(n - 1 - to), (SymInt)(-step));
        }
        return One(x);
    }

    /// <summary>Keeps INT64_MAX-style "to the end" markers within what sizes can hold.</summary>
    private static SymInt ClampIndex(SymInt v) => v.AsConstant is { } k ? Math.Clamp(k, -(1L << 62), 1L << 62) : v;

    private static OnnxValue[] Split(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        int axis = c.Axis(c.Int("axis", 0), x.Ndim);
        int outputs = c.Node.Outputs.Count;
        SymInt[] sizes;
        var given = c.Opset >= 13 ? (c.Has(1) ? c.Sizes(1, "split sizes") : null) : c.Ints("split")?.Select(v => (SymInt)v).ToArray();
        if (given is { Length: > 0 }) sizes = given;
        else
        {
            long total = (long)x.Size(axis);
            long parts = c.Int("num_outputs", outputs);
            long chunk = (total + parts - 1) / parts;
            sizes = Enumerable.Range(0, (int)parts).Select(k => (SymInt)Math.Max(0, Math.Min(chunk, total - k * chunk))).ToArray();
        }
        var pieces = Aten.CallMulti(Aten.SplitWithSizes, x, sizes, (long)axis);
        return pieces.Select(p => (OnnxValue)new TensorValue(p)).ToArray();
    }

    /// <summary>ONNX Expand broadcasts both ways: a 1 in the requested shape keeps the input's size.</summary>
    private static OnnxValue[] Expand(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        var shape = c.Sizes(1, "target shape");
        int rank = Math.Max(shape.Length, x.Ndim);
        var target = new SymInt[rank];
        for (int i = 0; i < rank; i++)
        {
            int si = i - (rank - shape.Length), xi = i - (rank - x.Ndim);
            SymInt? want = si >= 0 ? shape[si] : null;
            SymInt? have = xi >= 0 ? x.Size(xi) : null;
            target[i] = want is null ? have!.Value
                : have is null ? want.Value
                : want.Value.AsConstant == 1 ? have.Value
                : want.Value;
        }
        return One(Call(Aten.Expand, x, target));
    }

    private static OnnxValue[] Pad(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        string mode = c.String("mode", "constant");
        long[] pads;
        double value;
        if (c.Opset < 11)
        {
            pads = c.Ints("pads") ?? throw c.Fail("has no pads");
            value = c.Float("value", 0f);
        }
        else
        {
            pads = c.Longs(1, "pads");
            value = c.ConstantDoubles(2)?.FirstOrDefault() ?? 0;
        }
        int rank = x.Ndim;
        var axes = c.Opset >= 18 && c.Has(3) ? c.Longs(3, "axes").Select(a => c.Axis(a, rank)).ToArray() : Enumerable.Range(0, rank).ToArray();
        if (pads.Length != 2 * axes.Length) throw c.Fail($"has {pads.Length} pads for {axes.Length} axes");
        var begin = new long[rank];
        var end = new long[rank];
        for (int k = 0; k < axes.Length; k++)
        {
            begin[axes[k]] = pads[k];
            end[axes[k]] = pads[axes.Length + k];
        }
        // ATen lists pads from the last dim backwards, and only as far as the first padded dim.
        int first = Enumerable.Range(0, rank).FirstOrDefault(d => begin[d] != 0 || end[d] != 0, rank);
        var list = new List<SymInt>();
        for (int d = rank - 1; d >= first; d--)
        {
            list.Add(begin[d]);
            list.Add(end[d]);
        }
        if (list.Count == 0) return One(x);
        return mode switch
        {
            "constant" => One(Call(Aten.ConstantPadNd, x, list.ToArray(), value)),
            "reflect" => One(BorderPad(c, x, list.ToArray(), "reflect")),
            "edge" => One(BorderPad(c, x, list.ToArray(), "replicate")),
            _ => throw c.Fail($"pads in mode '{mode}'; Graphport imports constant, reflect and edge"),
        };
    }

    /// <summary>
    /// Reflect or edge padding of the trailing dims <paramref name="pads"/> names. ATen's pad ops take one or two
    /// unpadded leading dims (batch and channels), where ONNX takes any: the leading dims are flattened into one
    /// (or one is added) around the pad.
    /// </summary>
    private static Tensor BorderPad(OnnxNodeContext c, Tensor x, SymInt[] pads, string mode)
    {
        int padded = pads.Length / 2;
        if (padded > 3) throw c.Fail($"pads {padded} trailing dims in mode '{mode}'; reflect and edge padding take at most 3");
        int leading = x.Ndim - padded;
        if (leading is 1 or 2) return Call(Aten.PadComposite, x, pads, mode, null);
        var batch = x.Shape.Take(leading).Aggregate((SymInt)1, (a, b) => a * b);
        var folded = Call(Aten.Reshape, x, x.Shape.Skip(leading).Prepend(batch).ToArray());
        var result = Call(Aten.PadComposite, folded, pads, mode, null);
        return Call(Aten.Reshape, result, x.Shape.Take(leading).Concat(result.Shape.Skip(1)).ToArray());
    }

    private static OnnxValue[] ConstantOfShape(OnnxNodeContext c)
    {
        var shape = c.Sizes(0, "shape");
        var fill = c.Attr("value")?.Tensor?.ToTensor();
        var dtype = fill?.DType ?? DType.Float32;
        object value = fill is null ? 0.0 : ScalarOf(fill);
        if (dtype.IsIntegral(includeBool: false) && shape.All(s => !s.IsSymbolic) && shape.Aggregate(1L, (a, b) => a * (long)b) <= 64)
        {
            long count = shape.Aggregate(1L, (a, b) => a * (long)b);
            return One(new ShapeValue(dtype, shape.Select(s => (long)s).ToArray(), Enumerable.Repeat((SymInt)(long)value, (int)count).ToArray()));
        }
        return One(CallKw(Aten.Full, [shape, value], ("dtype", dtype)));
    }

    private static OnnxValue[] Range(OnnxNodeContext c)
    {
        if (c.Known(0) is { } start && c.Known(1) is { } limit && c.Known(2) is { } delta)
        {
            var (a, b, d) = (start.Items[0], limit.Items[0], delta.Items[0]);
            if (!a.IsSymbolic && !b.IsSymbolic && !d.IsSymbolic)
            {
                long from = (long)a, to = (long)b, step = (long)d;
                if (step == 0) throw c.Fail("has a delta of 0");
                long count = Math.Max(0, (to - from + step + (step > 0 ? -1 : 1)) / step);
                if (count <= 64) return One(ShapeValue.Vector(Enumerable.Range(0, (int)count).Select(k => (SymInt)(from + k * step)).ToArray(), start.DType));
            }
            return One(CallKw(Aten.ArangeStartStep, [a, b, d], ("dtype", start.DType)));
        }
        var values = new double[3];
        for (int i = 0; i < 3; i++) values[i] = c.ConstantDoubles(i)?[0] ?? throw c.Fail($"computes input {i} from tensor data; Range needs constants or sizes");
        return One(CallKw(Aten.ArangeStartStep, [values[0], values[1], values[2]], ("dtype", c.Value(0).DType)));
    }
}

namespace Graphport.Onnx;

/// <summary>Gather (embedding lookups and picking sizes out of shapes) and GatherElements.</summary>
internal static partial class OnnxOpTable
{
    private static void AddIndexing(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["Gather"] = Gather;
        t["TopK"] = c =>
        {
            var x = c.Tensor(0);
            int axis = c.Axis(c.Int("axis", -1), x.Ndim);
            var k = c.Sizes(1, "k")[0];
            var both = Aten.CallMulti(Aten.Topk, x, k, (long)axis, c.Int("largest", 1) != 0, c.Int("sorted", 1) != 0);
            return [new TensorValue(both[0]), new TensorValue(both[1])];
        };
        t["GatherElements"] = c =>
        {
            var x = c.Tensor(0);
            return One(Call(Aten.Gather, x, (long)c.Axis(c.Int("axis", 0), x.Ndim), NonNegative(c.Tensor(1), x.Size(c.Axis(c.Int("axis", 0), x.Ndim)))));
        };
    }

    private static OnnxValue[] Gather(OnnxNodeContext c)
    {
        long axisAttr = c.Int("axis", 0);
        if (c.Value(0) is ShapeValue s && s.Dims.Length == 1 && c.Known(1) is { } picks)
        {
            long n = s.Items.Length;
            var items = picks.Items.Select(p =>
            {
                long i = (long)p;
                if (i < -n || i >= n) throw c.Fail($"picks element {i} of a shape with {n} entries");
                return s.Items[i < 0 ? i + n : i];
            }).ToArray();
            return One(new ShapeValue(s.DType, picks.Dims, items));
        }
        var x = c.Tensor(0);
        int axis = c.Axis(axisAttr, x.Ndim);
        var size = x.Size(axis);
        if (c.Known(1) is { Dims.Length: 0 } scalar)
        {
            long i = (long)scalar.Items[0];
            return One(Call(Aten.Select, x, (long)axis, (SymInt)i));
        }
        var indices = NonNegative(c.Tensor(1), size);
        // A row lookup in a matrix is an embedding, as torch records nn.Embedding.
        if (axis == 0 && x.Ndim == 2) return One(Call(Aten.Embedding, x, indices, (SymInt)(-1L), false, false));
        var flat = Call(Aten.Reshape, indices, new SymInt[] { -1 });
        var picked = Call(Aten.IndexSelect, x, (long)axis, flat);
        var shape = x.Shape.Take(axis).Concat(indices.Shape).Concat(x.Shape.Skip(axis + 1)).ToArray();
        return One(Call(Aten.Reshape, picked, shape));
    }

    /// <summary>ONNX allows negative indices (counted from the end); ATen's index ops do not. Constants are fixed now, traced indices in the graph.</summary>
    private static Tensor NonNegative(Tensor indices, SymInt size)
    {
        if (indices.IsFake)
            return Call(Aten.Where, Call(Aten.LtScalar, indices, 0L), Call(Aten.Add, indices, size), indices);
        var values = indices.ToArray<long>();
        if (values.All(v => v >= 0)) return indices;
        long n = (long)size;
        using var eager = OnnxNodeContext.Eagerly();
        return Torch.Tensor(values.Select(v => v < 0 ? v + n : v).ToArray()).View(indices.Sizes).To(indices.DType);
    }
}

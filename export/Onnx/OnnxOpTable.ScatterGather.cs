namespace Graphport.Onnx;

/// <summary>GatherND, ScatterND, ScatterElements (and its old name Scatter), NonZero, OneHot and ReverseSequence.</summary>
internal static partial class OnnxOpTable
{
    private static void AddScatterGather(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["GatherND"] = GatherND;
        t["ScatterND"] = ScatterND;
        t["ScatterElements"] = ScatterElements;
        t["Scatter"] = ScatterElements;
        t["NonZero"] = c =>
        {
            var x = c.Tensor(0);
            // ORT treats a scalar as one element: the result is [1, 0 or 1].
            if (x.Ndim == 0) x = Call(Aten.Reshape, x, new SymInt[] { 1 });
            // torch.onnx writes torch.nonzero as NonZero + Transpose; ONNX's layout is [rank, count], ATen's [count, rank].
            return One(Call(Aten.Permute, Call(Aten.Nonzero, x), new long[] { 1, 0 }));
        };
        t["OneHot"] = OneHot;
        t["ReverseSequence"] = ReverseSequence;
    }

    /// <summary>
    /// Each batch entry's first sequence_lens[b] steps in reverse order, the rest as they are: a gather along the time
    /// axis with index len − 1 − t where t &lt; len, t elsewhere (the lengths may be data: nothing is unrolled).
    /// </summary>
    private static OnnxValue[] ReverseSequence(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        if (x.Ndim < 2) throw c.Fail($"reverses a {x.Ndim}-d tensor; ReverseSequence takes a time and a batch axis");
        long time = c.Int("time_axis", 0), batch = c.Int("batch_axis", 1);
        if (!(time == 0 && batch == 1 || time == 1 && batch == 0))
            throw c.Fail($"has time_axis {time} and batch_axis {batch}; ONNX defines (0, 1) and (1, 0)");
        var lengths = c.Tensor(1);
        if (lengths.DType != DType.Int64) lengths = lengths.To(DType.Int64);
        var steps = CallKw(Aten.ArangeStartStep, [0L, x.Size((int)time), 1L], ("dtype", DType.Int64));
        // [T, B] with time first, [B, T] with batch first: steps along the time axis, lengths along the batch axis.
        var t = Call(Aten.Unsqueeze, steps, time == 0 ? 1L : 0L);
        var length = Call(Aten.Unsqueeze, lengths, time == 0 ? 0L : 1L);
        var reversed = Call(Aten.Sub, Call(Aten.Sub, length, 1L), t);
        var index = Call(Aten.Where, Call(Aten.LtTensor, t, length), reversed, t);
        var shape = Enumerable.Repeat((SymInt)1, x.Ndim).ToArray();
        shape[0] = x.Size(0);
        shape[1] = x.Size(1);
        var expanded = Call(Aten.Expand, Call(Aten.Reshape, index, shape), x.Shape.ToArray());
        return One(Call(Aten.Gather, x, time, expanded));
    }

    /// <summary>data[batch..., i0, i1, ...] with the index columns split out, as torch's advanced indexing computes it.</summary>
    private static OnnxValue[] GatherND(OnnxNodeContext c)
    {
        var data = c.Tensor(0);
        var indices = c.Tensor(1);
        int batch = (int)c.Int("batch_dims", 0);
        if (indices.Ndim < 1) throw c.Fail("has scalar indices; GatherND needs indices of rank 1 or more");
        if (batch < 0 || batch >= Math.Min(data.Ndim, indices.Ndim))
            throw c.Fail($"has batch_dims {batch}, which must be at least 0 and below the ranks of data ({data.Ndim}) and indices ({indices.Ndim})");
        long k = IndexDepth(c, data, indices, batch);
        var columns = BatchIndices(data, indices, batch).Concat(IndexColumns(data, indices, batch, k)).ToArray();
        var picked = columns.Length == 0 ? data : Call(Aten.IndexTensor, data, columns);
        if (k > 0) return One(picked);
        // With no index columns every batch row is copied whole once per index position.
        var shape = indices.Shape.Take(indices.Ndim - 1).Concat(data.Shape.Skip(batch)).ToArray();
        return One(Call(Aten.Expand, picked, shape));
    }

    /// <summary>
    /// A copy of data with the indexed slices replaced (index_put), added to (index_put with accumulate), or combined
    /// by scatter_reduce over the indexed positions counted row-major.
    /// </summary>
    private static OnnxValue[] ScatterND(OnnxNodeContext c)
    {
        var data = c.Tensor(0);
        var indices = c.Tensor(1);
        var updates = c.Tensor(2);
        string reduction = c.String("reduction", "none");
        string? reduce = reduction switch
        {
            "none" or "add" => null,
            "mul" => "prod",
            "max" => "amax",
            "min" => "amin",
            _ => throw c.Fail($"has reduction '{reduction}', which ScatterND does not define; it takes none, add, mul, max or min"),
        };
        if (indices.Ndim < 1) throw c.Fail("has scalar indices; ScatterND needs indices of rank 1 or more");
        long k = IndexDepth(c, data, indices, 0);
        if (k == 0) throw c.Fail("has indices whose last dim is 0 (every update replaces all of data), which Graphport does not import");
        var columns = IndexColumns(data, indices, 0, k);
        if (reduce is null) return One(Call(Aten.IndexPut, data, columns, updates, reduction == "add"));
        return One(ScatterReduceRows(data, columns, updates, reduce));
    }

    /// <summary>
    /// ScatterND's mul, max and min: data viewed as rows (the k indexed dims flattened) by the rest, each index
    /// tuple a row number, so scatter_reduce can combine duplicates with the data already there.
    /// </summary>
    private static Tensor ScatterReduceRows(Tensor data, Tensor[] columns, Tensor updates, string reduce)
    {
        int k = columns.Length;
        SymInt rows = 1, rest = 1;
        for (int d = 0; d < data.Ndim; d++)
        {
            if (d < k) rows *= data.Shape[d];
            else rest *= data.Shape[d];
        }
        Tensor row = columns[k - 1];
        SymInt stride = data.Shape[k - 1];
        for (int j = k - 2; j >= 0; j--)
        {
            row = Call(Aten.Add, row, Call(Aten.Mul, columns[j], stride));
            stride *= data.Shape[j];
        }
        var flatRows = Call(Aten.Reshape, row, new SymInt[] { -1, 1 });
        var flatUpdates = Call(Aten.Reshape, updates, new SymInt[] { -1, rest });
        var index = Call(Aten.Expand, flatRows, new SymInt[] { flatUpdates.Shape[0], rest });
        var flatData = Call(Aten.Reshape, data, new SymInt[] { rows, rest });
        var reduced = CallKw(Aten.ScatterReduceTwo, [flatData, 0L, index, flatUpdates, reduce], ("include_self", true));
        return Call(Aten.Reshape, reduced, data.Shape.AsArray());
    }

    /// <summary>torch's scatter family: scatter (replace), scatter_add, scatter_reduce with the data included.</summary>
    private static OnnxValue[] ScatterElements(OnnxNodeContext c)
    {
        var data = c.Tensor(0);
        int axis = c.Axis(c.Int("axis", 0), data.Ndim);
        var indices = c.Tensor(1);
        if (indices.DType != DType.Int64) indices = indices.To(DType.Int64);
        indices = NonNegative(indices, data.Shape[axis]);
        var updates = c.Tensor(2);
        string reduction = c.String("reduction", "none");
        return One(reduction switch
        {
            "none" => Call(Aten.ScatterSrc, data, (long)axis, indices, updates),
            "add" => Call(Aten.ScatterAdd, data, (long)axis, indices, updates),
            "mul" or "max" or "min" => CallKw(Aten.ScatterReduceTwo, [data, (long)axis, indices, updates, reduction switch { "mul" => "prod", "max" => "amax", _ => "amin" }], ("include_self", true)),
            _ => throw c.Fail($"has reduction '{reduction}', which {c.Node.OpType} does not define; it takes none, add, mul, max or min"),
        });
    }

    /// <summary>one_hot's own decomposition, eq(unsqueeze(indices), arange(depth)), with ONNX's off and on values and negative indices.</summary>
    private static OnnxValue[] OneHot(OnnxNodeContext c)
    {
        var indices = c.Tensor(0);
        var depth = c.Known(1) is { Items.Length: 1 } known ? known.Items[0]
            : c.ConstantDoubles(1) is [var d] ? (SymInt)(long)d
            : c.Sizes(1, "depth")[0];
        if (depth.AsConstant is <= 0) throw c.Fail($"has depth {depth}; OneHot needs at least one class");
        var values = c.Tensor(2);
        if (values.NumelLong != 2) throw c.Fail($"has {values.NumelLong} values; OneHot takes two, [off_value, on_value]");
        int axis = c.Axis(c.Int("axis", -1), indices.Ndim + 1);
        if (indices.DType != DType.Int64) indices = indices.To(DType.Int64);
        // Indices in [-depth, depth) pick a class (negative ones from the end); any other index gives a row of off values.
        indices = Call(Aten.Where, Call(Aten.LtScalar, indices, 0L), Call(Aten.Add, indices, depth), indices);
        var classes = CallKw(Aten.ArangeStartStep, [0L, depth, 1L], ("dtype", DType.Int64));
        var classShape = Enumerable.Repeat((SymInt)1, indices.Ndim + 1).ToArray();
        classShape[axis] = depth;
        var hot = Call(Aten.EqTensor, Call(Aten.Unsqueeze, indices, (long)axis), Call(Aten.View, classes, classShape));
        var flat = values.Ndim == 1 ? values : Call(Aten.Reshape, values, new SymInt[] { 2 });
        return One(Call(Aten.Where, hot, Call(Aten.Select, flat, 0L, (SymInt)1), Call(Aten.Select, flat, 0L, (SymInt)0)));
    }

    /// <summary>The number of data dims each index tuple addresses (indices' last dim), checked against data's rank.</summary>
    private static long IndexDepth(OnnxNodeContext c, Tensor data, Tensor indices, int batch)
    {
        if (indices.DType != DType.Int64) throw c.Fail($"has {indices.DType} indices; {c.Node.OpType} takes int64");
        long k = (long)indices.Shape[indices.Ndim - 1];
        if (k > data.Ndim - batch)
            throw c.Fail($"has index tuples of {k} entries (indices' last dim), but data has only {data.Ndim - batch} dim(s){(batch > 0 ? $" after its {batch} batch dim(s)" : "")}");
        return k;
    }

    /// <summary>Index column j of the tuples (indices[..., j]), addressing data dim batch + j, with negative entries counted from the end.</summary>
    private static Tensor[] IndexColumns(Tensor data, Tensor indices, int batch, long k)
    {
        // Constant indices are split now, so the graph holds the columns rather than select ops on a constant.
        using var eager = indices.IsFake ? null : OnnxNodeContext.Eagerly();
        var columns = new Tensor[k];
        for (int j = 0; j < k; j++)
            columns[j] = NonNegative(Call(Aten.Select, indices, -1L, (SymInt)j), data.Shape[batch + j]);
        return columns;
    }

    /// <summary>For batch_dims b: arange over each batch dim, shaped to broadcast against the index tuples' positions.</summary>
    private static IEnumerable<Tensor> BatchIndices(Tensor data, Tensor indices, int batch)
    {
        for (int i = 0; i < batch; i++)
        {
            var shape = Enumerable.Repeat((SymInt)1, indices.Ndim - 1).ToArray();
            shape[i] = data.Shape[i];
            var positions = CallKw(Aten.ArangeStartStep, [0L, data.Shape[i], 1L], ("dtype", DType.Int64));
            yield return Call(Aten.View, positions, shape);
        }
    }
}

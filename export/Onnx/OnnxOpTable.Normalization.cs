namespace Graphport.Onnx;

/// <summary>BatchNormalization, LayerNormalization, InstanceNormalization, Softmax, LogSoftmax and Hardmax.</summary>
internal static partial class OnnxOpTable
{
    private static void AddNormalization(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["BatchNormalization"] = c =>
        {
            if (c.Int("training_mode", 0) != 0 || c.Node.Outputs.Skip(1).Any(o => o.Length > 0))
                throw c.Fail("runs in training mode (or asks for running statistics as outputs); Graphport imports inference graphs");
            if (c.Opset < 9 && c.Int("spatial", 1) == 0)
                throw c.Fail("normalizes per activation (spatial = 0), which ATen's batch norm does not do; re-export at opset 9 or later");
            double eps = c.Float("epsilon", 1e-5f);
            return One(Call(Aten.BatchNorm, c.Tensor(0), c.Tensor(1), c.Tensor(2), c.Tensor(3), c.Tensor(4), false, 0.1, eps, true));
        };
        t["LayerNormalization"] = c =>
        {
            if (c.Node.Outputs.Skip(1).Any(o => o.Length > 0)) throw c.Fail("asks for Mean/InvStdDev outputs, which Graphport does not import");
            var x = c.Tensor(0);
            int axis = c.Axis(c.Int("axis", -1), x.Ndim);
            var normalized = Enumerable.Range(axis, x.Ndim - axis).Select(d => x.Size(d)).ToArray();
            return One(Call(Aten.LayerNorm, x, normalized, c.Tensor(1), c.OptionalTensor(2), (double)c.Float("epsilon", 1e-5f), true));
        };
        // Instance norm is group norm with one group per channel.
        t["InstanceNormalization"] = c =>
        {
            var x = c.Tensor(0);
            return One(Call(Aten.GroupNorm, x, (long)x.Size(1), c.Tensor(1), c.Tensor(2), (double)c.Float("epsilon", 1e-5f), true));
        };
        t["Softmax"] = c => SoftmaxLike(c, Aten.SoftmaxInt);
        t["LogSoftmax"] = c => SoftmaxLike(c, Aten.LogSoftmaxInt);
        t["Hardmax"] = Hardmax;
    }

    /// <summary>
    /// 1 at the first largest value along the axis, 0 elsewhere (argmax, then a compare with the positions along the
    /// axis). Before opset 13, as softmax then, along the rows of the input viewed as a matrix split at the axis.
    /// </summary>
    private static OnnxValue[] Hardmax(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        if (x.Ndim == 0) return One(Call(Aten.OnesLike, x));
        if (c.Opset >= 13) return One(HardmaxAlong(x, c.Axis(c.Int("axis", -1), x.Ndim)));
        int axis = c.Axis(c.Int("axis", 1), x.Ndim);
        SymInt rows = 1, cols = 1;
        for (int d = 0; d < axis; d++) rows *= x.Size(d);
        for (int d = axis; d < x.Ndim; d++) cols *= x.Size(d);
        var flat = Call(Aten.Reshape, x, new[] { rows, cols });
        return One(Call(Aten.Reshape, HardmaxAlong(flat, 1), x.Shape.ToArray()));
    }

    private static Tensor HardmaxAlong(Tensor x, int axis)
    {
        var first = Call(Aten.Argmax, x, (long)axis, true);
        var positions = CallKw(Aten.ArangeStartStep, [0L, x.Size(axis), 1L], ("dtype", DType.Int64));
        var shape = Enumerable.Repeat((SymInt)1, x.Ndim).ToArray();
        shape[axis] = x.Size(axis);
        return Call(Aten.EqTensor, Call(Aten.View, positions, shape), first).To(x.DType);
    }

    /// <summary>
    /// From opset 13 softmax runs along one axis. Before, the input was viewed as a matrix split at the axis
    /// (default 1) and softmax ran along its rows: the same only when the axis is the last one.
    /// </summary>
    private static OnnxValue[] SoftmaxLike(OnnxNodeContext c, Operators.OpOverload op)
    {
        var x = c.Tensor(0);
        if (x.Ndim == 0) return One(Call(op, x, 0L, null));
        if (c.Opset >= 13) return One(Call(op, x, (long)c.Axis(c.Int("axis", -1), x.Ndim), null));
        int axis = c.Axis(c.Int("axis", 1), x.Ndim);
        if (axis == x.Ndim - 1) return One(Call(op, x, (long)axis, null));
        SymInt rows = 1, cols = 1;
        for (int d = 0; d < axis; d++) rows *= x.Size(d);
        for (int d = axis; d < x.Ndim; d++) cols *= x.Size(d);
        var flat = Call(Aten.Reshape, x, new[] { rows, cols });
        return One(Call(Aten.Reshape, Call(op, flat, 1L, null), x.Shape.ToArray()));
    }
}

using Graphport.Operators;

namespace Graphport.Onnx;

/// <summary>ReduceMean/Sum/Max/Min/Prod/L2/SumSquare/LogSumExp and ArgMax/ArgMin.</summary>
internal static partial class OnnxOpTable
{
    private static void AddReductions(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["ReduceMean"] = c => Reduce(c, 18, (x, dims, keep) => Call(Aten.MeanDim, x, dims, keep));
        t["ReduceSum"] = c => Reduce(c, 13, (x, dims, keep) => Call(Aten.SumDim, x, dims, keep));
        t["ReduceMax"] = c => Reduce(c, 18, (x, dims, keep) => Call(Aten.Amax, x, dims, keep));
        t["ReduceMin"] = c => Reduce(c, 18, (x, dims, keep) => Call(Aten.Amin, x, dims, keep));
        t["ReduceSumSquare"] = c => Reduce(c, 18, (x, dims, keep) => Call(Aten.SumDim, x, dims, keep), square: true);
        t["ReduceL2"] = c => Reduce(c, 18, (x, dims, keep) => Call(Aten.Sqrt, Call(Aten.SumDim, x, dims, keep)), square: true);
        t["ReduceLogSumExp"] = c => Reduce(c, 18, (x, dims, keep) => Call(Aten.Logsumexp, x, dims, keep));
        t["ReduceProd"] = c =>
        {
            // Shape arithmetic sometimes multiplies known sizes together (the element count of a shape).
            if (c.Value(0) is ShapeValue s && s.Dims.Length == 1 && c.Int("keepdims", 1) == 0)
                return One(ShapeValue.Scalar(s.Items.Aggregate((SymInt)1, (a, b) => a * b), s.DType));
            return Reduce(c, 18, (x, dims, keep) =>
            {
                foreach (var d in dims.OrderDescending()) x = Call(Aten.ProdDim, x, d, keep);
                return x;
            });
        };
        t["ReduceL1"] = c => Reduce(c, 18, (x, dims, keep) => Call(Aten.SumDim, Call(Aten.Abs, x), dims, keep));
        t["CumSum"] = c =>
        {
            var x = c.Tensor(0);
            int axis = c.Axis(c.Longs(1, "axis")[0], x.Ndim);
            bool reverse = c.Int("reverse", 0) != 0, exclusive = c.Int("exclusive", 0) != 0;
            // Reverse sums run on the flipped dim; exclusive sums drop each element's own value.
            var input = reverse ? Call(Aten.Flip, x, new[] { (long)axis }) : x;
            var sum = Call(Aten.Cumsum, input, (long)axis, null);
            if (exclusive) sum = Call(Aten.Sub, sum, input);
            return One(reverse ? Call(Aten.Flip, sum, new[] { (long)axis }) : sum);
        };
        t["ArgMax"] = c => ArgReduce(c, Aten.Argmax);
        t["ArgMin"] = c => ArgReduce(c, Aten.Argmin);
    }

    /// <summary>Axes come from the attribute before <paramref name="axesInputSince"/>, from input 1 after; none means all.</summary>
    private static OnnxValue[] Reduce(OnnxNodeContext c, long axesInputSince, Func<Tensor, long[], bool, Tensor> reduce, bool square = false)
    {
        var x = c.Tensor(0);
        long[]? axes = c.Opset >= axesInputSince ? (c.Has(1) ? c.Longs(1, "axes") : null) : c.Ints("axes");
        bool keep = c.Int("keepdims", 1) != 0;
        if (axes is null || axes.Length == 0)
        {
            if (c.Int("noop_with_empty_axes", 0) != 0) return One(x);
            axes = Enumerable.Range(0, x.Ndim).Select(d => (long)d).ToArray();
        }
        var dims = axes.Select(a => (long)c.Axis(a, x.Ndim)).Distinct().Order().ToArray();
        if (square) x = Call(Aten.Mul, x, x);
        return One(reduce(x, dims, keep));
    }

    private static OnnxValue[] ArgReduce(OnnxNodeContext c, OpOverload op)
    {
        var x = c.Tensor(0);
        if (c.Int("select_last_index", 0) != 0) throw c.Fail("sets select_last_index = 1; ATen's argmax/argmin return the first index");
        int axis = c.Axis(c.Int("axis", 0), x.Ndim);
        return One(Call(op, x, (long)axis, c.Int("keepdims", 1) != 0));
    }
}

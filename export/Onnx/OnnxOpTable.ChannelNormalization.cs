namespace Graphport.Onnx;

/// <summary>
/// Normalizations ATen has no single op for, as ONNX defines them: LRN (AlexNet's and GoogLeNet's local response
/// normalization across channels), GroupNormalization (opsets 18 and 21), MeanVarianceNormalization and
/// LpNormalization, each written in the ATen ops torch.export records for the same math.
/// </summary>
internal static partial class OnnxOpTable
{
    private static void AddChannelNormalization(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["LRN"] = LocalResponseNormalization;
        t["GroupNormalization"] = GroupNormalization;
        t["MeanVarianceNormalization"] = MeanVarianceNormalization;
        t["LpNormalization"] = LpNormalization;
    }

    /// <summary>
    /// y = x / (bias + alpha / size · Σ x²)^beta, the sum over the channels from c − ⌊(size−1)/2⌋ to c + ⌈(size−1)/2⌉
    /// (those that exist): the squares padded with zeros along the channels and `size` shifted slices added.
    /// </summary>
    private static OnnxValue[] LocalResponseNormalization(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        if (x.Ndim < 3) throw c.Fail($"normalizes a {x.Ndim}-d tensor; LRN takes [N, C, D1, ...]");
        long size = c.Int("size", 0);
        if (size < 1) throw c.Fail("has no positive size (the number of channels to sum over)");
        double alpha = c.Float("alpha", 1e-4f), beta = c.Float("beta", 0.75f), bias = c.Float("bias", 1f);
        long before = (size - 1) / 2, after = size - 1 - before;
        var squares = Call(Aten.Mul, x, x);
        // constant_pad_nd lists pads from the last dimension backwards; the channels are dimension 1.
        var pad = new SymInt[2 * (x.Ndim - 1)];
        for (int i = 0; i < pad.Length; i++) pad[i] = 0;
        pad[^2] = before;
        pad[^1] = after;
        var padded = Call(Aten.ConstantPadNd, squares, pad, 0.0);
        SymInt channels = x.Size(1);
        Tensor sum = Call(Aten.Slice, padded, 1L, (SymInt)0, channels, (SymInt)1);
        for (long i = 1; i < size; i++)
            sum = Call(Aten.Add, sum, Call(Aten.Slice, padded, 1L, (SymInt)i, channels + i, (SymInt)1));
        var denominator = Call(Aten.PowTensorScalar, Call(Aten.Add, Call(Aten.Mul, sum, alpha / size), bias), beta);
        return One(Call(Aten.Div, x, denominator));
    }

    /// <summary>
    /// Group norm with scale and bias per channel (opset 21) or per group (opset 18, which ONNX since deprecated):
    /// a per-group one is repeated over its group's channels for ATen's group_norm.
    /// </summary>
    private static OnnxValue[] GroupNormalization(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        if (x.Ndim < 3) throw c.Fail($"normalizes a {x.Ndim}-d tensor; GroupNormalization takes [N, C, D1, ...]");
        long groups = c.Int("num_groups", 0);
        if (groups < 1) throw c.Fail("has no positive num_groups");
        SymInt channels = x.Size(1);
        if (channels.AsConstant is long ch && ch % groups != 0)
            throw c.Fail($"splits {ch} channels into {groups} groups; the channels must divide evenly");
        Tensor scale = c.Tensor(1), bias = c.Tensor(2);
        if (c.Opset < 21)
        {
            var perGroup = channels / groups;
            Tensor PerChannel(Tensor v) => Call(Aten.Reshape, Call(Aten.Expand, Call(Aten.Unsqueeze, v, 1L), new SymInt[] { groups, perGroup }), new[] { channels });
            scale = PerChannel(scale);
            bias = PerChannel(bias);
        }
        return One(Call(Aten.GroupNorm, x, groups, scale, bias, (double)c.Float("epsilon", 1e-5f), true));
    }

    /// <summary>
    /// (x − E[x]) / (√E[(x − E[x])²] + 1e-9) over the axes (default [0, 2, 3]). ONNX's function body writes the variance
    /// as E[x²] − E[x]², which cancels to noise when the values are close (two values 1e-4 apart gave 4e5 where the
    /// answer is ±1); the centred form is what ONNX Runtime's kernel computes.
    /// </summary>
    private static OnnxValue[] MeanVarianceNormalization(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        var axes = (c.Ints("axes") ?? [0, 2, 3]).Select(a => (long)c.Axis(a, x.Ndim, "axis")).Distinct().ToArray();
        var centred = Call(Aten.Sub, x, Call(Aten.MeanDim, x, axes, true));
        var deviation = Call(Aten.Sqrt, Call(Aten.MeanDim, Call(Aten.Mul, centred, centred), axes, true));
        return One(Call(Aten.Div, centred, Call(Aten.Add, deviation, 1e-9)));
    }

    /// <summary>x divided by its L1 or L2 norm along one axis (default the last).</summary>
    private static OnnxValue[] LpNormalization(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        long p = c.Int("p", 2);
        if (p is not (1 or 2)) throw c.Fail($"takes the L{p} norm; LpNormalization defines p = 1 or 2");
        long axis = c.Axis(c.Int("axis", -1), x.Ndim);
        var norm = p == 1
            ? Call(Aten.SumDim, Call(Aten.Abs, x), new[] { axis }, true)
            : Call(Aten.Sqrt, Call(Aten.SumDim, Call(Aten.Mul, x, x), new[] { axis }, true));
        return One(Call(Aten.Div, x, norm));
    }
}

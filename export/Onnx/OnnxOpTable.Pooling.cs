namespace Graphport.Onnx;

/// <summary>MaxPool (with its Indices), AveragePool and the global pools; LpPool and MaxUnpool in OnnxOpTable.LpPoolAndUnpool.cs.</summary>
internal static partial class OnnxOpTable
{
    private static void AddPooling(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["MaxPool"] = MaxPool;
        t["AveragePool"] = AveragePool;
        t["GlobalAveragePool"] = c => One(Call(Aten.MeanDim, c.Tensor(0), SpatialDims(c.Tensor(0)), true));
        t["GlobalMaxPool"] = c => One(Call(Aten.Amax, c.Tensor(0), SpatialDims(c.Tensor(0)), true));
        t["LpPool"] = LpPool;
        t["GlobalLpPool"] = GlobalLpPool;
        t["MaxUnpool"] = MaxUnpool;
    }

    private static long[] SpatialDims(Tensor x) => Enumerable.Range(2, x.Ndim - 2).Select(d => (long)d).ToArray();

    private static long[] RequiredKernel(OnnxNodeContext c) =>
        c.Ints("kernel_shape") is { Length: > 0 } k ? k : throw c.Fail("has no kernel_shape attribute, which pooling requires");

    private static OnnxValue[] MaxPool(OnnxNodeContext c)
    {
        bool withIndices = c.Node.Outputs.Count > 1 && c.Node.Outputs[1].Length > 0;
        var x = c.Tensor(0);
        var spatial = OnnxSpatial.Read(c, RequiredKernel(c), x);
        if (c.Int("storage_order", 0) != 0) throw c.Fail("uses storage_order = 1 (column-major Indices), which Graphport does not import; re-export with the default row-major order");
        if (withIndices && !spatial.Symmetric)
            throw c.Fail("asks for the Indices output with unequal begin and end pads, which would index the padded input; pad symmetrically");
        var (input, padding) = spatial.ApplyAsymmetric(x, double.NegativeInfinity);
        bool ceil = c.Int("ceil_mode", 0) != 0;
        var pooled = spatial.Rank switch
        {
            2 => Aten.CallMulti(Aten.MaxPool2dWithIndices, input, spatial.Kernel, spatial.Strides, padding, spatial.Dilations, ceil),
            3 => Aten.CallMulti(Aten.MaxPool3dWithIndices, input, spatial.Kernel, spatial.Strides, padding, spatial.Dilations, ceil),
            1 => Aten.CallMulti(Aten.MaxPool1dWithIndices, input, spatial.Kernel, spatial.Strides, padding, spatial.Dilations, ceil),
            _ => throw c.Fail($"pools over {spatial.Rank} spatial dims; Graphport supports 1, 2 and 3"),
        };
        if (!withIndices) return One(pooled[0]);
        return [new TensorValue(pooled[0]), new TensorValue(WholeTensorIndices(x, pooled[1]))];
    }

    /// <summary>
    /// ONNX's MaxPool Indices count over the whole (N, C, spatial...) input, ((n·C + c)·H + h)·W + w; ATen's count
    /// within each plane: each (n, c) plane's indices are offset by its place.
    /// </summary>
    private static Tensor WholeTensorIndices(Tensor input, Tensor planeIndices)
    {
        int spatial = input.Ndim - 2;
        SymInt plane = input.Shape.Skip(2).Aggregate((SymInt)1, (a, b) => a * b);
        var planeNumber = Call(Aten.ArangeStartStep, 0L, input.Shape[0] * input.Shape[1], 1L);
        var offsets = Call(Aten.MulScalar, Call(Aten.View, planeNumber, new SymInt[] { input.Shape[0], input.Shape[1] }.Concat(Enumerable.Repeat((SymInt)1, spatial)).ToArray()), plane);
        return Call(Aten.Add, planeIndices, offsets);
    }

    private static OnnxValue[] AveragePool(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        var spatial = OnnxSpatial.Read(c, RequiredKernel(c), x);
        if (spatial.Dilations.Any(d => d != 1)) throw c.Fail("uses dilations, which ATen's average pooling does not have");
        bool countPad = c.Int("count_include_pad", 0) != 0;
        bool ceil = c.Int("ceil_mode", 0) != 0;
        var input = x;
        var padding = spatial.PadBegin;
        if (!spatial.Symmetric)
        {
            if (!countPad) throw c.Fail("has unequal begin and end pads with count_include_pad = 0, which ATen's average pooling cannot express");
            (input, padding) = spatial.ApplyAsymmetric(x, 0.0);
        }
        return spatial.Rank switch
        {
            1 => One(Call(Aten.AvgPool1d, input, spatial.Kernel, spatial.Strides, padding, ceil, countPad)),
            2 => One(Call(Aten.AvgPool2d, input, spatial.Kernel, spatial.Strides, padding, ceil, countPad, null)),
            3 => One(Call(Aten.AvgPool3d, input, spatial.Kernel, spatial.Strides, padding, ceil, countPad, null)),
            _ => throw c.Fail($"pools over {spatial.Rank} spatial dims; Graphport supports 1, 2 and 3"),
        };
    }
}

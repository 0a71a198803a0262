namespace Graphport.Onnx;

/// <summary>MaxPool, AveragePool and the global pools.</summary>
internal static partial class OnnxOpTable
{
    private static void AddPooling(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["MaxPool"] = MaxPool;
        t["AveragePool"] = AveragePool;
        t["GlobalAveragePool"] = c => One(Call(Aten.MeanDim, c.Tensor(0), SpatialDims(c.Tensor(0)), true));
        t["GlobalMaxPool"] = c => One(Call(Aten.Amax, c.Tensor(0), SpatialDims(c.Tensor(0)), true));
    }

    private static long[] SpatialDims(Tensor x) => Enumerable.Range(2, x.Ndim - 2).Select(d => (long)d).ToArray();

    private static long[] RequiredKernel(OnnxNodeContext c) =>
        c.Ints("kernel_shape") is { Length: > 0 } k ? k : throw c.Fail("has no kernel_shape attribute, which pooling requires");

    private static OnnxValue[] MaxPool(OnnxNodeContext c)
    {
        if (c.Node.Outputs.Count > 1 && c.Node.Outputs[1].Length > 0)
            throw c.Fail("asks for the Indices output, which Graphport does not import (ONNX's flattened index layout differs from ATen's)");
        var x = c.Tensor(0);
        var spatial = OnnxSpatial.Read(c, RequiredKernel(c), x);
        if (c.Int("storage_order", 0) != 0) throw c.Fail("uses storage_order = 1 (column-major), which only affects Indices and is not supported");
        var (input, padding) = spatial.ApplyAsymmetric(x, double.NegativeInfinity);
        bool ceil = c.Int("ceil_mode", 0) != 0;
        return spatial.Rank switch
        {
            2 => One(Aten.CallMulti(Aten.MaxPool2dWithIndices, input, spatial.Kernel, spatial.Strides, padding, spatial.Dilations, ceil)[0]),
            3 => One(Aten.CallMulti(Aten.MaxPool3dWithIndices, input, spatial.Kernel, spatial.Strides, padding, spatial.Dilations, ceil)[0]),
            1 => One(Call(Aten.SqueezeDim, Aten.CallMulti(Aten.MaxPool2dWithIndices, Call(Aten.Unsqueeze, input, -2L),
                new[] { 1L, spatial.Kernel[0] }, new[] { 1L, spatial.Strides[0] }, new[] { 0L, padding[0] }, new[] { 1L, spatial.Dilations[0] }, ceil)[0], -2L)),
            _ => throw c.Fail($"pools over {spatial.Rank} spatial dims; Graphport supports 1, 2 and 3"),
        };
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

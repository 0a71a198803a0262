namespace Graphport.Onnx;

/// <summary>
/// Quantized models, computed in floating point as torch's fake quantization does: QDQ models (QuantizeLinear and
/// DequantizeLinear around float ops, what ONNX Runtime's static quantization writes), dynamically quantized ones
/// (DynamicQuantizeLinear and MatMulInteger) and the QOperator form (QLinearConv, QLinearMatMul, ConvInteger).
/// Integer products are summed in float64, where every int8 × int8 sum of up to 2^37 terms is exact, so they give
/// ONNX Runtime's int32 results to the bit; requantization multiplies the float32 sum by the float32 scale ratio and
/// rounds half to even, as ONNX Runtime's kernels do.
/// </summary>
internal static partial class OnnxOpTable
{
    private static void AddQuantization(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["DequantizeLinear"] = c =>
        {
            var x = c.Tensor(0);
            return One(Dequantize(c, x, c.Tensor(1), c.OptionalTensor(2)));
        };
        t["QuantizeLinear"] = c =>
        {
            var x = c.Tensor(0);
            var zeroPoint = c.OptionalTensor(2);
            var target = zeroPoint?.DType ?? QuantizedOutputType(c);
            return One(Quantize(c, Call(Aten.Div, x, AlongAxis(c, c.Tensor(1), x)), zeroPoint is null ? null : AlongAxis(c, zeroPoint, x), target));
        };
        t["DynamicQuantizeLinear"] = DynamicQuantizeLinear;
        t["MatMulInteger"] = c =>
        {
            var product = IntegerMatMul(c, c.Tensor(0), c.OptionalTensor(2), c.Tensor(1), c.OptionalTensor(3));
            return One(product.To(DType.Int32));
        };
        t["ConvInteger"] = c =>
        {
            var x = Centred(c, c.Tensor(0), c.OptionalTensor(2), channelAxis: 1);
            var w = Centred(c, c.Tensor(1), c.OptionalTensor(3), channelAxis: 0);
            return One(ConvolutionOf(c, x, w, null).To(DType.Int32));
        };
        t["QLinearMatMul"] = c =>
        {
            // a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point.
            var a = c.Tensor(0);
            var b = c.Tensor(3);
            var sum = IntegerMatMul(c, a, c.OptionalTensor(2), b, c.OptionalTensor(5));
            var multiplier = Call(Aten.Div, Call(Aten.Mul, c.Tensor(1), c.Tensor(4)), c.Tensor(6));
            return One(Requantize(c, sum, multiplier, c.OptionalTensor(7)));
        };
        t["QLinearConv"] = c =>
        {
            // x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B (int32, scale x_scale · w_scale).
            var x = Centred(c, c.Tensor(0), c.OptionalTensor(2), channelAxis: 1);
            var w = Centred(c, c.Tensor(3), c.OptionalTensor(5), channelAxis: 0);
            var bias = c.OptionalTensor(8)?.To(DType.Float64);
            var sum = ConvolutionOf(c, x, w, bias);
            var multiplier = Call(Aten.Div, Call(Aten.Mul, c.Tensor(1), c.Tensor(4)), c.Tensor(6));
            if (multiplier.Ndim == 1 && multiplier.NumelLong > 1)
                multiplier = Call(Aten.Reshape, multiplier, Enumerable.Range(0, sum.Ndim).Select(d => d == 1 ? multiplier.Size(0) : (SymInt)1).ToArray());
            return One(Requantize(c, sum, multiplier, c.OptionalTensor(7)));
        };
    }

    /// <summary>An exact integer sum (float64) into the output's quantized type: float32(sum) · multiplier, rounded, plus
    /// the zero point (absent: uint8 with zero point 0).</summary>
    private static Tensor Requantize(OnnxNodeContext c, Tensor sum, Tensor multiplier, Tensor? zeroPoint) =>
        Quantize(c, Call(Aten.Mul, sum.To(DType.Float32), multiplier), zeroPoint, zeroPoint?.DType ?? DType.UInt8);

    /// <summary>(x − zero_point) · scale, the subtraction in integers first (an int32 bias past 2^24 then rounds once,
    /// as in ONNX Runtime), per tensor or along the node's axis.</summary>
    private static Tensor Dequantize(OnnxNodeContext c, Tensor x, Tensor scale, Tensor? zeroPoint)
    {
        RefuseBlocks(c);
        var integers = x.DType == DType.Int32 ? x : x.To(DType.Int32);
        if (zeroPoint is not null) integers = Call(Aten.Sub, integers, AlongAxis(c, zeroPoint, x).To(DType.Int32));
        return Call(Aten.Mul, integers.To(scale.DType), AlongAxis(c, scale, x));
    }

    /// <summary>round(v) + zero_point, saturated to the target type's range and cast to it (v already divided by the
    /// scale). Rounding is half to even, as ONNX specifies.</summary>
    private static Tensor Quantize(OnnxNodeContext c, Tensor scaled, Tensor? zeroPoint, DType target)
    {
        RefuseBlocks(c);
        var (low, high) = target switch
        {
            DType.UInt8 => (0.0, 255.0),
            DType.Int8 => (-128.0, 127.0),
            DType.Int32 => (int.MinValue, (double)int.MaxValue),
            _ => throw c.Fail($"quantizes to {target}; Graphport imports uint8, int8 and int32 quantization"),
        };
        var rounded = Call(Aten.Round, scaled);
        if (zeroPoint is not null) rounded = Call(Aten.Add, rounded, zeroPoint.To(rounded.DType));
        return Call(Aten.Clamp, rounded, low, high).To(target);
    }

    /// <summary>A scale or zero point as it broadcasts against x: as it is when it holds one value, else a 1-D one laid
    /// along the node's axis (default 1).</summary>
    private static Tensor AlongAxis(OnnxNodeContext c, Tensor parameter, Tensor x)
    {
        RefuseBlocks(c);
        if (parameter.Ndim == 0 || parameter.NumelLong == 1) return parameter.Ndim == 0 ? parameter : Call(Aten.Reshape, parameter, Array.Empty<SymInt>());
        if (parameter.Ndim != 1) throw c.Fail($"has a {parameter.Ndim}-d scale or zero point; ONNX quantizes per tensor or along one axis (1-d)");
        int axis = c.Axis(c.Int("axis", 1), x.Ndim);
        var shape = Enumerable.Range(0, x.Ndim).Select(d => d == axis ? parameter.Size(0) : (SymInt)1).ToArray();
        return Call(Aten.Reshape, parameter, shape);
    }

    private static void RefuseBlocks(OnnxNodeContext c)
    {
        if (c.Int("block_size", 0) != 0)
            throw c.Fail("quantizes in blocks (block_size, opset 21); Graphport imports per-tensor and per-axis quantization");
    }

    /// <summary>QuantizeLinear without a zero point: its output_dtype (opset 21), else uint8.</summary>
    private static DType QuantizedOutputType(OnnxNodeContext c)
    {
        long code = c.Int("output_dtype", 0);
        if (code == 0) return DType.UInt8;
        var target = (OnnxDataType)code;
        return target.ToDType() ?? throw c.Fail($"quantizes to {target.Describe()}, which Graphport tensors cannot hold");
    }

    /// <summary>x − zero_point in float64: a scalar zero point, or one per slice along channelAxis (a weight's per output
    /// channel zero points).</summary>
    private static Tensor Centred(OnnxNodeContext c, Tensor x, Tensor? zeroPoint, int channelAxis)
    {
        var wide = x.To(DType.Float64);
        if (zeroPoint is null) return wide;
        var zp = zeroPoint.To(DType.Float64);
        if (zp.Ndim == 1 && zp.NumelLong > 1)
            zp = Call(Aten.Reshape, zp, Enumerable.Range(0, x.Ndim).Select(d => d == channelAxis ? zp.Size(0) : (SymInt)1).ToArray());
        else if (zp.Ndim > 0)
            zp = Call(Aten.Reshape, zp, Array.Empty<SymInt>());
        return Call(Aten.Sub, wide, zp);
    }

    /// <summary>(a − a_zero_point) @ (b − b_zero_point) in float64: a's zero point per tensor or per row of a, b's per
    /// tensor or per column of b (what MatMulInteger and QLinearMatMul allow).</summary>
    private static Tensor IntegerMatMul(OnnxNodeContext c, Tensor a, Tensor? aZeroPoint, Tensor b, Tensor? bZeroPoint)
    {
        if (a.Ndim < 1 || b.Ndim < 1) throw c.Fail("multiplies a scalar; MatMulInteger and QLinearMatMul take matrices");
        var left = Centred(c, a, aZeroPoint, channelAxis: Math.Max(0, a.Ndim - 2));
        var right = Centred(c, b, bZeroPoint, channelAxis: b.Ndim - 1);
        return Call(Aten.Matmul, left, right);
    }

    /// <summary>
    /// uint8 quantization with the scale and zero point that map [min(0, min x), max(0, max x)] onto [0, 255]
    /// (dynamic quantization's activations): outputs y, y_scale and y_zero_point.
    /// </summary>
    private static OnnxValue[] DynamicQuantizeLinear(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        var all = Enumerable.Range(0, x.Ndim).Select(d => (long)d).ToArray();
        var smallest = Call(Aten.Amin, x, all, false);
        var zero = Call(Aten.ZerosLike, smallest);
        var low = Call(Aten.Minimum, smallest, zero);
        var high = Call(Aten.Maximum, Call(Aten.Amax, x, all, false), zero);
        var scale = Call(Aten.Div, Call(Aten.Sub, high, low), 255.0);
        var zeroPoint = Quantize(c, Call(Aten.Neg, Call(Aten.Div, low, scale)), null, DType.UInt8);
        var y = Quantize(c, Call(Aten.Div, x, scale), zeroPoint, DType.UInt8);
        return [new TensorValue(y), new TensorValue(scale), new TensorValue(zeroPoint)];
    }
}

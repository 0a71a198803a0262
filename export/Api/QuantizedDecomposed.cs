namespace Graphport;

/// <summary>
/// torch.ops.quantized_decomposed: quantization as functions of plain tensors, the form PT2E quantization
/// (convert_pt2e) leaves in exported programs. Integer tensors are uint8, int8 or int32; scales and zero points are
/// passed beside them (numbers, one-element tensors, or one per channel, token or group). Exported, each call is one
/// node (torch.ops.quantized_decomposed.quantize_per_tensor.default, ...) that stays through RunDecompositions; a
/// frozen program runs a dequantized int8 activation and weight into a linear layer as an int8 product.
/// </summary>
public static class QuantizedDecomposed
{
    /// <summary>clamp(round(input / scale) + zeroPoint, quantMin, quantMax) as dtype (input float32; float16 and
    /// bfloat16 are taken as float32).</summary>
    public static Tensor QuantizePerTensor(Tensor input, double scale, long zeroPoint, long quantMin, long quantMax, DType dtype) =>
        Aten.Call(Aten.QuantizePerTensor, input, scale, zeroPoint, quantMin, quantMax, dtype);

    /// <summary><see cref="QuantizePerTensor(Tensor, double, long, long, long, DType)"/> with the scale and zero point
    /// as one-element tensors (what <see cref="ChooseQParams"/> returns).</summary>
    public static Tensor QuantizePerTensor(Tensor input, Tensor scale, Tensor zeroPoint, long quantMin, long quantMax, DType dtype) =>
        Aten.Call(Aten.QuantizePerTensorTensor, input, scale, zeroPoint, quantMin, quantMax, dtype);

    /// <summary>(input − zeroPoint) · scale in outDType (float32 by default); dtype names the input's own dtype.</summary>
    public static Tensor DequantizePerTensor(Tensor input, double scale, long zeroPoint, long quantMin, long quantMax, DType dtype, DType? outDType = null) =>
        (Tensor)Aten.Dispatch(Aten.DequantizePerTensor, [input, scale, zeroPoint, quantMin, quantMax, dtype], ("out_dtype", outDType))!;

    public static Tensor DequantizePerTensor(Tensor input, Tensor scale, Tensor zeroPoint, long quantMin, long quantMax, DType dtype, DType? outDType = null) =>
        (Tensor)Aten.Dispatch(Aten.DequantizePerTensorTensor, [input, scale, zeroPoint, quantMin, quantMax, dtype], ("out_dtype", outDType))!;

    /// <summary>Affine per-tensor parameters from the input's range (0 always inside it): a float64 [1] scale (at
    /// least eps) and an int64 [1] zero point.</summary>
    public static (Tensor Scale, Tensor ZeroPoint) ChooseQParams(Tensor input, long quantMin, long quantMax, double eps, DType dtype) =>
        Tensor.Pair(Aten.Dispatch(Aten.ChooseQParamsTensor, [input, quantMin, quantMax, eps, dtype]));

    /// <summary>Symmetric per-tensor parameters: scale = max |input| / ((quantMax − quantMin) / 2), zero point 0 (128
    /// for uint8).</summary>
    public static (Tensor Scale, Tensor ZeroPoint) ChooseQParamsSymmetric(Tensor input, long quantMin, long quantMax, double eps, DType dtype) =>
        Tensor.Pair(Aten.Dispatch(Aten.ChooseQParamsSymmetricTensor, [input, quantMin, quantMax, eps, dtype]));

    /// <summary>Quantize with one scale and zero point per index of <paramref name="axis"/> (a weight's output channels).</summary>
    public static Tensor QuantizePerChannel(Tensor input, Tensor scales, Tensor zeroPoints, long axis, long quantMin, long quantMax, DType dtype) =>
        Aten.Call(Aten.QuantizePerChannel, input, scales, zeroPoints, axis, quantMin, quantMax, dtype);

    public static Tensor DequantizePerChannel(Tensor input, Tensor scales, Tensor? zeroPoints, long axis, long quantMin, long quantMax, DType dtype, DType? outDType = null) =>
        (Tensor)Aten.Dispatch(Aten.DequantizePerChannel, [input, scales, zeroPoints, axis, quantMin, quantMax, dtype], ("out_dtype", outDType))!;

    /// <summary>Symmetric int8 parameters per token (row of the last dim): max |x| / 127.</summary>
    public static (Tensor Scales, Tensor ZeroPoints) ChooseQParamsPerToken(Tensor input, DType dtype) =>
        Tensor.Pair(Aten.Dispatch(Aten.ChooseQParamsPerToken, [input, dtype]));

    /// <summary>Asymmetric int8 parameters per token: float64 scales and int64 zero points, [..., 1].</summary>
    public static (Tensor Scales, Tensor ZeroPoints) ChooseQParamsPerTokenAsymmetric(Tensor input, DType dtype) =>
        Tensor.Pair(Aten.Dispatch(Aten.ChooseQParamsPerTokenAsymmetric, [input, dtype]));

    public static Tensor QuantizePerToken(Tensor input, Tensor scales, Tensor zeroPoints, long quantMin, long quantMax, DType dtype) =>
        Aten.Call(Aten.QuantizePerToken, input, scales, zeroPoints, quantMin, quantMax, dtype);

    public static Tensor DequantizePerToken(Tensor input, Tensor scales, Tensor zeroPoints, long quantMin, long quantMax, DType dtype, DType outputDType = DType.Float32) =>
        Aten.Call(Aten.DequantizePerToken, input, scales, zeroPoints, quantMin, quantMax, dtype, outputDType);

    /// <summary>Quantize a 2-D weight by groups of <paramref name="groupSize"/> along each row, a scale and zero point
    /// per group.</summary>
    public static Tensor QuantizePerChannelGroup(Tensor input, Tensor scales, Tensor zeroPoints, long quantMin, long quantMax, DType dtype, long groupSize) =>
        Aten.Call(Aten.QuantizePerChannelGroup, input, scales, zeroPoints, quantMin, quantMax, dtype, groupSize);

    public static Tensor DequantizePerChannelGroup(Tensor input, Tensor scales, Tensor? zeroPoints, long quantMin, long quantMax, DType dtype, long groupSize, DType outputDType = DType.Float32) =>
        Aten.Call(Aten.DequantizePerChannelGroup, input, scales, zeroPoints, quantMin, quantMax, dtype, groupSize, outputDType);

    /// <summary>Quantize and dequantize per channel in float32: the forward of quantization-aware training.</summary>
    public static Tensor FakeQuantPerChannel(Tensor input, Tensor scales, Tensor zeroPoints, long axis, long quantMin, long quantMax) =>
        Aten.Call(Aten.FakeQuantPerChannel, input, scales, zeroPoints, axis, quantMin, quantMax);
}

using Graphport.Operators;

namespace Graphport;

/// <summary>
/// torch's quantized_decomposed op library (torch/ao/quantization/fx/_decomposed.py): quantization written as
/// functions of plain tensors, the scale and zero point passed beside the integer tensor. PT2E quantization
/// (prepare_pt2e / convert_pt2e, and torchao's) leaves these in exported programs: a quantize and dequantize pair
/// around each quantized op's float computation ("Q/DQ"), a choose_qparams before a dynamically quantized activation,
/// per-channel and per-group weights, per-token activations. Each op stays one node through RunDecompositions, as in
/// torch (not an aten op, so torch's decomposition table has nothing for it); the kernels compute what torch's
/// CompositeExplicitAutograd implementations compute, in the same arithmetic (<see cref="QuantizationKernels"/>).
/// Quantized dtypes are uint8, int8 and int32 (int16, uint16 and the float8 types are refused by name).
/// </summary>
internal static partial class Aten
{
    private const string Qd = "quantized_decomposed";

    public static readonly OpOverload QuantizePerTensor = Def("quantize_per_tensor(Tensor input, float scale, int zero_point, int quant_min, int quant_max, ScalarType dtype) -> Tensor",
        meta: a => QuantizedMeta(T0(a), L(a[3]), L(a[4]), (DType)a[5]!),
        kernel: a => QuantizationKernels.QuantizePerTensor(T0(a), D(a[1]), L(a[2]), L(a[3]), L(a[4]), (DType)a[5]!), ns: Qd);

    public static readonly OpOverload QuantizePerTensorTensor = Def("quantize_per_tensor.tensor(Tensor input, Tensor scale, Tensor zero_point, int quant_min, int quant_max, ScalarType dtype) -> Tensor",
        meta: a => QuantizedMeta(T0(a), L(a[3]), L(a[4]), (DType)a[5]!, Tn(a, 1), Tn(a, 2)),
        kernel: a => QuantizationKernels.QuantizePerTensor(T0(a), QuantizationKernels.ScaleOf(Tn(a, 1)), QuantizationKernels.ZeroPointOf(Tn(a, 2)), L(a[3]), L(a[4]), (DType)a[5]!), ns: Qd);

    public static readonly OpOverload QuantizePerTensorTensor2 = Def("quantize_per_tensor.tensor2(Tensor input, Tensor scale, Tensor zero_point, Tensor quant_min, Tensor quant_max, ScalarType dtype) -> Tensor",
        meta: a => QuantizedMeta(T0(a), null, null, (DType)a[5]!, Tn(a, 1), Tn(a, 2)),
        kernel: a => QuantizationKernels.QuantizePerTensor(T0(a), QuantizationKernels.ScaleOf(Tn(a, 1)), QuantizationKernels.ZeroPointOf(Tn(a, 2)),
            QuantizationKernels.ZeroPointOf(Tn(a, 3)), QuantizationKernels.ZeroPointOf(Tn(a, 4)), (DType)a[5]!), ns: Qd);

    public static readonly OpOverload DequantizePerTensor = Def("dequantize_per_tensor(Tensor input, float scale, int zero_point, int quant_min, int quant_max, ScalarType dtype, *, ScalarType? out_dtype=None) -> Tensor",
        meta: a => DequantizedMeta(T0(a), (DType)a[5]!, a[6] as DType?),
        kernel: a => QuantizationKernels.DequantizePerTensor(T0(a), D(a[1]), L(a[2]), (DType)a[5]!, a[6] as DType?), ns: Qd);

    public static readonly OpOverload DequantizePerTensorTensor = Def("dequantize_per_tensor.tensor(Tensor input, Tensor scale, Tensor zero_point, int quant_min, int quant_max, ScalarType dtype, *, ScalarType? out_dtype=None) -> Tensor",
        meta: a => DequantizedMeta(T0(a), (DType)a[5]!, a[6] as DType?, Tn(a, 1), Tn(a, 2)),
        kernel: a => QuantizationKernels.DequantizePerTensor(T0(a), QuantizationKernels.ScaleOf(Tn(a, 1)), QuantizationKernels.ZeroPointOf(Tn(a, 2)), (DType)a[5]!, a[6] as DType?), ns: Qd);

    public static readonly OpOverload DequantizePerTensorTensor2 = Def("dequantize_per_tensor.tensor2(Tensor input, Tensor scale, Tensor zero_point, Tensor quant_min, Tensor quant_max, ScalarType dtype, *, ScalarType? out_dtype=None) -> Tensor",
        meta: a => DequantizedMeta(T0(a), (DType)a[5]!, a[6] as DType?, Tn(a, 1), Tn(a, 2)),
        kernel: a => QuantizationKernels.DequantizePerTensor(T0(a), QuantizationKernels.ScaleOf(Tn(a, 1)), QuantizationKernels.ZeroPointOf(Tn(a, 2)), (DType)a[5]!, a[6] as DType?), ns: Qd);

    public static readonly OpOverload ChooseQParamsTensor = Def("choose_qparams.tensor(Tensor input, int quant_min, int quant_max, float eps, ScalarType dtype) -> (Tensor, Tensor)",
        meta: a => ChooseQParamsMeta("choose_qparams", T0(a), L(a[1]), L(a[2]), (DType)a[4]!),
        kernel: a => QuantizationKernels.ChooseQParams(T0(a), L(a[1]), L(a[2]), D(a[3]), (DType)a[4]!, symmetric: false), ns: Qd);

    public static readonly OpOverload ChooseQParamsSymmetricTensor = Def("choose_qparams_symmetric.tensor(Tensor input, int quant_min, int quant_max, float eps, ScalarType dtype) -> (Tensor, Tensor)",
        meta: a => ChooseQParamsMeta("choose_qparams_symmetric", T0(a), L(a[1]), L(a[2]), (DType)a[4]!),
        kernel: a => QuantizationKernels.ChooseQParams(T0(a), L(a[1]), L(a[2]), D(a[3]), (DType)a[4]!, symmetric: true), ns: Qd);

    public static readonly OpOverload QuantizePerChannel = Def("quantize_per_channel(Tensor input, Tensor scales, Tensor zero_points, int axis, int quant_min, int quant_max, ScalarType dtype) -> Tensor",
        meta: a => PerChannelMeta("quantize_per_channel", QuantizedMeta(T0(a), L(a[4]), L(a[5]), (DType)a[6]!), T0(a), L(a[3])),
        kernel: a => QuantizationKernels.QuantizePerChannel(T0(a), Tn(a, 1), Tn(a, 2), L(a[3]), L(a[4]), L(a[5]), (DType)a[6]!), ns: Qd);

    public static readonly OpOverload DequantizePerChannel = Def("dequantize_per_channel(Tensor input, Tensor scales, Tensor? zero_points, int axis, int quant_min, int quant_max, ScalarType dtype, *, ScalarType? out_dtype=None) -> Tensor",
        meta: a => PerChannelMeta("dequantize_per_channel", DequantizedMeta(T0(a), (DType)a[6]!, a[7] as DType?, bounds: (L(a[4]), L(a[5]))), T0(a), L(a[3])),
        kernel: a => QuantizationKernels.DequantizePerChannel(T0(a), Tn(a, 1), a[2] as Tensor, L(a[3]), (DType)a[6]!, a[7] as DType?), ns: Qd);

    public static readonly OpOverload ChooseQParamsPerToken = Def("choose_qparams_per_token(Tensor input, ScalarType dtype) -> (Tensor, Tensor)",
        meta: a => PerTokenQParamsMeta(T0(a)),
        kernel: a => QuantizationKernels.ChooseQParamsPerToken(T0(a), (DType)a[1]!), ns: Qd);

    public static readonly OpOverload ChooseQParamsPerTokenAsymmetric = Def("choose_qparams_per_token_asymmetric(Tensor input, ScalarType dtype) -> (Tensor, Tensor)",
        meta: a => PerTokenQParamsMeta(T0(a)),
        kernel: a => QuantizationKernels.ChooseQParamsPerTokenAsymmetric(T0(a)), ns: Qd);

    public static readonly OpOverload QuantizePerToken = Def("quantize_per_token(Tensor input, Tensor scales, Tensor zero_points, int quant_min, int quant_max, ScalarType dtype) -> Tensor",
        meta: a => QuantizedMeta(T0(a), L(a[3]), L(a[4]), (DType)a[5]!, floatInputOnly: false),
        kernel: a => QuantizationKernels.QuantizePerToken(T0(a), Tn(a, 1), Tn(a, 2), L(a[3]), L(a[4]), (DType)a[5]!), ns: Qd);

    public static readonly OpOverload DequantizePerToken = Def("dequantize_per_token(Tensor input, Tensor scales, Tensor zero_points, int quant_min, int quant_max, ScalarType dtype, ScalarType output_dtype) -> Tensor",
        meta: a => DequantizedPerTokenMeta(T0(a), L(a[3]), L(a[4]), (DType)a[5]!, (DType)a[6]!),
        kernel: a => QuantizationKernels.DequantizePerToken(T0(a), Tn(a, 1), Tn(a, 2), (DType)a[6]!), ns: Qd);

    public static readonly OpOverload QuantizePerChannelGroup = Def("quantize_per_channel_group(Tensor input, Tensor scales, Tensor zero_points, int quant_min, int quant_max, ScalarType dtype, int group_size) -> Tensor",
        meta: a => GroupedMeta("quantize_per_channel_group", QuantizedMeta(T0(a), L(a[3]), L(a[4]), (DType)a[5]!, floatInputOnly: false), T0(a), Tn(a, 1), L(a[6])),
        kernel: a => QuantizationKernels.QuantizePerChannelGroup(T0(a), Tn(a, 1), Tn(a, 2), L(a[3]), L(a[4]), (DType)a[5]!, L(a[6])), ns: Qd);

    public static readonly OpOverload DequantizePerChannelGroup = Def("dequantize_per_channel_group(Tensor input, Tensor scales, Tensor? zero_points, int quant_min, int quant_max, ScalarType dtype, int group_size, ScalarType output_dtype) -> Tensor",
        meta: a => GroupedMeta("dequantize_per_channel_group", new TensorMeta((DType)a[7]!, T0(a).Shape.AsArray()), T0(a), Tn(a, 1), L(a[6])),
        kernel: a => QuantizationKernels.DequantizePerChannelGroup(T0(a), Tn(a, 1), a[2] as Tensor, L(a[6]), (DType)a[7]!), ns: Qd);

    public static readonly OpOverload FakeQuantPerChannel = Def("fake_quant_per_channel(Tensor input, Tensor scales, Tensor zero_points, int axis, int quant_min, int quant_max) -> Tensor",
        meta: a => PerChannelMeta("fake_quant_per_channel", new TensorMeta(T0(a).DType, T0(a).Shape.AsArray()), T0(a), L(a[3])),
        kernel: a => QuantizationKernels.FakeQuantPerChannel(T0(a), Tn(a, 1), Tn(a, 2), L(a[3]), L(a[4]), L(a[5])), ns: Qd);

    public static readonly OpOverload ConvertElementTypeNoFuse = Def("convert_element_type.no_fuse(Tensor input, ScalarType dtype) -> Tensor",
        meta: a => new TensorMeta((DType)a[1]!, T0(a).Shape.AsArray()),
        kernel: a => T0(a).To((DType)a[1]!), ns: Qd);

    /// <summary>A quantize's output: the input's shape in the quantized dtype, after torch's checks of the input's
    /// dtype (float32, or float16/bfloat16 taken as float32), the bounds and the one-element scale and zero point.</summary>
    private static TensorMeta QuantizedMeta(Tensor input, long? quantMin, long? quantMax, DType dtype, Tensor? scale = null, Tensor? zeroPoint = null, bool floatInputOnly = true)
    {
        if (floatInputOnly) QuantizationKernels.CheckFloatInput(input);
        if (quantMin is { } low && quantMax is { } high) QuantizationKernels.CheckedBounds(low, high, dtype);
        else QuantizationKernels.CheckedBounds(null, null, dtype);
        if (zeroPoint is not null) QuantizationKernels.CheckOneElement("zero_point", zeroPoint);
        if (scale is not null) QuantizationKernels.CheckOneElement("scale", scale);
        return new TensorMeta(dtype, input.Shape.AsArray());
    }

    /// <summary>A dequantize's output: the input's shape in out_dtype (float32 by default); the input must hold the
    /// dtype the op names.</summary>
    private static TensorMeta DequantizedMeta(Tensor input, DType dtype, DType? outDType, Tensor? scale = null, Tensor? zeroPoint = null, (long Min, long Max)? bounds = null)
    {
        QuantizationKernels.CheckQuantizedInput(input, dtype);
        if (bounds is { } b) QuantizationKernels.CheckedBounds(b.Min, b.Max, dtype);
        if (zeroPoint is not null) QuantizationKernels.CheckOneElement("zero_point", zeroPoint);
        if (scale is not null) QuantizationKernels.CheckOneElement("scale", scale);
        return new TensorMeta(outDType ?? DType.Float32, input.Shape.AsArray());
    }

    /// <summary>choose_qparams's outputs as torch declares them: a one-element float64 scale and int64 zero point.</summary>
    private static TensorMeta[] ChooseQParamsMeta(string op, Tensor input, long quantMin, long quantMax, DType dtype)
    {
        if (input.DType is not (DType.Float32 or DType.Float16 or DType.BFloat16))
            throw new ArgumentException($"{Qd}.{op}: Expecting input to have dtype torch.float32/16/b16, but got dtype: {input.DType.TorchName()}");
        QuantizationKernels.CheckedBounds(null, null, dtype);
        if (quantMin >= quantMax) throw new ArgumentException($"{Qd}.{op}: Expecting quant_min to be smaller than quant_max but received min: {quantMin} max: {quantMax}");
        return [new TensorMeta(DType.Float64, [1]), new TensorMeta(DType.Int64, [1])];
    }

    /// <summary>Per-token parameters as torch's meta declares them: one float64 scale and int64 zero point per row.</summary>
    private static TensorMeta[] PerTokenQParamsMeta(Tensor input)
    {
        if (input.Ndim == 0) throw new ArgumentException($"{Qd}.choose_qparams_per_token: input must have at least one dimension (its last holds a token's values)");
        SymInt[] shape = [.. input.Shape.Take(input.Ndim - 1), 1];
        return [new TensorMeta(DType.Float64, shape), new TensorMeta(DType.Int64, (SymInt[])shape.Clone())];
    }

    private static TensorMeta DequantizedPerTokenMeta(Tensor input, long quantMin, long quantMax, DType dtype, DType outputDType)
    {
        QuantizationKernels.CheckedBounds(quantMin, quantMax, dtype);
        return new TensorMeta(outputDType, input.Shape.AsArray());
    }

    private static TensorMeta PerChannelMeta(string op, TensorMeta output, Tensor input, long axis)
    {
        if (axis < 0 || axis >= input.Ndim) throw new ArgumentException($"{Qd}.{op}: Expecting axis to be < {input.Ndim}, got {axis}");
        return output;
    }

    private static TensorMeta GroupedMeta(string op, TensorMeta output, Tensor input, Tensor scales, long groupSize)
    {
        QuantizationKernels.CheckGroups(op, input, scales, groupSize);
        return output;
    }
}

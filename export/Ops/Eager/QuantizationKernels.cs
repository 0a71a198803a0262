namespace Graphport.Operators;

/// <summary>
/// Kernels of the quantized_decomposed ops (<see cref="Aten.QuantizePerTensor"/> and the rest), each computing what
/// torch's implementation computes in the same arithmetic and order: a per-tensor quantize is
/// clamp(round(x · float32(1/scale)) + zero_point) in float32, rounding half to even, while per-token and per-group
/// quantizes add the zero point before rounding; dequantizes subtract the zero point in the output dtype (per tensor)
/// or in integers (per channel, token and group, where a float64 scale makes the product float64 before the cast).
/// Per-tensor quantize and dequantize (a Q/DQ program's every activation) are direct loops; the others are composed
/// of ATen ops with torch's type promotion.
/// </summary>
internal static class QuantizationKernels
{
    private const string Qd = "quantized_decomposed";

    /// <summary>The range of a quantized dtype; anything else is refused by name.</summary>
    public static (long Min, long Max) BoundsOf(DType dtype) => dtype switch
    {
        DType.UInt8 => (byte.MinValue, byte.MaxValue),
        DType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        DType.Int32 => (int.MinValue, int.MaxValue),
        _ => throw new ArgumentException($"{Qd}: Unsupported dtype: {dtype.TorchName()}; quantized tensors here are torch.uint8, torch.int8 or torch.int32 (torch's int16, uint16 and float8 quantization is not supported)"),
    };

    /// <summary>torch's _quant_min_max_bounds_check: quant_min and quant_max within the dtype's range.</summary>
    public static (long Min, long Max) CheckedBounds(long? quantMin, long? quantMax, DType dtype)
    {
        var (low, high) = BoundsOf(dtype);
        if (quantMin is { } qmin && qmin < low)
            throw new ArgumentException($"{Qd}: quant_min out of bounds for dtype, quant_min_lower_bound: {low} quant_min: {qmin}");
        if (quantMax is { } qmax && qmax > high)
            throw new ArgumentException($"{Qd}: quant_max out of bounds for dtype, quant_max_upper_bound: {high} quant_max: {qmax}");
        return (low, high);
    }

    public static void CheckFloatInput(Tensor input)
    {
        if (input.DType is not (DType.Float32 or DType.Float16 or DType.BFloat16))
            throw new ArgumentException($"{Qd}: Expecting input to have dtype torch.float32, but got dtype: {input.DType.TorchName()}; convert it with .To(DType.Float32) first");
    }

    public static void CheckQuantizedInput(Tensor input, DType dtype)
    {
        if (input.DType != dtype)
            throw new ArgumentException($"{Qd}: Expecting input to have dtype: {dtype.TorchName()}, but got {input.DType.TorchName()}; the dtype argument names the quantized tensor's own dtype");
    }

    public static void CheckOneElement(string what, Tensor t)
    {
        if (t.Numel().AsConstant is long n && n != 1)
            throw new ArgumentException($"{Qd}: Expecting {what} tensor to be one element, but received : {n}; per-channel parameters take quantize_per_channel");
    }

    /// <summary>A one-element scale tensor's value (torch's scale.item()).</summary>
    public static double ScaleOf(Tensor scale)
    {
        CheckOneElement("scale", scale);
        return scale.To(DType.Float64).Item();
    }

    /// <summary>A one-element zero point (or bound) tensor's integer value.</summary>
    public static long ZeroPointOf(Tensor zeroPoint)
    {
        CheckOneElement("zero_point", zeroPoint);
        return (long)zeroPoint.To(DType.Float64).Item();
    }

    /// <summary>clamp(round(x · float32(1 / scale)) + zero_point, quant_min, quant_max) in float32, as the dtype.</summary>
    public static Tensor QuantizePerTensor(Tensor input, double scale, long zeroPoint, long quantMin, long quantMax, DType dtype)
    {
        CheckFloatInput(input);
        CheckedBounds(quantMin, quantMax, dtype);
        var x = input.DType == DType.Float32 ? input : input.To(DType.Float32);
        var values = Eager.Dense<float>(x);
        float inverse = (float)(1.0 / scale), zero = zeroPoint, low = quantMin, high = quantMax;
        var shape = x.Sizes;
        switch (dtype)
        {
            case DType.Int8:
            {
                var q = new sbyte[values.Length];
                for (int i = 0; i < q.Length; i++) q[i] = (sbyte)Quantized(values[i], inverse, zero, low, high);
                return Eager.Wrap(q, shape, dtype);
            }
            case DType.UInt8:
            {
                var q = new byte[values.Length];
                for (int i = 0; i < q.Length; i++) q[i] = (byte)Quantized(values[i], inverse, zero, low, high);
                return Eager.Wrap(q, shape, dtype);
            }
            default:
            {
                var q = new int[values.Length];
                for (int i = 0; i < q.Length; i++) q[i] = Quantized(values[i], inverse, zero, low, high);
                return Eager.Wrap(q, shape, dtype);
            }
        }
    }

    // The float32 steps of torch's quantize; NaN becomes 0 (torch's cast of NaN to an integer is undefined) and the
    // int32 range's top, 2^31 in float32, saturates.
    private static int Quantized(float x, float inverse, float zero, float low, float high)
    {
        float v = MathF.Round(x * inverse, MidpointRounding.ToEven) + zero;
        if (float.IsNaN(v)) return 0;
        v = v < low ? low : v > high ? high : v;
        return v >= 2147483647f ? int.MaxValue : (int)v;
    }

    /// <summary>(x.to(out_dtype) − zero_point) · scale, computed in out_dtype (float32 by default).</summary>
    public static Tensor DequantizePerTensor(Tensor input, double scale, long zeroPoint, DType dtype, DType? outDType)
    {
        CheckQuantizedInput(input, dtype);
        BoundsOf(dtype);
        var output = outDType ?? DType.Float32;
        var shape = input.Sizes;
        switch (output)
        {
            case DType.Float32:
            {
                var q = Eager.Dense<float>(input);
                float zero = zeroPoint, s = (float)scale;
                var y = new float[q.Length];
                for (int i = 0; i < y.Length; i++) y[i] = (q[i] - zero) * s;
                return Eager.Wrap(y, shape, output);
            }
            case DType.Float64:
            {
                var q = Eager.Dense<double>(input);
                var y = new double[q.Length];
                for (int i = 0; i < y.Length; i++) y[i] = (q[i] - zeroPoint) * scale;
                return Eager.Wrap(y, shape, output);
            }
            case DType.Float16 or DType.BFloat16:
                return Aten.Call(Aten.MulScalar, Aten.Call(Aten.SubScalar, input.To(output), zeroPoint, 1L), scale);
            default:
                throw new ArgumentException($"{Qd}.dequantize_per_tensor: out_dtype must be a floating dtype, got {output.TorchName()}");
        }
    }

    /// <summary>
    /// torch's determine_qparams over the input's minimum and maximum (with 0 always inside the range), in the input's
    /// float arithmetic: affine — scale = (max − min) / (quant_max − quant_min), zero point = quant_min −
    /// round(min / scale), clamped; symmetric — scale = max(|min|, max) / ((quant_max − quant_min) / 2), zero point 0
    /// (128 for uint8). The scale is at least eps. Returned as torch returns them: float64 [1] and int64 [1].
    /// </summary>
    public static Tensor[] ChooseQParams(Tensor input, long quantMin, long quantMax, double eps, DType dtype, bool symmetric)
    {
        string op = symmetric ? "choose_qparams_symmetric" : "choose_qparams";
        BoundsOf(dtype);
        if (!(quantMin <= 0 && 0 <= quantMax)) throw new ArgumentException($"{Qd}.{op}: Used-specified quantization range must include 0 (quant_min {quantMin}, quant_max {quantMax}).");
        if (quantMin >= quantMax) throw new ArgumentException($"{Qd}.{op}: qmin must be strictly less than qmax for user-specified quantization range (quant_min {quantMin}, quant_max {quantMax}).");
        if (input.NumelLong == 0) throw new ArgumentException($"{Qd}.{op}: aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity; quantization parameters need at least one value.");
        var all = Enumerable.Range(0, input.Ndim).Select(d => (long)d).ToArray();
        var min = Aten.Call(Aten.Amin, input, all, false);
        var max = Aten.Call(Aten.Amax, input, all, false);
        if (!(min.Item() <= max.Item()))
            throw new ArgumentException($"{Qd}.{op}: min {min.Item()} should be less than max {max.Item()}: the input holds NaN; quantization parameters need finite values.");
        var zero = Torch.ZerosLike(min);
        var minNegative = Aten.Call(Aten.Minimum, min, zero);
        var maxPositive = Aten.Call(Aten.Maximum, max, zero);
        var epsilon = Eager.Wrap(new[] { (float)eps }, [1], DType.Float32);
        Tensor scale, zeroPoint;
        if (symmetric)
        {
            maxPositive = Aten.Call(Aten.Maximum, Aten.Call(Aten.Neg, minNegative), maxPositive);
            scale = Aten.Call(Aten.Maximum, Aten.Call(Aten.DivScalar, maxPositive, (quantMax - quantMin) / 2.0), epsilon);
            zeroPoint = Eager.Wrap(new[] { dtype == DType.UInt8 ? 128L : 0L }, [1], DType.Int64);
        }
        else
        {
            scale = Aten.Call(Aten.Maximum, Aten.Call(Aten.DivScalar, Aten.Call(Aten.Sub, maxPositive, minNegative), (double)(quantMax - quantMin)), epsilon);
            var shift = Aten.Call(Aten.Round, Aten.Call(Aten.Div, minNegative, scale)).To(DType.Int32);
            zeroPoint = Aten.Call(Aten.Clamp, Aten.Call(Aten.Rsub, shift, quantMin, 1L), quantMin, quantMax).To(DType.Int64);
        }
        return [scale.To(DType.Float64), zeroPoint];
    }

    /// <summary>Per-channel parameters shaped to broadcast along <paramref name="axis"/> of an input of this rank.</summary>
    private static Tensor AlongAxis(Tensor parameters, long axis, int rank)
    {
        var shape = Enumerable.Repeat(1L, rank).ToArray();
        shape[axis] = parameters.Sizes[0];
        return parameters.Reshape(shape);
    }

    private static void CheckAxis(string op, Tensor input, long axis)
    {
        if (axis < 0 || axis >= input.Ndim) throw new ArgumentException($"{Qd}.{op}: Expecting axis to be < {input.Ndim}, got {axis}");
    }

    /// <summary>clamp(round(x · (1 / scales)) + zero_points) with a scale and zero point per index of axis.</summary>
    public static Tensor QuantizePerChannel(Tensor input, Tensor scales, Tensor zeroPoints, long axis, long quantMin, long quantMax, DType dtype)
    {
        CheckFloatInput(input);
        CheckAxis("quantize_per_channel", input, axis);
        CheckedBounds(quantMin, quantMax, dtype);
        var x = input.DType == DType.Float32 ? input : input.To(DType.Float32);
        var scaled = Aten.Call(Aten.Mul, x, AlongAxis(scales, axis, x.Ndim).Reciprocal());
        var shifted = Aten.Call(Aten.Add, Aten.Call(Aten.Round, scaled), AlongAxis(zeroPoints, axis, x.Ndim));
        return Aten.Call(Aten.Clamp, shifted, quantMin, quantMax).To(dtype);
    }

    /// <summary>(q − zero_points) · scales per index of axis (q · scales without zero points), then out_dtype.</summary>
    public static Tensor DequantizePerChannel(Tensor input, Tensor scales, Tensor? zeroPoints, long axis, DType dtype, DType? outDType)
    {
        CheckQuantizedInput(input, dtype);
        CheckAxis("dequantize_per_channel", input, axis);
        var centred = zeroPoints is null ? input : Aten.Call(Aten.Sub, input, AlongAxis(zeroPoints, axis, input.Ndim));
        return Aten.Call(Aten.Mul, centred, AlongAxis(scales, axis, input.Ndim)).To(outDType ?? DType.Float32);
    }

    /// <summary>Symmetric per-token scales: max |x| over the last dim, at least 1e-5, over 127; zero points of zeros
    /// (both in the input's float dtype, float32 for float16, as torch's kernel returns them).</summary>
    public static Tensor[] ChooseQParamsPerToken(Tensor input, DType dtype)
    {
        if (dtype != DType.Int8) throw new ArgumentException($"{Qd}.choose_qparams_per_token: unsupported dtype in choose_qparams_per_token: {dtype.TorchName()}; it quantizes to torch.int8");
        var largest = Aten.Call(Aten.Amax, input.Abs(), new[] { -1L }, true);
        if (largest.DType == DType.Float16) largest = largest.To(DType.Float32);
        var scales = Aten.Call(Aten.DivScalar, Aten.Call(Aten.Clamp, largest, 1e-5, null), 127L);
        return [scales, Torch.ZerosLike(scales)];
    }

    /// <summary>Asymmetric int8 parameters per token (torch's _choose_qparams_per_token_asymmetric_impl): the range
    /// [min(0, min x), max(0, max x)] over 255 steps, and the zero point from whichever end loses less.</summary>
    public static Tensor[] ChooseQParamsPerTokenAsymmetric(Tensor input)
    {
        const long low = -128, high = 127;
        var min = Aten.Call(Aten.Amin, input, new[] { -1L }, true);
        var max = Aten.Call(Aten.Amax, input, new[] { -1L }, true);
        var zero = Torch.ZerosLike(min);
        var minNegative = Aten.Call(Aten.Minimum, min, zero);
        var maxPositive = Aten.Call(Aten.Maximum, max, zero);
        var scale = Aten.Call(Aten.DivScalar, Aten.Call(Aten.Sub, maxPositive, minNegative), (double)(high - low));
        // torch.finfo(torch.float32).eps, 2^-23.
        scale = Aten.Call(Aten.Clamp, scale, Math.ScaleB(1.0, -23), null);
        var descaledMin = Aten.Call(Aten.Div, minNegative, scale);
        var descaledMax = Aten.Call(Aten.Div, maxPositive, scale);
        var fromMin = Aten.Call(Aten.AddScalar, descaledMin, low, 1L);
        var fromMax = Aten.Call(Aten.AddScalar, descaledMax, high, 1L);
        var zeroPoint = Aten.Call(Aten.Where,
            Aten.Call(Aten.GtScalar, Aten.Call(Aten.Add, fromMin, fromMax), 0L),
            Aten.Call(Aten.Rsub, descaledMin, low, 1L),
            Aten.Call(Aten.Rsub, descaledMax, high, 1L));
        zeroPoint = Aten.Call(Aten.Round, Aten.Call(Aten.Clamp, zeroPoint, low, high));
        return [scale.To(DType.Float64), zeroPoint.To(DType.Int64)];
    }

    private static void CheckTokens(Tensor input, Tensor scales, Tensor zeroPoints)
    {
        long tokens = input.Sizes.Take(Math.Max(0, input.Ndim - 1)).Aggregate(1L, (p, s) => p * s);
        if (tokens != scales.NumelLong) throw new ArgumentException($"{Qd}: num_tokens: {tokens} scales: [{string.Join(", ", scales.Sizes)}]; give one scale per token (row of the last dim)");
        if (tokens != zeroPoints.NumelLong) throw new ArgumentException($"{Qd}: num_tokens: {tokens} zero_points: [{string.Join(", ", zeroPoints.Sizes)}]; give one zero point per token (row of the last dim)");
    }

    /// <summary>clamp(round(x · (1 / scales) + zero_points)) per token: the zero point is added before rounding.</summary>
    public static Tensor QuantizePerToken(Tensor input, Tensor scales, Tensor zeroPoints, long quantMin, long quantMax, DType dtype)
    {
        CheckedBounds(quantMin, quantMax, dtype);
        CheckTokens(input, scales, zeroPoints);
        var shifted = Aten.Call(Aten.Add, Aten.Call(Aten.Mul, input, scales.Reciprocal()), zeroPoints);
        return Aten.Call(Aten.Clamp, Aten.Call(Aten.Round, shifted), quantMin, quantMax).To(dtype);
    }

    public static Tensor DequantizePerToken(Tensor input, Tensor scales, Tensor zeroPoints, DType outputDType) =>
        Aten.Call(Aten.Mul, Aten.Call(Aten.Sub, input, zeroPoints), scales).To(outputDType);

    /// <summary>torch's checks of a per-group op: a 2-D input whose rows split into groups of group_size (a
    /// group_size past the row with one scale per row means the whole row); returns the group size used.</summary>
    public static long CheckGroups(string op, Tensor input, Tensor scales, long groupSize)
    {
        if (groupSize <= 1) throw new ArgumentException($"{Qd}.{op}: group_size must be greater than 1, got {groupSize}");
        if (input.Ndim != 2) throw new ArgumentException($"{Qd}.{op}: only support 2d Tensor (a weight matrix), got {input.Ndim}-D");
        long row = input.Shape[1].AsConstant ?? throw new ArgumentException($"{Qd}.{op}: the row length must be static");
        if (groupSize > row && scales.Ndim > 0 && scales.Shape[^1].AsConstant == 1) groupSize = row;
        if (row % groupSize != 0) throw new ArgumentException($"{Qd}.{op}: the row length {row} is not a multiple of group_size {groupSize}");
        return groupSize;
    }

    /// <summary>Quantize by groups of group_size along each row, one scale and zero point per group (zero point added
    /// before rounding). NaN in the input is refused, as torch refuses it.</summary>
    public static Tensor QuantizePerChannelGroup(Tensor input, Tensor scales, Tensor zeroPoints, long quantMin, long quantMax, DType dtype, long groupSize)
    {
        CheckedBounds(quantMin, quantMax, dtype);
        groupSize = CheckGroups("quantize_per_channel_group", input, scales, groupSize);
        var groups = input.Reshape([-1, groupSize]);
        if (Aten.Call(Aten.IsNan, groups).ToArray<bool>().Any(b => b)) throw new ArgumentException($"{Qd}.quantize_per_channel_group: to_quant has NaNs; quantize finite values");
        var shifted = Aten.Call(Aten.Add, Aten.Call(Aten.Mul, groups, scales.Reshape([-1, 1]).Reciprocal()), zeroPoints.Reshape([-1, 1]));
        return Aten.Call(Aten.Clamp, Aten.Call(Aten.Round, shifted), quantMin, quantMax).To(dtype).ReshapeAs(input);
    }

    public static Tensor DequantizePerChannelGroup(Tensor input, Tensor scales, Tensor? zeroPoints, long groupSize, DType outputDType)
    {
        groupSize = CheckGroups("dequantize_per_channel_group", input, scales, groupSize);
        var groups = input.Reshape([-1, groupSize]);
        var zero = zeroPoints is null ? Eager.Wrap(new[] { 0 }, [], DType.Int32) : zeroPoints.Reshape([-1, 1]);
        return Aten.Call(Aten.Mul, Aten.Call(Aten.Sub, groups, zero), scales.Reshape([-1, 1])).ReshapeAs(input).To(outputDType);
    }

    /// <summary>Quantize and dequantize again per channel in float32 (quantization-aware training's forward).</summary>
    public static Tensor FakeQuantPerChannel(Tensor input, Tensor scales, Tensor zeroPoints, long axis, long quantMin, long quantMax)
    {
        if (input.DType != DType.Float32) throw new ArgumentException($"{Qd}.fake_quant_per_channel: Expecting input to have dtype torch.float32, but got dtype: {input.DType.TorchName()}");
        CheckAxis("fake_quant_per_channel", input, axis);
        var s = AlongAxis(scales.DType == DType.Float32 ? scales : scales.To(DType.Float32), axis, input.Ndim);
        var z = AlongAxis(zeroPoints.DType == DType.Int32 ? zeroPoints : zeroPoints.To(DType.Int32), axis, input.Ndim);
        var temp = Aten.Call(Aten.Add, Aten.Call(Aten.Round, Aten.Call(Aten.Mul, input, s.Reciprocal())), z);
        return Aten.Call(Aten.Mul, Aten.Call(Aten.Sub, Aten.Call(Aten.Clamp, temp, quantMin, quantMax), z), s);
    }
}

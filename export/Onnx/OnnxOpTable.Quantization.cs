namespace Graphport.Onnx;

/// <summary>
/// Quantized models, computed in floating point as torch's fake quantization does: QDQ models (QuantizeLinear and
/// DequantizeLinear around float ops, what ONNX Runtime's static quantization writes), dynamically quantized ones
/// (DynamicQuantizeLinear and MatMulInteger) and the QOperator form (QLinearConv, QLinearMatMul, ConvInteger).
/// Integer products give ONNX Runtime's int32 results to the bit: 8-bit activations against an int8 weight as an
/// int8 product (aten._int_mm, AVX-VNNI on the CPU), other matrix products in float32 over pieces of k short enough
/// that no sum passes 2^24 (<see cref="IntegerMatMul"/>), convolutions in float64, where every 8-bit sum of up to 2^37
/// terms is exact. Requantization multiplies the float32 sum by the float32 scale ratio and rounds half to
/// even, as ONNX Runtime's kernels do.
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
        t["MatMulInteger"] = c => One(IntegerMatMul(c, c.Tensor(0), c.OptionalTensor(2), c.Tensor(1), c.OptionalTensor(3)));
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

    /// <summary>An exact integer sum (int32 or float64) into the output's quantized type: float32(sum) · multiplier,
    /// rounded, plus the zero point (absent: uint8 with zero point 0).</summary>
    private static Tensor Requantize(OnnxNodeContext c, Tensor sum, Tensor multiplier, Tensor? zeroPoint) =>
        Quantize(c, Call(Aten.Mul, sum.To(DType.Float32), multiplier), zeroPoint, zeroPoint?.DType ?? DType.UInt8);

    /// <summary>(x − zero_point) · scale, the subtraction in integers first (an int32 bias past 2^24 then rounds once,
    /// as in ONNX Runtime), per tensor or along the node's axis.</summary>
    private static Tensor Dequantize(OnnxNodeContext c, Tensor x, Tensor scale, Tensor? zeroPoint)
    {
        var integers = x.DType == DType.Int32 ? x : x.To(DType.Int32);
        if (zeroPoint is not null) integers = Call(Aten.Sub, integers, AlongAxis(c, zeroPoint, x).To(DType.Int32));
        return Call(Aten.Mul, integers.To(scale.DType), AlongAxis(c, scale, x));
    }

    /// <summary>round(v) + zero_point, saturated to the target type's range and cast to it (v already divided by the
    /// scale). Rounding is half to even, as ONNX specifies.</summary>
    private static Tensor Quantize(OnnxNodeContext c, Tensor scaled, Tensor? zeroPoint, DType target)
    {
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
        // Every QuantizeLinear and DequantizeLinear lays its scale out here first, so block scales are caught here.
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

    /// <summary>x − zero_point in float64 (or the given type): a scalar zero point, or one per slice along channelAxis (a
    /// weight's per output channel zero points).</summary>
    private static Tensor Centred(OnnxNodeContext c, Tensor x, Tensor? zeroPoint, int channelAxis, DType type = DType.Float64)
    {
        var wide = x.To(type);
        if (zeroPoint is null) return wide;
        var zp = zeroPoint.To(type);
        if (zp.Ndim == 1 && zp.NumelLong > 1)
            zp = Call(Aten.Reshape, zp, Enumerable.Range(0, x.Ndim).Select(d => d == channelAxis ? zp.Size(0) : (SymInt)1).ToArray());
        else if (zp.Ndim > 0)
            zp = Call(Aten.Reshape, zp, Array.Empty<SymInt>());
        return Call(Aten.Sub, wide, zp);
    }

    /// <summary>
    /// (a − a_zero_point) @ (b − b_zero_point) as exact int32 sums: a's zero point per tensor or per row of a, b's per
    /// tensor or per column of b (what MatMulInteger and QLinearMatMul allow). The products run in float32, whose
    /// integers are exact below 2^24: k is split into pieces short enough that no partial sum can pass that (258 terms
    /// of 255 · 255 at worst; a constant weight's own largest value decides for it, 518 for int8 weights against uint8
    /// activations), each piece's sums cast to int32 and added. float64 products, exact for any k, took five times as
    /// long as float32 ones.
    /// </summary>
    private static Tensor IntegerMatMul(OnnxNodeContext c, Tensor a, Tensor? aZeroPoint, Tensor b, Tensor? bZeroPoint)
    {
        if (a.Ndim < 1 || b.Ndim < 1) throw c.Fail("multiplies a scalar; MatMulInteger and QLinearMatMul take matrices");
        if (Int8Product(a, aZeroPoint, b, bZeroPoint) is { } exact) return exact;
        int rowAxis = Math.Max(0, a.Ndim - 2), columnAxis = b.Ndim - 1;
        // A symbolic k cannot be cut into pieces: float64, exact for any k.
        if (a.Size(a.Ndim - 1).AsConstant is not long k)
            return Call(Aten.Matmul, Centred(c, a, aZeroPoint, rowAxis), Centred(c, b, bZeroPoint, columnAxis)).To(DType.Int32);
        var left = Centred(c, a, aZeroPoint, rowAxis, DType.Float32);
        var right = Centred(c, b, bZeroPoint, columnAxis, DType.Float32);
        double largest = LargestMagnitude(a, aZeroPoint) * LargestMagnitude(b, bZeroPoint);
        long piece = Math.Max(1, (long)Math.Floor((1 << 24) / Math.Max(largest, 1)));
        long pieces = (k + piece - 1) / piece;
        if (pieces <= 1) return Call(Aten.Matmul, left, right).To(DType.Int32);
        Tensor? sum = null;
        int rowsOfB = b.Ndim == 1 ? 0 : b.Ndim - 2;
        for (long i = 0; i < pieces; i++)
        {
            // Balanced pieces: 768 as 384 + 384, not 518 + 250.
            long k0 = k * i / pieces, k1 = k * (i + 1) / pieces;
            var part = Call(Aten.Matmul,
                Call(Aten.Slice, left, (long)(left.Ndim - 1), (SymInt)k0, (SymInt)k1, (SymInt)1),
                Call(Aten.Slice, right, (long)rowsOfB, (SymInt)k0, (SymInt)k1, (SymInt)1)).To(DType.Int32);
            sum = sum is null ? part : Call(Aten.Add, sum, part);
        }
        return sum!;
    }

    /// <summary>
    /// The common case as an int8 product (aten._int_mm, AVX-VNNI on the CPU): 8-bit activations with one zero point
    /// against an int8 weight matrix with none (what dynamic and static quantization write for linear layers).
    /// uint8 activations are shifted into int8 (a − 128) and the shift, less the zero point, is added back as
    /// (128 − zero_point) · Σₖ B[k, j], a constant per column. Null when the operands do not fit.
    /// </summary>
    private static Tensor? Int8Product(Tensor a, Tensor? aZeroPoint, Tensor b, Tensor? bZeroPoint)
    {
        if (a.DType is not (DType.UInt8 or DType.Int8) || b.DType != DType.Int8 || b.Ndim != 2 || a.Ndim < 2) return null;
        if (aZeroPoint is not null && aZeroPoint.NumelLong != 1) return null;
        if (bZeroPoint is not null)
        {
            if (bZeroPoint.IsFake) return null;
            using (OnnxNodeContext.Eagerly())
                if (bZeroPoint.To(DType.Float64).Abs().Max().Item() != 0) return null;
        }
        SymInt rows = 1;
        for (int d = 0; d < a.Ndim - 1; d++) rows *= a.Size(d);
        SymInt inner = a.Size(a.Ndim - 1), columns = b.Size(1);
        var flat = a.Ndim == 2 ? a : Call(Aten.Reshape, a, new[] { rows, inner });
        // a − 128 for uint8 in bytes: the top bit flipped, read as int8 (through int32: three passes over 4-byte values).
        var signed = a.DType == DType.UInt8 ? Call(Aten.BitwiseXorScalar, flat, 128L).To(DType.Int8) : flat;
        var product = Call(Aten.IntMm, signed, b);
        var zero = aZeroPoint is null ? null : Call(Aten.Reshape, aZeroPoint, Array.Empty<SymInt>()).To(DType.Int32);
        // What each row of A was shifted by, less its zero point: 128 − zp for uint8, −zp for int8.
        object? shift = a.DType == DType.UInt8 ? zero is null ? 128L : Call(Aten.Add, Call(Aten.Neg, zero), 128L) : zero is null ? null : Call(Aten.Neg, zero);
        if (shift is not null)
        {
            var columnSums = Call(Aten.SumDim, b.To(DType.Int32), new[] { 0L }, false).To(DType.Int32);
            product = Call(Aten.Add, product, Call(Aten.Mul, columnSums, shift));
        }
        if (a.Ndim == 2) return product;
        var shape = Enumerable.Range(0, a.Ndim - 1).Select(a.Size).Append(columns).ToArray();
        return Call(Aten.Reshape, product, shape);
    }

    /// <summary>The largest |x − zero_point| x can hold: measured when both are constants (a weight), else the bound
    /// of an 8-bit type (255: uint8 against a zero point of 0 or 255, int8 against −128 or 127).</summary>
    private static double LargestMagnitude(Tensor x, Tensor? zeroPoint)
    {
        if (!x.IsFake && zeroPoint is not { IsFake: true } && x.NumelLong > 0)
            using (OnnxNodeContext.Eagerly())
            {
                // Per-channel zero points bounded by their largest, which is never below the true bound.
                double values = x.To(DType.Float64).Abs().Max().Item();
                double zeros = zeroPoint is null || zeroPoint.NumelLong == 0 ? 0 : zeroPoint.To(DType.Float64).Abs().Max().Item();
                if (zeroPoint is null || zeroPoint.NumelLong != 1) return values + zeros;
                double zero = zeroPoint.To(DType.Float64).Sum().Item();
                return Math.Max(Math.Abs(x.To(DType.Float64).Max().Item() - zero), Math.Abs(x.To(DType.Float64).Min().Item() - zero));
            }
        return x.DType is DType.UInt8 or DType.Int8 ? 255 : 1L << 31;
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

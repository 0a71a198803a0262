using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>Eager kernels of elementwise ops: operands broadcast, computed in float/double/long, cast to the result dtype.</summary>
internal static class PointwiseKernels
{
    public static KernelFunction Unary(UnaryOp op, Aten.ResultRule rule = Aten.ResultRule.Promoted) => a =>
    {
        // A dense float tensor (its storage's elements in order from the start): no layouts, no second meta pass.
        if (rule == Aten.ResultRule.Promoted && a[0] is Tensor { IsFake: false, DType: DType.Float32 or DType.Float64 } dense && Eager.LayoutOf(dense) is { Offset: 0, IsContiguous: true } layout)
            return dense.DType == DType.Float32 ? DenseUnary<float>(op, dense, layout) : DenseUnary<double>(op, dense, layout);
        if (a[0] is Tensor { DType: var complex } && complex.IsComplex()) return ComplexPointwise.Unary(op, Aten.T0(a));
        var meta = Aten.PointwiseMeta(rule, a[0]);
        var shape = Eager.Longs(meta.Shape);
        var x = Aten.T0(a);
        switch (Eager.ComputeDType(meta.DType))
        {
            case DType.Float32:
            {
                var (d, l) = Eager.As<float>(x);
                var o = RunBuffers.Allocate<float>(l.Numel, clear: false);
                Pointwise.Unary(op, d, l, o);
                return Eager.Wrap(o, shape, meta.DType);
            }
            case DType.Float64:
            {
                var (d, l) = Eager.As<double>(x);
                var o = RunBuffers.Allocate<double>(l.Numel, clear: false);
                Pointwise.Unary(op, d, l, o);
                return Eager.Wrap(o, shape, meta.DType);
            }
            default:
                return IntegerUnary(op, x, shape, meta.DType);
        }
    };

    private static Tensor DenseUnary<T>(UnaryOp op, Tensor x, StridedLayout layout) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        long n = layout.Numel;
        var o = RunBuffers.Allocate<T>(n, clear: false);
        Pointwise.UnaryContiguous(op, (T[])x.Storage.Data, o, (int)n);
        return Eager.Wrap(o, (long[])layout.Shape.Clone(), x.DType);
    }

    private static Tensor IntegerUnary(UnaryOp op, Tensor x, long[] shape, DType result)
    {
        var (d, l) = Eager.As<long>(x);
        var o = new long[l.Numel];
        switch (op)
        {
            case UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Sign:
                if (result == DType.Bool && op == UnaryOp.Neg)
                    throw new ArgumentException("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
                Pointwise.IntegerUnary(op, d, l, o);
                break;
            case UnaryOp.Relu:
                Pointwise.Clamp(d, l, o, 0L, null);
                break;
            case UnaryOp.Floor or UnaryOp.Ceil or UnaryOp.Round or UnaryOp.Trunc:
                StridedCopy.Copy(d, l, o, StridedLayout.Contiguous(shape));
                break;
            default:
                throw new NotSupportedException($"{op} is not defined for integer tensors; convert to a floating dtype first.");
        }
        return Eager.Wrap(o, shape, result);
    }

    /// <summary>Unary op with extra scalar parameters (leaky_relu, elu, softplus, clamp, hardtanh, gelu).</summary>
    public static KernelFunction Parametric(Func<object?[], Action<float[], StridedLayout, float[]>> f32, Func<object?[], Action<double[], StridedLayout, double[]>> f64, Func<object?[], Action<long[], StridedLayout, long[]>>? i64 = null, Aten.ResultRule rule = Aten.ResultRule.Promoted) => a =>
    {
        var meta = Aten.PointwiseMeta(rule, a[0]);
        var shape = Eager.Longs(meta.Shape);
        var x = Aten.T0(a);
        switch (Eager.ComputeDType(meta.DType))
        {
            case DType.Float32:
            {
                var (d, l) = Eager.As<float>(x);
                var o = RunBuffers.Allocate<float>(l.Numel, clear: false);
                f32(a)(d, l, o);
                return Eager.Wrap(o, shape, meta.DType);
            }
            case DType.Float64:
            {
                var (d, l) = Eager.As<double>(x);
                var o = RunBuffers.Allocate<double>(l.Numel, clear: false);
                f64(a)(d, l, o);
                return Eager.Wrap(o, shape, meta.DType);
            }
            default:
            {
                if (i64 is null) throw new NotSupportedException($"This op is not defined for {x.DType.TorchName()} tensors; convert to a floating dtype first.");
                var (d, l) = Eager.As<long>(x);
                var o = new long[l.Numel];
                i64(a)(d, l, o);
                return Eager.Wrap(o, shape, meta.DType);
            }
        }
    };

    public static KernelFunction Binary(BinaryOp op, Aten.ResultRule rule = Aten.ResultRule.Promoted, int alphaIndex = -1) => a =>
    {
        if (op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Div && rule == Aten.ResultRule.Promoted && (alphaIndex < 0 || a[alphaIndex] is null or 1L or 1) && SameDenseFloats(a[0], a[1]) is ({ } left, { } right))
            return left.DType == DType.Float32 ? DenseBinary<float>(op, left, right) : DenseBinary<double>(op, left, right);
        var meta = Aten.PointwiseMeta(rule, a[0], a[1]);
        var shape = Eager.Longs(meta.Shape);
        object? alpha = alphaIndex >= 0 ? a[alphaIndex] : null;
        if (ComplexPointwise.Involves(a[0], a[1])) return ComplexPointwise.Binary(op, a[0], a[1], alpha, shape, meta.DType);
        var compute = Eager.ComputeDType(meta.DType);
        if (compute == DType.Bool) compute = DType.Int64;
        if (op is BinaryOp.BitwiseAnd or BinaryOp.BitwiseOr or BinaryOp.BitwiseXor && meta.DType.IsFloatingPoint())
            throw new ArgumentException($"\"bitwise_{op.ToString()[7..].ToLowerInvariant()}_cpu\" not implemented for '{DTypeNames.Capitalized(meta.DType)}'");
        switch (compute)
        {
            case DType.Float32: return Run<float>(op, a[0], a[1], alpha, shape, meta.DType);
            case DType.Float64: return Run<double>(op, a[0], a[1], alpha, shape, meta.DType);
            default:
            {
                // int32 add, sub and mul in int32 itself: they wrap as torch's int32 arithmetic does, where widening
                // each operand to int64 and narrowing the result made three copies (a quantized model's int32 sums
                // and zero-point corrections: 0.7 ms for one [128, 1536] add).
                if (meta.DType == DType.Int32 && op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul && IsInt32Operand(a[0]) && IsInt32Operand(a[1])
                    && alpha is null or int or long and >= int.MinValue and <= int.MaxValue)
                    return Run<int>(op, a[0], a[1], alpha, shape, DType.Int32);
                // Bytes in bytes: bitwise ops, and add, sub, mul, max and min (which wrap as torch's uint8 and int8
                // arithmetic does), where widening to int64 and back made three copies of 8-byte values (flipping a
                // uint8 activation's top bit for an int8 product took 1.4 ms for [128, 1536], now a byte pass).
                if (meta.DType is DType.UInt8 or DType.Int8 && op is BinaryOp.BitwiseAnd or BinaryOp.BitwiseOr or BinaryOp.BitwiseXor or BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Maximum or BinaryOp.Minimum
                    && alpha is null or 1L or 1 && IsOperandOf(a[0], meta.DType) && IsOperandOf(a[1], meta.DType))
                {
                    object? bx = InCommonDType(a[0], meta.DType), by = InCommonDType(a[1], meta.DType);
                    return meta.DType == DType.UInt8 ? Run<byte>(op, bx, by, null, shape, meta.DType) : Run<sbyte>(op, bx, by, null, shape, meta.DType);
                }
                var common = ShapeRules.ResultType([a[0], a[1]]);
                object? x = InCommonDType(a[0], common), y = InCommonDType(a[1], common);
                if (op == BinaryOp.Pow) return PowInteger(x, y, shape, meta.DType);
                return Run<long>(op, x, y, alpha, shape, meta.DType);
            }
        }
    };

    // Two float32 (or two float64) tensors of one shape, each its own storage's elements in order from the start: the
    // common case of a model's elementwise ops, run without broadcasting layouts or the meta function (the dispatcher
    // ran it already). For small tensors that bookkeeping cost several times the arithmetic.
    private static (Tensor? X, Tensor? Y) SameDenseFloats(object? a, object? b)
    {
        if (a is not Tensor { IsFake: false } x || b is not Tensor { IsFake: false } y || x.DType != y.DType || x.DType is not (DType.Float32 or DType.Float64)) return (null, null);
        var (lx, ly) = (Eager.LayoutOf(x), Eager.LayoutOf(y));
        if (lx.Offset != 0 || ly.Offset != 0 || !lx.Shape.AsSpan().SequenceEqual(ly.Shape) || !lx.IsContiguous || !ly.IsContiguous) return (null, null);
        return (x, y);
    }

    // Add, Sub, Mul or Div (the only ops Binary sends here).
    private static Tensor DenseBinary<T>(BinaryOp op, Tensor x, Tensor y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var shape = x.Sizes;
        long n = Cpu.ShapeMath.Numel(shape);
        var xs = ((T[])x.Storage.Data).AsSpan(0, (int)n);
        var ys = ((T[])y.Storage.Data).AsSpan(0, (int)n);
        var o = RunBuffers.Allocate<T>(n, clear: false);
        switch (op)
        {
            case BinaryOp.Add: System.Numerics.Tensors.TensorPrimitives.Add<T>(xs, ys, o); break;
            case BinaryOp.Sub: System.Numerics.Tensors.TensorPrimitives.Subtract<T>(xs, ys, o); break;
            case BinaryOp.Mul: System.Numerics.Tensors.TensorPrimitives.Multiply<T>(xs, ys, o); break;
            default: System.Numerics.Tensors.TensorPrimitives.Divide<T>(xs, ys, o); break;
        }
        return Eager.Wrap(o, (long[])shape.Clone(), x.DType);
    }

    /// <summary>
    /// An integer operand converted to a narrower common dtype, as torch converts operands before computing:
    /// -3 meets a uint8 tensor as 253 and 300 meets an int8 one as 44 (which matters for remainder, max, comparisons).
    /// </summary>
    private static bool IsOperandOf(object? operand, DType dtype) => operand is Tensor t ? t.DType == dtype : operand is int or long or SymInt;

    private static bool IsInt32Operand(object? operand) => operand is Tensor { DType: DType.Int32 } or int or long and >= int.MinValue and <= int.MaxValue;

    private static object? InCommonDType(object? operand, DType common)
    {
        if (common is not (DType.Int8 or DType.UInt8 or DType.Int32)) return operand;
        return operand switch
        {
            Tensor t when t.DType != common => Aten.CallKw(Aten.ToCopy, [t], ("dtype", common)),
            long or int or SymInt => common switch
            {
                DType.Int8 => (long)(sbyte)Eager.Scalar<long>(operand),
                DType.UInt8 => (long)(byte)Eager.Scalar<long>(operand),
                _ => (long)(int)Eager.Scalar<long>(operand),
            },
            _ => operand,
        };
    }

    private static Tensor Run<T>(BinaryOp op, object? x, object? y, object? alpha, long[] shape, DType result) where T : unmanaged, System.Numerics.INumber<T>
    {
        var (da, la) = Eager.Operand<T>(x, shape);
        var (db, lb) = Eager.Operand<T>(y, shape);
        var o = RunBuffers.Allocate<T>(Cpu.ShapeMath.Numel(shape), clear: false);
        if (alpha is not null && !(alpha is long one && one == 1))
        {
            if (op == BinaryOp.Add) Pointwise.Add(da, la, db, lb, o, Eager.Scalar<T>(alpha));
            else Pointwise.Sub(da, la, db, lb, o, Eager.Scalar<T>(alpha));
        }
        else
        {
            Pointwise.Binary(op, da, la, db, lb, o);
        }
        if (result == DType.Bool && op is BinaryOp.Add or BinaryOp.Mul or BinaryOp.Maximum or BinaryOp.Minimum)
            return Eager.Wrap(o, shape, DType.Bool);
        return Eager.Wrap(o, shape, result);
    }

    private static Tensor PowInteger(object? x, object? y, long[] shape, DType result)
    {
        var (da, la) = Eager.Operand<long>(x, shape);
        var (db, lb) = Eager.Operand<long>(y, shape);
        var o = new long[Cpu.ShapeMath.Numel(shape)];
        var index = new long[shape.Length];
        for (long n = 0; n < o.LongLength; n++)
        {
            long ia = la.Offset, ib = lb.Offset;
            for (int d = 0; d < shape.Length; d++)
            {
                ia += index[d] * la.Strides[d];
                ib += index[d] * lb.Strides[d];
            }
            long exponent = db[ib], b = da[ia];
            // torch's integer pow: a negative exponent gives 1 for base 1, ±1 for base -1 (by parity), 0 otherwise
            // (only a negative Scalar exponent is an error, which pow.Tensor_Scalar's meta raises).
            long r = exponent < 0 ? (b == 1 ? 1 : b == -1 ? (exponent % 2 == 0 ? 1 : -1) : 0) : 1;
            for (long e = exponent; e > 0; e >>= 1, b *= b)
                if ((e & 1) == 1) r *= b;
            o[n] = r;
            StridedLoops.Increment(index, shape);
        }
        return Eager.Wrap(o, shape, result);
    }

    public static KernelFunction Compare(CompareOp op) => a =>
    {
        var meta = Aten.PointwiseMeta(Aten.ResultRule.Bool, a[0], a[1]);
        var shape = Eager.Longs(meta.Shape);
        var common = ShapeRules.ResultType([a[0], a[1]]);
        if (common.IsComplex()) return ComplexPointwise.Compare(op, a[0], a[1], shape);
        var o = new bool[Cpu.ShapeMath.Numel(shape)];
        switch (Eager.ComputeDType(common))
        {
            case DType.Float32:
            {
                var (da, la) = Eager.Operand<float>(a[0], shape);
                var (db, lb) = Eager.Operand<float>(a[1], shape);
                Pointwise.Compare(op, da, la, db, lb, o);
                break;
            }
            case DType.Float64:
            {
                var (da, la) = Eager.Operand<double>(a[0], shape);
                var (db, lb) = Eager.Operand<double>(a[1], shape);
                Pointwise.Compare(op, da, la, db, lb, o);
                break;
            }
            default:
            {
                var (da, la) = Eager.Operand<long>(InCommonDType(a[0], common), shape);
                var (db, lb) = Eager.Operand<long>(InCommonDType(a[1], common), shape);
                Pointwise.Compare(op, da, la, db, lb, o);
                break;
            }
        }
        return Eager.Wrap(o, shape, DType.Bool);
    };

    public static KernelFunction Logical(LogicalOp op) => a =>
    {
        var meta = Aten.PointwiseMeta(Aten.ResultRule.Bool, a[0], a[1]);
        var shape = Eager.Longs(meta.Shape);
        var (da, la) = Eager.BoolOperand(a[0], shape);
        var (db, lb) = Eager.BoolOperand(a[1], shape);
        var o = new bool[Cpu.ShapeMath.Numel(shape)];
        Pointwise.Logical(op, da, la, db, lb, o);
        return Eager.Wrap(o, shape, DType.Bool);
    };

    public static readonly KernelFunction LogicalNot = a =>
    {
        var x = Aten.T0(a);
        var (d, l) = Eager.As<bool>(x);
        var o = new bool[l.Numel];
        Pointwise.LogicalNot(d, l, o);
        return Eager.Wrap(o, x.Sizes, DType.Bool);
    };

    public static readonly KernelFunction IsNan = a =>
    {
        var x = Aten.T0(a);
        if (x.DType.IsComplex()) return ComplexKernels.IsNan(x);
        var o = new bool[x.NumelLong];
        if (x.DType.IsFloatingPoint())
        {
            var d = Eager.Dense<double>(x);
            for (long i = 0; i < o.LongLength; i++) o[i] = double.IsNaN(d[i]);
        }
        return Eager.Wrap(o, x.Sizes, DType.Bool);
    };

    public static readonly KernelFunction IsInf = a =>
    {
        var x = Aten.T0(a);
        var o = new bool[x.NumelLong];
        if (x.DType.IsFloatingPoint())
        {
            var d = Eager.Dense<double>(x);
            for (long i = 0; i < o.LongLength; i++) o[i] = double.IsInfinity(d[i]);
        }
        return Eager.Wrap(o, x.Sizes, DType.Bool);
    };

    public static readonly KernelFunction BitwiseNot = a =>
    {
        var x = Aten.T0(a);
        if (x.DType == DType.Bool) return LogicalNot(a);
        if (x.DType.IsFloatingPoint()) throw new ArgumentException($"\"bitwise_not_cpu\" not implemented for '{DTypeNames.Capitalized(x.DType)}'");
        var (d, l) = Eager.As<long>(x);
        var o = new long[l.Numel];
        Pointwise.BitwiseNot(d, l, o);
        return Eager.Wrap(o, x.Sizes, x.DType);
    };

    public static readonly KernelFunction Where = a =>
    {
        var meta = (TensorMeta)Aten.Where.Meta!(a);
        var shape = Eager.Longs(meta.Shape);
        var (dc, lc) = Eager.BoolOperand(a[0], shape);
        if (meta.DType.IsComplex())
        {
            var condition = StridedCopy.ToContiguous(dc, lc);
            var xs = ComplexPointwise.Read(a[1], shape);
            var ys = ComplexPointwise.Read(a[2], shape);
            return ComplexPointwise.Write(xs.Length, i => condition[i] ? xs[i] : ys[i], shape, meta.DType);
        }
        var o = Tensor.Empty(meta.DType, shape);
        switch (Eager.ComputeDType(meta.DType))
        {
            case DType.Float32: return WhereTyped<float>(dc, lc, a[1], a[2], shape, meta.DType);
            case DType.Float64: return WhereTyped<double>(dc, lc, a[1], a[2], shape, meta.DType);
            case DType.Bool:
            {
                var (da, la) = Eager.BoolOperand(a[1], shape);
                var (db, lb) = Eager.BoolOperand(a[2], shape);
                var r = new bool[Cpu.ShapeMath.Numel(shape)];
                Pointwise.Where(dc, lc, da, la, db, lb, r);
                return Eager.Wrap(r, shape, DType.Bool);
            }
            default: return WhereTyped<long>(dc, lc, a[1], a[2], shape, meta.DType);
        }
    };

    private static Tensor WhereTyped<T>(bool[] dc, StridedLayout lc, object? x, object? y, long[] shape, DType result) where T : unmanaged, System.Numerics.INumber<T>
    {
        var (da, la) = Eager.Operand<T>(x, shape);
        var (db, lb) = Eager.Operand<T>(y, shape);
        var o = RunBuffers.Allocate<T>(Cpu.ShapeMath.Numel(shape), clear: false);
        Pointwise.Where(dc, lc, da, la, db, lb, o);
        return Eager.Wrap(o, shape, result);
    }

    public static readonly KernelFunction MaskedFill = a =>
    {
        var self = Aten.T0(a);
        var shape = self.Sizes;
        if (self.DType.IsComplex()) return ComplexKernels.MaskedFill(self, a[1], a[2]);
        var (dm, lm) = Eager.BoolOperand(a[1], shape);
        switch (Eager.ComputeDType(self.DType))
        {
            case DType.Float32:
            {
                var (d, l) = Eager.As<float>(self);
                var o = RunBuffers.Allocate<float>(l.Numel, clear: false);
                Pointwise.MaskedFill(d, l, dm, lm, Eager.Scalar<float>(a[2]), o);
                return Eager.Wrap(o, shape, self.DType);
            }
            case DType.Float64:
            {
                var (d, l) = Eager.As<double>(self);
                var o = RunBuffers.Allocate<double>(l.Numel, clear: false);
                Pointwise.MaskedFill(d, l, dm, lm, Eager.Scalar<double>(a[2]), o);
                return Eager.Wrap(o, shape, self.DType);
            }
            case DType.Bool:
            {
                var (d, l) = Eager.As<bool>(self);
                var o = new bool[l.Numel];
                Pointwise.MaskedFill(d, l, dm, lm, Eager.Scalar<long>(a[2]) != 0, o);
                return Eager.Wrap(o, shape, DType.Bool);
            }
            default:
            {
                var (d, l) = Eager.As<long>(self);
                var o = new long[l.Numel];
                Pointwise.MaskedFill(d, l, dm, lm, Eager.Scalar<long>(a[2]), o);
                return Eager.Wrap(o, shape, self.DType);
            }
        }
    };
}

using Graphport.Cpu;
using Graphport.Operators;

namespace Graphport;

/// <summary>Elementwise ops: broadcasting over tensor operands, torch's type promotion, numbers as wrapped scalars.</summary>
internal static partial class Aten
{
    /// <summary>How an elementwise op picks its result dtype from the promoted input dtype.</summary>
    internal enum ResultRule
    {
        /// <summary>The promoted dtype (add, mul, relu, neg).</summary>
        Promoted,

        /// <summary>Integers and bools become the default float dtype (exp, sin, div, sigmoid).</summary>
        IntToFloat,

        /// <summary>Always bool (comparisons, logical ops, isnan).</summary>
        Bool,
    }

    internal static DType ResultDType(ResultRule rule, DType promoted) => rule switch
    {
        ResultRule.Bool => DType.Bool,
        ResultRule.IntToFloat when !promoted.IsFloatingPoint() && !promoted.IsComplex() => DType.Float32,
        _ => promoted,
    };

    internal static TensorMeta PointwiseMeta(ResultRule rule, params object?[] operands)
    {
        // One tensor, or two of one dtype and shape (most elementwise nodes a program runs, each call), need neither the
        // promotion classes nor broadcasting: the result has that dtype (by the rule) and shape.
        if (operands is [Tensor only]) return new TensorMeta(ResultDType(rule, only.DType), (SymInt[])only.Shape.AsArray().Clone());
        if (operands is [Tensor a, Tensor b] && a.DType == b.DType && a.Shape.AsArray().AsSpan().SequenceEqual(b.Shape.AsArray()))
            return new TensorMeta(ResultDType(rule, a.DType), (SymInt[])a.Shape.AsArray().Clone());
        var tensorShapes = operands.OfType<Tensor>().Select(t => (IReadOnlyList<SymInt>)t.Shape.AsArray());
        var shape = ShapeRules.Broadcast(tensorShapes);
        return new TensorMeta(ResultDType(rule, ShapeRules.ResultType(operands)), shape);
    }

    private static OpOverload Unary(string schema, UnaryOp op, ResultRule rule = ResultRule.Promoted, string tags = "core,pointwise") =>
        Def(schema, meta: a =>
        {
            ComplexChecked(op, a[0]);
            return PointwiseMeta(rule, a[0]);
        }, kernel: PointwiseKernels.Unary(op, rule), tags: tags);

    private static OpOverload Binary(string schema, BinaryOp op, ResultRule rule = ResultRule.Promoted, string tags = "core,pointwise") =>
        Def(schema, meta: a => PointwiseMeta(rule, a[0], a[1]), kernel: PointwiseKernels.Binary(op, rule), tags: tags);

    private static OpOverload Comparison(string schema, CompareOp op) =>
        Def(schema, meta: a => PointwiseMeta(ResultRule.Bool, a[0], a[1]), kernel: PointwiseKernels.Compare(op), tags: "core,pointwise");

    private static OpOverload LogicalBinary(string schema, LogicalOp op) =>
        Def(schema, meta: a => PointwiseMeta(ResultRule.Bool, a[0], a[1]), kernel: PointwiseKernels.Logical(op), tags: "core,pointwise");

    // Unary math.
    public static readonly OpOverload Abs = UnaryNoBool("abs(Tensor self) -> Tensor", UnaryOp.Abs, "abs_cpu");
    public static readonly OpOverload Neg = Unary("neg(Tensor self) -> Tensor", UnaryOp.Neg);
    public static readonly OpOverload Exp = Unary("exp(Tensor self) -> Tensor", UnaryOp.Exp, ResultRule.IntToFloat);
    public static readonly OpOverload Expm1 = Unary("expm1(Tensor self) -> Tensor", UnaryOp.Expm1, ResultRule.IntToFloat);
    public static readonly OpOverload Log = Unary("log(Tensor self) -> Tensor", UnaryOp.Log, ResultRule.IntToFloat);
    public static readonly OpOverload Log1p = Unary("log1p(Tensor self) -> Tensor", UnaryOp.Log1p, ResultRule.IntToFloat);
    public static readonly OpOverload Log2 = Def("log2(Tensor self) -> Tensor", meta: a => PointwiseMeta(ResultRule.IntToFloat, a[0]), kernel: Log2Kernel, tags: "core,pointwise");
    public static readonly OpOverload Sqrt = Unary("sqrt(Tensor self) -> Tensor", UnaryOp.Sqrt, ResultRule.IntToFloat);
    public static readonly OpOverload Rsqrt = Unary("rsqrt(Tensor self) -> Tensor", UnaryOp.Rsqrt, ResultRule.IntToFloat);
    public static readonly OpOverload Sin = Unary("sin(Tensor self) -> Tensor", UnaryOp.Sin, ResultRule.IntToFloat);
    public static readonly OpOverload Cos = Unary("cos(Tensor self) -> Tensor", UnaryOp.Cos, ResultRule.IntToFloat);
    public static readonly OpOverload Tan = Unary("tan(Tensor self) -> Tensor", UnaryOp.Tan, ResultRule.IntToFloat);
    public static readonly OpOverload Tanh = Unary("tanh(Tensor self) -> Tensor", UnaryOp.Tanh, ResultRule.IntToFloat);
    public static readonly OpOverload Sigmoid = Unary("sigmoid(Tensor self) -> Tensor", UnaryOp.Sigmoid, ResultRule.IntToFloat);
    public static readonly OpOverload Erf = Unary("erf(Tensor self) -> Tensor", UnaryOp.Erf, ResultRule.IntToFloat);
    public static readonly OpOverload Reciprocal = Unary("reciprocal(Tensor self) -> Tensor", UnaryOp.Reciprocal, ResultRule.IntToFloat);
    public static readonly OpOverload Floor = UnaryNoBool("floor(Tensor self) -> Tensor", UnaryOp.Floor, "floor_vml_cpu");
    public static readonly OpOverload Ceil = UnaryNoBool("ceil(Tensor self) -> Tensor", UnaryOp.Ceil, "ceil_vml_cpu");
    public static readonly OpOverload Round = UnaryNoBool("round(Tensor self) -> Tensor", UnaryOp.Round, "round_vml_cpu");
    public static readonly OpOverload Trunc = UnaryNoBool("trunc(Tensor self) -> Tensor", UnaryOp.Trunc, "trunc_vml_cpu");
    public static readonly OpOverload Sign = Unary("sign(Tensor self) -> Tensor", UnaryOp.Sign);
    public static readonly OpOverload Relu = Def("relu(Tensor self) -> Tensor", meta: a =>
    {
        if (T0(a).DType == DType.Bool) throw new ArgumentException("Boolean inputs not supported for relu");
        return PointwiseMeta(ResultRule.Promoted, a[0]);
    }, kernel: PointwiseKernels.Unary(UnaryOp.Relu, ResultRule.Promoted), tags: "core,pointwise");
    public static readonly OpOverload Relu_ = InPlace("relu_(Tensor(a!) self) -> Tensor(a!)", "pointwise");
    public static readonly OpOverload Gelu = Def("gelu(Tensor self, *, str approximate='none') -> Tensor", meta: FloatingOnly("GeluKernelImpl", "gelu", a =>
    {
        if (a[1] is not ("none" or "tanh")) throw new ArgumentException($"gelu: approximate must be 'none' or 'tanh', got '{a[1]}'.");
        return PointwiseMeta(ResultRule.Promoted, a[0]);
    }), kernel: GeluKernel, tags: "core,pointwise");
    public static readonly OpOverload Silu = FloatingUnary("silu(Tensor self) -> Tensor", UnaryOp.Silu, "silu_cpu");
    public static readonly OpOverload Hardswish = FloatingUnary("hardswish(Tensor self) -> Tensor", UnaryOp.Hardswish, "hardswish_cpu");
    public static readonly OpOverload Hardsigmoid = FloatingUnary("hardsigmoid(Tensor self) -> Tensor", UnaryOp.Hardsigmoid, "hardsigmoid_cpu");

    private static OpOverload FloatingUnary(string schema, UnaryOp op, string kernel) =>
        Def(schema, meta: FloatingOnly(kernel, schema[..schema.IndexOf('(')], a => PointwiseMeta(ResultRule.Promoted, a[0])), kernel: PointwiseKernels.Unary(op), tags: "pointwise");

    public static readonly OpOverload LeakyRelu = Def("leaky_relu(Tensor self, Scalar negative_slope=0.01) -> Tensor", meta: FloatingOnly("leaky_relu_cpu", "leaky_relu", a => PointwiseMeta(ResultRule.Promoted, a[0])),
        kernel: PointwiseKernels.Parametric(a => (x, l, o) => Pointwise.LeakyRelu(x, l, o, (float)D(a[1])), a => (x, l, o) => Pointwise.LeakyRelu(x, l, o, D(a[1]))), tags: "core,pointwise");
    public static readonly OpOverload Elu = Def("elu(Tensor self, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1) -> Tensor", meta: FloatingOnly("elu_cpu", "elu", a => PointwiseMeta(ResultRule.Promoted, a[0])), kernel: PointwiseKernels.Parametric(a => (x, l, o) => Pointwise.Elu(x, l, o, (float)D(a[1]), (float)D(a[2]), (float)D(a[3])), a => (x, l, o) => Pointwise.Elu(x, l, o, D(a[1]), D(a[2]), D(a[3]))), tags: "pointwise");
    public static readonly OpOverload Hardtanh = Def("hardtanh(Tensor self, Scalar min_val=-1, Scalar max_val=1) -> Tensor", meta: HardtanhMeta,
        kernel: PointwiseKernels.Parametric(a => (x, l, o) => Pointwise.Clamp<float>(x, l, o, (float)D(a[1]), (float)D(a[2])), a => (x, l, o) => Pointwise.Clamp<double>(x, l, o, D(a[1]), D(a[2])), a => (x, l, o) => Pointwise.Clamp<long>(x, l, o, IntegerBound(TruncatedBound(a[1]), T0(a).DType), IntegerBound(TruncatedBound(a[2]), T0(a).DType))), tags: "core,pointwise");

    /// <summary>hardtanh never promotes: on an integer tensor its bounds truncate to integers (-0.5 → 0), as in torch.</summary>
    private static object HardtanhMeta(object?[] a)
    {
        var dtype = T0(a).DType;
        if (dtype == DType.Bool) throw new ArgumentException("Bool inputs not supported for hardtanh");
        if (dtype.IsIntegral(includeBool: false))
        {
            long min = TruncatedBound(a[1]), max = TruncatedBound(a[2]);
            if (dtype == DType.UInt8 && (min < 0 || max < 0)) throw new ArgumentException("cannot do hardtanh on an unsigned type with negative limits");
            IntegerBound(min, dtype);
            IntegerBound(max, dtype);
        }
        return PointwiseMeta(ResultRule.Promoted, a[0]);
    }

    /// <summary>A Scalar as torch's Scalar.toLong(): a float truncates toward zero; one outside int64 (or NaN) is an error.</summary>
    private static long TruncatedBound(object? scalar) => scalar switch
    {
        double d when double.IsNaN(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0 => throw new ArgumentException("value cannot be converted to type int64_t without overflow"),
        double d => (long)d,
        _ => L(scalar),
    };

    /// <summary>
    /// An integer bound converted to an integer tensor's dtype as torch's Scalar.to&lt;scalar_t&gt;() does: out of range
    /// is an error, except that a negative value whose magnitude fits wraps into uint8 (-1 → 255).
    /// </summary>
    private static long IntegerBound(long value, DType dtype)
    {
        (long Lo, long Hi, string Name) range = dtype switch
        {
            DType.Int8 => (sbyte.MinValue, sbyte.MaxValue, "int8_t"),
            DType.UInt8 => (-byte.MaxValue, byte.MaxValue, "uint8_t"),
            DType.Int32 => (int.MinValue, int.MaxValue, "int"),
            _ => (long.MinValue, long.MaxValue, "int64_t"),
        };
        if (value < range.Lo || value > range.Hi) throw new ArgumentException($"value cannot be converted to type {range.Name} without overflow");
        return dtype == DType.UInt8 ? (byte)value : value;
    }

    public static readonly OpOverload Softplus = Def("softplus(Tensor self, Scalar beta=1, Scalar threshold=20) -> Tensor", meta: FloatingOnly("softplus_cpu", "softplus", a => PointwiseMeta(ResultRule.Promoted, a[0])),
        kernel: PointwiseKernels.Parametric(a => (x, l, o) => Pointwise.Softplus<float>(x, l, o, (float)D(a[1]), (float)D(a[2])), a => (x, l, o) => Pointwise.Softplus<double>(x, l, o, D(a[1]), D(a[2])), rule: ResultRule.IntToFloat), tags: "pointwise");
    public static readonly OpOverload Clamp = Def("clamp(Tensor self, Scalar? min=None, Scalar? max=None) -> Tensor", meta: a =>
    {
        if (a[1] is null && a[2] is null) throw new ArgumentException("clamp: at least one of 'min' or 'max' must not be None");
        var meta = PointwiseMeta(ResultRule.Promoted, a[0], a[1], a[2]);
        // A bool result (bool tensor, bool bounds) has no kernel; integer bounds promote a bool tensor to int64 instead.
        if (meta.DType == DType.Bool)
            throw NotImplementedFor(a[1] is null ? "clamp_max_scalar_cpu" : a[2] is null ? "clamp_min_scalar_cpu" : "clamp_scalar_cpu", "clamp", DType.Bool,
                "Use logical_and / logical_or with the bounds, or pass integer bounds (clamp(x, 0, 1) gives int64).");
        // Integer bounds of an integer result must fit its dtype (uint8 wraps negatives), as in torch.
        if (meta.DType.IsIntegral(includeBool: false))
            foreach (var bound in new[] { a[1], a[2] })
                if (bound is long or int) IntegerBound(L(bound), meta.DType);
        return meta;
    }, kernel: ClampKernel, tags: "core,pointwise");

    private static readonly KernelFunction ClampParametric = PointwiseKernels.Parametric(
        a => (x, l, o) => Pointwise.Clamp<float>(x, l, o, a[1] is null ? null : (float)D(a[1]), a[2] is null ? null : (float)D(a[2])),
        a => (x, l, o) => Pointwise.Clamp<double>(x, l, o, a[1] is null ? null : D(a[1]), a[2] is null ? null : D(a[2])),
        a => (x, l, o) => Pointwise.Clamp<long>(x, l, o, a[1] is null ? null : IntegerBound(L(a[1]), T0(a).DType), a[2] is null ? null : IntegerBound(L(a[2]), T0(a).DType)));

    /// <summary>The bounds take part in type promotion (int tensor clamped to 0.5 is float32), so convert the input first.</summary>
    private static object? ClampKernel(object?[] a)
    {
        var promoted = ShapeRules.ResultType([a[0], a[1], a[2]]);
        return T0(a).DType == promoted ? ClampParametric(a) : ClampParametric([CallKw(ToCopy, [T0(a)], ("dtype", promoted)), a[1], a[2]]);
    }
    public static readonly OpOverload LogicalNot = Def("logical_not(Tensor self) -> Tensor", meta: a => PointwiseMeta(ResultRule.Bool, a[0]), kernel: PointwiseKernels.LogicalNot, tags: "core,pointwise");
    public static readonly OpOverload IsNan = Def("isnan(Tensor self) -> Tensor", meta: a => PointwiseMeta(ResultRule.Bool, a[0]), kernel: PointwiseKernels.IsNan, tags: "core,pointwise");
    public static readonly OpOverload BitwiseNot = Def("bitwise_not(Tensor self) -> Tensor", meta: a => PointwiseMeta(ResultRule.Promoted, a[0]), kernel: PointwiseKernels.BitwiseNot, tags: "core,pointwise");

    private static object? Log2Kernel(object?[] a) => Call(Div, Call(Log, a[0]), Math.Log(2));

    // Binary arithmetic: numbers may stand where tensors are declared (x + 1 records add.Tensor(x, 1)).
    public static readonly OpOverload Add = Def("add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor", meta: a => AlphaChecked("add", PointwiseMeta(ResultRule.Promoted, a[0], a[1]), a[2]), kernel: PointwiseKernels.Binary(BinaryOp.Add, alphaIndex: 2), tags: "core,pointwise");
    public static readonly OpOverload Add_ = InPlace("add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)", "pointwise");
    public static readonly OpOverload Sub = Def("sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor", meta: a =>
    {
        if (a[0] is Tensor { DType: DType.Bool } || a[1] is Tensor { DType: DType.Bool })
            throw new ArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
        return AlphaChecked("sub", PointwiseMeta(ResultRule.Promoted, a[0], a[1]), a[2]);
    }, kernel: PointwiseKernels.Binary(BinaryOp.Sub, alphaIndex: 2), tags: "core,pointwise");
    /// <summary>
    /// torch's alpha_check for add and sub: alpha multiplies `other` in the result dtype, so a float alpha of an
    /// integer (or bool) result is refused rather than truncated, and a bool alpha is only for bool results.
    /// </summary>
    internal static TensorMeta AlphaChecked(string op, TensorMeta meta, object? alpha)
    {
        if (alpha is bool && meta.DType != DType.Bool)
            throw new ArgumentException($"{op}: Boolean alpha only supported for Boolean results. The result is {meta.DType.TorchName()}; pass alpha as a number (1 instead of True).");
        if (alpha is double && !meta.DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: For integral input tensors, argument alpha must not be a floating point number. The result is {meta.DType.TorchName()}; pass an integer alpha, or convert an operand to a floating dtype first.");
        return meta;
    }

    public static readonly OpOverload Sub_ = InPlace("sub_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)", "pointwise");
    public static readonly OpOverload Mul = Binary("mul.Tensor(Tensor self, Tensor other) -> Tensor", BinaryOp.Mul);
    public static readonly OpOverload Mul_ = InPlace("mul_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)", "pointwise");
    public static readonly OpOverload Div = Binary("div.Tensor(Tensor self, Tensor other) -> Tensor", BinaryOp.Div, ResultRule.IntToFloat);
    public static readonly OpOverload Div_ = InPlace("div_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)", "pointwise");
    public static readonly OpOverload DivMode = Def("div.Tensor_mode(Tensor self, Tensor other, *, str? rounding_mode) -> Tensor", meta: a =>
    {
        if (a[2] is not (null or "trunc" or "floor")) throw new ArgumentException($"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{a[2]}'");
        return PointwiseMeta(a[2] is null ? ResultRule.IntToFloat : ResultRule.Promoted, a[0], a[1]);
    }, kernel: a => a[2] switch
    {
        "floor" => PointwiseKernels.Binary(BinaryOp.DivFloor)(a),
        "trunc" => PointwiseKernels.Binary(BinaryOp.DivTrunc)(a),
        _ => PointwiseKernels.Binary(BinaryOp.Div, ResultRule.IntToFloat)(a),
    }, tags: "core,pointwise");
    public static readonly OpOverload Remainder = Binary("remainder.Tensor(Tensor self, Tensor other) -> Tensor", BinaryOp.Remainder);
    public static readonly OpOverload Fmod = Binary("fmod.Tensor(Tensor self, Tensor other) -> Tensor", BinaryOp.Fmod);

    /// <summary>Python's <c>//</c> on tensors: the quotient rounded toward negative infinity, in the promoted dtype (not
    /// core: it decomposes to div with rounding_mode='floor').</summary>
    public static readonly OpOverload FloorDivide = Binary("floor_divide(Tensor self, Tensor other) -> Tensor", BinaryOp.DivFloor, tags: "pointwise");
    public static readonly OpOverload FloorDivideScalar = Binary("floor_divide.Scalar(Tensor self, Scalar other) -> Tensor", BinaryOp.DivFloor, tags: "pointwise");
    public static readonly OpOverload PowTensorScalar = Def("pow.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor", meta: a =>
    {
        // Unlike an integer exponent tensor (pow.Tensor_Tensor), a negative integer Scalar exponent of an integer tensor is an error.
        if (T0(a).DType.IsIntegral(includeBool: true) && a[1] is long or int && L(a[1]) < 0)
            throw new ArgumentException("Integers to negative integer powers are not allowed.");
        return PointwiseMeta(ResultRule.Promoted, a[0], a[1]);
    }, kernel: PowTensorScalarKernel, tags: "core,pointwise");

    private static readonly KernelFunction PowBinary = PointwiseKernels.Binary(BinaryOp.Pow);

    /// <summary>
    /// torch computes a floating pow with exponent 0.5, -0.5, 2, 3, -1 or -2 as sqrt, rsqrt, x·x, x·x·x, 1/x and
    /// 1/(x·x) (in float32 for half types), which differs from IEEE pow at the edges: pow(-0.0, 0.5) is -0.0 and
    /// pow(-inf, 0.5) NaN.
    /// </summary>
    private static object? PowTensorScalarKernel(object?[] a)
    {
        var result = PointwiseMeta(ResultRule.Promoted, a[0], a[1]).DType;
        if (!result.IsFloatingPoint() || a[1] is not (long or int or double) || D(a[1]) is not (0.5 or -0.5 or 2 or 3 or -1 or -2))
            return PowBinary(a);
        var compute = Eager.ComputeDType(result);
        var x = T0(a).DType == compute ? T0(a) : CallKw(ToCopy, [T0(a)], ("dtype", compute));
        var power = D(a[1]) switch
        {
            0.5 => Call(Sqrt, x),
            -0.5 => Call(Rsqrt, x),
            2 => Call(Mul, x, x),
            3 => Call(Mul, Call(Mul, x, x), x),
            -1 => Call(Reciprocal, x),
            _ => Call(Reciprocal, Call(Mul, x, x)),
        };
        return power.DType == result ? power : CallKw(ToCopy, [power], ("dtype", result));
    }

    public static readonly OpOverload PowTensorTensor = Def("pow.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor", meta: a =>
    {
        var meta = PointwiseMeta(ResultRule.Promoted, a[0], a[1]);
        if (meta.DType == DType.Bool) throw new ArgumentException("\"pow\" not implemented for 'Bool'");
        return meta;
    }, kernel: PowBinary, tags: "core,pointwise");
    public static readonly OpOverload Maximum = Binary("maximum(Tensor self, Tensor other) -> Tensor", BinaryOp.Maximum);
    public static readonly OpOverload Minimum = Binary("minimum(Tensor self, Tensor other) -> Tensor", BinaryOp.Minimum);
    public static readonly OpOverload Atan2 = Binary("atan2(Tensor self, Tensor other) -> Tensor", BinaryOp.Atan2, ResultRule.IntToFloat);
    public static readonly OpOverload LogicalAnd = LogicalBinary("logical_and(Tensor self, Tensor other) -> Tensor", LogicalOp.And);
    public static readonly OpOverload LogicalOr = LogicalBinary("logical_or(Tensor self, Tensor other) -> Tensor", LogicalOp.Or);
    public static readonly OpOverload LogicalXor = LogicalBinary("logical_xor(Tensor self, Tensor other) -> Tensor", LogicalOp.Xor);
    public static readonly OpOverload BitwiseAnd = Binary("bitwise_and.Tensor(Tensor self, Tensor other) -> Tensor", BinaryOp.BitwiseAnd);
    public static readonly OpOverload BitwiseOr = Binary("bitwise_or.Tensor(Tensor self, Tensor other) -> Tensor", BinaryOp.BitwiseOr);
    public static readonly OpOverload BitwiseXor = Binary("bitwise_xor.Tensor(Tensor self, Tensor other) -> Tensor", BinaryOp.BitwiseXor);

    // Comparisons: tensor-vs-tensor and tensor-vs-number overloads, as torch records them.
    public static readonly OpOverload EqTensor = Comparison("eq.Tensor(Tensor self, Tensor other) -> Tensor", CompareOp.Eq);
    public static readonly OpOverload NeTensor = Comparison("ne.Tensor(Tensor self, Tensor other) -> Tensor", CompareOp.Ne);
    public static readonly OpOverload LtTensor = Comparison("lt.Tensor(Tensor self, Tensor other) -> Tensor", CompareOp.Lt);
    public static readonly OpOverload LeTensor = Comparison("le.Tensor(Tensor self, Tensor other) -> Tensor", CompareOp.Le);
    public static readonly OpOverload GtTensor = Comparison("gt.Tensor(Tensor self, Tensor other) -> Tensor", CompareOp.Gt);
    public static readonly OpOverload GeTensor = Comparison("ge.Tensor(Tensor self, Tensor other) -> Tensor", CompareOp.Ge);
    public static readonly OpOverload EqScalar = Comparison("eq.Scalar(Tensor self, Scalar other) -> Tensor", CompareOp.Eq);
    public static readonly OpOverload NeScalar = Comparison("ne.Scalar(Tensor self, Scalar other) -> Tensor", CompareOp.Ne);
    public static readonly OpOverload LtScalar = Comparison("lt.Scalar(Tensor self, Scalar other) -> Tensor", CompareOp.Lt);
    public static readonly OpOverload LeScalar = Comparison("le.Scalar(Tensor self, Scalar other) -> Tensor", CompareOp.Le);
    public static readonly OpOverload GtScalar = Comparison("gt.Scalar(Tensor self, Scalar other) -> Tensor", CompareOp.Gt);
    public static readonly OpOverload GeScalar = Comparison("ge.Scalar(Tensor self, Scalar other) -> Tensor", CompareOp.Ge);

    public static readonly OpOverload Where = Def("where.self(Tensor condition, Tensor self, Tensor other) -> Tensor", meta: a =>
    {
        if (a[0] is Tensor c && c.DType != DType.Bool && c.DType != DType.UInt8)
            throw new ArgumentException($"where expected condition to be a boolean tensor, but got a tensor with dtype {c.DType.TorchName()}");
        var shape = ShapeRules.Broadcast(new[] { a[0], a[1], a[2] }.OfType<Tensor>().Select(t => (IReadOnlyList<SymInt>)t.Shape.AsArray()));
        return new TensorMeta(ShapeRules.ResultType([a[1], a[2]]), shape);
    }, kernel: PointwiseKernels.Where, tags: "core,pointwise");

    public static readonly OpOverload MaskedFill = Def("masked_fill.Scalar(Tensor self, Tensor mask, Scalar value) -> Tensor", meta: a =>
    {
        if (Tn(a, 1).DType != DType.Bool) throw new ArgumentException($"masked_fill_ only supports boolean masks, but got mask with dtype {Tn(a, 1).DType.TorchName()}");
        var shape = ShapeRules.Broadcast(T0(a).Shape.AsArray(), Tn(a, 1).Shape.AsArray());
        if (shape.Length != T0(a).Ndim) throw new ArgumentException("masked_fill: the mask cannot broadcast the tensor to more dimensions.");
        ScalarConversion.Check("masked_fill", a[2], T0(a).DType);
        return new TensorMeta(T0(a).DType, shape);
    }, kernel: PointwiseKernels.MaskedFill, tags: "pointwise");
}

using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Elementwise math torch's export keeps as single nodes (lerp, addcmul, addcdiv, nan_to_num, hypot, copysign,
/// logaddexp, exp2, frac, fmax, fmin, xlogy), each as ATen's CPU kernel computes it, in core ops. Bodies are methods,
/// not lambdas: a lambda in a static field's initializer is analysed as if the fields of later files were unset.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload LerpScalar = Composite("lerp.Scalar(Tensor self, Tensor end, Scalar weight) -> Tensor", LerpScalarBody);
    public static readonly OpOverload LerpTensor = Composite("lerp.Tensor(Tensor self, Tensor end, Tensor weight) -> Tensor", LerpTensorBody);
    public static readonly OpOverload Addcmul = Composite("addcmul(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor", AddcmulBody);
    public static readonly OpOverload Addcdiv = Composite("addcdiv(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor", AddcdivBody);
    public static readonly OpOverload NanToNum = Composite("nan_to_num(Tensor self, float? nan=None, float? posinf=None, float? neginf=None) -> Tensor", NanToNumBody);
    public static readonly OpOverload Hypot = Composite("hypot(Tensor self, Tensor other) -> Tensor", HypotBody);
    public static readonly OpOverload CopysignTensor = Composite("copysign.Tensor(Tensor self, Tensor other) -> Tensor", CopysignTensorBody);
    public static readonly OpOverload CopysignScalar = Composite("copysign.Scalar(Tensor self, Scalar other) -> Tensor", CopysignScalarBody);
    public static readonly OpOverload Logaddexp = Composite("logaddexp(Tensor self, Tensor other) -> Tensor", LogaddexpBody);
    public static readonly OpOverload Exp2 = Composite("exp2(Tensor self) -> Tensor", Exp2Body);
    public static readonly OpOverload Frac = Composite("frac(Tensor self) -> Tensor", FracBody);
    public static readonly OpOverload Fmax = Composite("fmax(Tensor self, Tensor other) -> Tensor", FmaxBody);
    public static readonly OpOverload Fmin = Composite("fmin(Tensor self, Tensor other) -> Tensor", FminBody);
    public static readonly OpOverload XlogyTensor = Composite("xlogy.Tensor(Tensor self, Tensor other) -> Tensor", XlogyTensorBody);
    public static readonly OpOverload XlogyScalarOther = Composite("xlogy.Scalar_Other(Tensor self, Scalar other) -> Tensor", XlogyScalarOtherBody);
    public static readonly OpOverload XlogyScalarSelf = Composite("xlogy.Scalar_Self(Scalar self, Tensor other) -> Tensor", XlogyScalarSelfBody);

    // ATen's lerp: from self for small weights and from end for the rest, so lerp(a, b, 1) is exactly b.
    private static object? LerpScalarBody(object?[] a)
    {
        var diff = Call(Sub, a[1], a[0]);
        double w = D(a[2]);
        return Math.Abs(w) < 0.5 ? Call(Add, a[0], Call(Mul, diff, a[2])) : Call(Sub, a[1], Call(Mul, diff, 1 - w));
    }

    private static object? LerpTensorBody(object?[] a)
    {
        var diff = Call(Sub, a[1], a[0]);
        var weight = Tn(a, 2);
        var fromSelf = Call(Add, a[0], Call(Mul, weight, diff));
        var fromEnd = Call(Sub, a[1], Call(Mul, diff, Call(Rsub, weight, 1L)));
        return Call(Where, Call(LtScalar, Call(Abs, weight), 0.5), fromSelf, fromEnd);
    }

    private static object? AddcmulBody(object?[] a) => Call(Add, a[0], Call(Mul, Scaled(Tn(a, 1), a[3]), a[2]));

    private static object? AddcdivBody(object?[] a)
    {
        if (Tn(a, 1).DType.IsIntegral(includeBool: true) && Tn(a, 2).DType.IsIntegral(includeBool: true))
            throw new ArgumentException("Integer division with addcdiv is no longer supported; convert tensor1 or tensor2 to a floating dtype first (addcdiv(self, tensor1.to(float32), tensor2)).");
        return Call(Add, a[0], Call(Div, Scaled(Tn(a, 1), a[3]), a[2]));
    }

    // value · t, the product ATen's kernels form first (and none for a value of 1).
    private static Tensor Scaled(Tensor t, object? value) => value is long and 1 || value is double and 1 ? t : Call(Mul, t, value);

    private static object? NanToNumBody(object?[] a)
    {
        var x = T0(a);
        if (!x.DType.IsFloatingPoint()) return Call(Clone, x);
        double largest = x.DType switch
        {
            DType.Float64 => double.MaxValue,
            DType.Float16 => (double)Half.MaxValue,
            DType.BFloat16 => 3.3895313892515355e38,
            _ => float.MaxValue,
        };
        var result = Call(WhereScalarSelf, Call(IsNan, x), a[1] ?? 0.0, x);
        result = Call(WhereScalarSelf, Call(EqScalar, x, double.PositiveInfinity), a[2] ?? largest, result);
        return Call(WhereScalarSelf, Call(EqScalar, x, double.NegativeInfinity), a[3] ?? -largest, result);
    }

    private static object? HypotBody(object?[] a) => Call(Sqrt, Call(Add, Call(Mul, a[0], a[0]), Call(Mul, a[1], a[1])));

    // |self| with other's sign bit: -0.0 counts as negative (1 / -0.0 is -inf), as copysign defines it.
    private static object? CopysignTensorBody(object?[] a)
    {
        var dtype = FloatResult(a[0], a[1]);
        var magnitude = Call(Abs, AsDType(T0(a), dtype));
        var other = AsDType(Tn(a, 1), dtype);
        var negative = Call(LogicalOr, Call(LtScalar, other, 0.0), Call(LogicalAnd, Call(EqScalar, other, 0.0), Call(LtScalar, Call(Reciprocal, other), 0.0)));
        return Call(Where, negative, Call(Neg, magnitude), magnitude);
    }

    private static object? CopysignScalarBody(object?[] a)
    {
        var magnitude = Call(Abs, AsDType(T0(a), FloatResult(a[0], a[1])));
        double other = D(a[1]);
        return other < 0 || (other == 0 && double.IsNegative(other)) ? Call(Neg, magnitude) : magnitude;
    }

    /// <summary>The dtype of a float-valued binary op of these operands (integers promote to float32).</summary>
    private static DType FloatResult(object? x, object? y) => ((TensorMeta)PointwiseMeta(ResultRule.IntToFloat, x, y)).DType;

    private static Tensor AsDType(Tensor t, DType dtype) => t.DType == dtype ? t : CallKw(ToCopy, [t], ("dtype", dtype));

    // max + log1p(exp(-|a - b|)); where both are the same infinity that gives NaN, and the answer is that infinity.
    private static object? LogaddexpBody(object?[] a)
    {
        var larger = Call(Maximum, a[0], a[1]);
        var result = Call(Add, larger, Call(Log1p, Call(Exp, Call(Neg, Call(Abs, Call(Sub, a[0], a[1]))))));
        var sameInfinity = Call(LogicalAnd, Call(IsInf, a[0]), Call(EqTensor, a[0], a[1]));
        return Call(Where, sameInfinity, larger, result);
    }

    private static object? Exp2Body(object?[] a) => Call(PowScalar, 2.0, a[0]);

    private static object? FracBody(object?[] a) => Call(Sub, a[0], Call(Trunc, a[0]));

    private static object? FmaxBody(object?[] a) => IgnoringNaN(Tn(a, 0), Tn(a, 1), Maximum);

    private static object? FminBody(object?[] a) => IgnoringNaN(Tn(a, 0), Tn(a, 1), Minimum);

    // maximum/minimum that take the number where one side is NaN (NaN only where both are).
    private static Tensor IgnoringNaN(Tensor x, Tensor y, OpOverload pick)
    {
        var picked = Call(pick, x, y);
        if (!x.DType.IsFloatingPoint() && !y.DType.IsFloatingPoint()) return picked;
        return Call(Where, Call(IsNan, y), Call(Where, Call(IsNan, x), picked, x), Call(Where, Call(IsNan, x), y, picked));
    }

    private static object? XlogyTensorBody(object?[] a) => Xlogy(Tn(a, 0), Tn(a, 1));

    private static object? XlogyScalarOtherBody(object?[] a) => Xlogy(T0(a), CallKw(ScalarTensor, [a[1]], ("dtype", FloatResult(a[0], a[1]))));

    private static object? XlogyScalarSelfBody(object?[] a) => Xlogy(CallKw(ScalarTensor, [a[0]], ("dtype", FloatResult(a[0], a[1]))), Tn(a, 1));

    // self · log(other), 0 where self is 0 (even for other 0), NaN where other is NaN.
    private static Tensor Xlogy(Tensor x, Tensor y)
    {
        var product = Call(Mul, x, Call(Log, y));
        var zeroWhereXIs = Call(WhereScalarSelf, Call(EqScalar, x, 0L), 0.0, product);
        return Call(WhereScalarSelf, Call(IsNan, y), double.NaN, zeroWhereXIs);
    }
}

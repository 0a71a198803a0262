using Graphport.Cpu;
using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The Core ATen elementwise ops beyond Aten.Pointwise.cs: inverse and hyperbolic trig, log10, isinf, the
/// .Scalar overloads torch records when the second operand is a Python number, clamp with tensor bounds, and
/// atan2's out= overload.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Asin = Unary("asin(Tensor self) -> Tensor", UnaryOp.Asin, ResultRule.IntToFloat);
    public static readonly OpOverload Acos = Unary("acos(Tensor self) -> Tensor", UnaryOp.Acos, ResultRule.IntToFloat);
    public static readonly OpOverload Atan = Unary("atan(Tensor self) -> Tensor", UnaryOp.Atan, ResultRule.IntToFloat);
    public static readonly OpOverload Sinh = Unary("sinh(Tensor self) -> Tensor", UnaryOp.Sinh, ResultRule.IntToFloat);
    public static readonly OpOverload Cosh = Unary("cosh(Tensor self) -> Tensor", UnaryOp.Cosh, ResultRule.IntToFloat);
    public static readonly OpOverload Asinh = Unary("asinh(Tensor self) -> Tensor", UnaryOp.Asinh, ResultRule.IntToFloat);
    public static readonly OpOverload Acosh = Unary("acosh(Tensor self) -> Tensor", UnaryOp.Acosh, ResultRule.IntToFloat);
    public static readonly OpOverload Atanh = Unary("atanh(Tensor self) -> Tensor", UnaryOp.Atanh, ResultRule.IntToFloat);
    public static readonly OpOverload Log10 = Unary("log10(Tensor self) -> Tensor", UnaryOp.Log10, ResultRule.IntToFloat);

    public static readonly OpOverload IsInf = Def("isinf(Tensor self) -> Tensor", meta: a => PointwiseMeta(ResultRule.Bool, a[0]), kernel: PointwiseKernels.IsInf, tags: "core,pointwise");

    // The .Scalar overloads: the same kernels as the .Tensor ones (a number operand is a wrapped scalar either way).
    public static readonly OpOverload AddScalar = Def("add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor", meta: a => AlphaChecked("add", PointwiseMeta(ResultRule.Promoted, a[0], a[1]), a[2]), kernel: PointwiseKernels.Binary(BinaryOp.Add, alphaIndex: 2), tags: "core,pointwise");
    public static readonly OpOverload SubScalar = Def("sub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor", meta: a =>
    {
        if (a[0] is Tensor { DType: DType.Bool } || a[1] is bool)
            throw new ArgumentException("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        return AlphaChecked("sub", PointwiseMeta(ResultRule.Promoted, a[0], a[1]), a[2]);
    }, kernel: PointwiseKernels.Binary(BinaryOp.Sub, alphaIndex: 2), tags: "core,pointwise");
    public static readonly OpOverload MulScalar = Def("mul.Scalar(Tensor self, Scalar other) -> Tensor", meta: a => PointwiseMeta(ResultRule.Promoted, a[0], a[1]), kernel: PointwiseKernels.Binary(BinaryOp.Mul), tags: "core,pointwise");
    public static readonly OpOverload DivScalar = Def("div.Scalar(Tensor self, Scalar other) -> Tensor", meta: a => PointwiseMeta(ResultRule.IntToFloat, a[0], a[1]), kernel: PointwiseKernels.Binary(BinaryOp.Div, ResultRule.IntToFloat), tags: "core,pointwise");
    public static readonly OpOverload DivScalarMode = Def("div.Scalar_mode(Tensor self, Scalar other, *, str? rounding_mode) -> Tensor", meta: DivScalarModeMeta, kernel: DivScalarModeKernel, tags: "core,pointwise");
    private static object DivScalarModeMeta(object?[] a) => DivMode.Meta!(a);

    private static object? DivScalarModeKernel(object?[] a) => DivMode.Kernel!(a);

    public static readonly OpOverload PowScalar = Def("pow.Scalar(Scalar self, Tensor exponent) -> Tensor", meta: a => PointwiseMeta(ResultRule.Promoted, a[0], a[1]), kernel: PointwiseKernels.Binary(BinaryOp.Pow), tags: "core,pointwise");
    public static readonly OpOverload RemainderScalar = Def("remainder.Scalar(Tensor self, Scalar other) -> Tensor", meta: a => PointwiseMeta(ResultRule.Promoted, a[0], a[1]), kernel: PointwiseKernels.Binary(BinaryOp.Remainder), tags: "core,pointwise");
    public static readonly OpOverload FmodScalar = Def("fmod.Scalar(Tensor self, Scalar other) -> Tensor", meta: a => PointwiseMeta(ResultRule.Promoted, a[0], a[1]), kernel: PointwiseKernels.Binary(BinaryOp.Fmod), tags: "core,pointwise");
    public static readonly OpOverload BitwiseAndScalar = Def("bitwise_and.Scalar(Tensor self, Scalar other) -> Tensor", meta: a => PointwiseMeta(ResultRule.Promoted, a[0], a[1]), kernel: PointwiseKernels.Binary(BinaryOp.BitwiseAnd), tags: "core,pointwise");
    public static readonly OpOverload BitwiseOrScalar = Def("bitwise_or.Scalar(Tensor self, Scalar other) -> Tensor", meta: a => PointwiseMeta(ResultRule.Promoted, a[0], a[1]), kernel: PointwiseKernels.Binary(BinaryOp.BitwiseOr), tags: "core,pointwise");
    public static readonly OpOverload BitwiseXorScalar = Def("bitwise_xor.Scalar(Tensor self, Scalar other) -> Tensor", meta: a => PointwiseMeta(ResultRule.Promoted, a[0], a[1]), kernel: PointwiseKernels.Binary(BinaryOp.BitwiseXor), tags: "core,pointwise");

    public static readonly OpOverload ClampTensor = Def("clamp.Tensor(Tensor self, Tensor? min=None, Tensor? max=None) -> Tensor", meta: a =>
    {
        if (a[1] is null && a[2] is null) throw new ArgumentException("clamp: At least one of 'min' or 'max' must not be None");
        return PointwiseMeta(ResultRule.Promoted, a[0], a[1], a[2]);
    }, kernel: ClampTensorKernel, tags: "core,pointwise");

    /// <summary>min(max(x, lo), hi) in the promoted dtype; maximum/minimum propagate NaN as torch's clamp does.</summary>
    private static object? ClampTensorKernel(object?[] a)
    {
        var dtype = ShapeRules.ResultType([a[0], a[1], a[2]]);
        Tensor Promote(object? t) => t is Tensor x && x.DType != dtype ? CallKw(ToCopy, [x], ("dtype", dtype)) : (Tensor)t!;
        var result = Promote(a[0]);
        if (a[1] is not null) result = Call(Maximum, result, Promote(a[1]));
        if (a[2] is not null) result = Call(Minimum, result, Promote(a[2]));
        // Broadcasting against the bounds may widen the shape; the result always has the broadcast shape.
        var shape = ((TensorMeta)ClampTensor.Meta!(a)).Shape;
        return result.Shape.AsArray().SequenceEqual(shape) ? result : Call(Clone, Call(Expand, result, shape));
    }

    /// <summary>
    /// atan2 with an out= tensor: computes atan2(self, other), resizes out when its shape differs (as torch does)
    /// and writes the result into it. Tracing records the functional atan2 and copies into out (functionalization).
    /// </summary>
    public static readonly OpOverload Atan2Out = Def("atan2.out(Tensor self, Tensor other, *, Tensor(a!) out) -> Tensor(a!)", meta: a =>
    {
        var result = PointwiseMeta(ResultRule.IntToFloat, a[0], a[1]);
        var @out = Tn(a, 2);
        if (!DTypeInfo.CanCast(result.DType, @out.DType))
            throw new ArgumentException($"result type {DTypeNames.Capitalized(result.DType)} can't be cast to the desired output type {DTypeNames.Capitalized(@out.DType)}");
        return new TensorMeta(@out.DType, result.Shape);
    }, kernel: Atan2OutKernel, tags: "core");

    private static object? Atan2OutKernel(object?[] a)
    {
        var result = (Tensor)Atan2.Kernel!(a)!;
        var @out = Tn(a, 2);
        if (!@out.Sizes.SequenceEqual(result.Sizes)) @out.ResizeInPlace(result.Sizes);
        Eager.CopyInto(@out, result);
        return @out;
    }
}

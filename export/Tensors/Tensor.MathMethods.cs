namespace Graphport;

/// <summary>Elementwise math and running products beyond the core ops: lerp, addcmul, addcdiv, nan_to_num, hypot, copysign, ...</summary>
public partial class Tensor
{
    /// <summary>self + weight · (end - self), computed from end for weights of 0.5 and more (so weight 1 gives end exactly).</summary>
    public Tensor Lerp(Tensor end, double weight) => Aten.Call(Aten.LerpScalar, this, end, weight);

    public Tensor Lerp(Tensor end, Tensor weight) => Aten.Call(Aten.LerpTensor, this, end, weight);

    /// <summary>self + value · tensor1 · tensor2.</summary>
    public Tensor Addcmul(Tensor tensor1, Tensor tensor2, double value = 1) => Aten.CallKw(Aten.Addcmul, [this, tensor1, tensor2], ("value", value));

    /// <summary>self + value · tensor1 / tensor2.</summary>
    public Tensor Addcdiv(Tensor tensor1, Tensor tensor2, double value = 1) => Aten.CallKw(Aten.Addcdiv, [this, tensor1, tensor2], ("value", value));

    /// <summary>NaN, +inf and -inf replaced (by 0 and the dtype's largest and lowest finite values unless given).</summary>
    public Tensor NanToNum(double? nan = null, double? posinf = null, double? neginf = null) => Aten.Call(Aten.NanToNum, this, nan, posinf, neginf);

    public Tensor Hypot(Tensor other) => Aten.Call(Aten.Hypot, this, other);

    /// <summary>|self| with the sign of other (-0.0 counts as negative).</summary>
    public Tensor Copysign(Tensor other) => Aten.Call(Aten.CopysignTensor, this, other);

    public Tensor Copysign(double other) => Aten.Call(Aten.CopysignScalar, this, other);

    /// <summary>log(exp(self) + exp(other)) without overflow.</summary>
    public Tensor Logaddexp(Tensor other) => Aten.Call(Aten.Logaddexp, this, other);

    public Tensor Exp2() => Aten.Call(Aten.Exp2, this);

    /// <summary>The fractional part, self - trunc(self).</summary>
    public Tensor Frac() => Aten.Call(Aten.Frac, this);

    /// <summary>The larger of the two, or the number where the other is NaN.</summary>
    public Tensor Fmax(Tensor other) => Aten.Call(Aten.Fmax, this, other);

    /// <summary>The smaller of the two, or the number where the other is NaN.</summary>
    public Tensor Fmin(Tensor other) => Aten.Call(Aten.Fmin, this, other);

    /// <summary>self · log(other), 0 where self is 0.</summary>
    public Tensor Xlogy(Tensor other) => Aten.Call(Aten.XlogyTensor, this, other);

    public Tensor Xlogy(double other) => Aten.Call(Aten.XlogyScalarOther, this, other);

    /// <summary>log(p / (1 - p)), p clamped to [eps, 1 - eps] when eps is given.</summary>
    public Tensor Logit(double? eps = null) => Aten.Call(Aten.Logit, this, eps);

    /// <summary>Running products along dim (integers widen to int64, as torch's cumprod does).</summary>
    public Tensor Cumprod(long dim, DType? dtype = null) => Aten.CallKw(Aten.Cumprod, [this, dim], ("dtype", dtype));

    /// <summary>(var, mean) over dims (every dim when null), with Bessel's correction unless correction says otherwise.</summary>
    public (Tensor Var, Tensor Mean) VarMean(long[]? dims = null, double correction = 1, bool keepdim = false) =>
        Pair(Aten.Dispatch(Aten.VarMeanCorrection, [this, dims], ("correction", correction), ("keepdim", keepdim)));

    /// <summary>(std, mean) over dims (every dim when null).</summary>
    public (Tensor Std, Tensor Mean) StdMean(long[]? dims = null, double correction = 1, bool keepdim = false) =>
        Pair(Aten.Dispatch(Aten.StdMeanCorrection, [this, dims], ("correction", correction), ("keepdim", keepdim)));

    /// <summary>(min, max) over dim, or over every element when dim is null.</summary>
    public (Tensor Min, Tensor Max) Aminmax(long? dim = null, bool keepdim = false) =>
        Pair(Aten.Dispatch(Aten.Aminmax, [this], ("dim", dim), ("keepdim", keepdim)));

    public Tensor Expm1() => Aten.Call(Aten.Expm1, this);
    public Tensor Log2() => Aten.Call(Aten.Log2, this);
    public Tensor Log10() => Aten.Call(Aten.Log10, this);
    public Tensor Sinh() => Aten.Call(Aten.Sinh, this);
    public Tensor Cosh() => Aten.Call(Aten.Cosh, this);
    public Tensor Asin() => Aten.Call(Aten.Asin, this);
    public Tensor Acos() => Aten.Call(Aten.Acos, this);
    public Tensor Atan() => Aten.Call(Aten.Atan, this);
    public Tensor Asinh() => Aten.Call(Aten.Asinh, this);
    public Tensor Acosh() => Aten.Call(Aten.Acosh, this);
    public Tensor Atanh() => Aten.Call(Aten.Atanh, this);
    public Tensor Erfinv() => Aten.Call(Aten.Erfinv, this);
    /// <summary>Rounded toward zero.</summary>
    public Tensor Trunc() => Aten.Call(Aten.Trunc, this);
    /// <summary>The angle of the point (other, self): atan(self / other) in the right quadrant.</summary>
    public Tensor Atan2(Tensor other) => Aten.Call(Aten.Atan2, this, other);
    /// <summary>C's remainder: the sign of self (-7 fmod 2 is -1).</summary>
    public Tensor Fmod(Tensor other) => Aten.Call(Aten.Fmod, this, other);
    public Tensor Fmod(double other) => Aten.Call(Aten.FmodScalar, this, Num(other));
    public Tensor Fmod(long other) => Aten.Call(Aten.FmodScalar, this, other);
    /// <summary>Python's modulo: the sign of other (-7 % 2 is 1), as the % operator.</summary>
    public Tensor Remainder(Tensor other) => Aten.Call(Aten.Remainder, this, other);
    public Tensor Remainder(double other) => Aten.Call(Aten.RemainderScalar, this, Num(other));
    public Tensor Remainder(long other) => Aten.Call(Aten.RemainderScalar, this, other);
    public Tensor IsNan() => Aten.Call(Aten.IsNan, this);
    /// <summary>True at +inf and -inf.</summary>
    public Tensor IsInf() => Aten.Call(Aten.IsInf, this);
    public Tensor LogicalAnd(Tensor other) => Aten.Call(Aten.LogicalAnd, this, other);
    public Tensor LogicalOr(Tensor other) => Aten.Call(Aten.LogicalOr, this, other);
    public Tensor LogicalXor(Tensor other) => Aten.Call(Aten.LogicalXor, this, other);
    public Tensor BitwiseAnd(Tensor other) => Aten.Call(Aten.BitwiseAnd, this, other);
    public Tensor BitwiseOr(Tensor other) => Aten.Call(Aten.BitwiseOr, this, other);
    public Tensor BitwiseXor(Tensor other) => Aten.Call(Aten.BitwiseXor, this, other);
    public Tensor BitwiseNot() => Aten.Call(Aten.BitwiseNot, this);
    /// <summary>Bounds by tensors (broadcast), either one optional.</summary>
    public Tensor Clamp(Tensor? min, Tensor? max) => Aten.Call(Aten.ClampTensor, this, min, max);
    /// <summary>The cross product of 3-vectors along dim.</summary>
    public Tensor Cross(Tensor other, long dim = -1) => Aten.CallKw(Aten.LinalgCross, [this, other], ("dim", dim));
}

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
    public (Tensor Var, Tensor Mean) VarMean(long[]? dims = null, double correction = 1, bool keepdim = false)
    {
        var pair = (Tensor[])Aten.Dispatch(Aten.VarMeanCorrection, [this, dims], ("correction", correction), ("keepdim", keepdim))!;
        return (pair[0], pair[1]);
    }

    /// <summary>(std, mean) over dims (every dim when null).</summary>
    public (Tensor Std, Tensor Mean) StdMean(long[]? dims = null, double correction = 1, bool keepdim = false)
    {
        var pair = (Tensor[])Aten.Dispatch(Aten.StdMeanCorrection, [this, dims], ("correction", correction), ("keepdim", keepdim))!;
        return (pair[0], pair[1]);
    }

    /// <summary>(min, max) over dim, or over every element when dim is null.</summary>
    public (Tensor Min, Tensor Max) Aminmax(long? dim = null, bool keepdim = false)
    {
        var pair = (Tensor[])Aten.Dispatch(Aten.Aminmax, [this], ("dim", dim), ("keepdim", keepdim))!;
        return (pair[0], pair[1]);
    }
}

namespace Graphport;

/// <summary>
/// Predicates, special functions and NaN-aware reductions: isfinite, isclose, signbit, lgamma, digamma, erfc, i0,
/// frexp, gcd, nansum, nanmean, count_nonzero and the rest of torch's elementwise math a model reaches for.
/// </summary>
public partial class Tensor
{
    /// <summary>True where the element is neither NaN nor ±inf (always for integers).</summary>
    public Tensor IsFinite() => Aten.Call(Aten.IsFinite, this);

    public Tensor IsPosInf() => Aten.Call(Aten.IsPosInf, this);

    public Tensor IsNegInf() => Aten.Call(Aten.IsNegInf, this);

    /// <summary>True where the sign bit is set: negative numbers, -0.0 and negative NaNs.</summary>
    public Tensor Signbit() => Aten.Call(Aten.Signbit, this);

    /// <summary>|self - other| ≤ atol + rtol · |other| elementwise (torch.isclose); NaNs equal each other only with equalNan.</summary>
    public Tensor IsClose(Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false) => Aten.Call(Aten.IsClose, this, other, rtol, atol, equalNan);

    /// <summary>The step function: 0 below zero, values at zero, 1 above.</summary>
    public Tensor Heaviside(Tensor values) => Aten.Call(Aten.Heaviside, this, values);

    /// <summary>log2(2^self + 2^other) without overflow.</summary>
    public Tensor Logaddexp2(Tensor other) => Aten.Call(Aten.Logaddexp2, this, other);

    /// <summary>self ** exponent in double precision (float64, or complex128 for complex operands).</summary>
    public Tensor FloatPower(Tensor exponent) => Aten.Call(Aten.FloatPowerTensorTensor, this, exponent);

    public Tensor FloatPower(double exponent) => Aten.Call(Aten.FloatPowerTensorScalar, this, Num(exponent));

    /// <summary>The normalized sinc, sin(πx)/(πx), 1 at zero.</summary>
    public Tensor Sinc() => Aten.Call(Aten.Sinc, this);

    public Tensor Deg2rad() => Aten.Call(Aten.Deg2rad, this);

    public Tensor Rad2deg() => Aten.Call(Aten.Rad2deg, this);

    /// <summary>Each slice along dim whose p-norm exceeds maxnorm scaled to norm maxnorm.</summary>
    public Tensor Renorm(double p, long dim, double maxnorm) => Aten.Call(Aten.Renorm, this, p, dim, maxnorm);

    /// <summary>log|Γ(x)|.</summary>
    public Tensor Lgamma() => Aten.Call(Aten.Lgamma, this);

    /// <summary>ψ(x), the logarithmic derivative of Γ.</summary>
    public Tensor Digamma() => Aten.Call(Aten.Digamma, this);

    /// <summary>ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function.</summary>
    public Tensor Polygamma(long n) => Aten.Call(Aten.Polygamma, n, this);

    /// <summary>The multivariate log-gamma function of dimension p (every element must exceed (p-1)/2).</summary>
    public Tensor Mvlgamma(long p) => Aten.Call(Aten.Mvlgamma, this, p);

    /// <summary>1 - erf(x), accurate where erf(x) is near 1.</summary>
    public Tensor Erfc() => Aten.Call(Aten.Erfc, this);

    /// <summary>I₀(x), the modified Bessel function of the first kind of order zero.</summary>
    public Tensor I0() => Aten.Call(Aten.I0, this);

    /// <summary>Mantissas in [0.5, 1) and int32 exponents with self = mantissa · 2^exponent.</summary>
    public (Tensor Mantissa, Tensor Exponent) Frexp() => Pair(Aten.CallMulti(Aten.Frexp, this));

    /// <summary>self · 2^other.</summary>
    public Tensor Ldexp(Tensor other) => Aten.Call(Aten.Ldexp, this, other);

    /// <summary>The next representable number after self toward other, in self's own precision.</summary>
    public Tensor Nextafter(Tensor other) => Aten.Call(Aten.Nextafter, this, other);

    /// <summary>The greatest common divisor of integer tensors (non-negative; 0 for two zeros).</summary>
    public Tensor Gcd(Tensor other) => Aten.Call(Aten.Gcd, this, other);

    /// <summary>The least common multiple of integer tensors (non-negative; 0 when either is 0).</summary>
    public Tensor Lcm(Tensor other) => Aten.Call(Aten.Lcm, this, other);

    /// <summary>The sum with NaNs counted as zero, over dims (all of them when none are given).</summary>
    public Tensor Nansum(long[]? dims = null, bool keepdim = false, DType? dtype = null) => Aten.CallKw(Aten.Nansum, [this, dims, keepdim], ("dtype", dtype));

    /// <summary>The mean of the numbers that are not NaN, over dims (all of them when none are given).</summary>
    public Tensor Nanmean(long[]? dims = null, bool keepdim = false, DType? dtype = null) => Aten.CallKw(Aten.Nanmean, [this, dims, keepdim], ("dtype", dtype));

    /// <summary>How many elements are not zero (an int64 count), over dims (all of them when none are given).</summary>
    public Tensor CountNonzero(params long[] dims) => dims.Length == 0 ? Aten.Call(Aten.CountNonzeroOptionalDim, this, null) : Aten.Call(Aten.CountNonzeroDims, this, dims);

    /// <summary>torch.clip, clamp's alias.</summary>
    public Tensor Clip(double? min = null, double? max = null) => Aten.Call(Aten.Clip, this, min is double a ? Num(a) : null, max is double b ? Num(b) : null);

    public Tensor ClampMin(double min) => Aten.Call(Aten.ClampMin, this, Num(min));

    public Tensor ClampMin(Tensor min) => Aten.Call(Aten.ClampMinTensor, this, min);

    public Tensor ClampMax(double max) => Aten.Call(Aten.ClampMax, this, Num(max));

    public Tensor ClampMax(Tensor max) => Aten.Call(Aten.ClampMaxTensor, this, max);
}

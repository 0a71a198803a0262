using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Elementwise predicates and math that torch builds from other ops: isfinite, isposinf, isneginf, isclose,
/// heaviside, logaddexp2, float_power, sinc, deg2rad, rad2deg, renorm, mvlgamma, and the NaN-skipping and counting
/// reductions nansum, nanmean and count_nonzero, each decomposed as torch's run_decompositions decomposes it.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload IsFinite = Composite("isfinite(Tensor self) -> Tensor", IsFiniteBody);
    public static readonly OpOverload IsPosInf = Composite("isposinf(Tensor self) -> Tensor", IsPosInfBody);
    public static readonly OpOverload IsNegInf = Composite("isneginf(Tensor self) -> Tensor", IsNegInfBody);
    public static readonly OpOverload IsClose = Composite("isclose(Tensor self, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> Tensor", IsCloseBody);
    public static readonly OpOverload Heaviside = Composite("heaviside(Tensor self, Tensor values) -> Tensor", HeavisideBody);
    public static readonly OpOverload Logaddexp2 = Composite("logaddexp2(Tensor self, Tensor other) -> Tensor", Logaddexp2Body);
    public static readonly OpOverload FloatPowerTensorTensor = Composite("float_power.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor", FloatPowerTensorTensorBody);
    public static readonly OpOverload FloatPowerTensorScalar = Composite("float_power.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor", FloatPowerTensorScalarBody);
    public static readonly OpOverload FloatPowerScalar = Composite("float_power.Scalar(Scalar self, Tensor exponent) -> Tensor", FloatPowerScalarBody);
    public static readonly OpOverload Sinc = Composite("sinc(Tensor self) -> Tensor", SincBody);
    public static readonly OpOverload Deg2rad = Composite("deg2rad(Tensor self) -> Tensor", Deg2radBody);
    public static readonly OpOverload Rad2deg = Composite("rad2deg(Tensor self) -> Tensor", Rad2degBody);
    public static readonly OpOverload Renorm = Composite("renorm(Tensor self, Scalar p, int dim, Scalar maxnorm) -> Tensor", RenormBody);
    public static readonly OpOverload Mvlgamma = Composite("mvlgamma(Tensor self, int p) -> Tensor", MvlgammaBody);
    public static readonly OpOverload Nansum = Composite("nansum(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", NansumBody);
    public static readonly OpOverload Nanmean = Composite("nanmean(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", NanmeanBody);
    public static readonly OpOverload CountNonzeroDims = Composite("count_nonzero.dim_IntList(Tensor self, int[] dim) -> Tensor", CountNonzeroDimsBody);
    public static readonly OpOverload CountNonzeroOptionalDim = Composite("count_nonzero(Tensor self, int? dim=None) -> Tensor", CountNonzeroBody);

    // x == x (not NaN) and |x| != inf; integers and bools are always finite.
    private static object? IsFiniteBody(object?[] a)
    {
        var x = T0(a);
        if (!x.DType.IsFloatingPoint() && !x.DType.IsComplex()) return Call(EqTensor, x, x);
        if (x.DType.IsComplex()) return Call(LogicalAnd, Call(IsFinite, Call(Real, x)), Call(IsFinite, Call(Imag, x)));
        return Call(LogicalAnd, Call(EqTensor, x, x), Call(NeScalar, Call(Abs, x), double.PositiveInfinity));
    }

    private static object? IsPosInfBody(object?[] a) => InfinityOfSign(T0(a), double.PositiveInfinity, "isposinf");

    private static object? IsNegInfBody(object?[] a) => InfinityOfSign(T0(a), double.NegativeInfinity, "isneginf");

    private static Tensor InfinityOfSign(Tensor x, double infinity, string name)
    {
        if (x.DType.IsComplex()) throw new ArgumentException($"{name} does not support complex inputs; take .Real or .Imag first.");
        return x.DType.IsFloatingPoint() ? Call(EqScalar, x, infinity) : Call(NeTensor, x, x);
    }

    // |self - other| ≤ atol + rtol·|other|, or equal (infinities of one sign), or both NaN with equal_nan.
    private static object? IsCloseBody(object?[] a)
    {
        Tensor x = T0(a), y = Tn(a, 1);
        double rtol = D(a[2]), atol = D(a[3]);
        bool equalNan = B(a[4]);
        if (x.DType != y.DType)
            throw new ArgumentException($"{x.DType.TorchName()} did not match {y.DType.TorchName()}: isclose needs both tensors of one dtype; convert one (other.to(self.dtype)).");
        if (rtol < 0) throw new ArgumentException($"rtol must be greater than or equal to zero, but got {rtol}");
        if (atol < 0) throw new ArgumentException($"atol must be greater than or equal to zero, but got {atol}");
        var close = Call(EqTensor, x, y);
        if (equalNan && x.DType.IsFloatingPoint()) close = Call(LogicalOr, close, Call(LogicalAnd, Call(IsNan, x), Call(IsNan, y)));
        if (x.DType == DType.Bool || (rtol == 0 && atol == 0)) return close;
        var (xf, yf) = x.DType.IsFloatingPoint() || x.DType.IsComplex() ? (x, y) : (Call(ToDType, x, DType.Float32), Call(ToDType, y, DType.Float32));
        var allowed = Call(Add, Call(Mul, Call(Abs, yf), rtol), atol);
        var actual = Call(Abs, Call(Sub, xf, yf));
        return Call(LogicalOr, close, Call(LogicalAnd, Call(IsFinite, actual), Call(LeTensor, actual, allowed)));
    }

    // values where self is 0, 0 below zero (and for NaN), 1 above.
    private static object? HeavisideBody(object?[] a)
    {
        Tensor x = T0(a), values = Tn(a, 1);
        if (x.DType != values.DType)
            throw new ArgumentException($"heaviside is not yet implemented for tensors with different dtypes ({x.DType.TorchName()} and {values.DType.TorchName()}); convert values to self's dtype.");
        if (x.DType.IsComplex()) throw new ArgumentException("heaviside is not yet implemented for complex tensors.");
        var belowOrNan = Call(LtScalar, x, 0L);
        if (x.DType.IsFloatingPoint()) belowOrNan = Call(LogicalOr, belowOrNan, Call(IsNan, x));
        var step = Call(WhereScalar, belowOrNan, 0L, 1L);
        return Call(Where, Call(EqScalar, x, 0L), values, Call(ToDType, step, ((TensorMeta)PointwiseMeta(ResultRule.Promoted, x, values)).DType));
    }

    // max + log2(1 + 2^(min - max)); two equal infinities give themselves (their difference would be NaN).
    private static object? Logaddexp2Body(object?[] a)
    {
        var dtype = FloatResult(a[0], a[1]);
        Tensor x = Call(ToDType, a[0], dtype), y = Call(ToDType, a[1], dtype);
        var larger = Call(Maximum, x, y);
        var smaller = Call(Minimum, x, y);
        var sum = Call(Add, larger, Call(Div, Call(Log1p, Call(Exp2, Call(Sub, smaller, larger))), Math.Log(2)));
        return Call(Where, Call(LogicalAnd, Call(IsInf, x), Call(EqTensor, x, y)), x, sum);
    }

    // float_power computes in double (complex double for complex operands).
    private static DType DoubleOf(params object?[] operands) =>
        operands.OfType<Tensor>().Any(t => t.DType.IsComplex()) || operands.Any(o => o is System.Numerics.Complex) ? DType.Complex128 : DType.Float64;

    private static object? FloatPowerTensorTensorBody(object?[] a)
    {
        var dtype = DoubleOf(a[0], a[1]);
        return Call(PowTensorTensor, Call(ToDType, a[0], dtype), Call(ToDType, a[1], dtype));
    }

    private static object? FloatPowerTensorScalarBody(object?[] a) => Call(PowTensorScalar, Call(ToDType, a[0], DoubleOf(a[0], a[1])), a[1]);

    private static object? FloatPowerScalarBody(object?[] a) => Call(PowScalar, a[0], Call(ToDType, a[1], DoubleOf(a[0], a[1])));

    // sin(πx)/(πx), 1 at zero.
    private static object? SincBody(object?[] a)
    {
        var x = T0(a);
        if (!x.DType.IsFloatingPoint() && !x.DType.IsComplex()) x = Call(ToDType, x, DType.Float32);
        var scaled = Call(Mul, x, Math.PI);
        return Call(WhereScalarSelf, Call(EqScalar, x, 0L), 1.0, Call(Div, Call(Sin, scaled), scaled));
    }

    private static object? Deg2radBody(object?[] a) => Call(Mul, AngleInput(T0(a), "deg2rad"), Math.PI / 180);

    private static object? Rad2degBody(object?[] a) => Call(Mul, AngleInput(T0(a), "rad2deg"), 180 / Math.PI);

    private static Tensor AngleInput(Tensor x, string name)
    {
        if (x.DType.IsComplex()) throw new ArgumentException($"{name} is not supported for complex tensors.");
        return x.DType.IsFloatingPoint() ? x : Call(ToDType, x, DType.Float32);
    }

    // Each slice along dim scaled down to norm maxnorm where its p-norm is above it (by maxnorm / (norm + 1e-7)).
    private static object? RenormBody(object?[] a)
    {
        var x = T0(a);
        double p = D(a[1]), maxnorm = D(a[3]);
        if (p <= 0) throw new ArgumentException($"renorm: non-positive-norm not supported (p = {p}).");
        if (maxnorm < 0) throw new ArgumentException($"renorm: expected maxnorm to be >= 0 but got {maxnorm}");
        if (x.Ndim <= 1) throw new ArgumentException($"renorm: input needs at least 2 dimensions, got {x.Ndim} dimensions");
        int dim = ShapeRules.WrapDim(L(a[2]), x.Ndim);
        var others = Enumerable.Range(0, x.Ndim).Where(d => d != dim).Select(d => (long)d).ToArray();
        var norms = Call(LinalgVectorNorm, x, p, others, true);
        var factor = Call(WhereScalarOther, Call(GtScalar, norms, maxnorm), Call(Mul, Call(Reciprocal, Call(Add, norms, 1e-7)), maxnorm), 1.0);
        return Call(Mul, x, factor);
    }

    // log Γ_p(x) = p(p-1)/4 · log π + Σⱼ log Γ(x - j/2), j < p.
    private static object? MvlgammaBody(object?[] a)
    {
        var x = T0(a);
        long p = L(a[1]);
        if (p < 1) throw new ArgumentException($"p has to be greater than or equal to 1, got {p}");
        if (!x.IsFake && x.Numel() > 0 && Call(LeScalar, x, (p - 1) / 2.0).ToArray<bool>().Any(b => b))
            throw new ArgumentException($"All elements must be greater than (p-1)/2 = {(p - 1) / 2.0} for mvlgamma with p = {p}.");
        var dtype = x.DType.IsFloatingPoint() ? x.DType : DType.Float32;
        var halves = Call(Div, CallKw(Arange, [p], ("dtype", dtype)), -2.0);
        var terms = Call(Lgamma, Call(Add, Call(Unsqueeze, Call(ToDType, x, dtype), -1L), halves));
        return Call(Add, Call(SumDim, terms, new long[] { -1 }), p * (p - 1) / 4.0 * Math.Log(Math.PI));
    }

    // sum with NaNs as zeros (integers have none).
    private static object? NansumBody(object?[] a)
    {
        var x = T0(a);
        var zeroed = x.DType.IsFloatingPoint() ? Call(WhereScalarSelf, Call(IsNan, x), 0.0, x) : x;
        return CallKw(SumDim, [zeroed, a[1], a[2]], ("dtype", a[3]));
    }

    // nansum / the count of numbers, both over the same dims.
    private static object? NanmeanBody(object?[] a)
    {
        var x = T0(a);
        if (!x.DType.IsFloatingPoint())
            throw new ArgumentException($"nanmean(): expected input to have floating point dtype but got {DTypeNames.Capitalized(x.DType)}; convert it first (x.float()).");
        var counted = CallKw(SumDim, [Call(LogicalNot, Call(IsNan, x)), a[1], a[2]], ("dtype", a[3] ?? x.DType));
        return Call(Div, CallKw(Nansum, [x, a[1], a[2]], ("dtype", a[3])), counted);
    }

    private static object? CountNonzeroDimsBody(object?[] a) => Call(SumDim, Call(NeScalar, a[0], 0L), a[1]);

    private static object? CountNonzeroBody(object?[] a) => Call(SumDim, Call(NeScalar, a[0], 0L), a[1] is null ? null : new[] { L(a[1]) });
}

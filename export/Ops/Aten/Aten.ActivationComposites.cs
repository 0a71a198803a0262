using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Activations torch's export keeps as single nodes (glu, mish, selu, celu, hardshrink, softshrink, logit,
/// log_sigmoid, relu6, threshold, prelu), in core ops as ATen's CPU kernels compute them.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Glu = Composite("glu(Tensor self, int dim=-1) -> Tensor", GluBody);
    public static readonly OpOverload Mish = Composite("mish(Tensor self) -> Tensor", MishBody);
    public static readonly OpOverload Selu = Composite("selu(Tensor self) -> Tensor", SeluBody);
    public static readonly OpOverload Celu = Composite("celu(Tensor self, Scalar alpha=1.0) -> Tensor", CeluBody);
    public static readonly OpOverload Hardshrink = Composite("hardshrink(Tensor self, Scalar lambd=0.5) -> Tensor", HardshrinkBody);
    public static readonly OpOverload Softshrink = Composite("softshrink(Tensor self, Scalar lambd=0.5) -> Tensor", SoftshrinkBody);
    public static readonly OpOverload Logit = Composite("logit(Tensor self, float? eps=None) -> Tensor", LogitBody);
    public static readonly OpOverload LogSigmoid = Composite("log_sigmoid(Tensor self) -> Tensor", LogSigmoidBody);
    public static readonly OpOverload Relu6 = Composite("relu6(Tensor self) -> Tensor", Relu6Body);
    public static readonly OpOverload Threshold = Composite("threshold(Tensor self, Scalar threshold, Scalar value) -> Tensor", ThresholdBody);
    public static readonly OpOverload Prelu = Composite("prelu(Tensor self, Tensor weight) -> Tensor", PreluBody);

    /// <summary>SELU's constants (Klambauer et al., 2017).</summary>
    private const double SeluAlpha = 1.6732632423543772848170429916717, SeluScale = 1.0507009873554804934193349852946;

    // The first half times the sigmoid of the second, halved along dim.
    private static object? GluBody(object?[] a)
    {
        var self = T0(a);
        int dim = ShapeRules.WrapDim(L(a[1]), self.Ndim);
        var size = self.Shape[dim];
        if (size.AsConstant is long n && n % 2 != 0) throw new ArgumentException($"Halving dimension must be even, but dimension {dim} is size {n}");
        var half = size / 2;
        var first = Call(Slice, self, (long)dim, (SymInt)0, half, 1L);
        var second = Call(Slice, self, (long)dim, half, size, 1L);
        return Call(Mul, first, Call(Sigmoid, second));
    }

    private static object? MishBody(object?[] a) => Call(Mul, a[0], Call(Tanh, Call(Softplus, a[0], 1L, 20L)));

    private static object? SeluBody(object?[] a) => Call(Elu, a[0], SeluAlpha, SeluScale, 1L);

    private static object? CeluBody(object?[] a) => Call(Elu, a[0], a[1], 1L, 1.0 / D(a[1]));

    // x outside [-lambd, lambd], 0 inside.
    private static object? HardshrinkBody(object?[] a) =>
        Call(WhereScalarOther, Call(GtScalar, Call(Abs, a[0]), a[1]), a[0], 0L);

    // x - lambd above lambd, x + lambd below -lambd, 0 between.
    private static object? SoftshrinkBody(object?[] a)
    {
        double lambd = D(a[1]);
        var below = Call(WhereScalarOther, Call(LtScalar, a[0], -lambd), Call(Add, a[0], lambd), 0L);
        return Call(Where, Call(GtScalar, a[0], lambd), Call(Sub, a[0], lambd), below);
    }

    // log(z / (1 - z)), z clamped to [eps, 1 - eps] when eps is given.
    private static object? LogitBody(object?[] a)
    {
        var z = a[1] is null ? T0(a) : Call(Clamp, a[0], D(a[1]), 1 - D(a[1]));
        return Call(Log, Call(Div, z, Call(Rsub, z, 1L)));
    }

    // min(x, 0) - log1p(exp(-|x|)): no overflow at either end.
    private static object? LogSigmoidBody(object?[] a) =>
        Call(Sub, Call(ClampMax, a[0], 0L), Call(Log1p, Call(Exp, Call(Neg, Call(Abs, a[0])))));

    private static object? Relu6Body(object?[] a) => Call(Hardtanh, a[0], 0L, 6L);

    // value where x <= threshold, x elsewhere (NaN stays NaN).
    private static object? ThresholdBody(object?[] a) => Call(WhereScalarSelf, Call(LeScalar, a[0], a[1]), a[2], a[0]);

    // x where positive, weight · x elsewhere; a weight of C values applies per channel (dim 1).
    private static object? PreluBody(object?[] a)
    {
        var self = T0(a);
        var weight = Tn(a, 1);
        if (weight.NumelLong != 1 && self.Ndim >= 2)
        {
            var shape = new SymInt[self.Ndim - 1];
            shape[0] = weight.NumelLong;
            for (int d = 1; d < shape.Length; d++) shape[d] = 1;
            weight = Call(Reshape, weight, shape);
        }
        return Call(Where, Call(GtScalar, self, 0L), self, Call(Mul, weight, self));
    }

    public static readonly OpOverload Rrelu = Composite("rrelu(Tensor self, Scalar lower=0.125, Scalar upper=0.3333333333333333, bool training=False, Generator? generator=None) -> Tensor", RreluBody);

    // Randomized leaky ReLU: in training each negative element takes a slope drawn from U(lower, upper); in eval the
    // slope is their mean, a leaky_relu (what ATen's rrelu_with_noise computes in each mode).
    private static object? RreluBody(object?[] a)
    {
        var self = T0(a);
        double lower = D(a[1]), upper = D(a[2]);
        if (lower > upper) throw new ArgumentException($"Lower bound should be less than or equal to the upper bound, got lower={lower} and upper={upper}");
        if (!B(a[3])) return Call(LeakyRelu, self, (lower + upper) / 2);
        var slopes = Call(Add, Call(Mul, Call(RandLike, self), upper - lower), lower);
        return Call(Where, Call(GeScalar, self, 0L), self, Call(Mul, self, slopes));
    }
}

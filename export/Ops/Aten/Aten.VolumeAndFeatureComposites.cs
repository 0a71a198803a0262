using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The 3-D pooling and channel-wise dropout torch's functions reach through composites: max_pool3d (the values of
/// max_pool3d_with_indices), adaptive_avg_pool3d (a mean for a 1x1x1 output, as ATen takes it), feature_dropout (whole
/// channels zeroed: one draw per (sample, channel)), alpha_dropout (SELU's self-normalizing dropout) and
/// feature_alpha_dropout (both: whole channels set to SELU's saturation).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload MaxPool3d = Composite("max_pool3d(Tensor self, int[3] kernel_size, int[3] stride=[], int[3] padding=0, int[3] dilation=1, bool ceil_mode=False) -> Tensor", MaxPool3dBody);
    public static readonly OpOverload AdaptiveAvgPool3dComposite = Composite("adaptive_avg_pool3d(Tensor self, SymInt[3] output_size) -> Tensor", AdaptiveAvgPool3dCompositeBody);
    public static readonly OpOverload FeatureDropout = Composite("feature_dropout(Tensor input, float p, bool train) -> Tensor", FeatureDropoutBody);
    public static readonly OpOverload AlphaDropout = Composite("alpha_dropout(Tensor input, float p, bool train) -> Tensor", AlphaDropoutBody);
    public static readonly OpOverload FeatureAlphaDropout = Composite("feature_alpha_dropout(Tensor input, float p, bool train) -> Tensor", FeatureAlphaDropoutBody);

    private static object? MaxPool3dBody(object?[] a) => CallMulti(MaxPool3dWithIndices, a[0], a[1], a[2], a[3], a[4], a[5])[0];

    private static object? AdaptiveAvgPool3dCompositeBody(object?[] a)
    {
        var size = Ss(a[1]);
        if (size.All(s => s.AsConstant == 1)) return Call(MeanDim, a[0], new long[] { -1, -2, -3 }, true);
        return Call(AdaptiveAvgPool3d, a[0], size);
    }

    private static object? FeatureDropoutBody(object?[] a) => DropoutOf(T0(a), D(a[1]), B(a[2]), perChannel: true, alpha: false);

    private static object? AlphaDropoutBody(object?[] a) => DropoutOf(T0(a), D(a[1]), B(a[2]), perChannel: false, alpha: true);

    private static object? FeatureAlphaDropoutBody(object?[] a) => DropoutOf(T0(a), D(a[1]), B(a[2]), perChannel: true, alpha: true);

    /// <summary>
    /// ATen's dropout family: in training a keep mask drawn with probability 1 − p (per element, or per sample and
    /// channel), then either scaled by 1 / (1 − p) or, for alpha dropout, dropped values set to SELU's negative
    /// saturation and the result rescaled to keep mean 0 and variance 1.
    /// </summary>
    private static Tensor DropoutOf(Tensor input, double p, bool train, bool perChannel, bool alpha)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        if (!train || p == 0 || input.Numel() == 0) return input;
        if (perChannel && input.Ndim < 2)
            throw new ArgumentException($"Feature dropout requires at least 2 dimensions in the input (samples and channels), got {input.Ndim}");
        if (p == 1) return Call(Mul, input, CallKw(ScalarTensor, [0L], ("dtype", input.DType)));
        var shape = perChannel ? input.Shape.AsArray().Select((s, d) => d < 2 ? s : (SymInt)1).ToArray() : input.Shape.AsArray();
        var noise = Call(BernoulliP, CallKw(EmptyMemoryFormat, [shape], ("dtype", input.DType)), 1 - p);
        if (!alpha) return Call(Mul, input, Call(Div, noise, 1 - p));
        const double saturation = 1.7580993408473766;
        double scale = 1 / Math.Sqrt((saturation * saturation * p + 1) * (1 - p));
        var shift = Call(Add, Call(Mul, Call(Add, noise, -1L), saturation * scale), saturation * scale * p);
        return Call(Add, Call(Mul, input, Call(Mul, noise, scale)), shift);
    }
}

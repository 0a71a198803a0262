using Graphport.Operators;

namespace Graphport;

/// <summary>
/// max_pool1d and 1-D upsampling, which torch's export keeps as single nodes: each the 2-D op over a height of one.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload MaxPool1d = Composite("max_pool1d(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, int[1] dilation=1, bool ceil_mode=False) -> Tensor", MaxPool1dBody);
    public static readonly OpOverload UpsampleNearest1d = Composite("upsample_nearest1d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor", UpsampleNearest1dBody);
    public static readonly OpOverload UpsampleLinear1d = Composite("upsample_linear1d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor", UpsampleLinear1dBody);

    private static object? MaxPool1dBody(object?[] a) => Call(SqueezeDim, MaxPool1dOverUnitHeight(a)[0], -2L);

    /// <summary>max_pool1d(_with_indices)'s arguments as max_pool2d_with_indices over self.unsqueeze(-2): values and indices.</summary>
    private static Tensor[] MaxPool1dOverUnitHeight(object?[] a)
    {
        var self = T0(a);
        if (self.Ndim is not (2 or 3)) throw new ArgumentException($"max_pool1d() Expected 2D or 3D input tensor, but got {self.Ndim}D");
        long kernel = First(a[1]);
        long[] strides = Longs(a[2]);
        long stride = strides.Length == 0 ? kernel : strides[0];
        return CallMulti(MaxPool2dWithIndices, Call(Unsqueeze, self, -2L), new[] { 1L, kernel }, new[] { 1L, stride }, new[] { 0L, First(a[3]) }, new[] { 1L, First(a[4]) }, a[5]);
    }

    private static object? UpsampleNearest1dBody(object?[] a) =>
        Call(SqueezeDim, Call(UpsampleNearest2d, Call(Unsqueeze, a[0], -2L), WithUnitHeight(a[1]), WithUnitScale(a[2])), -2L);

    private static object? UpsampleLinear1dBody(object?[] a) =>
        Call(SqueezeDim, Call(UpsampleBilinear2d, Call(Unsqueeze, a[0], -2L), WithUnitHeight(a[1]), a[2], WithUnitScale(a[3])), -2L);

    private static long First(object? list) => Longs(list) is [var first, ..] ? first : throw new ArgumentException("expected one size, got none");

    private static SymInt[]? WithUnitHeight(object? size) => size switch
    {
        null => null,
        SymInt[] s => [1, .. s],
        long[] l => [1, .. l.Select(x => (SymInt)x)],
        _ => [1, S(size)],
    };

    private static double[]? WithUnitScale(object? scales) => scales switch
    {
        null => null,
        double[] s => [1.0, .. s],
        _ => [1.0, D(scales)],
    };
}

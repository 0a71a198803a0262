using Graphport.Operators;

namespace Graphport;

/// <summary>
/// conv1d/2d/3d with padding given as "valid" or "same" (nn.Conv2d(..., padding="same")): "valid" pads nothing; "same"
/// pads each spatial dim by dilation · (kernel - 1) in all, the odd one extra at the end as torch does (through
/// constant_pad_nd when the two sides differ), so the output keeps the input's size at stride 1.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Conv1dPadding = Composite("conv1d.padding(Tensor input, Tensor weight, Tensor? bias=None, SymInt[1] stride=1, str padding=\"valid\", SymInt[1] dilation=1, SymInt groups=1) -> Tensor", Conv1dPaddingBody);
    public static readonly OpOverload Conv2dPadding = Composite("conv2d.padding(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=1, str padding=\"valid\", SymInt[2] dilation=1, SymInt groups=1) -> Tensor", Conv2dPaddingBody);
    public static readonly OpOverload Conv3dPadding = Composite("conv3d.padding(Tensor input, Tensor weight, Tensor? bias=None, SymInt[3] stride=1, str padding=\"valid\", SymInt[3] dilation=1, SymInt groups=1) -> Tensor", Conv3dPaddingBody);

    private static object? Conv1dPaddingBody(object?[] a) => ConvolutionWithMode(Conv1d, 1, a);

    private static object? Conv2dPaddingBody(object?[] a) => ConvolutionWithMode(Conv2d, 2, a);

    private static object? Conv3dPaddingBody(object?[] a) => ConvolutionWithMode(Conv3d, 3, a);

    private static Tensor ConvolutionWithMode(OpOverload convolution, int spatial, object?[] a)
    {
        var input = T0(a);
        var weight = Tn(a, 1);
        long[] stride = Spread(a[3], spatial), dilation = Spread(a[5], spatial);
        var mode = (string)a[4]!;
        var zero = new long[spatial];
        if (mode == "valid") return Call(convolution, input, weight, a[2], stride, zero, dilation, a[6]);
        if (mode != "same") throw new ArgumentException($"Invalid padding string: '{mode}'; expected 'valid' or 'same'");
        if (stride.Any(s => s != 1)) throw new ArgumentException("padding='same' is not supported for strided convolutions");
        var total = Enumerable.Range(0, spatial).Select(d => dilation[d] * ((long)weight.Shape[weight.Ndim - spatial + d] - 1)).ToArray();
        var left = total.Select(t => t / 2).ToArray();
        if (total.Zip(left).All(p => p.First == 2 * p.Second)) return Call(convolution, input, weight, a[2], stride, left, dilation, a[6]);
        // Uneven: pad the extra element at the end of each such dim first (constant_pad_nd lists the last dim first).
        var extra = new List<SymInt>();
        for (int d = spatial - 1; d >= 0; d--) extra.AddRange([0, total[d] - 2 * left[d]]);
        return Call(convolution, Call(ConstantPadNd, input, extra.ToArray(), 0L), weight, a[2], stride, left, dilation, a[6]);
    }

    private static long[] Spread(object? value, int spatial)
    {
        var values = Longs(value);
        return values.Length == 1 && spatial > 1 ? Enumerable.Repeat(values[0], spatial).ToArray() : values;
    }
}

namespace Graphport.Cpu;

/// <summary>
/// A float32 3×3 convolution's constant weight [O, C, 3, 3] transformed once for <see cref="Convolution"/>'s Winograd
/// path, F(2×2, 3×3): each output channel's 3×3 kernel g for each input channel becomes the 4×4 U = G·g·Gᵀ, and the 16
/// elements of U are 16 matrices [C × O], each packed as the right operand of a GEMM (<see cref="Gemm.Pack{T}"/>). A 2×2
/// block of outputs then costs 16 multiply-adds per channel pair instead of 36, the rest being additions in the
/// transforms of its 4×4 input tile and of the 4×4 product. The transforms run 16 channels at a time, so C and O are
/// padded with zero channels to whole multiples of 16 (<see cref="PaddedInChannels"/>, <see cref="PaddedOutChannels"/>).
/// </summary>
public sealed class WinogradWeight : PreparedConvolutionWeight
{
    /// <summary>Elements of a transformed tile (4×4).</summary>
    internal const int TileElements = 16;

    /// <summary>Channels the transforms take at a time: C and O are padded with zero channels to multiples of this.</summary>
    internal const int ChannelStep = 16;

    /// <summary>
    /// The most the zero channels may add to the products' work: 96→24 (PP-OCR's detection head, 24 padded to 32) adds
    /// a third and still halves the time (5.6 → 2.9 ms at 160×160); 3→16 would multiply it by five.
    /// </summary>
    private const double MaxPaddedWork = 1.5;

    private WinogradWeight(long[] shape, PackedB<float>[] packed) : base(shape) => Packed = packed;

    /// <summary>U's element ξ = 4·row + column for every (channel, output channel): [C' × O'], packed, zero in the
    /// padded channels' rows and columns.</summary>
    internal PackedB<float>[] Packed { get; }

    /// <summary>C rounded up to a multiple of <see cref="ChannelStep"/>.</summary>
    internal int PaddedInChannels => Pad(InChannels);

    /// <summary>O rounded up to a multiple of <see cref="ChannelStep"/>.</summary>
    internal int PaddedOutChannels => Pad(OutChannels);

    private static int Pad(long channels) => (int)((channels + ChannelStep - 1) / ChannelStep * ChannelStep);

    /// <summary>
    /// Whether a convolution of this shape takes the path: float32, groups 1, a 3×3 kernel at stride 1 without
    /// dilation, on a machine with AVX2 or AVX-512; channels close enough to whole multiples of 16 that the zero
    /// channels they are padded with add at most half to the products (<see cref="MaxPaddedWork"/>), and enough of them
    /// that the products save more than the transforms cost (<see cref="MinChannelProduct"/>).
    /// </summary>
    public static bool Suits(long[] weightShape, int groups, (int H, int W) stride, (int H, int W) dilation) =>
        weightShape is [var o, var c, 3, 3] && groups == 1 && stride == (1, 1) && dilation == (1, 1) && o > 0 && c > 0
        && (double)Pad(o) * Pad(c) <= MaxPaddedWork * o * c && (long)Pad(o) * Pad(c) >= MinChannelProduct && VectorMath.IsAccelerated;

    /// <summary>
    /// Padded input times output channels, at least, for the path to pay: the transforms' work grows with the channels,
    /// the products' saving with their product. One core: 16→32 at 112×112 0.43 against the direct 0.52 ms, 32→32 at
    /// 160×160 even (2.13 against 2.12), 16→16 at 56×56 0.13 against 0.07; 64→64 at 56×56 0.55 against 1.00, 96→24 at
    /// 160×160 4.1 against 5.0.
    /// </summary>
    private const long MinChannelProduct = 512;

    /// <summary>
    /// Output positions of one image, at least, for the path to pay (7×7): on smaller maps a few tiles cannot repay
    /// reading the transformed weight, 16/9 of the weight, and the position-major path runs them (the zoo's
    /// ResNet-18 on 32×32 inputs, 512→512 at 1×1: 0.61 ms against 0.21).
    /// </summary>
    public const long MinPositions = 49;

    /// <summary>Transforms <paramref name="weight"/> (contiguous, of shape <paramref name="shape"/> = [O, C, 3, 3]).</summary>
    public static WinogradWeight Prepare(float[] weight, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape is not [> 0, > 0, 3, 3])
            throw new ArgumentException($"WinogradWeight: weight has shape {ShapeMath.Format(shape)}; expected [O, C, 3, 3] with O and C positive", nameof(shape));
        int o = (int)shape[0], c = (int)shape[1], op = Pad(o), cp = Pad(c);
        ShapeMath.CheckLength(weight.Length, (long)o * c * 9, "WinogradWeight", nameof(weight));
        var elements = new float[TileElements][];
        for (int e = 0; e < TileElements; e++) elements[e] = new float[checked(cp * op)];
        Span<double> u = stackalloc double[TileElements];
        for (int oc = 0; oc < o; oc++)
            for (int ci = 0; ci < c; ci++)
            {
                Transform(weight.AsSpan((oc * c + ci) * 9, 9), u);
                for (int e = 0; e < TileElements; e++) elements[e][ci * op + oc] = (float)u[e];
            }
        var packed = new PackedB<float>[TileElements];
        for (int e = 0; e < TileElements; e++) packed[e] = Gemm.Pack(false, cp, op, elements[e], 0, op);
        return new WinogradWeight((long[])shape.Clone(), packed);
    }

    /// <summary>U = G·g·Gᵀ in double (rounded to float once), with G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]].</summary>
    private static void Transform(ReadOnlySpan<float> g, Span<double> u)
    {
        Span<double> rows = stackalloc double[12];
        for (int j = 0; j < 3; j++)
        {
            double g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
            (rows[j], rows[3 + j], rows[6 + j], rows[9 + j]) = (g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2);
        }
        for (int i = 0; i < 4; i++)
        {
            double r0 = rows[3 * i], r1 = rows[3 * i + 1], r2 = rows[3 * i + 2];
            (u[4 * i], u[4 * i + 1], u[4 * i + 2], u[4 * i + 3]) = (r0, (r0 + r1 + r2) / 2, (r0 - r1 + r2) / 2, r2);
        }
    }
}

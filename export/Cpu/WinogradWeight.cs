namespace Graphport.Cpu;

/// <summary>
/// A float32 3×3 convolution's constant weight [O, C, 3, 3] transformed once for <see cref="Convolution"/>'s Winograd
/// path, F(2×2, 3×3): each output channel's 3×3 kernel g for each input channel becomes the 4×4 U = G·g·Gᵀ, and the 16
/// elements of U are 16 matrices [C × O], each packed as the right operand of a GEMM (<see cref="Gemm.Pack{T}"/>). A 2×2
/// block of outputs then costs 16 multiply-adds per channel pair instead of 36, the rest being additions in the
/// transforms of its 4×4 input tile and of the 4×4 product.
/// </summary>
public sealed class WinogradWeight : PreparedConvolutionWeight
{
    /// <summary>Elements of a transformed tile (4×4).</summary>
    internal const int TileElements = 16;

    private WinogradWeight(long[] shape, PackedB<float>[] packed) : base(shape) => Packed = packed;

    /// <summary>U's element ξ = 4·row + column for every (channel, output channel): [C × O], packed.</summary>
    internal PackedB<float>[] Packed { get; }

    /// <summary>
    /// Whether a convolution of this shape can take the path: float32, groups 1, a 3×3 kernel at stride 1 without
    /// dilation, and channels in whole 16-lane vectors (the transforms run a vector of channels at a time).
    /// </summary>
    public static bool Suits(long[] weightShape, int groups, (int H, int W) stride, (int H, int W) dilation) =>
        weightShape is [var o, var c, 3, 3] && groups == 1 && stride == (1, 1) && dilation == (1, 1) && o > 0 && c > 0 && o % 16 == 0 && c % 16 == 0
        && VectorMath.IsAccelerated;

    /// <summary>Transforms <paramref name="weight"/> (contiguous, of shape <paramref name="shape"/> = [O, C, 3, 3]).</summary>
    public static WinogradWeight Prepare(float[] weight, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape is not [> 0, > 0, 3, 3])
            throw new ArgumentException($"WinogradWeight: weight has shape {ShapeMath.Format(shape)}; expected [O, C, 3, 3] with O and C positive", nameof(shape));
        int o = (int)shape[0], c = (int)shape[1];
        ShapeMath.CheckLength(weight.Length, (long)o * c * 9, "WinogradWeight", nameof(weight));
        var elements = new float[TileElements][];
        for (int e = 0; e < TileElements; e++) elements[e] = new float[checked(c * o)];
        Span<double> u = stackalloc double[TileElements];
        for (int oc = 0; oc < o; oc++)
            for (int ci = 0; ci < c; ci++)
            {
                Transform(weight.AsSpan((oc * c + ci) * 9, 9), u);
                for (int e = 0; e < TileElements; e++) elements[e][ci * o + oc] = (float)u[e];
            }
        var packed = new PackedB<float>[TileElements];
        for (int e = 0; e < TileElements; e++) packed[e] = Gemm.Pack(false, c, o, elements[e], 0, o);
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

using System.Numerics;

namespace Graphport.Cpu;

/// <summary>
/// A 2-D convolution's constant weight [O, C, kH, kW] prepared once for <see cref="Convolution"/>'s position-major
/// path: reordered to run over (tap, channel) and packed as the right operand of a GEMM whose rows are output
/// positions and whose columns are output channels (<see cref="Gemm.Pack{T}"/>). A frozen module prepares it for the
/// convolutions whose output maps are small (ResNet's 14×14 and 7×7 layers), where the usual channel-major product has
/// too few positions to fill its 32-wide micro-tiles.
/// </summary>
public sealed class PositionMajorWeight<T> : PreparedConvolutionWeight where T : unmanaged, IFloatingPointIeee754<T>
{
    private PositionMajorWeight(long[] shape, PackedB<T> packed) : base(shape) => Packed = packed;

    internal PackedB<T> Packed { get; }

    /// <summary>Output positions up to which the weight is packed in shallow k blocks (<see cref="SmallMapDepth"/>).</summary>
    internal const long SmallMapPositions = 64;

    /// <summary>
    /// The depth of the packed weight's k blocks for maps of at most <see cref="SmallMapPositions"/> positions: every
    /// position's row of a block (49 × 96 at 7×7) and one 32-wide panel of the weight then fit in a 32 KiB L1 together,
    /// where with the usual 256 the rows came from L2 for every panel (512→512 3×3 at 7×7: 1.38-1.45 → 1.18-1.28 ms on
    /// one core, 96 and 128 alike; 64 loses some of it to C's more frequent updates; 14×14's rows fit at no depth that
    /// pays, and 128 and 256 run alike there).
    /// </summary>
    internal const int SmallMapDepth = 96;

    /// <summary>
    /// Prepares <paramref name="weight"/> (contiguous, of shape <paramref name="shape"/> = [O, C, kH, kW]). Row
    /// (tap·C + channel) of the packed operand holds every output channel's weight for that tap and channel, so an
    /// output position's row of inputs is its taps' channel vectors one after another, each copied whole from a
    /// channels-last copy of the input.
    /// </summary>
    /// <param name="positions">The output positions of one image the convolution is expected to compute (its traced
    /// map; 0 when unknown), which choose how the weight is blocked for the product. Any map runs with any blocking.</param>
    public static PositionMajorWeight<T> Prepare(T[] weight, long[] shape, long positions = 0)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length != 4 || shape.Any(s => s <= 0))
            throw new ArgumentException($"PositionMajorWeight: weight has shape {ShapeMath.Format(shape)}; expected 4 positive dims [O, C, kH, kW] of a 2-D convolution", nameof(shape));
        long o = shape[0], c = shape[1], taps = shape[2] * shape[3];
        ShapeMath.CheckLength(weight.Length, o * c * taps, "PositionMajorWeight", nameof(weight));
        int k = checked((int)(c * taps));
        var reordered = new T[checked(o * k)];
        for (long oc = 0; oc < o; oc++)
            for (long ci = 0; ci < c; ci++)
                for (long t = 0; t < taps; t++)
                    reordered[oc * k + t * c + ci] = weight[(oc * c + ci) * taps + t];
        // op(B) = reorderedᵀ: k rows (tap, channel) by O columns.
        return new PositionMajorWeight<T>((long[])shape.Clone(), Gemm.Pack(true, k, (int)o, reordered, 0, k,
            depth: positions is > 0 and <= SmallMapPositions ? SmallMapDepth : null));
    }
}

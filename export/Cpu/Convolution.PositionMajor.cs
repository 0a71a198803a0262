using System.Buffers;
using System.Numerics;

namespace Graphport.Cpu;

public static partial class Convolution
{
    /// <summary>
    /// Output maps of at most this many positions (20×20) take the position-major path when their weight is prepared.
    /// At 7×7 (ResNet's last stage) the channel-major product computes 64 columns for 49 positions and ran at 158 GF/s,
    /// position-major at 175-187; at 14×14 204 against 221-232, at 20×20 200 against 217; at 28×28 the rows of inputs
    /// it copies cost more than it saves (204 against 184).
    /// </summary>
    private const int PositionMajorMaxPositions = 400;

    /// <summary>
    /// 1×1 kernels take the path only on maps this small (7×7, 8×8), where the channel-major product's 32-wide tiles
    /// waste the most: 512→2048 at 7×7 0.73 → 0.53 ms, MobileNet's 960→160 0.10 → 0.08; at 14×14 they gain nothing,
    /// their rows being too short to repay the two transposes.
    /// </summary>
    private const int PositionMajorMaxPointwisePositions = 64;

    /// <summary>Elements of the rows of inputs built for one product (16 MiB of float): a batch is taken a few images at a time.</summary>
    private const long PositionMajorRowsBudget = 1L << 22;

    /// <summary>
    /// Whether a groups-1 1-D or 2-D convolution of this shape gains from the position-major path: a frozen module
    /// prepares the weights of the convolutions whose traced output maps do. The output channels must nearly fill the
    /// product's 32-wide column tiles (at most an eighth of the columns computed wasted: 8 channels would fill a quarter
    /// of one tile, Silero VAD's 258 fill eight and a sixteenth of a ninth), and each position's row must be long enough to
    /// repay the two transposes (1×1 kernels' only on the smallest maps).
    /// </summary>
    public static bool PositionMajorSuits(long outputPositions, long kernelTaps, long inChannels, long outChannels) =>
        outputPositions is > 0 and <= PositionMajorMaxPositions && (kernelTaps > 1 || outputPositions <= PositionMajorMaxPointwisePositions) && inChannels * kernelTaps >= 64
        && outChannels > 0 && 8 * ((outChannels + 31) / 32 * 32 - outChannels) <= outChannels;

    // A groups-1 1-D or 2-D convolution with a prepared weight of this shape (a 1-D one's as [O, C, 1, K]: the geometry
    // then has unit heights) and an output map small enough to gain.
    private static bool PositionMajorApplies<T>(PositionMajorWeight<T>? prepared, long[] weightShape, int groups, int rank, in Geometry g)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        prepared is not null && groups == 1
        && (rank == 2 ? prepared.Shape.AsSpan().SequenceEqual(weightShape)
            : rank == 1 && prepared.Shape is [var o, var c, 1, var k] && weightShape is [var wo, var wc, var wk] && (o, c, k) == (wo, wc, wk))
        && PositionMajorSuits((long)g.Out.H * g.Out.W, (long)g.Kernel.H * g.Kernel.W, weightShape[1], weightShape[0]);

    /// <summary>
    /// The convolution as one GEMM whose rows are output positions and whose columns are output channels: inputs
    /// [positions × (tap, channel)] times the prepared weight [(tap, channel) × O]. The input is first copied
    /// channels-last, so each position's row is its taps' channel vectors copied whole (zeros where a tap falls in the
    /// padding). The product's M is then every position of every image taken together (a ragged last panel of rows
    /// costs only its rows), and its N, the output channels, fills the 32-wide tiles exactly. The result is written
    /// back channel-major with the bias added.
    /// </summary>
    private static void PositionMajor<T>(T[] input, PositionMajorWeight<T> prepared, T[]? bias, T[] output, int n, in Geometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = prepared.InChannels, o = prepared.OutChannels, kh = g.Kernel.H, kw = g.Kernel.W;
        int h = g.In.H, w = g.In.W, oh = g.Out.H, ow = g.Out.W, plane = h * w, positions = oh * ow, k = c * kh * kw;
        // A 1×1 stride-1 unpadded convolution's rows are the channels-last input itself.
        bool rowsAreInput = g.IsPointwise;
        int perGroup = (int)Math.Clamp(PositionMajorRowsBudget / Math.Max((long)positions * k, 1), 1, n);
        var channelsLast = ArrayPool<T>.Shared.Rent(checked(perGroup * plane * c));
        var rows = rowsAreInput ? channelsLast : ArrayPool<T>.Shared.Rent(checked(perGroup * positions * k));
        var products = ArrayPool<T>.Shared.Rent(checked(perGroup * positions * o));
        try
        {
            for (int first = 0; first < n; first += perGroup)
            {
                int images = Math.Min(perGroup, n - first);
                var geometry = g;
                // Channels-last: each image's [C][H·W] transposed to [H·W][C].
                TransposeImages(input, first * c * plane, c, plane, channelsLast, images, null);
                if (!rowsAreInput)
                    CpuParallel.For((long)images * positions, k, (r0, r1) =>
                    {
                        for (long r = r0; r < r1; r++)
                            PositionRow(channelsLast.AsSpan((int)(r / positions * plane * c), plane * c), c, geometry, (int)(r % positions), rows.AsSpan((int)(r * k), k));
                    });
                int m = images * positions;
                Gemm.ComputePacked(false, m, T.One, rows.AsSpan(0, m * k), k, prepared.Packed, T.Zero, products.AsSpan(0, m * o), o);
                // Back to [O][positions] per image, with the bias.
                TransposeImages(products, 0, positions, o, output, images, bias, targetStart: first * o * positions);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(channelsLast);
            if (!rowsAreInput) ArrayPool<T>.Shared.Return(rows);
            ArrayPool<T>.Shared.Return(products);
        }
    }

    // One output position's row of inputs: for each tap (ki, kj), the C channels at the input position it reads, or
    // zeros where that lies in the padding. channelsLast is one image, [H·W][C].
    private static void PositionRow<T>(ReadOnlySpan<T> channelsLast, int c, in Geometry g, int position, Span<T> row) where T : unmanaged
    {
        int y = position / g.Out.W, x = position % g.Out.W;
        for (int ki = 0, t = 0; ki < g.Kernel.H; ki++)
        {
            int iy = y * g.Stride.H + ki * g.Dil.H - g.Pad.H;
            for (int kj = 0; kj < g.Kernel.W; kj++, t++)
            {
                int ix = x * g.Stride.W + kj * g.Dil.W - g.Pad.W;
                var target = row.Slice(t * c, c);
                if ((uint)iy < (uint)g.In.H && (uint)ix < (uint)g.In.W) channelsLast.Slice((iy * g.In.W + ix) * c, c).CopyTo(target);
                else target.Clear();
            }
        }
    }

    /// <summary>
    /// Transposes each of <paramref name="images"/> rows×cols matrices (from <paramref name="source"/> at
    /// <paramref name="sourceStart"/>, one after another) into cols×rows ones, adding <paramref name="columnBias"/>[col]
    /// to target row col when given: a strided copy, whose transposing path moves float in 8×8 register blocks.
    /// </summary>
    private static void TransposeImages<T>(T[] source, long sourceStart, int rows, int cols, T[] target, int images, T[]? columnBias, long targetStart = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long matrix = (long)rows * cols;
        // Target element (image, col, row) is source element (image, row, col).
        StridedCopy.Copy(source, new StridedLayout([images, cols, rows], [matrix, 1, cols], sourceStart),
            target, new StridedLayout([images, cols, rows], [matrix, rows, 1], targetStart));
        if (columnBias == null) return;
        for (long row = 0; row < (long)images * cols; row++)
        {
            var span = target.AsSpan((int)(targetStart + row * rows), rows);
            System.Numerics.Tensors.TensorPrimitives.Add(span, columnBias[(int)(row % cols)], span);
        }
    }
}

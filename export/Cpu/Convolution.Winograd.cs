using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graphport.Cpu;

public static partial class Convolution
{
    /// <summary>Bytes of one task's transformed inputs and products together (16 matrices of each for its block of
    /// tiles): they stay in L2 between the transforms and the 16 products.</summary>
    private const long WinogradBlockBytes = 768 * 1024;

    /// <summary>The largest transformed weight read again from L2 for every block of tiles.</summary>
    private const long WinogradWeightInL2 = 512 * 1024;

    // A float32 convolution with a Winograd-prepared weight of this shape, as a 3×3 kernel at stride 1 without dilation.
    private static bool WinogradApplies<T>(PreparedConvolutionWeight? prepared, long[] weightShape, int groups, int rank, in Geometry g) where T : unmanaged =>
        typeof(T) == typeof(float) && prepared is WinogradWeight && rank == 2 && groups == 1 && prepared.Shape.AsSpan().SequenceEqual(weightShape)
        && g.Kernel.H == 3 && g.Kernel.W == 3 && g.Stride.H == 1 && g.Stride.W == 1 && g.Dil.H == 1 && g.Dil.W == 1;

    /// <summary>
    /// The convolution by Winograd's F(2×2, 3×3): the input is copied channels-last into a zero-padded grid of 4×4 tiles
    /// that overlap by two, one per 2×2 block of outputs. For a block of tiles at a time, each tile's channel vectors are
    /// transformed (V = Bᵀ·d·B, additions only) into 16 matrices [tiles × C]; each is multiplied by the weight's matching
    /// packed matrix [C × O] (<see cref="WinogradWeight"/>); each tile's 16 products per output channel are transformed
    /// back (Y = Aᵀ·M·A) into its 2×2 outputs with the bias added; the channels-last result is transposed to [O][H·W].
    /// The products cost 16 multiply-adds per 2×2 outputs and channel pair where the direct convolution costs 36.
    /// </summary>
    private static void Winograd(float[] input, WinogradWeight weight, float[]? bias, float[] output, int n, in Geometry g)
    {
        if (VectorMath.Use512) Winograd<Vector512<float>, FloatVector512>(input, weight, bias, output, n, g);
        else Winograd<Vector256<float>, FloatVector256>(input, weight, bias, output, n, g);
    }

    private static void Winograd<TVector, TOps>(float[] input, WinogradWeight weight, float[]? bias, float[] output, int n, Geometry g)
        where TVector : unmanaged where TOps : IFloatVector<TVector>
    {
        int c = weight.InChannels, o = weight.OutChannels, h = g.In.H, w = g.In.W, oh = g.Out.H, ow = g.Out.W;
        int tilesH = (oh + 1) / 2, tilesW = (ow + 1) / 2, hp = 2 * tilesH + 2, wp = 2 * tilesW + 2;
        long tiles = (long)n * tilesH * tilesW;
        var padded = ArrayPool<float>.Shared.Rent(checked(n * hp * wp * c));
        var channelsLast = ArrayPool<float>.Shared.Rent(checked(n * oh * ow * o));
        try
        {
            ClearOutside(padded, n, hp, wp, c, g.Pad.H, g.Pad.W, h, w);
            StridedCopy.CopyUnchecked(input, new StridedLayout([n, h, w, c], [(long)c * h * w, w, 1, (long)h * w], 0),
                padded, new StridedLayout([n, h, w, c], [(long)hp * wp * c, (long)wp * c, c, 1], ((long)g.Pad.H * wp + g.Pad.W) * c));
            int block = WinogradTilesPerTask(tiles, c, o);
            long blocks = CeilDiv(tiles, block);
            var grid = new WinogradGrid(tilesH, tilesW, hp, wp, oh, ow);
            CpuParallel.ForFlops(blocks, 2.0 * WinogradWeight.TileElements * block * c * o, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
            {
                using var transformed = new Scratch<float>(WinogradWeight.TileElements * block * c);
                using var products = new Scratch<float>(WinogradWeight.TileElements * block * o);
                for (long b = b0; b < b1; b++)
                {
                    long first = b * block;
                    int count = (int)Math.Min(block, tiles - first);
                    WinogradInput<TVector, TOps>(padded, grid, c, first, count, transformed.Span, block);
                    for (int e = 0; e < WinogradWeight.TileElements; e++)
                        Gemm.ComputePacked(false, count, 1f, transformed.Span.Slice(e * block * c, count * c), c, weight.Packed[e], 0f,
                            products.Span.Slice(e * block * o, count * o), o);
                    WinogradOutput<TVector, TOps>(products.Span, block, o, bias, grid, first, count, channelsLast);
                }
            });
            TransposeImages(channelsLast, 0, oh * ow, o, output, n, null);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(channelsLast);
        }
    }

    /// <summary>Tiles per task: as many as keep its transformed inputs and products in L2 when the transformed weight
    /// is small enough to be read again for each block from L2; a larger one (14×14 and 28×28 layers' 1-4 MiB, read from
    /// memory once a call) is read once per core instead, every tile of a core's share in one block.</summary>
    private static int WinogradTilesPerTask(long tiles, int c, int o)
    {
        int workers = Environment.ProcessorCount;
        long weightBytes = (long)WinogradWeight.TileElements * c * o * sizeof(float);
        long block = weightBytes > WinogradWeightInL2
            ? CeilDiv(tiles, workers)
            : Math.Min(Math.Max(8, WinogradBlockBytes / (WinogradWeight.TileElements * sizeof(float) * (long)(c + o))), Math.Max(8, CeilDiv(tiles, 2L * workers)));
        return (int)Math.Min(tiles, CeilDiv(block, 8) * 8);
    }

    // Zeros in every element of the padded channels-last grid [n][hp][wp][c] outside the copied input (at top, left).
    private static void ClearOutside(float[] padded, int n, int hp, int wp, int c, int top, int left, int h, int w)
    {
        long row = (long)wp * c;
        for (int image = 0; image < n; image++)
        {
            long start = (long)image * hp * row;
            padded.AsSpan((int)start, (int)(top * row)).Clear();
            padded.AsSpan((int)(start + (top + h) * row), (int)((hp - top - h) * row)).Clear();
            for (int y = top; y < top + h; y++)
            {
                long line = start + y * row;
                padded.AsSpan((int)line, left * c).Clear();
                padded.AsSpan((int)(line + (long)(left + w) * c), (wp - left - w) * c).Clear();
            }
        }
    }

    /// <summary>Where tile t of the batch reads its 4×4 inputs and writes its 2×2 outputs.</summary>
    private readonly record struct WinogradGrid(int TilesH, int TilesW, int PaddedH, int PaddedW, int OutH, int OutW)
    {
        public (int Image, int Y, int X) Tile(long t)
        {
            long perImage = (long)TilesH * TilesW;
            int image = (int)(t / perImage), rest = (int)(t % perImage);
            return (image, rest / TilesW * 2, rest % TilesW * 2);
        }
    }

    /// <summary>V = Bᵀ·d·B for tiles [first, first + count), a vector of channels at a time, with
    /// Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]]: element ξ of tile i goes to
    /// transformed[ξ·stride + i·c + channel].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WinogradInput<TVector, TOps>(float[] padded, WinogradGrid grid, int c, long first, int count, Span<float> transformed, int block)
        where TVector : unmanaged where TOps : IFloatVector<TVector>
    {
        int width = TOps.Width;
        nint rowStep = (nint)grid.PaddedW * c, plane = (nint)block * c;
        ref float source = ref MemoryMarshal.GetArrayDataReference(padded);
        ref float target = ref MemoryMarshal.GetReference(transformed);
        Span<TVector> d = stackalloc TVector[16];
        for (int i = 0; i < count; i++)
        {
            var (image, y, x) = grid.Tile(first + i);
            ref float corner = ref Unsafe.Add(ref source, (((nint)image * grid.PaddedH + y) * grid.PaddedW + x) * c);
            ref float tile = ref Unsafe.Add(ref target, (nint)i * c);
            for (int channel = 0; channel < c; channel += width)
            {
                for (int r = 0; r < 4; r++)
                {
                    ref float line = ref Unsafe.Add(ref corner, r * rowStep + channel);
                    var d0 = TOps.Load(ref line);
                    var d1 = TOps.Load(ref Unsafe.Add(ref line, c));
                    var d2 = TOps.Load(ref Unsafe.Add(ref line, 2 * c));
                    var d3 = TOps.Load(ref Unsafe.Add(ref line, 3 * c));
                    // Each row times B: [d0 − d2, d1 + d2, d2 − d1, d1 − d3].
                    d[4 * r] = TOps.Subtract(d0, d2);
                    d[4 * r + 1] = TOps.Add(d1, d2);
                    d[4 * r + 2] = TOps.Subtract(d2, d1);
                    d[4 * r + 3] = TOps.Subtract(d1, d3);
                }
                // Bᵀ times the columns.
                ref float at = ref Unsafe.Add(ref tile, channel);
                for (int j = 0; j < 4; j++)
                {
                    TVector r0 = d[j], r1 = d[4 + j], r2 = d[8 + j], r3 = d[12 + j];
                    TOps.Store(TOps.Subtract(r0, r2), ref Unsafe.Add(ref at, j * plane));
                    TOps.Store(TOps.Add(r1, r2), ref Unsafe.Add(ref at, (4 + j) * plane));
                    TOps.Store(TOps.Subtract(r2, r1), ref Unsafe.Add(ref at, (8 + j) * plane));
                    TOps.Store(TOps.Subtract(r1, r3), ref Unsafe.Add(ref at, (12 + j) * plane));
                }
            }
        }
    }

    /// <summary>Y = Aᵀ·M·A (with Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]) plus the bias for tiles [first, first + count), a vector of
    /// output channels at a time, into the channels-last output [n][oh][ow][o]; outputs past the map's edge are dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WinogradOutput<TVector, TOps>(Span<float> products, int block, int o, float[]? bias, WinogradGrid grid, long first, int count, float[] channelsLast)
        where TVector : unmanaged where TOps : IFloatVector<TVector>
    {
        int width = TOps.Width;
        nint plane = (nint)block * o;
        ref float source = ref MemoryMarshal.GetReference(products);
        ref float target = ref MemoryMarshal.GetArrayDataReference(channelsLast);
        Span<TVector> s = stackalloc TVector[8];
        for (int i = 0; i < count; i++)
        {
            var (image, y, x) = grid.Tile(first + i);
            bool down = y + 1 < grid.OutH, right = x + 1 < grid.OutW;
            ref float tile = ref Unsafe.Add(ref source, (nint)i * o);
            ref float corner = ref Unsafe.Add(ref target, (((nint)image * grid.OutH + y) * grid.OutW + x) * o);
            nint rowStep = (nint)grid.OutW * o;
            for (int channel = 0; channel < o; channel += width)
            {
                ref float at = ref Unsafe.Add(ref tile, channel);
                // Aᵀ times the columns: s[j] = m0j + m1j + m2j, s[4 + j] = m1j − m2j − m3j.
                for (int j = 0; j < 4; j++)
                {
                    var m0 = TOps.Load(ref Unsafe.Add(ref at, j * plane));
                    var m1 = TOps.Load(ref Unsafe.Add(ref at, (4 + j) * plane));
                    var m2 = TOps.Load(ref Unsafe.Add(ref at, (8 + j) * plane));
                    var m3 = TOps.Load(ref Unsafe.Add(ref at, (12 + j) * plane));
                    s[j] = TOps.Add(TOps.Add(m0, m1), m2);
                    s[4 + j] = TOps.Subtract(TOps.Subtract(m1, m2), m3);
                }
                var shift = bias == null ? TOps.Create(0f) : TOps.Load(ref bias[channel]);
                ref float out0 = ref Unsafe.Add(ref corner, channel);
                for (int r = 0; r < (down ? 2 : 1); r++)
                {
                    TVector t0 = s[4 * r], t1 = s[4 * r + 1], t2 = s[4 * r + 2], t3 = s[4 * r + 3];
                    ref float line = ref Unsafe.Add(ref out0, r * rowStep);
                    TOps.Store(TOps.Add(TOps.Add(TOps.Add(t0, t1), t2), shift), ref line);
                    if (right) TOps.Store(TOps.Add(TOps.Subtract(TOps.Subtract(t1, t2), t3), shift), ref Unsafe.Add(ref line, o));
                }
            }
        }
    }
}

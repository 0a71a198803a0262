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

    /// <summary>Bytes of one task's transformed inputs and products at most when its block is sized for a larger weight
    /// (they then live in L3): a batch of 32 at 56×56 with 256 channels would otherwise give each task 400 MB.</summary>
    private const long WinogradLargeBlockBytes = 8L << 20;

    // A float32 convolution with a Winograd-prepared weight of this shape, as a 3×3 kernel at stride 1 without dilation,
    // on a machine whose vectors the transforms are written in.
    private static bool WinogradApplies<T>(PreparedConvolutionWeight? prepared, long[] weightShape, int groups, int rank, in Geometry g) where T : unmanaged =>
        typeof(T) == typeof(float) && prepared is WinogradWeight && VectorMath.IsAccelerated && rank == 2 && groups == 1 && prepared.Shape.AsSpan().SequenceEqual(weightShape)
        && g.Kernel.H == 3 && g.Kernel.W == 3 && g.Stride.H == 1 && g.Stride.W == 1 && g.Dil.H == 1 && g.Dil.W == 1;

    /// <summary>
    /// The convolution by Winograd's F(2×2, 3×3), a band of tile rows of one image (or a few whole images) per task: the
    /// band's input rows (with the two rows its 4×4 tiles overlap the next band by) are copied channels-last into a
    /// zero-padded grid; each
    /// tile's channel vectors are transformed (V = Bᵀ·d·B, additions only) into 16 matrices [tiles × C]; each is
    /// multiplied by the weight's matching packed matrix [C × O] (<see cref="WinogradWeight"/>); each tile's 16 products
    /// per output channel are transformed back (Y = Aᵀ·M·A) into its 2×2 outputs with the bias added, channels-last, and
    /// the band's output rows are copied into [O][H·W]. The products cost 16 multiply-adds per 2×2 outputs and channel
    /// pair where the direct convolution costs 36. A band's copies stay in the caches: copying the whole input and output
    /// channels-last first and last went through memory on large maps (PP-OCR's 96→24 at 160×160: 12 MB of maps).
    /// </summary>
    private static void Winograd(float[] input, WinogradWeight weight, float[]? bias, float[] output, int n, in Geometry g)
    {
        if (VectorMath.Use512) Winograd<Vector512<float>, FloatVector512>(input, weight, bias, output, n, g);
        else Winograd<Vector256<float>, FloatVector256>(input, weight, bias, output, n, g);
    }

    private static void Winograd<TVector, TOps>(float[] input, WinogradWeight weight, float[]? bias, float[] output, int n, Geometry g)
        where TVector : unmanaged where TOps : IFloatVector<TVector>
    {
        // c and o below are the padded channel counts (zero channels up to multiples of 16), the call's are these.
        int inChannels = weight.InChannels, outChannels = weight.OutChannels, c = weight.PaddedInChannels, o = weight.PaddedOutChannels;
        int oh = g.Out.H, ow = g.Out.W;
        int tilesH = (oh + 1) / 2, tilesW = (ow + 1) / 2, wp = 2 * tilesW + 2, tilesPerImage = tilesH * tilesW;
        if (WinogradSharesWeight((long)n * tilesPerImage, c, o))
        {
            WinogradSharedWeight<TVector, TOps>(input, weight, bias, output, n, g);
            return;
        }
        // A block of about the tiles a task's block holds, a whole number per core where that works: a band of tile rows
        // of one image, or whole images when one image has fewer tiles (a batch of 7×7 maps: one image a block read the
        // transformed weight from memory again for every 16 tiles).
        int block = WinogradTilesPerTask((long)n * tilesPerImage, c, o);
        int rows = block >= tilesPerImage ? tilesH : Math.Max(1, block / tilesW);
        int imagesPerBlock = block >= tilesPerImage ? block / tilesPerImage : 1;
        int bands = (tilesH + rows - 1) / rows, imageGroups = (n + imagesPerBlock - 1) / imagesPerBlock;
        float[]? paddedBias = bias == null || outChannels == o ? bias : new float[o];
        if (paddedBias != bias) bias!.CopyTo(paddedBias!, 0);
        CpuParallel.ForFlops((long)imageGroups * bands, 2.0 * WinogradWeight.TileElements * imagesPerBlock * rows * tilesW * c * o,
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            // The 16 matrices of a block, each a cache line further into a page than the last: 16 streams aligned
            // alike fell into one L1 set, and the transforms' stores and loads missed (64→64 at 56×56: 0.70 → 0.59 ms).
            int tiles = imagesPerBlock * rows * tilesW, inputPlane = WinogradPlane(tiles, c), productPlane = WinogradPlane(tiles, o);
            int bandInputLength = (2 * rows + 2) * wp * c, bandOutputLength = 2 * rows * ow * o;
            using var bandInput = new Scratch<float>(imagesPerBlock * bandInputLength);
            using var transformed = new Scratch<float>(WinogradWeight.TileElements * inputPlane);
            using var products = new Scratch<float>(WinogradWeight.TileElements * productPlane);
            using var bandOutput = new Scratch<float>(imagesPerBlock * bandOutputLength);
            for (long b = b0; b < b1; b++)
            {
                int firstImage = (int)(b / bands) * imagesPerBlock, images = Math.Min(imagesPerBlock, n - firstImage);
                int firstRow = (int)(b % bands) * rows, bandRows = Math.Min(rows, tilesH - firstRow), count = images * bandRows * tilesW;
                // The block's images one after another, each its band's padded grid and output rows.
                var band = new WinogradGrid(bandRows, tilesW, 2 * bandRows + 2, wp, Math.Min(2 * bandRows, oh - 2 * firstRow), ow);
                int imageInput = band.PaddedH * wp * c, imageOutput = band.OutH * ow * o;
                for (int i = 0; i < images; i++)
                    WinogradBandInput(input, firstImage + i, inChannels, c, g, 2 * firstRow - g.Pad.H, band, bandInput.Span.Slice(i * imageInput, imageInput));
                WinogradInput<TVector, TOps>(bandInput.Span, band, c, 0, count, transformed.Span, inputPlane);
                for (int e = 0; e < WinogradWeight.TileElements; e++)
                    Gemm.ComputePacked(false, count, 1f, transformed.Span.Slice(e * inputPlane, count * c), c, weight.Packed[e], 0f,
                        products.Span.Slice(e * productPlane, count * o), o);
                WinogradOutput<TVector, TOps>(products.Span, productPlane, o, paddedBias, band, 0, count, bandOutput.Span);
                // Each image's band of output rows into [O][H·W], the padded channels left out.
                unsafe
                {
                    fixed (float* from = bandOutput.Span)
                    fixed (float* to = output)
                        for (int i = 0; i < images; i++)
                            BlockTranspose.Float(from + (long)i * imageOutput, o, to + ((long)(firstImage + i) * outChannels * oh + 2L * firstRow) * ow, (long)oh * ow,
                                band.OutH * ow, outChannels);
                }
            }
        });
    }

    /// <summary>
    /// Whether a call takes <see cref="WinogradSharedWeight"/>: on several cores, with a transformed weight too large
    /// to stay in L2, where the cores reading it once between them and passing every tile's transformed inputs and
    /// products through the shared cache (twice their size) moves fewer bytes than each core streaming all of it for
    /// its own tiles: a batch of one or a few 7×7 and 14×14 maps, not 28×28 ones (128→128: 1 MB of weight, 3.2 MB of
    /// tiles; split by tiles 0.26 ms on two cores, shared 0.30).
    /// </summary>
    private static bool WinogradSharesWeight(long tiles, int c, int o)
    {
        int workers = Environment.ProcessorCount;
        long weightBytes = (long)WinogradWeight.TileElements * c * o * sizeof(float);
        long tileBytes = tiles * WinogradWeight.TileElements * sizeof(float) * (long)(c + o);
        return workers > 1 && weightBytes > WinogradWeightInL2 && 2 * tileBytes < (workers - 1) * weightBytes && tileBytes <= WinogradSharedTileBytes;
    }

    /// <summary>The most bytes of transformed inputs and products a call shares between its cores (a batch of 32 7×7
    /// maps of 512 channels has 32 MiB).</summary>
    private const long WinogradSharedTileBytes = 64L << 20;

    /// <summary>
    /// The convolution by F(2×2, 3×3) with the cores splitting the weight rather than the tiles: bands of tile rows
    /// are transformed into one set of 16 matrices for the whole call, the cores then share the 16 products (each
    /// reads its own matrices of the transformed weight, once), and the bands' outputs are transformed back. Split by
    /// tiles, every core read the whole transformed weight from memory: ResNet-18's 512→512 layers at 7×7 (16.8 MB,
    /// 16 tiles) ran no faster on two cores than on one, 0.72 against 0.66 ms; shared, 0.42.
    /// </summary>
    private static void WinogradSharedWeight<TVector, TOps>(float[] input, WinogradWeight weight, float[]? bias, float[] output, int n, Geometry g)
        where TVector : unmanaged where TOps : IFloatVector<TVector>
    {
        int inChannels = weight.InChannels, outChannels = weight.OutChannels, c = weight.PaddedInChannels, o = weight.PaddedOutChannels;
        int oh = g.Out.H, ow = g.Out.W;
        int tilesH = (oh + 1) / 2, tilesW = (ow + 1) / 2, wp = 2 * tilesW + 2, perImage = tilesH * tilesW, tiles = n * perImage;
        int inputPlane = WinogradPlane(tiles, c), productPlane = WinogradPlane(tiles, o);
        // Bands of tile rows, about four per core for the transforms (whole images when the batch has that many).
        int workers = Environment.ProcessorCount;
        int rows = n >= 4 * workers ? tilesH : Math.Max(1, tilesH * n / (4 * workers)), bands = (tilesH + rows - 1) / rows;
        float[]? paddedBias = bias == null || outChannels == o ? bias : new float[o];
        if (paddedBias != bias) bias!.CopyTo(paddedBias!, 0);
        // Shared by the phases' tasks: pooled arrays (a scratch span cannot be captured).
        var transformed = System.Buffers.ArrayPool<float>.Shared.Rent(WinogradWeight.TileElements * inputPlane);
        var products = System.Buffers.ArrayPool<float>.Shared.Rent(WinogradWeight.TileElements * productPlane);
        try
        {
            CpuParallel.For((long)n * bands, (double)rows * tilesW * WinogradWeight.TileElements * c, (b0, b1) =>
            {
                using var grid = new Scratch<float>((2 * rows + 2) * wp * c);
                for (long b = b0; b < b1; b++)
                {
                    var (image, firstRow, band) = WinogradSharedBand(b, bands, rows, tilesH, tilesW, wp, oh, ow);
                    int first = image * perImage + firstRow * tilesW;
                    WinogradBandInput(input, image, inChannels, c, g, 2 * firstRow - g.Pad.H, band, grid.Span);
                    WinogradInput<TVector, TOps>(grid.Span, band, c, 0, band.TilesH * tilesW, transformed.AsSpan(first * c), inputPlane);
                }
            });
            CpuParallel.ForFlops(WinogradWeight.TileElements, 2.0 * tiles * c * o, (e0, e1) =>
            {
                for (long e = e0; e < e1; e++)
                    Gemm.ComputePacked(false, tiles, 1f, transformed.AsSpan((int)e * inputPlane, tiles * c), c, weight.Packed[e], 0f,
                        products.AsSpan((int)e * productPlane, tiles * o), o);
            });
            CpuParallel.For((long)n * bands, (double)rows * tilesW * WinogradWeight.TileElements * o, (b0, b1) =>
            {
                using var channelsLast = new Scratch<float>(2 * rows * ow * o);
                for (long b = b0; b < b1; b++)
                {
                    var (image, firstRow, band) = WinogradSharedBand(b, bands, rows, tilesH, tilesW, wp, oh, ow);
                    int first = image * perImage + firstRow * tilesW;
                    WinogradOutput<TVector, TOps>(products.AsSpan(first * o), productPlane, o, paddedBias, band, 0, band.TilesH * tilesW, channelsLast.Span);
                    unsafe
                    {
                        fixed (float* from = channelsLast.Span)
                        fixed (float* to = output)
                            BlockTranspose.Float(from, o, to + ((long)image * outChannels * oh + 2L * firstRow) * ow, (long)oh * ow, band.OutH * ow, outChannels);
                    }
                }
            });
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(transformed);
            System.Buffers.ArrayPool<float>.Shared.Return(products);
        }
    }

    /// <summary>Band b of a shared-weight call: its image, its first tile row and its grid (the band's tile rows, padded
    /// input rows and output rows).</summary>
    private static (int Image, int FirstRow, WinogradGrid Band) WinogradSharedBand(long b, int bands, int rows, int tilesH, int tilesW, int wp, int oh, int ow)
    {
        int image = (int)(b / bands), firstRow = (int)(b % bands) * rows, bandRows = Math.Min(rows, tilesH - firstRow);
        return (image, firstRow, new WinogradGrid(bandRows, tilesW, 2 * bandRows + 2, wp, Math.Min(2 * bandRows, oh - 2 * firstRow), ow));
    }

    /// <summary>
    /// A band's padded grid [band.PaddedH][band.PaddedW][c]: input rows from <paramref name="firstInputRow"/> (negative
    /// or past the map in the padding), channels-last, at column Pad.W; zeros everywhere else (padding, and channels past
    /// the input's).
    /// </summary>
    private static void WinogradBandInput(float[] input, int image, int inChannels, int c, in Geometry g, int firstInputRow, WinogradGrid band, Span<float> target)
    {
        int h = g.In.H, w = g.In.W, left = g.Pad.W, rowLength = band.PaddedW * c;
        int from = Math.Max(0, firstInputRow), to = Math.Min(h, firstInputRow + band.PaddedH);
        if (inChannels != c || to <= from) target[..(band.PaddedH * rowLength)].Clear();
        else
            for (int row = 0; row < band.PaddedH; row++)
            {
                var line = target.Slice(row * rowLength, rowLength);
                int y = firstInputRow + row;
                if (y < from || y >= to) line.Clear();
                else
                {
                    line[..(left * c)].Clear();
                    line[((left + w) * c)..].Clear();
                }
            }
        // Each input row's [C][W] written as [W][C] at its grid row.
        unsafe
        {
            fixed (float* source = input)
            fixed (float* grid = target)
                for (int y = from; y < to; y++)
                    BlockTranspose.Float(source + ((long)image * inChannels * h + y) * w, (long)h * w, grid + ((long)(y - firstInputRow) * band.PaddedW + left) * c, c, inChannels, w);
        }
    }

    /// <summary>Tiles per task: as many as keep its transformed inputs and products in L2 when the transformed weight
    /// is small enough to be read again for each block from L2; a larger one (14×14 and 28×28 layers' 1-4 MiB, read from
    /// memory once a call) is read once per core instead, every tile of a core's share in one block, up to
    /// <see cref="WinogradLargeBlockBytes"/> of them.</summary>
    private static int WinogradTilesPerTask(long tiles, int c, int o)
    {
        int workers = Environment.ProcessorCount;
        long weightBytes = (long)WinogradWeight.TileElements * c * o * sizeof(float), perTile = WinogradWeight.TileElements * sizeof(float) * (long)(c + o);
        long fits = Math.Max(8, (weightBytes > WinogradWeightInL2 ? WinogradLargeBlockBytes : WinogradBlockBytes) / perTile);
        // As many blocks as that takes, rounded up to a whole number per core.
        long blocks = CeilDiv(CeilDiv(tiles, fits), workers) * workers;
        long block = CeilDiv(CeilDiv(tiles, blocks), 8) * 8;
        return (int)Math.Clamp(block, 1, tiles);
    }

    // The elements from one of a block's 16 matrices to the next: its rows rounded up to whole 4 KiB pages, plus one cache
    // line, so matrix ξ starts ξ lines into a page and the 16 fall into 16 different L1 sets.
    private static int WinogradPlane(int block, int channels) => (block * channels + 1023) / 1024 * 1024 + 16;

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
    /// transformed[ξ·plane + i·c + channel].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WinogradInput<TVector, TOps>(Span<float> padded, WinogradGrid grid, int c, long first, int count, Span<float> transformed, int plane)
        where TVector : unmanaged where TOps : IFloatVector<TVector>
    {
        int width = TOps.Width;
        nint rowStep = (nint)grid.PaddedW * c;
        ref float source = ref MemoryMarshal.GetReference(padded);
        ref float target = ref MemoryMarshal.GetReference(transformed);
        for (int i = 0; i < count; i++)
        {
            var (image, y, x) = grid.Tile(first + i);
            ref float corner = ref Unsafe.Add(ref source, (((nint)image * grid.PaddedH + y) * grid.PaddedW + x) * c);
            ref float tile = ref Unsafe.Add(ref target, (nint)i * c);
            for (int channel = 0; channel < c; channel += width)
            {
                // Each row of d times B (locals, so the 16 stay in registers).
                ref float line = ref Unsafe.Add(ref corner, channel);
                RowTimesB<TVector, TOps>(ref line, c, out var q00, out var q01, out var q02, out var q03);
                RowTimesB<TVector, TOps>(ref Unsafe.Add(ref line, rowStep), c, out var q10, out var q11, out var q12, out var q13);
                RowTimesB<TVector, TOps>(ref Unsafe.Add(ref line, 2 * rowStep), c, out var q20, out var q21, out var q22, out var q23);
                RowTimesB<TVector, TOps>(ref Unsafe.Add(ref line, 3 * rowStep), c, out var q30, out var q31, out var q32, out var q33);
                // Bᵀ times each column: [q0 − q2, q1 + q2, q2 − q1, q1 − q3], element (row, column) at plane 4·row + column.
                ref float at = ref Unsafe.Add(ref tile, channel);
                ColumnTimesBt<TVector, TOps>(q00, q10, q20, q30, ref at, 0, plane);
                ColumnTimesBt<TVector, TOps>(q01, q11, q21, q31, ref at, 1, plane);
                ColumnTimesBt<TVector, TOps>(q02, q12, q22, q32, ref at, 2, plane);
                ColumnTimesBt<TVector, TOps>(q03, q13, q23, q33, ref at, 3, plane);
            }
        }
    }

    // One row of d (4 channel vectors, c apart) times B: [d0 − d2, d1 + d2, d2 − d1, d1 − d3].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowTimesB<TVector, TOps>(ref float row, int c, out TVector q0, out TVector q1, out TVector q2, out TVector q3)
        where TVector : unmanaged where TOps : IFloatVector<TVector>
    {
        var d0 = TOps.Load(ref row);
        var d1 = TOps.Load(ref Unsafe.Add(ref row, c));
        var d2 = TOps.Load(ref Unsafe.Add(ref row, 2 * c));
        var d3 = TOps.Load(ref Unsafe.Add(ref row, 3 * c));
        (q0, q1, q2, q3) = (TOps.Subtract(d0, d2), TOps.Add(d1, d2), TOps.Subtract(d2, d1), TOps.Subtract(d1, d3));
    }

    // Bᵀ times one column (q0..q3 down its rows), stored at planes column, 4 + column, 8 + column and 12 + column.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnTimesBt<TVector, TOps>(TVector q0, TVector q1, TVector q2, TVector q3, ref float at, int column, nint plane)
        where TVector : unmanaged where TOps : IFloatVector<TVector>
    {
        TOps.Store(TOps.Subtract(q0, q2), ref Unsafe.Add(ref at, column * plane));
        TOps.Store(TOps.Add(q1, q2), ref Unsafe.Add(ref at, (4 + column) * plane));
        TOps.Store(TOps.Subtract(q2, q1), ref Unsafe.Add(ref at, (8 + column) * plane));
        TOps.Store(TOps.Subtract(q1, q3), ref Unsafe.Add(ref at, (12 + column) * plane));
    }

    /// <summary>Y = Aᵀ·M·A (with Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]) plus the bias for tiles [first, first + count), a vector of
    /// output channels at a time, into the channels-last output [n][oh][ow][o]; outputs past the map's edge are dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WinogradOutput<TVector, TOps>(Span<float> products, int plane, int o, float[]? bias, WinogradGrid grid, long first, int count, Span<float> channelsLast)
        where TVector : unmanaged where TOps : IFloatVector<TVector>
    {
        int width = TOps.Width;
        nint rowStep = (nint)grid.OutW * o;
        ref float source = ref MemoryMarshal.GetReference(products);
        ref float target = ref MemoryMarshal.GetReference(channelsLast);
        var zero = TOps.Create(0f);
        for (int i = 0; i < count; i++)
        {
            var (image, y, x) = grid.Tile(first + i);
            bool down = y + 1 < grid.OutH, right = x + 1 < grid.OutW;
            ref float tile = ref Unsafe.Add(ref source, (nint)i * o);
            ref float corner = ref Unsafe.Add(ref target, (((nint)image * grid.OutH + y) * grid.OutW + x) * o);
            for (int channel = 0; channel < o; channel += width)
            {
                ref float at = ref Unsafe.Add(ref tile, channel);
                // Aᵀ times each column j: s0j = m0j + m1j + m2j, s1j = m1j − m2j − m3j.
                ColumnTimesAt<TVector, TOps>(ref at, 0, plane, out var s00, out var s10);
                ColumnTimesAt<TVector, TOps>(ref at, 1, plane, out var s01, out var s11);
                ColumnTimesAt<TVector, TOps>(ref at, 2, plane, out var s02, out var s12);
                ColumnTimesAt<TVector, TOps>(ref at, 3, plane, out var s03, out var s13);
                var shift = bias == null ? zero : TOps.Load(ref bias[channel]);
                // Each row of s times A: [s0 + s1 + s2, s1 − s2 − s3].
                ref float out0 = ref Unsafe.Add(ref corner, channel);
                TOps.Store(TOps.Add(TOps.Add(TOps.Add(s00, s01), s02), shift), ref out0);
                if (right) TOps.Store(TOps.Add(TOps.Subtract(TOps.Subtract(s01, s02), s03), shift), ref Unsafe.Add(ref out0, o));
                if (!down) continue;
                ref float out1 = ref Unsafe.Add(ref out0, rowStep);
                TOps.Store(TOps.Add(TOps.Add(TOps.Add(s10, s11), s12), shift), ref out1);
                if (right) TOps.Store(TOps.Add(TOps.Subtract(TOps.Subtract(s11, s12), s13), shift), ref Unsafe.Add(ref out1, o));
            }
        }
    }

    // Aᵀ times column j of the tile's 16 products (planes j, 4 + j, 8 + j, 12 + j).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnTimesAt<TVector, TOps>(ref float at, int column, nint plane, out TVector s0, out TVector s1)
        where TVector : unmanaged where TOps : IFloatVector<TVector>
    {
        var m0 = TOps.Load(ref Unsafe.Add(ref at, column * plane));
        var m1 = TOps.Load(ref Unsafe.Add(ref at, (4 + column) * plane));
        var m2 = TOps.Load(ref Unsafe.Add(ref at, (8 + column) * plane));
        var m3 = TOps.Load(ref Unsafe.Add(ref at, (12 + column) * plane));
        (s0, s1) = (TOps.Add(TOps.Add(m0, m1), m2), TOps.Subtract(TOps.Subtract(m1, m2), m3));
    }
}

namespace Graphport.Operators;

/// <summary>Eager kernels of the Core ATen spatial ops: reflection/replication padding, grid_sampler_2d, col2im; and grid_sampler_3d.</summary>
internal static class SpatialKernels
{
    /// <summary>
    /// Pads the last pads.Length/2 dims (pairs ordered last dim first, as torch's pad lists are) by reading every
    /// output position from the input index <paramref name="source"/> maps it to. Any dtype; elements move unconverted.
    /// </summary>
    public static Tensor PadByIndexMap(Tensor x, long[] pads, Func<long, long, long> source)
    {
        int padded = pads.Length / 2;
        var sizes = x.Sizes;
        var outShape = (long[])sizes.Clone();
        var maps = new long[sizes.Length][];
        for (int d = 0; d < sizes.Length; d++)
        {
            int pair = sizes.Length - 1 - d;
            long before = pair < padded ? pads[2 * pair] : 0, after = pair < padded ? pads[2 * pair + 1] : 0;
            outShape[d] = sizes[d] + before + after;
            maps[d] = new long[Math.Max(outShape[d], 0)];
            for (long o = 0; o < outShape[d]; o++) maps[d][o] = pair < padded ? source(o - before, sizes[d]) : o;
        }
        // Float tensors row by row: the offsets of every output element (a long per element, 4.6 KB for Silero VAD's
        // 576-sample chunk) cost more than the copy itself.
        if (x.DType == DType.Float32 && sizes.Length > 0) return PadRows<float>(x, outShape, maps);
        if (x.DType == DType.Float64 && sizes.Length > 0) return PadRows<double>(x, outShape, maps);
        return Eager.GatherElements(x, OffsetsFromMaps(x, maps), outShape);
    }

    /// <summary>out[i0, ..., in] = x[maps[0][i0], ..., maps[n][in]], one output row (the last dimension) at a time: the
    /// source row found from the outer maps, its elements copied through the last dimension's map.</summary>
    private static Tensor PadRows<T>(Tensor x, long[] outShape, long[][] maps) where T : unmanaged
    {
        var src = Eager.Dense<T>(x);
        int nd = outShape.Length;
        long inLast = x.Sizes[nd - 1], outLast = outShape[nd - 1];
        long numel = outShape.Aggregate(1L, (a, b) => a * b);
        var result = new T[numel];
        if (numel == 0) return Eager.Wrap(result, outShape, x.DType);
        var lastMap = maps[nd - 1];
        var index = new long[nd - 1];
        for (long row = 0; row < numel / outLast; row++)
        {
            long source = 0;
            for (int d = 0; d < nd - 1; d++) source = source * x.Sizes[d] + maps[d][index[d]];
            source *= inLast;
            var dst = result.AsSpan((int)(row * outLast), (int)outLast);
            for (int o = 0; o < dst.Length; o++) dst[o] = src[source + lastMap[o]];
            for (int d = nd - 2; d >= 0 && ++index[d] == outShape[d]; d--) index[d] = 0;
        }
        return Eager.Wrap(result, outShape, x.DType);
    }

    /// <summary>Storage offsets of the elements out[i0, i1, ...] = x[maps[0][i0], maps[1][i1], ...], row-major.</summary>
    public static long[] OffsetsFromMaps(Tensor x, long[][] maps)
    {
        long[] offsets = [x.offset];
        for (int d = 0; d < maps.Length; d++)
        {
            var next = new long[offsets.LongLength * maps[d].LongLength];
            long n = 0, stride = x.strides[d];
            foreach (var o in offsets)
                foreach (var i in maps[d]) next[n++] = o + i * stride;
            offsets = next;
        }
        return offsets;
    }

    /// <summary>Reflection about the edges without repeating them: -1 → 1, size → size − 2.</summary>
    public static long Reflect(long i, long size)
    {
        if (size == 1) return 0;
        long period = 2 * (size - 1);
        i = ((i % period) + period) % period;
        return i < size ? i : period - i;
    }

    public static long Replicate(long i, long size) => Math.Clamp(i, 0, size - 1);

    /// <summary>
    /// grid_sampler_2d: out[n, c, h, w] samples input[n, c] at grid[n, h, w] = (x, y) in [-1, 1] (x along width),
    /// with bilinear (0), nearest (1) or bicubic (2) interpolation and zeros (0), border (1) or reflection (2) padding.
    /// </summary>
    public static Tensor GridSampler2d(Tensor input, Tensor grid, long interpolation, long padding, bool alignCorners)
    {
        long n = input.Sizes[0], c = input.Sizes[1], h = input.Sizes[2], w = input.Sizes[3];
        long oh = grid.Sizes[1], ow = grid.Sizes[2];
        var x = Eager.Dense<double>(input);
        var g = Eager.Dense<double>(grid);
        var o = new double[n * c * oh * ow];
        for (long b = 0; b < n; b++)
            for (long p = 0; p < oh * ow; p++)
            {
                long gi = (b * oh * ow + p) * 2;
                double ix = Unnormalize(g[gi], w, alignCorners), iy = Unnormalize(g[gi + 1], h, alignCorners);
                for (long ch = 0; ch < c; ch++)
                {
                    long plane = (b * c + ch) * h * w;
                    double At(long yy, long xx) => yy >= 0 && yy < h && xx >= 0 && xx < w ? x[plane + yy * w + xx] : 0;
                    double value;
                    if (interpolation == 2)
                    {
                        // Bicubic taps are each mapped through the padding mode; out-of-range taps read zero.
                        double fx = Math.Floor(ix), fy = Math.Floor(iy);
                        double tx = ix - fx, ty = iy - fy;
                        var wx = CubicWeights(tx);
                        var wy = CubicWeights(ty);
                        value = 0;
                        for (int j = 0; j < 4; j++)
                        {
                            double row = 0;
                            for (int i = 0; i < 4; i++)
                            {
                                double cx = Coordinate(fx - 1 + i, w, padding, alignCorners), cy = Coordinate(fy - 1 + j, h, padding, alignCorners);
                                row += wx[i] * At((long)cy, (long)cx);
                            }
                            value += wy[j] * row;
                        }
                    }
                    else
                    {
                        double sx = Coordinate(ix, w, padding, alignCorners), sy = Coordinate(iy, h, padding, alignCorners);
                        if (interpolation == 1)
                        {
                            value = At((long)Math.Round(sy, MidpointRounding.ToEven), (long)Math.Round(sx, MidpointRounding.ToEven));
                        }
                        else
                        {
                            long x0 = (long)Math.Floor(sx), y0 = (long)Math.Floor(sy);
                            double ax = sx - x0, ay = sy - y0;
                            value = At(y0, x0) * (1 - ax) * (1 - ay) + At(y0, x0 + 1) * ax * (1 - ay)
                                  + At(y0 + 1, x0) * (1 - ax) * ay + At(y0 + 1, x0 + 1) * ax * ay;
                        }
                    }
                    o[((b * c + ch) * oh * ow) + p] = value;
                }
            }
        return Eager.Wrap(o, [n, c, oh, ow], input.DType);
    }

    /// <summary>
    /// grid_sampler_3d: out[n, c, d, h, w] samples input[n, c] at grid[n, d, h, w] = (x, y, z) in [-1, 1] (x along
    /// width, z along depth), trilinear (0) or nearest (1), with zeros (0), border (1) or reflection (2) padding.
    /// </summary>
    public static Tensor GridSampler3d(Tensor input, Tensor grid, long interpolation, long padding, bool alignCorners)
    {
        long n = input.Sizes[0], c = input.Sizes[1], d = input.Sizes[2], h = input.Sizes[3], w = input.Sizes[4];
        long od = grid.Sizes[1], oh = grid.Sizes[2], ow = grid.Sizes[3], points = od * oh * ow;
        var x = Eager.Dense<double>(input);
        var g = Eager.Dense<double>(grid);
        var o = new double[n * c * points];
        for (long b = 0; b < n; b++)
            for (long p = 0; p < points; p++)
            {
                long gi = (b * points + p) * 3;
                double sx = Coordinate(Unnormalize(g[gi], w, alignCorners), w, padding, alignCorners);
                double sy = Coordinate(Unnormalize(g[gi + 1], h, alignCorners), h, padding, alignCorners);
                double sz = Coordinate(Unnormalize(g[gi + 2], d, alignCorners), d, padding, alignCorners);
                for (long ch = 0; ch < c; ch++)
                {
                    long volume = (b * c + ch) * d * h * w;
                    double At(long zz, long yy, long xx) => zz >= 0 && zz < d && yy >= 0 && yy < h && xx >= 0 && xx < w ? x[volume + (zz * h + yy) * w + xx] : 0;
                    double value;
                    if (interpolation == 1)
                    {
                        value = At((long)Math.Round(sz, MidpointRounding.ToEven), (long)Math.Round(sy, MidpointRounding.ToEven), (long)Math.Round(sx, MidpointRounding.ToEven));
                    }
                    else
                    {
                        long x0 = (long)Math.Floor(sx), y0 = (long)Math.Floor(sy), z0 = (long)Math.Floor(sz);
                        double ax = sx - x0, ay = sy - y0, az = sz - z0;
                        value = 0;
                        for (int k = 0; k < 8; k++)
                        {
                            int dx = k & 1, dy = (k >> 1) & 1, dz = k >> 2;
                            value += At(z0 + dz, y0 + dy, x0 + dx) * (dx == 1 ? ax : 1 - ax) * (dy == 1 ? ay : 1 - ay) * (dz == 1 ? az : 1 - az);
                        }
                    }
                    o[(b * c + ch) * points + p] = value;
                }
            }
        return Eager.Wrap(o, [n, c, od, oh, ow], input.DType);
    }

    /// <summary>[-1, 1] to pixel coordinates: corners at pixel centers (align_corners) or at pixel edges.</summary>
    private static double Unnormalize(double coord, long size, bool alignCorners) =>
        alignCorners ? (coord + 1) / 2 * (size - 1) : ((coord + 1) * size - 1) / 2;

    /// <summary>A source coordinate after the padding mode: unchanged (zeros), clipped (border) or reflected then clipped.</summary>
    private static double Coordinate(double coord, long size, long padding, bool alignCorners)
    {
        if (padding == 1) return Clip(coord, size);
        if (padding == 2)
        {
            coord = alignCorners ? ReflectCoordinate(coord, 0, 2 * (size - 1)) : ReflectCoordinate(coord, -1, 2 * size - 1);
            return Clip(coord, size);
        }
        return coord;
    }

    private static double Clip(double coord, long size) => double.IsNaN(coord) ? 0 : Math.Clamp(coord, 0, size - 1);

    /// <summary>Reflects into [low/2, high/2] (bounds given doubled so half-pixel edges stay integral).</summary>
    private static double ReflectCoordinate(double coord, long twiceLow, long twiceHigh)
    {
        if (twiceLow == twiceHigh) return 0;
        double min = twiceLow / 2.0, span = (twiceHigh - twiceLow) / 2.0;
        coord = Math.Abs(coord - min);
        double extra = coord % span;
        long flips = (long)Math.Floor(coord / span);
        return flips % 2 == 0 ? extra + min : span - extra + min;
    }

    /// <summary>Keys cubic convolution weights (A = −0.75) of the four taps at offsets −1, 0, 1, 2 for fraction t.</summary>
    private static double[] CubicWeights(double t)
    {
        const double A = -0.75;
        static double Near(double x) => ((A + 2) * x - (A + 3)) * x * x + 1;
        static double Far(double x) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
        return [Far(t + 1), Near(t), Near(1 - t), Far(2 - t)];
    }

    /// <summary>col2im: sums each column entry (channel c, tap (i, j), block (bh, bw)) into its image position.</summary>
    public static Tensor Col2Im(Tensor input, long[] outputSize, long[] kernel, long[] dilation, long[] padding, long[] stride)
    {
        bool batched = input.Ndim == 3;
        long n = batched ? input.Sizes[0] : 1;
        long rows = input.Sizes[^2], blocks = input.Sizes[^1];
        long kh = kernel[0], kw = kernel[1], channels = rows / (kh * kw);
        long oh = outputSize[0], ow = outputSize[1];
        long bh = (oh + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
        long bw = (ow + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
        var x = Eager.Dense<double>(input);
        var o = new double[n * channels * oh * ow];
        for (long b = 0; b < n; b++)
            for (long r = 0; r < rows; r++)
            {
                long ch = r / (kh * kw), i = r / kw % kh, j = r % kw;
                for (long by = 0; by < bh; by++)
                    for (long bx = 0; bx < bw; bx++)
                    {
                        long y = by * stride[0] - padding[0] + i * dilation[0], xx = bx * stride[1] - padding[1] + j * dilation[1];
                        if (y < 0 || y >= oh || xx < 0 || xx >= ow) continue;
                        o[((b * channels + ch) * oh + y) * ow + xx] += x[(b * rows + r) * blocks + by * bw + bx];
                    }
            }
        long[] shape = batched ? [n, channels, oh, ow] : [channels, oh, ow];
        return Eager.Wrap(o, shape, input.DType);
    }
}

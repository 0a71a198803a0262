using System.Numerics;
using System.Numerics.Tensors;

namespace Graphport.Cpu;

/// <summary>2-D nearest and bilinear upsampling of contiguous NCHW (or CHW) inputs with torch's source-index formulas.</summary>
public static partial class UpsampleKernels
{
    /// <summary>torch's output size from a scale factor: ⌊in · scale⌋.</summary>
    public static long OutputSizeFromScale(long inputSize, double scale) => (long)Math.Floor(inputSize * scale);

    /// <summary>
    /// Source index of every output position for mode='nearest': identity when sizes match, dst/2 for exact 2×, else
    /// min(⌊dst · s⌋, in − 1) with s = (float)(1/scale) when a scale was given, else (float)in/out — all in float32 as torch does.
    /// </summary>
    public static long[] NearestIndices(long inputSize, long outputSize, double? scale)
    {
        var r = new long[outputSize];
        for (long o = 0; o < outputSize; o++)
        {
            if (outputSize == inputSize) r[o] = o;
            else if (outputSize == 2 * inputSize) r[o] = o >> 1;
            else
            {
                float s = scale is double sc && sc > 0 ? (float)(1.0 / sc) : (float)inputSize / outputSize;
                r[o] = Math.Min((long)MathF.Floor(o * s), inputSize - 1);
            }
        }
        return r;
    }

    /// <summary>
    /// Linear interpolation taps per output position: indices i0, i1 (= i0 + 1 unless at the edge) and weights (1 − λ, λ), from torch's
    /// area_pixel_compute_source_index (align_corners: dst·(in−1)/(out−1); else (dst + 0.5)·s − 0.5 clamped at 0), computed in T.
    /// </summary>
    public static (long I0, long I1, T W0, T W1)[] LinearTaps<T>(long inputSize, long outputSize, bool alignCorners, double? scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s;
        if (alignCorners) s = outputSize > 1 ? T.CreateTruncating(inputSize - 1) / T.CreateTruncating(outputSize - 1) : T.Zero;
        else s = scale is double sc && sc > 0 ? T.CreateTruncating(1.0 / sc) : T.CreateTruncating(inputSize) / T.CreateTruncating(outputSize);
        var taps = new (long, long, T, T)[outputSize];
        T half = T.CreateTruncating(0.5);
        for (long o = 0; o < outputSize; o++)
        {
            T real = alignCorners ? s * T.CreateTruncating(o) : s * (T.CreateTruncating(o) + half) - half;
            if (!alignCorners && real < T.Zero) real = T.Zero;
            long i0 = Math.Min(long.CreateTruncating(T.Floor(real)), inputSize - 1);
            T lambda = T.Clamp(real - T.CreateTruncating(i0), T.Zero, T.One);
            long i1 = i0 + (i0 < inputSize - 1 ? 1 : 0);
            taps[o] = (i0, i1, T.One - lambda, lambda);
        }
        return taps;
    }

    /// <summary>upsample_nearest2d; give outputSize, scaleFactors, or both (scales then drive the index mapping).</summary>
    public static Dense<T> Nearest2d<T>(T[] input, long[] inputShape, (int H, int W)? outputSize, (double H, double W)? scaleFactors) where T : unmanaged
    {
        const string k = "UpsampleKernels.Nearest2d";
        var (planes, h, w, oh, ow) = Resolve(k, input, inputShape, outputSize, scaleFactors);
        var rows = NearestIndices(h, oh, scaleFactors?.H);
        var cols = NearestIndices(w, ow, scaleFactors?.W);
        var output = RunBuffers.Allocate<T>(planes * oh * ow, clear: false);
        CpuParallel.For(planes, (double)oh * ow, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
            {
                var src = input.AsSpan((int)(p * h * w), (int)(h * w));
                for (long y = 0; y < oh; y++)
                {
                    var dst = output.AsSpan((int)((p * oh + y) * ow), (int)ow);
                    // Consecutive output rows that read the same source row are copied instead of re-gathered.
                    if (y > 0 && rows[y] == rows[y - 1])
                    {
                        output.AsSpan((int)((p * oh + y - 1) * ow), (int)ow).CopyTo(dst);
                        continue;
                    }
                    var srow = src.Slice((int)(rows[y] * w), (int)w);
                    // Exactly 2× along the row: each element twice, whole vectors at a time.
                    if (typeof(T) == typeof(float) && ow == 2 * w)
                    {
                        var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(srow);
                        PairInterleave.Float(floats, floats, null, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(dst));
                        continue;
                    }
                    for (int x = 0; x < ow; x++) dst[x] = srow[(int)cols[x]];
                }
            }
        });
        return new Dense<T>(output, OutShape(inputShape, oh, ow));
    }

    /// <summary>
    /// y + upsample_nearest2d(x) for an exactly 2× upsample, in one pass: what a feature pyramid adds at each level
    /// (PP-OCRv4 detection, U-Nets), without writing the upsampled tensor first. x is [..., h, w]; y and
    /// <paramref name="output"/> are [..., 2h, 2w] (the same leading dims), all contiguous. Each element is y's plus
    /// x's at (row / 2, column / 2), as the two ops compute it.
    /// </summary>
    public static void AddNearest2x(float[] x, long[] xShape, float[] y, float[] output)
    {
        const string k = "UpsampleKernels.AddNearest2x";
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(xShape);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(output);
        if (xShape.Length < 2)
            throw new ArgumentException($"{k}: x has shape {ShapeMath.Format(xShape)}; expected at least 2 dims [..., H, W]", nameof(xShape));
        long h = xShape[^2], w = xShape[^1], n = ShapeMath.Numel(xShape), planes = h * w == 0 ? 0 : n / (h * w);
        ShapeMath.CheckLength(x.Length, n, k, nameof(x));
        ShapeMath.CheckLength(y.Length, 4 * n, k, nameof(y));
        ShapeMath.CheckLength(output.Length, 4 * n, k, nameof(output));
        CpuParallel.For(planes * h, 4.0 * w, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                var source = x.AsSpan((int)(r * w), (int)w);
                // Source row r (plane p, row i) makes output rows 2i and 2i + 1 of plane p: rows 2r and 2r + 1 overall.
                for (long twice = 2 * r; twice < 2 * r + 2; twice++)
                {
                    int start = (int)(twice * 2 * w);
                    PairInterleave.FloatPlus(source, source, y.AsSpan(start, (int)(2 * w)), output.AsSpan(start, (int)(2 * w)));
                }
            }
        });
    }

    /// <summary>upsample_bilinear2d (align_corners true or false); give outputSize, scaleFactors, or both.</summary>
    public static Dense<T> Bilinear2d<T>(T[] input, long[] inputShape, (int H, int W)? outputSize, bool alignCorners, (double H, double W)? scaleFactors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "UpsampleKernels.Bilinear2d";
        Pointwise.RequireFloating<T>(k);
        var (planes, h, w, oh, ow) = Resolve(k, input, inputShape, outputSize, scaleFactors);
        var rt = LinearTaps<T>(h, oh, alignCorners, scaleFactors?.H);
        var ct = LinearTaps<T>(w, ow, alignCorners, scaleFactors?.W);
        var output = RunBuffers.Allocate<T>(planes * oh * ow, clear: false);
        CpuParallel.For(planes, (double)oh * ow * 4, (p0, p1) =>
        {
            using var blendS = new Scratch<T>((int)w);
            var blend = blendS.Span;
            for (long p = p0; p < p1; p++)
            {
                var src = input.AsSpan((int)(p * h * w), (int)(h * w));
                for (long y = 0; y < oh; y++)
                {
                    var (r0, r1, a0, a1) = rt[y];
                    // Blend the two source rows with a vector op, then interpolate along the row.
                    TensorPrimitives.Multiply(src.Slice((int)(r0 * w), (int)w), a0, blend);
                    if (a1 != T.Zero)
                    {
                        using var t = new Scratch<T>((int)w);
                        TensorPrimitives.Multiply(src.Slice((int)(r1 * w), (int)w), a1, t.Span);
                        TensorPrimitives.Add(blend, t.Span, blend);
                    }
                    var dst = output.AsSpan((int)((p * oh + y) * ow), (int)ow);
                    for (int x = 0; x < ow; x++)
                    {
                        var (c0, c1, b0, b1) = ct[x];
                        dst[x] = b0 * blend[(int)c0] + b1 * blend[(int)c1];
                    }
                }
            }
        });
        return new Dense<T>(output, OutShape(inputShape, oh, ow));
    }

    private static (long Planes, long H, long W, long OH, long OW) Resolve<T>(string k, T[] input, long[] shape, (int H, int W)? outputSize, (double H, double W)? scales)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (shape.Length is not (3 or 4))
            throw new ArgumentException($"{k}: input has shape {ShapeMath.Format(shape)}; expected 4 dims [N, C, H, W] or 3 dims [C, H, W]", nameof(shape));
        long planes = shape.Length == 4 ? shape[0] * shape[1] : shape[0];
        long h = shape[^2], w = shape[^1];
        ShapeMath.CheckLength(input.Length, planes * h * w, k, nameof(input));
        long oh, ow;
        if (outputSize is (int oH, int oW)) (oh, ow) = (oH, oW);
        else if (scales is (double sh, double sw))
        {
            if (!(sh > 0) || !(sw > 0))
                throw new ArgumentException($"{k}: scaleFactors ({sh}, {sw}) include a non-positive value; expected scales > 0", nameof(scales));
            (oh, ow) = (OutputSizeFromScale(h, sh), OutputSizeFromScale(w, sw));
        }
        else throw new ArgumentException($"{k}: neither outputSize nor scaleFactors was given; expected one of them", nameof(outputSize));
        if (oh <= 0 || ow <= 0)
            throw new ArgumentException($"{k}: output size {oh}×{ow} is empty; expected a positive output size", nameof(outputSize));
        if (h <= 0 || w <= 0)
            throw new ArgumentException($"{k}: input spatial size {h}×{w} is empty; expected H, W >= 1", nameof(shape));
        return (planes, h, w, oh, ow);
    }

    private static long[] OutShape(long[] inputShape, long oh, long ow)
    {
        var s = (long[])inputShape.Clone();
        s[^2] = oh;
        s[^1] = ow;
        return s;
    }
}

using System.Numerics;
using System.Numerics.Tensors;

namespace Graphport.Cpu;

public static partial class UpsampleKernels
{
    /// <summary>torch's cubic convolution constant (the Keys kernel with A = −0.75, as OpenCV uses).</summary>
    private const double CubicA = -0.75;

    /// <summary>
    /// Cubic interpolation taps per output position: the first of four source indices (i − 1, clamped per tap at the
    /// borders) and the four weights, from torch's area_pixel_compute_source_index with cubic = true (no clamp at 0
    /// when align_corners is false) and guard_index_and_lambda, computed in T as torch computes in opmath.
    /// </summary>
    public static (long I, T W0, T W1, T W2, T W3)[] CubicTaps<T>(long inputSize, long outputSize, bool alignCorners, double? scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s;
        if (alignCorners) s = outputSize > 1 ? T.CreateTruncating(inputSize - 1) / T.CreateTruncating(outputSize - 1) : T.Zero;
        else s = scale is double sc && sc > 0 ? T.CreateTruncating(1.0 / sc) : T.CreateTruncating(inputSize) / T.CreateTruncating(outputSize);
        T half = T.CreateTruncating(0.5), a = T.CreateTruncating(CubicA), one = T.One;
        var taps = new (long, T, T, T, T)[outputSize];
        for (long o = 0; o < outputSize; o++)
        {
            T real = alignCorners ? s * T.CreateTruncating(o) : s * (T.CreateTruncating(o) + half) - half;
            long i = Math.Min(long.CreateTruncating(T.Floor(real)), inputSize - 1);
            T t = T.Clamp(real - T.CreateTruncating(i), T.Zero, one);
            taps[o] = (i, Convolution2(t + one, a), Convolution1(t, a), Convolution1(one - t, a), Convolution2(one - t + one, a));
        }
        return taps;

        // |x| <= 1 and 1 < |x| < 2 pieces of the cubic convolution kernel, in torch's evaluation order.
        static T Convolution1(T x, T a) => ((a + T.CreateTruncating(2)) * x - (a + T.CreateTruncating(3))) * x * x + T.One;
        static T Convolution2(T x, T a) => ((a * x - T.CreateTruncating(5) * a) * x + T.CreateTruncating(8) * a) * x - T.CreateTruncating(4) * a;
    }

    /// <summary>
    /// upsample_bicubic2d (align_corners true or false; give outputSize, scaleFactors, or both): each output row blends
    /// four source rows (indices clamped at the borders) with a vector multiply-add, then four taps along the row.
    /// </summary>
    public static Dense<T> Bicubic2d<T>(T[] input, long[] inputShape, (int H, int W)? outputSize, bool alignCorners, (double H, double W)? scaleFactors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "UpsampleKernels.Bicubic2d";
        Pointwise.RequireFloating<T>(k);
        var (planes, h, w, oh, ow) = Resolve(k, input, inputShape, outputSize, scaleFactors);
        var rt = CubicTaps<T>(h, oh, alignCorners, scaleFactors?.H);
        var ct = CubicTaps<T>(w, ow, alignCorners, scaleFactors?.W);
        // Column source indices per tap, clamped once.
        var cols = new int[ow * 4];
        for (long x = 0; x < ow; x++)
            for (int j = 0; j < 4; j++) cols[x * 4 + j] = (int)Math.Clamp(ct[x].I - 1 + j, 0, w - 1);
        var output = RunBuffers.Allocate<T>(planes * oh * ow, clear: false);
        CpuParallel.For(planes, (double)oh * ow * 16, (p0, p1) =>
        {
            using var blendS = new Scratch<T>((int)w);
            var blend = blendS.Span;
            for (long p = p0; p < p1; p++)
            {
                var src = input.AsSpan((int)(p * h * w), (int)(h * w));
                for (long y = 0; y < oh; y++)
                {
                    var (r, a0, a1, a2, a3) = rt[y];
                    Span<T> weights = [a0, a1, a2, a3];
                    blend.Clear();
                    for (int j = 0; j < 4; j++)
                    {
                        long row = Math.Clamp(r - 1 + j, 0, h - 1);
                        TensorPrimitives.MultiplyAdd(src.Slice((int)(row * w), (int)w), weights[j], blend, blend);
                    }
                    var dst = output.AsSpan((int)((p * oh + y) * ow), (int)ow);
                    for (int x = 0; x < ow; x++)
                    {
                        var (_, b0, b1, b2, b3) = ct[x];
                        int c = x * 4;
                        dst[x] = b0 * blend[cols[c]] + b1 * blend[cols[c + 1]] + b2 * blend[cols[c + 2]] + b3 * blend[cols[c + 3]];
                    }
                }
            }
        });
        return new Dense<T>(output, OutShape(inputShape, oh, ow));
    }
}

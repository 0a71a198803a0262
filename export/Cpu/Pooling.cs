using System.Numerics;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;

namespace Graphport.Cpu;

/// <summary>2-D pooling over contiguous NCHW (or CHW) inputs with torch's window and output-size rules; indices are flat within each H×W plane.</summary>
public static partial class Pooling
{
    /// <summary>
    /// torch's pooling_output_shape: ⌊(in + 2·pad − dil·(k − 1) − 1 [+ stride − 1 if ceil]) / stride⌋ + 1, and in ceil mode
    /// the last window is dropped when it would start at or past the end of the input plus left padding.
    /// </summary>
    public static long OutputSize(long input, long kernel, long stride, long padding, long dilation, bool ceilMode)
    {
        long numerator = input + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        long size = FloorDiv(numerator, stride) + 1;
        if (ceilMode && (size - 1) * stride >= input + padding) size--;
        return size;
    }

    /// <summary>Adaptive pooling window [start, end) of output index <paramref name="o"/>: ⌊o·I/O⌋ to ⌈(o+1)·I/O⌉.</summary>
    public static (long Start, long End) AdaptiveWindow(long o, long inputSize, long outputSize)
        => (o * inputSize / outputSize, ((o + 1) * inputSize + outputSize - 1) / outputSize);

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    public static (Dense<T> Output, Dense<long> Indices) MaxPool2d<T>(T[] input, long[] inputShape, (int H, int W) kernel, (int H, int W) stride,
        (int H, int W) padding, (int H, int W) dilation, bool ceilMode) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (planes, h, w, oh, ow) = MaxPoolGeometry(input, inputShape, kernel, stride, padding, dilation, ceilMode);
        var shape = OutShape(inputShape, oh, ow);
        var output = RunBuffers.Allocate<T>(planes * oh * ow, clear: false);
        var indices = RunBuffers.Allocate<long>(output.Length, clear: false);
        int H = (int)h, W = (int)w, OH = (int)oh, OW = (int)ow;
        bool separable = typeof(T) == typeof(float) && dilation == (1, 1);
        CpuParallel.For(planes, (double)OH * OW * kernel.H * kernel.W, (p0, p1) =>
        {
            float[]? columnMax = separable ? new float[W] : null;
            int[]? columnRow = separable ? new int[W] : null;
            for (long p = p0; p < p1; p++)
            {
                var src = input.AsSpan((int)(p * H * W), H * W);
                if (separable && MaxPoolPlaneByColumns(MemoryMarshal.Cast<T, float>(src), H, W, OH, OW, kernel, stride, padding,
                        MemoryMarshal.Cast<T, float>(output.AsSpan((int)(p * OH * OW), OH * OW)), indices.AsSpan((int)(p * OH * OW), OH * OW), columnMax!, columnRow!))
                    continue;
                for (int y = 0; y < OH; y++)
                {
                    int ih0 = y * stride.H - padding.H;
                    int ih1 = Math.Min(ih0 + (kernel.H - 1) * dilation.H + 1, H);
                    while (ih0 < 0) ih0 += dilation.H;
                    for (int x = 0; x < OW; x++)
                    {
                        int iw0 = x * stride.W - padding.W;
                        int iw1 = Math.Min(iw0 + (kernel.W - 1) * dilation.W + 1, W);
                        while (iw0 < 0) iw0 += dilation.W;
                        long best = (long)ih0 * W + iw0;
                        T max = T.NegativeInfinity;
                        for (int ih = ih0; ih < ih1; ih += dilation.H)
                            for (int iw = iw0; iw < iw1; iw += dilation.W)
                            {
                                T v = src[ih * W + iw];
                                if (v > max || T.IsNaN(v))
                                {
                                    max = v;
                                    best = (long)ih * W + iw;
                                }
                            }
                        long o = (p * OH + y) * OW + x;
                        output[o] = max;
                        indices[o] = best;
                    }
                }
            }
        });
        return (new Dense<T>(output, shape), new Dense<long>(indices, shape));
    }

    /// <summary>A max pool's planes, input and output sizes, its arguments checked as torch checks them.</summary>
    private static (long Planes, long H, long W, long OH, long OW) MaxPoolGeometry<T>(T[] input, long[] inputShape, (int H, int W) kernel, (int H, int W) stride,
        (int H, int W) padding, (int H, int W) dilation, bool ceilMode)
    {
        const string k = "MaxPool2d";
        var (planes, h, w) = Planes(k, input, inputShape);
        CheckWindow(k, kernel, stride, padding, dilation);
        if (padding.H > kernel.H / 2 || padding.W > kernel.W / 2)
            throw new ArgumentException($"{k}: padding ({padding.H}, {padding.W}) exceeds half the kernel ({kernel.H}, {kernel.W}); expected padding <= kernel / 2", nameof(padding));
        long oh = OutputSize(h, kernel.H, stride.H, padding.H, dilation.H, ceilMode);
        long ow = OutputSize(w, kernel.W, stride.W, padding.W, dilation.W, ceilMode);
        CheckOutput(k, h, w, oh, ow);
        return (planes, h, w, oh, ow);
    }

    /// <summary>
    /// One float plane of an undilated max pool in two passes: for each output row, the maximum down each input column
    /// of its window (vectorized, with the row it came from), then the maximum across each output's columns. A window's
    /// first maximum in row-major order wins, as in the direct loop: down a column the earliest row keeps a tie, and
    /// across columns a tie goes to the smaller row, then the earlier column. A plane whose windows hold a NaN returns
    /// false, and the caller computes it again with the direct loop, whose NaN rule this does not copy.
    /// </summary>
    private static bool MaxPoolPlaneByColumns(ReadOnlySpan<float> src, int H, int W, int OH, int OW, (int H, int W) kernel, (int H, int W) stride,
        (int H, int W) padding, Span<float> output, Span<long> indices, float[] columnMax, int[] columnRow)
    {
        int lanes = Vector<float>.Count;
        var numbers = Vector<int>.AllBitsSet;
        bool scalarNaN = false;
        for (int y = 0; y < OH; y++)
        {
            int ih0 = Math.Max(y * stride.H - padding.H, 0), ih1 = Math.Min(y * stride.H - padding.H + kernel.H, H);
            // From -inf, so the first row is taken like the others (a -inf column keeps row ih0, as the direct loop does).
            columnMax.AsSpan().Fill(float.NegativeInfinity);
            columnRow.AsSpan().Fill(ih0);
            for (int r = ih0; r < ih1; r++)
            {
                var row = src.Slice(r * W, W);
                var rowIndex = new Vector<int>(r);
                int c = 0;
                for (; c <= W - lanes; c += lanes)
                {
                    var v = new Vector<float>(row.Slice(c));
                    var best = new Vector<float>(columnMax, c);
                    var greater = Vector.GreaterThan(v, best);
                    numbers &= Vector.Equals(v, v);
                    Vector.ConditionalSelect(greater, v, best).CopyTo(columnMax, c);
                    Vector.ConditionalSelect(greater, rowIndex, new Vector<int>(columnRow, c)).CopyTo(columnRow, c);
                }
                for (; c < W; c++)
                {
                    scalarNaN |= float.IsNaN(row[c]);
                    if (row[c] > columnMax[c])
                    {
                        columnMax[c] = row[c];
                        columnRow[c] = r;
                    }
                }
            }
            for (int x = 0; x < OW; x++)
            {
                int iw0 = Math.Max(x * stride.W - padding.W, 0), iw1 = Math.Min(x * stride.W - padding.W + kernel.W, W);
                float max = float.NegativeInfinity;
                int bestRow = ih0, bestColumn = iw0;
                for (int c = iw0; c < iw1; c++)
                {
                    float v = columnMax[c];
                    if (v > max || (v == max && columnRow[c] < bestRow))
                    {
                        max = v;
                        bestRow = columnRow[c];
                        bestColumn = c;
                    }
                }
                output[y * OW + x] = max;
                indices[y * OW + x] = (long)bestRow * W + bestColumn;
            }
        }
        // A NaN seen anywhere in a window: the caller runs the plane again with the direct loop's NaN rule.
        return !scalarNaN && Vector.EqualsAll(numbers, Vector<int>.AllBitsSet);
    }

    /// <summary>Average pooling; the divisor is divisorOverride, else the padded window size (countIncludePad) or the in-bounds count.</summary>
    public static Dense<T> AvgPool2d<T>(T[] input, long[] inputShape, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding,
        bool ceilMode, bool countIncludePad, int? divisorOverride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "AvgPool2d";
        var (planes, h, w) = Planes(k, input, inputShape);
        CheckWindow(k, kernel, stride, padding, (1, 1));
        if (padding.H > kernel.H / 2 || padding.W > kernel.W / 2)
            throw new ArgumentException($"{k}: padding ({padding.H}, {padding.W}) exceeds half the kernel ({kernel.H}, {kernel.W}); expected padding <= kernel / 2", nameof(padding));
        if (divisorOverride is 0)
            throw new ArgumentException($"{k}: divisorOverride is 0; expected a nonzero divisor or null", nameof(divisorOverride));
        long oh = OutputSize(h, kernel.H, stride.H, padding.H, 1, ceilMode);
        long ow = OutputSize(w, kernel.W, stride.W, padding.W, 1, ceilMode);
        CheckOutput(k, h, w, oh, ow);
        var output = RunBuffers.Allocate<T>(planes * oh * ow, clear: false);
        int H = (int)h, W = (int)w, OH = (int)oh, OW = (int)ow;
        CpuParallel.For(planes, (double)OH * OW * kernel.H * kernel.W, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
            {
                var src = input.AsSpan((int)(p * H * W), H * W);
                for (int y = 0; y < OH; y++)
                {
                    int hs = y * stride.H - padding.H;
                    int he = Math.Min(hs + kernel.H, H + padding.H);
                    for (int x = 0; x < OW; x++)
                    {
                        int ws = x * stride.W - padding.W;
                        int we = Math.Min(ws + kernel.W, W + padding.W);
                        int poolSize = (he - hs) * (we - ws);
                        int h0 = Math.Max(hs, 0), w0 = Math.Max(ws, 0), h1 = Math.Min(he, H), w1 = Math.Min(we, W);
                        long o = (p * OH + y) * OW + x;
                        if (h0 >= h1 || w0 >= w1)
                        {
                            output[o] = T.Zero;
                            continue;
                        }
                        T sum = T.Zero;
                        // Narrow windows (PP-OCR's 3×2) add in place: a library call per window row cost more than its two adds.
                        if (w1 - w0 < 16)
                            for (int ih = h0; ih < h1; ih++)
                                for (int iw = w0; iw < w1; iw++) sum += src[ih * W + iw];
                        else
                            for (int ih = h0; ih < h1; ih++) sum += TensorPrimitives.Sum(src.Slice(ih * W + w0, w1 - w0));
                        int divisor = divisorOverride ?? (countIncludePad ? poolSize : (h1 - h0) * (w1 - w0));
                        output[o] = sum / T.CreateTruncating(divisor);
                    }
                }
            }
        });
        return new Dense<T>(output, OutShape(inputShape, oh, ow));
    }

    public static Dense<T> AdaptiveAvgPool2d<T>(T[] input, long[] inputShape, (int H, int W) outputSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "AdaptiveAvgPool2d";
        var (planes, h, w) = Planes(k, input, inputShape);
        CheckAdaptive(k, h, w, outputSize);
        int H = (int)h, W = (int)w, OH = outputSize.H, OW = outputSize.W;
        var output = new T[planes * OH * OW];
        CpuParallel.For(planes, (double)H * W, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
            {
                var src = input.AsSpan((int)(p * H * W), H * W);
                for (int y = 0; y < OH; y++)
                {
                    var (hs, he) = AdaptiveWindow(y, H, OH);
                    for (int x = 0; x < OW; x++)
                    {
                        var (ws, we) = AdaptiveWindow(x, W, OW);
                        T sum = T.Zero;
                        for (long ih = hs; ih < he; ih++) sum += TensorPrimitives.Sum(src.Slice((int)(ih * W + ws), (int)(we - ws)));
                        output[(p * OH + y) * OW + x] = sum / T.CreateTruncating((he - hs) * (we - ws));
                    }
                }
            }
        });
        return new Dense<T>(output, OutShape(inputShape, OH, OW));
    }

    public static (Dense<T> Output, Dense<long> Indices) AdaptiveMaxPool2d<T>(T[] input, long[] inputShape, (int H, int W) outputSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "AdaptiveMaxPool2d";
        var (planes, h, w) = Planes(k, input, inputShape);
        CheckAdaptive(k, h, w, outputSize);
        int H = (int)h, W = (int)w, OH = outputSize.H, OW = outputSize.W;
        var output = new T[planes * OH * OW];
        var indices = new long[output.Length];
        CpuParallel.For(planes, (double)H * W, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
            {
                var src = input.AsSpan((int)(p * H * W), H * W);
                for (int y = 0; y < OH; y++)
                {
                    var (hs, he) = AdaptiveWindow(y, H, OH);
                    for (int x = 0; x < OW; x++)
                    {
                        var (ws, we) = AdaptiveWindow(x, W, OW);
                        long best = hs * W + ws;
                        T max = T.NegativeInfinity;
                        for (long ih = hs; ih < he; ih++)
                            for (long iw = ws; iw < we; iw++)
                            {
                                T v = src[(int)(ih * W + iw)];
                                if (v > max || T.IsNaN(v))
                                {
                                    max = v;
                                    best = ih * W + iw;
                                }
                            }
                        long o = (p * OH + y) * OW + x;
                        output[o] = max;
                        indices[o] = best;
                    }
                }
            }
        });
        var shape = OutShape(inputShape, OH, OW);
        return (new Dense<T>(output, shape), new Dense<long>(indices, shape));
    }

    private static (long Planes, long H, long W) Planes<T>(string k, T[] input, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(input);
        Pointwise.RequireFloating<T>(k);
        if (shape.Length is not (3 or 4))
            throw new ArgumentException($"{k}: input has shape {ShapeMath.Format(shape)}; expected 4 dims [N, C, H, W] or 3 dims [C, H, W]", nameof(shape));
        long planes = shape.Length == 4 ? shape[0] * shape[1] : shape[0];
        ShapeMath.CheckLength(input.Length, planes * shape[^2] * shape[^1], k, nameof(input));
        return (planes, shape[^2], shape[^1]);
    }

    private static long[] OutShape(long[] inputShape, long oh, long ow)
    {
        var s = (long[])inputShape.Clone();
        s[^2] = oh;
        s[^1] = ow;
        return s;
    }

    private static void CheckWindow(string k, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation)
    {
        if (kernel.H <= 0 || kernel.W <= 0)
            throw new ArgumentException($"{k}: kernel ({kernel.H}, {kernel.W}) has a non-positive size; expected kernel >= 1", nameof(kernel));
        if (stride.H <= 0 || stride.W <= 0)
            throw new ArgumentException($"{k}: stride ({stride.H}, {stride.W}) has a non-positive value; expected stride >= 1", nameof(stride));
        if (padding.H < 0 || padding.W < 0)
            throw new ArgumentException($"{k}: padding ({padding.H}, {padding.W}) has a negative value; expected padding >= 0", nameof(padding));
        if (dilation.H <= 0 || dilation.W <= 0)
            throw new ArgumentException($"{k}: dilation ({dilation.H}, {dilation.W}) has a non-positive value; expected dilation >= 1", nameof(dilation));
    }

    private static void CheckOutput(string k, long h, long w, long oh, long ow)
    {
        if (oh < 1 || ow < 1)
            throw new ArgumentException($"{k}: input size {h}×{w} gives output size {oh}×{ow}; expected an output of at least 1×1 (input too small for the kernel)", "inputShape");
    }

    private static void CheckAdaptive(string k, long h, long w, (int H, int W) outputSize)
    {
        if (outputSize.H <= 0 || outputSize.W <= 0)
            throw new ArgumentException($"{k}: outputSize ({outputSize.H}, {outputSize.W}) has a non-positive value; expected outputSize >= 1", nameof(outputSize));
        if (h <= 0 || w <= 0)
            throw new ArgumentException($"{k}: input spatial size {h}×{w} is empty; expected H, W >= 1", "inputShape");
    }
}

using System.Numerics;
using System.Numerics.Tensors;

namespace Graphport.Cpu;

/// <summary>
/// Convolutions on contiguous NCHW (or unbatched CHW) inputs: im2col + GEMM per (batch, group), a 1×1 path that skips
/// im2col, a direct vectorized depthwise path, and transposed convolution as GEMM + col2im.
/// </summary>
public static class Convolution
{
    /// <summary>torch's conv output size: ⌊(in + 2·pad − dil·(k − 1) − 1) / stride⌋ + 1.</summary>
    public static long OutputSize(long input, long kernel, long stride, long padding, long dilation)
        => (input + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;

    /// <summary>torch's transposed-conv output size: (in − 1)·stride − 2·pad + dil·(k − 1) + outputPadding + 1.</summary>
    public static long TransposedOutputSize(long input, long kernel, long stride, long padding, long outputPadding, long dilation)
        => (input - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;

    public static Dense<T> Conv2d<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "Conv2d";
        Pointwise.RequireFloating<T>(k);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        bool unbatched = inputShape.Length == 3;
        if (inputShape.Length != 4 && !unbatched)
            throw new ArgumentException($"{k}: input has shape {ShapeMath.Format(inputShape)}; expected 4 dims [N, C, H, W] or 3 dims [C, H, W]", nameof(inputShape));
        long n = unbatched ? 1 : inputShape[0];
        long c = inputShape[^3], h = inputShape[^2], w = inputShape[^1];
        if (weightShape.Length != 4)
            throw new ArgumentException($"{k}: weight has shape {ShapeMath.Format(weightShape)}; expected 4 dims [O, C/groups, kH, kW]", nameof(weightShape));
        long o = weightShape[0], cg = weightShape[1], kh = weightShape[2], kw = weightShape[3];
        CheckGeometry(k, stride, padding, dilation, groups);
        if (c % groups != 0)
            throw new ArgumentException($"{k}: input has {c} channels, which is not divisible by groups={groups}; expected C % groups == 0", nameof(groups));
        if (o % groups != 0)
            throw new ArgumentException($"{k}: weight has {o} output channels, which is not divisible by groups={groups}; expected O % groups == 0", nameof(groups));
        if (cg * groups != c)
            throw new ArgumentException($"{k}: weight has {cg} input channels per group but input has {c} channels and groups={groups}; expected weight.shape[1] == {c / groups}", nameof(weightShape));
        ShapeMath.CheckLength(input.Length, n * c * h * w, k, nameof(input));
        ShapeMath.CheckLength(weight.Length, o * cg * kh * kw, k, nameof(weight));
        CheckBias(k, bias, o);
        long oh = OutputSize(h, kh, stride.H, padding.H, dilation.H);
        long ow = OutputSize(w, kw, stride.W, padding.W, dilation.W);
        if (oh <= 0 || ow <= 0)
            throw new ArgumentException($"{k}: input spatial size {h}×{w} (padded by {padding.H}×{padding.W}) is smaller than the dilated kernel {(kh - 1) * dilation.H + 1}×{(kw - 1) * dilation.W + 1}; expected an output of at least 1×1, got {oh}×{ow}", nameof(inputShape));
        var outShape = unbatched ? new[] { o, oh, ow } : new[] { n, o, oh, ow };
        var output = new T[n * o * oh * ow];
        var geom = new Geometry((int)h, (int)w, (int)kh, (int)kw, (int)oh, (int)ow, stride, padding, dilation);
        if (output.Length == 0) return new Dense<T>(output, outShape);
        if (groups == c && groups == o && cg == 1)
            Depthwise(input, weight, bias, output, (int)n, (int)c, geom);
        else
            Im2colGemm(input, weight, bias, output, (int)n, (int)c, (int)o, groups, geom);
        return new Dense<T>(output, outShape);
    }

    /// <summary>Conv1d as a Conv2d with a unit height: input [N, C, L] or [C, L], weight [O, C/groups, K].</summary>
    public static Dense<T> Conv1d<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        int stride, int padding, int dilation, int groups) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inputShape.Length is not (2 or 3))
            throw new ArgumentException($"Conv1d: input has shape {ShapeMath.Format(inputShape)}; expected 3 dims [N, C, L] or 2 dims [C, L]", nameof(inputShape));
        if (weightShape.Length != 3)
            throw new ArgumentException($"Conv1d: weight has shape {ShapeMath.Format(weightShape)}; expected 3 dims [O, C/groups, K]", nameof(weightShape));
        var in4 = inputShape[..^1].Append(1L).Append(inputShape[^1]).ToArray();
        var w4 = new[] { weightShape[0], weightShape[1], 1, weightShape[2] };
        var r = Conv2d(input, in4, weight, w4, bias, (1, stride), (0, padding), (1, dilation), groups);
        return new Dense<T>(r.Data, r.Shape[..^2].Append(r.Shape[^1]).ToArray());
    }

    /// <summary>Transposed convolution (the gradient of Conv2d w.r.t. its input): input [N, Cin, H, W], weight [Cin, Cout/groups, kH, kW].</summary>
    public static Dense<T> ConvTranspose2d<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) outputPadding, int groups, (int H, int W) dilation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "ConvTranspose2d";
        Pointwise.RequireFloating<T>(k);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        bool unbatched = inputShape.Length == 3;
        if (inputShape.Length != 4 && !unbatched)
            throw new ArgumentException($"{k}: input has shape {ShapeMath.Format(inputShape)}; expected 4 dims [N, Cin, H, W] or 3 dims [Cin, H, W]", nameof(inputShape));
        long n = unbatched ? 1 : inputShape[0];
        long cin = inputShape[^3], h = inputShape[^2], w = inputShape[^1];
        if (weightShape.Length != 4)
            throw new ArgumentException($"{k}: weight has shape {ShapeMath.Format(weightShape)}; expected 4 dims [Cin, Cout/groups, kH, kW]", nameof(weightShape));
        CheckGeometry(k, stride, padding, dilation, groups);
        if (weightShape[0] != cin)
            throw new ArgumentException($"{k}: weight has {weightShape[0]} input channels but input has {cin} channels; expected weight.shape[0] == {cin}", nameof(weightShape));
        if (cin % groups != 0)
            throw new ArgumentException($"{k}: input has {cin} channels, which is not divisible by groups={groups}; expected Cin % groups == 0", nameof(groups));
        if (outputPadding.H < 0 || outputPadding.W < 0 || (outputPadding.H >= stride.H && outputPadding.H >= dilation.H) || (outputPadding.W >= stride.W && outputPadding.W >= dilation.W))
            throw new ArgumentException($"{k}: outputPadding ({outputPadding.H}, {outputPadding.W}) must be non-negative and smaller than either stride ({stride.H}, {stride.W}) or dilation ({dilation.H}, {dilation.W}); expected e.g. outputPadding < stride", nameof(outputPadding));
        long coutG = weightShape[1], kh = weightShape[2], kw = weightShape[3], cout = coutG * groups;
        ShapeMath.CheckLength(input.Length, n * cin * h * w, k, nameof(input));
        ShapeMath.CheckLength(weight.Length, cin * coutG * kh * kw, k, nameof(weight));
        CheckBias(k, bias, cout);
        long oh = TransposedOutputSize(h, kh, stride.H, padding.H, outputPadding.H, dilation.H);
        long ow = TransposedOutputSize(w, kw, stride.W, padding.W, outputPadding.W, dilation.W);
        if (oh <= 0 || ow <= 0)
            throw new ArgumentException($"{k}: padding ({padding.H}, {padding.W}) leaves an output of {oh}×{ow}; expected a positive output size", nameof(padding));
        var outShape = unbatched ? new[] { cout, oh, ow } : new[] { n, cout, oh, ow };
        var output = new T[n * cout * oh * ow];
        if (output.Length == 0) return new Dense<T>(output, outShape);
        int cinG = (int)(cin / groups), K = (int)(coutG * kh * kw), P = (int)(h * w);
        // Each GEMM output column is one input pixel, scattered (col2im) into the kernel footprint it touches.
        var geom = new Geometry((int)oh, (int)ow, (int)kh, (int)kw, (int)h, (int)w, stride, padding, dilation);
        long units = n * groups;
        double flops = 2.0 * K * cinG * P;
        bool inner = flops >= 4e6 || units == 1;
        CpuParallel.For(inner ? 1 : units, inner ? 1 : flops, (u0, u1) =>
        {
            var col = new T[(long)K * P];
            for (long u = inner ? 0 : u0; u < (inner ? units : u1); u++)
            {
                long b = u / groups, g = u % groups;
                unsafe
                {
                    fixed (T* pw = weight)
                    fixed (T* pi = input)
                    fixed (T* pc = col)
                        Gemm.Core(true, false, K, P, cinG, T.One, pw + g * cinG * K, K, pi + (b * cin + g * cinG) * P, P, T.Zero, pc, P, allowParallel: inner);
                }
                var outG = output.AsSpan((int)((b * cout + g * coutG) * oh * ow), (int)(coutG * oh * ow));
                Col2im(col, outG, (int)coutG, geom);
            }
        });
        if (bias != null) AddBias(output, bias, (int)n, (int)cout, (int)(oh * ow));
        return new Dense<T>(output, outShape);
    }

    /// <summary>ConvTranspose1d as ConvTranspose2d with unit height: input [N, Cin, L], weight [Cin, Cout/groups, K].</summary>
    public static Dense<T> ConvTranspose1d<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        int stride, int padding, int outputPadding, int groups, int dilation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inputShape.Length is not (2 or 3))
            throw new ArgumentException($"ConvTranspose1d: input has shape {ShapeMath.Format(inputShape)}; expected 3 dims [N, Cin, L] or 2 dims [Cin, L]", nameof(inputShape));
        if (weightShape.Length != 3)
            throw new ArgumentException($"ConvTranspose1d: weight has shape {ShapeMath.Format(weightShape)}; expected 3 dims [Cin, Cout/groups, K]", nameof(weightShape));
        var in4 = inputShape[..^1].Append(1L).Append(inputShape[^1]).ToArray();
        var w4 = new[] { weightShape[0], weightShape[1], 1, weightShape[2] };
        var r = ConvTranspose2d(input, in4, weight, w4, bias, (1, stride), (0, padding), (0, outputPadding), groups, (1, dilation));
        return new Dense<T>(r.Data, r.Shape[..^2].Append(r.Shape[^1]).ToArray());
    }

    /// <summary>Spatial geometry: input H×W, kernel, output OH×OW (for col2im, "input" is the conv-transpose output).</summary>
    private readonly record struct Geometry(int H, int W, int KH, int KW, int OH, int OW, (int H, int W) Stride, (int H, int W) Pad, (int H, int W) Dil);

    private static void CheckGeometry(string k, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups)
    {
        if (stride.H <= 0 || stride.W <= 0)
            throw new ArgumentException($"{k}: stride ({stride.H}, {stride.W}) has a non-positive value; expected stride >= 1", nameof(stride));
        if (padding.H < 0 || padding.W < 0)
            throw new ArgumentException($"{k}: padding ({padding.H}, {padding.W}) has a negative value; expected padding >= 0", nameof(padding));
        if (dilation.H <= 0 || dilation.W <= 0)
            throw new ArgumentException($"{k}: dilation ({dilation.H}, {dilation.W}) has a non-positive value; expected dilation >= 1", nameof(dilation));
        if (groups <= 0)
            throw new ArgumentException($"{k}: groups={groups}; expected groups >= 1", nameof(groups));
    }

    private static void CheckBias<T>(string k, T[]? bias, long channels)
    {
        if (bias != null && bias.Length != channels)
            throw new ArgumentException($"{k}: bias has {bias.Length} elements; expected one per output channel ({channels})", nameof(bias));
    }

    private static void AddBias<T>(T[] output, T[] bias, int n, int channels, int plane) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CpuParallel.For((long)n * channels, plane, (u0, u1) =>
        {
            for (long u = u0; u < u1; u++)
            {
                var span = output.AsSpan((int)(u * plane), plane);
                TensorPrimitives.Add(span, bias[u % channels], span);
            }
        });
    }

    private static void Im2colGemm<T>(T[] input, T[] weight, T[]? bias, T[] output, int n, int c, int o, int groups, Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cg = c / groups, og = o / groups, K = cg * g.KH * g.KW, P = g.OH * g.OW, plane = g.H * g.W;
        bool pointwise = g.KH == 1 && g.KW == 1 && g.Stride == (1, 1) && g.Pad == (0, 0);
        long units = (long)n * groups;
        double flops = 2.0 * og * K * P;
        // Large per-group GEMMs parallelize internally; many small ones run one (batch, group) per task.
        bool inner = flops >= 4e6 || units == 1;
        CpuParallel.For(inner ? 1 : units, inner ? 1 : flops, (u0, u1) =>
        {
            T[]? col = pointwise ? null : new T[(long)K * P];
            for (long u = inner ? 0 : u0; u < (inner ? units : u1); u++)
            {
                long b = u / groups, grp = u % groups;
                int inOffset = (int)((b * c + grp * cg) * plane);
                if (col != null) Im2col(input.AsSpan(inOffset, cg * plane), cg, g, col);
                unsafe
                {
                    fixed (T* pw = weight)
                    fixed (T* pi = input)
                    fixed (T* pcol = col)
                    fixed (T* po = output)
                    {
                        T* colPtr = col != null ? pcol : pi + inOffset;
                        Gemm.Core(false, false, og, P, K, T.One, pw + grp * og * K, K, colPtr, P, T.Zero, po + (b * o + grp * og) * P, P, allowParallel: inner);
                    }
                }
            }
        });
        if (bias != null) AddBias(output, bias, n, o, P);
    }

    /// <summary>Unfolds input patches into a [C·kH·kW, OH·OW] matrix; stride-1 rows become span copies.</summary>
    private static void Im2col<T>(ReadOnlySpan<T> input, int channels, Geometry g, T[] col) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int P = g.OH * g.OW;
        for (int ch = 0; ch < channels; ch++)
            for (int ki = 0; ki < g.KH; ki++)
                for (int kj = 0; kj < g.KW; kj++)
                {
                    int row = (ch * g.KH + ki) * g.KW + kj;
                    var dst = col.AsSpan(row * P, P);
                    int offW = kj * g.Dil.W - g.Pad.W;
                    // Valid output columns: 0 <= ow*stride + offW < W.
                    int owLo = offW >= 0 ? 0 : (-offW + g.Stride.W - 1) / g.Stride.W;
                    int owHi = g.W - offW <= 0 ? 0 : Math.Min(g.OW, (g.W - offW - 1) / g.Stride.W + 1);
                    for (int y = 0; y < g.OH; y++)
                    {
                        int ih = y * g.Stride.H - g.Pad.H + ki * g.Dil.H;
                        var drow = dst.Slice(y * g.OW, g.OW);
                        if (ih < 0 || ih >= g.H || owHi <= owLo)
                        {
                            drow.Clear();
                            continue;
                        }
                        var srow = input.Slice((ch * g.H + ih) * g.W, g.W);
                        drow[..owLo].Clear();
                        drow[owHi..].Clear();
                        if (g.Stride.W == 1) srow.Slice(owLo + offW, owHi - owLo).CopyTo(drow[owLo..owHi]);
                        else
                            for (int x = owLo; x < owHi; x++) drow[x] = srow[x * g.Stride.W + offW];
                    }
                }
    }

    /// <summary>Adds each [Cout·kH·kW, H·W] column entry into the output pixel its kernel tap lands on.</summary>
    private static void Col2im<T>(T[] col, Span<T> output, int channels, Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Here g.H×g.W is the (transposed-conv) output and g.OH×g.OW the input pixels that scatter into it.
        int P = g.OH * g.OW;
        for (int ch = 0; ch < channels; ch++)
            for (int ki = 0; ki < g.KH; ki++)
                for (int kj = 0; kj < g.KW; kj++)
                {
                    int row = (ch * g.KH + ki) * g.KW + kj;
                    var src = col.AsSpan(row * P, P);
                    int offW = kj * g.Dil.W - g.Pad.W;
                    int xLo = offW >= 0 ? 0 : (-offW + g.Stride.W - 1) / g.Stride.W;
                    int xHi = g.W - offW <= 0 ? 0 : Math.Min(g.OW, (g.W - offW - 1) / g.Stride.W + 1);
                    if (xHi <= xLo) continue;
                    for (int y = 0; y < g.OH; y++)
                    {
                        int oy = y * g.Stride.H - g.Pad.H + ki * g.Dil.H;
                        if (oy < 0 || oy >= g.H) continue;
                        var orow = output.Slice((ch * g.H + oy) * g.W, g.W);
                        var srow = src.Slice(y * g.OW, g.OW);
                        if (g.Stride.W == 1)
                        {
                            var o = orow.Slice(xLo + offW, xHi - xLo);
                            TensorPrimitives.Add(o, srow[xLo..xHi], o);
                        }
                        else
                            for (int x = xLo; x < xHi; x++) orow[x * g.Stride.W + offW] += srow[x];
                    }
                }
    }

    /// <summary>groups == C == O: each channel convolves only itself, so accumulate shifted input rows times a scalar tap.</summary>
    private static void Depthwise<T>(T[] input, T[] weight, T[]? bias, T[] output, int n, int c, Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = g.H * g.W, oplane = g.OH * g.OW;
        CpuParallel.For((long)n * c, (double)oplane * g.KH * g.KW, (u0, u1) =>
        {
            for (long u = u0; u < u1; u++)
            {
                int ch = (int)(u % c);
                var src = input.AsSpan((int)(u * plane), plane);
                var dst = output.AsSpan((int)(u * oplane), oplane);
                dst.Fill(bias != null ? bias[ch] : T.Zero);
                for (int ki = 0; ki < g.KH; ki++)
                    for (int kj = 0; kj < g.KW; kj++)
                    {
                        T tap = weight[(ch * g.KH + ki) * g.KW + kj];
                        int offW = kj * g.Dil.W - g.Pad.W;
                        int xLo = offW >= 0 ? 0 : (-offW + g.Stride.W - 1) / g.Stride.W;
                        int xHi = g.W - offW <= 0 ? 0 : Math.Min(g.OW, (g.W - offW - 1) / g.Stride.W + 1);
                        if (xHi <= xLo) continue;
                        for (int y = 0; y < g.OH; y++)
                        {
                            int ih = y * g.Stride.H - g.Pad.H + ki * g.Dil.H;
                            if (ih < 0 || ih >= g.H) continue;
                            var srow = src.Slice(ih * g.W, g.W);
                            var drow = dst.Slice(y * g.OW, g.OW);
                            if (g.Stride.W == 1)
                            {
                                var d = drow[xLo..xHi];
                                TensorPrimitives.MultiplyAdd(srow.Slice(xLo + offW, xHi - xLo), tap, d, d);
                            }
                            else
                                for (int x = xLo; x < xHi; x++) drow[x] += tap * srow[x * g.Stride.W + offW];
                        }
                    }
            }
        });
    }
}

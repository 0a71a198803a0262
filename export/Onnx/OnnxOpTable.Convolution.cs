namespace Graphport.Onnx;

/// <summary>Conv and ConvTranspose, as aten.convolution.</summary>
internal static partial class OnnxOpTable
{
    private static void AddConvolution(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["Conv"] = Conv;
        t["ConvTranspose"] = ConvTranspose;
    }

    private static long[] KernelOf(OnnxNodeContext c, Tensor weight) =>
        c.Ints("kernel_shape") is { Length: > 0 } k ? k : Enumerable.Range(2, weight.Ndim - 2).Select(d => (long)weight.Size(d)).ToArray();

    private static OnnxValue[] Conv(OnnxNodeContext c) => One(ConvolutionOf(c, c.Tensor(0), c.Tensor(1), c.OptionalTensor(2)));

    /// <summary>The node's convolution (its pads, strides, dilations and groups) of x with w; QLinearConv and ConvInteger
    /// call it with their inputs' zero points already subtracted, so padding with zeros is padding with the zero point.</summary>
    private static Tensor ConvolutionOf(OnnxNodeContext c, Tensor x, Tensor w, Tensor? bias)
    {
        if (x.Ndim < 3 || w.Ndim != x.Ndim) throw c.Fail($"convolves a {x.Ndim}-d input with a {w.Ndim}-d weight; expected [N, C, spatial...] and [M, C/group, kernel...]");
        var spatial = OnnxSpatial.Read(c, KernelOf(c, w), x);
        var (input, padding) = spatial.ApplyAsymmetric(x, 0.0);
        long groups = c.Int("group", 1);
        var zeros = new SymInt[spatial.Rank];
        Array.Fill(zeros, 0);
        return Call(Aten.Convolution, input, w, bias, Syms(spatial.Strides), Syms(padding), Syms(spatial.Dilations), false, zeros, (SymInt)groups);
    }

    /// <summary>
    /// ConvTranspose: aten.convolution with transposed = true. Unequal begin/end pads (or an output_shape) are
    /// met by computing with the smaller pad and slicing off the rest.
    /// </summary>
    private static OnnxValue[] ConvTranspose(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        var w = c.Tensor(1);
        var bias = c.OptionalTensor(2);
        if (x.Ndim < 3 || w.Ndim != x.Ndim) throw c.Fail($"convolves a {x.Ndim}-d input with a {w.Ndim}-d weight");
        var kernel = KernelOf(c, w);
        int rank = kernel.Length;
        var strides = c.Ints("strides") is { Length: > 0 } s ? s : Enumerable.Repeat(1L, rank).ToArray();
        var dilations = c.Ints("dilations") is { Length: > 0 } d ? d : Enumerable.Repeat(1L, rank).ToArray();
        var outputPadding = c.Ints("output_padding") is { Length: > 0 } op ? op : new long[rank];
        var begin = new long[rank];
        var end = new long[rank];
        string autoPad = c.String("auto_pad", "NOTSET");
        var outputShape = c.Ints("output_shape");
        if (outputShape is { Length: > 0 } || autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            for (int i = 0; i < rank; i++)
            {
                long inSize = (long)x.Size(x.Ndim - rank + i);
                long full = strides[i] * (inSize - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1;
                long target = outputShape is { Length: > 0 } ? outputShape[outputShape.Length - rank + i] : inSize * strides[i];
                long total = Math.Max(0, full - target);
                bool extraAtEnd = autoPad != "SAME_LOWER";
                begin[i] = extraAtEnd ? total / 2 : total - total / 2;
                end[i] = total - begin[i];
            }
        }
        else if (c.Ints("pads") is { Length: > 0 } pads)
        {
            if (pads.Length != 2 * rank) throw c.Fail($"has {pads.Length} pads for a {rank}-d kernel");
            Array.Copy(pads, 0, begin, 0, rank);
            Array.Copy(pads, rank, end, 0, rank);
        }
        var common = begin.Zip(end, Math.Min).ToArray();
        long groups = c.Int("group", 1);
        var y = Call(Aten.Convolution, x, w, bias, Syms(strides), Syms(common), Syms(dilations), true, Syms(outputPadding), (SymInt)groups);
        for (int i = 0; i < rank; i++)
        {
            long cutBegin = begin[i] - common[i], cutEnd = end[i] - common[i];
            if (cutBegin == 0 && cutEnd == 0) continue;
            int dim = y.Ndim - rank + i;
            y = Call(Aten.Slice, y, (long)dim, (SymInt)cutBegin, y.Size(dim) - cutEnd, (SymInt)1);
        }
        return One(y);
    }

    private static SymInt[] Syms(long[] values) => values.Select(v => (SymInt)v).ToArray();
}

namespace Graphport.Onnx;

/// <summary>
/// The window arithmetic Conv and the pooling ops share: kernel, strides, dilations and ONNX's per-side pads
/// (all begins, then all ends), resolved from auto_pad where the model asks for SAME padding.
/// </summary>
internal sealed record OnnxSpatial(long[] Kernel, long[] Strides, long[] Dilations, long[] PadBegin, long[] PadEnd)
{
    public int Rank => Kernel.Length;

    public bool Symmetric => PadBegin.SequenceEqual(PadEnd);

    /// <summary>Reads the attributes; <paramref name="kernel"/> is the kernel_shape (or the weight's spatial sizes).</summary>
    public static OnnxSpatial Read(OnnxNodeContext c, long[] kernel, Tensor input)
    {
        int rank = kernel.Length;
        var strides = c.Ints("strides") is { Length: > 0 } s ? s : Enumerable.Repeat(1L, rank).ToArray();
        var dilations = c.Ints("dilations") is { Length: > 0 } d ? d : Enumerable.Repeat(1L, rank).ToArray();
        if (strides.Length != rank || dilations.Length != rank)
            throw c.Fail($"has {strides.Length} stride(s) and {dilations.Length} dilation(s) for a {rank}-d kernel");
        var begin = new long[rank];
        var end = new long[rank];
        string autoPad = c.String("auto_pad", "NOTSET");
        switch (autoPad)
        {
            case "NOTSET" or "":
                if (c.Ints("pads") is { Length: > 0 } pads)
                {
                    if (pads.Length != 2 * rank) throw c.Fail($"has {pads.Length} pads for a {rank}-d kernel (expected {2 * rank}: all begins, then all ends)");
                    Array.Copy(pads, 0, begin, 0, rank);
                    Array.Copy(pads, rank, end, 0, rank);
                }
                break;
            case "VALID":
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                for (int i = 0; i < rank; i++)
                {
                    // SAME padding depends on the input size, so that size is fixed in the program (a guard).
                    long size = (long)input.Size(input.Ndim - rank + i);
                    long outSize = (size + strides[i] - 1) / strides[i];
                    long total = Math.Max(0, (outSize - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size);
                    long small = total / 2, large = total - small;
                    (begin[i], end[i]) = autoPad == "SAME_UPPER" ? (small, large) : (large, small);
                }
                break;
            default:
                throw c.Fail($"has auto_pad '{autoPad}'; ONNX defines NOTSET, SAME_UPPER, SAME_LOWER and VALID");
        }
        return new OnnxSpatial(kernel, strides, dilations, begin, end);
    }

    /// <summary>
    /// Pads the input explicitly where begin and end differ (ATen pads both sides equally), returning the
    /// symmetric padding left for the op itself.
    /// </summary>
    public (Tensor Input, long[] Padding) ApplyAsymmetric(Tensor input, double fill)
    {
        if (Symmetric) return (input, PadBegin);
        var common = PadBegin.Zip(PadEnd, Math.Min).ToArray();
        // constant_pad_nd lists the last dim first: [last_begin, last_end, previous_begin, previous_end, ...].
        var pad = new List<SymInt>();
        for (int i = Rank - 1; i >= 0; i--)
        {
            pad.Add(PadBegin[i] - common[i]);
            pad.Add(PadEnd[i] - common[i]);
        }
        return (Aten.Call(Aten.ConstantPadNd, input, pad.ToArray(), fill), common);
    }
}

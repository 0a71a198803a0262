namespace Graphport.Onnx;

/// <summary>
/// ONNX's signal ops: DFT (a real signal with a trailing dim of 1, or complex with (real, imaginary) pairs, along a
/// signal axis; forward, inverse scaled by 1/n, or one-sided; dft_length cuts or zero-pads), STFT (frames of a batch
/// of signals, windowed, transformed, one-sided by default) and the window generators, on Graphport's complex tensors
/// and FFTs; results go back to (real, imaginary) pairs as ONNX lays them out.
/// </summary>
internal static partial class OnnxOpTable
{
    private static void AddSpectral(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["DFT"] = Dft;
        t["STFT"] = Stft;
        t["HannWindow"] = c => Window(c, [0.5, 0.5]);
        // ONNX's Hamming coefficients are 25/46 and 21/46 (torch's default rounds them to 0.54 and 0.46).
        t["HammingWindow"] = c => Window(c, [25.0 / 46, 21.0 / 46]);
        t["BlackmanWindow"] = c => Window(c, [0.42, 0.5, 0.08]);
    }

    /// <summary>A signal tensor with a trailing component dim of 1 (real) or 2 (complex pairs) as a real or complex tensor.</summary>
    private static Tensor SignalOf(OnnxNodeContext c, Tensor x)
    {
        if (x.DType is not (DType.Float32 or DType.Float64))
            throw c.Fail($"has a {x.DType.TorchName()} signal; DFT and STFT take float or double");
        return x.Shape[^1].AsConstant switch
        {
            1 => Call(Aten.SqueezeDim, x, -1L),
            2 => Call(Aten.ViewAsComplex, x),
            _ => throw c.Fail($"has a signal whose last dim is {x.Shape[^1]}; it must be 1 (real) or 2 (real and imaginary parts)"),
        };
    }

    /// <summary>A result as ONNX lays it out: (real, imaginary) pairs in a trailing dim.</summary>
    private static Tensor AsPairs(Tensor z, DType dtype) =>
        z.DType.IsComplex() ? Call(Aten.ViewAsReal, z) : Call(Aten.Unsqueeze, z.DType == dtype ? z : Aten.CallKw(Aten.ToCopy, [z], ("dtype", dtype)), -1L);

    private static OnnxValue[] Dft(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        var signal = SignalOf(c, x);
        // Opset 20 moved the axis to an input (default -2); before it was an attribute (default 1).
        long axis = c.Opset >= 20 ? (c.Has(2) ? c.Longs(2, "axis")[0] : -2) : c.Int("axis", 1);
        int wrapped = (int)(axis < 0 ? axis + x.Ndim : axis);
        if (wrapped < 1 || wrapped >= x.Ndim - 1)
            throw c.Fail($"has axis {axis}, which is not a signal axis of its {x.Ndim}-d input (the first dim is the batch and the last the real/imaginary component)");
        bool inverse = c.Int("inverse", 0) != 0, onesided = c.Int("onesided", 0) != 0;
        long? length = c.Has(1) ? c.Longs(1, "dft_length")[0] : null;
        if (onesided && (inverse || signal.DType.IsComplex()))
            throw c.Fail("asks for a one-sided DFT of a complex signal or an inverse one; one-sided output is the forward transform of a real signal (last dimension 1)");
        // A one-sided spectrum is the first n/2+1 bins of a real signal's transform (rfft).
        var result = Call(onesided ? Aten.FftRfft : inverse ? Aten.FftIfft : Aten.FftFft, signal, length, (long)wrapped, null);
        return One(AsPairs(result, x.DType));
    }

    private static OnnxValue[] Stft(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        if (x.Ndim != 3) throw c.Fail($"has a {x.Ndim}-d signal; STFT takes [batch, length, 1 or 2]");
        var signal = SignalOf(c, x);
        long step = c.Longs(1, "frame_step")[0];
        var window = c.OptionalTensor(2);
        long frameLength = c.Has(3) ? c.Longs(3, "frame_length")[0]
            : window is not null ? (long)window.Shape[0] : throw c.Fail("has neither a window nor a frame_length, so its frame length is unknown");
        if (window is not null && window.Shape[0].AsConstant != frameLength)
            throw c.Fail($"has a window of {window.Shape[0]} points for frames of {frameLength}; they must be equal");
        if (step <= 0) throw c.Fail($"has frame_step {step}; it must be positive");
        bool onesided = c.Int("onesided", 1) != 0;
        if (onesided && signal.DType.IsComplex()) throw c.Fail("asks for a one-sided STFT of a complex signal; ONNX defines one-sided output for real signals only");
        var frames = Call(Aten.Unfold, signal, 1L, frameLength, step);
        if (window is not null) frames = Call(Aten.Mul, frames, window.DType == x.DType ? window : Aten.CallKw(Aten.ToCopy, [window], ("dtype", x.DType)));
        var spectrum = onesided
            ? Call(Aten.FftR2c, frames, new long[] { 2 }, 0L, true)
            : frames.DType.IsComplex()
                ? Call(Aten.FftC2c, frames, new SymInt[] { 2 }, 0L, true)
                : Call(Aten.FftR2c, frames, new long[] { 2 }, 0L, false);
        return One(Call(Aten.ViewAsReal, spectrum));
    }

    /// <summary>HannWindow, HammingWindow and BlackmanWindow: periodic unless periodic = 0, in output_datatype (float by default).</summary>
    private static OnnxValue[] Window(OnnxNodeContext c, double[] coefficients)
    {
        long size = c.Longs(0, "size")[0];
        bool periodic = c.Int("periodic", 1) != 0;
        var type = (OnnxDataType)c.Int("output_datatype", 1);
        var dtype = type.ToDType() ?? throw c.Fail($"asks for output_datatype {type.Describe()}, which Graphport has no dtype for");
        var window = coefficients.Length == 3
            ? Aten.CallKw(Aten.BlackmanWindowPeriodic, [size, periodic], ("dtype", DType.Float64))
            : Aten.CallKw(Aten.HammingWindowAlphaBeta, [size, periodic, coefficients[0], coefficients[1]], ("dtype", DType.Float64));
        return One(Aten.CallKw(Aten.ToCopy, [window], ("dtype", dtype)));
    }
}

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
        t["MelWeightMatrix"] = MelWeightMatrix;
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
        return One(Call(Aten.ViewAsReal, Aten.FftTransform(frames, [2], 0, forward: true, onesided)));
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

    /// <summary>
    /// MelWeightMatrix: [dft_length/2 + 1, num_mel_bins] triangular filters, each peaking at 1, with edges num_mel_bins + 2
    /// points spaced evenly on the mel scale (mel = 2595·log10(1 + f/700)) between the edge frequencies and turned into
    /// spectrogram bins as floor((dft_length + 1)·f / sample_rate), as ONNX defines it. Its inputs are constants, so the
    /// matrix is one too.
    /// </summary>
    private static OnnxValue[] MelWeightMatrix(OnnxNodeContext c)
    {
        long melBins = c.Longs(0, "num_mel_bins")[0], dftLength = c.Longs(1, "dft_length")[0], sampleRate = c.Longs(2, "sample_rate")[0];
        double lower = c.ConstantDoubles(3)?[0] ?? throw c.Fail("computes lower_edge_hertz from tensor data; it must be a constant");
        double upper = c.ConstantDoubles(4)?[0] ?? throw c.Fail("computes upper_edge_hertz from tensor data; it must be a constant");
        if (melBins <= 0 || dftLength <= 0 || sampleRate <= 0)
            throw c.Fail($"has num_mel_bins {melBins}, dft_length {dftLength} and sample_rate {sampleRate}; all must be positive");
        long spectrumBins = dftLength / 2 + 1;
        if (lower < 0 || upper <= lower || Math.Floor((dftLength + 1) * upper / sampleRate) >= spectrumBins)
            throw c.Fail($"has edges {lower} Hz to {upper} Hz, which do not fall within the {spectrumBins} bins of a {dftLength}-point DFT at {sampleRate} Hz (0 <= lower < upper <= about sample_rate / 2)");
        static double Mel(double hz) => 2595 * Math.Log10(1 + hz / 700);
        double lowMel = Mel(lower), step = (Mel(upper) - lowMel) / (melBins + 2);
        var edges = new long[melBins + 2];
        for (int k = 0; k < edges.Length; k++)
        {
            double hz = 700 * (Math.Pow(10, (k * step + lowMel) / 2595) - 1);
            edges[k] = (long)Math.Floor((dftLength + 1) * hz / sampleRate);
        }
        var weights = new double[spectrumBins * melBins];
        for (int m = 0; m < melBins; m++)
        {
            long left = edges[m], center = edges[m + 1], right = edges[m + 2];
            if (center == left) weights[center * melBins + m] = 1;
            else for (long j = left; j <= center; j++) weights[j * melBins + m] = (double)(j - left) / (center - left);
            for (long j = center; j < right; j++) weights[j * melBins + m] = (double)(right - j) / (right - center);
        }
        var type = (OnnxDataType)c.Int("output_datatype", 1);
        var dtype = type.ToDType() ?? throw c.Fail($"asks for output_datatype {type.Describe()}, which Graphport has no dtype for");
        return One(Tensor.FromArray(weights, spectrumBins, melBins).To(dtype));
    }
}

namespace Graphport;

/// <summary>Complex numbers (torch.complex, torch.polar, view_as_real, ...), the short-time Fourier transform and its windows.</summary>
public static partial class Torch
{
    /// <summary>real + i·imag, elementwise (both float32 or both float64; broadcast): complex64 or complex128.</summary>
    public static Graphport.Tensor Complex(Graphport.Tensor real, Graphport.Tensor imag) => Aten.Call(Aten.ComplexFromParts, real, imag);

    /// <summary>abs·e^(i·angle), elementwise: LLaMA's rotary frequencies are <c>Polar(OnesLike(f), f)</c>.</summary>
    public static Graphport.Tensor Polar(Graphport.Tensor abs, Graphport.Tensor angle) => Aten.Call(Aten.Polar, abs, angle);

    /// <summary>A complex tensor as a real one with a trailing dim of 2 (real, imaginary).</summary>
    public static Graphport.Tensor ViewAsReal(Graphport.Tensor x) => Aten.Call(Aten.ViewAsReal, x);

    /// <summary>A float32/float64 tensor whose last dim is 2 as complex numbers (the inverse of <see cref="ViewAsReal"/>).</summary>
    public static Graphport.Tensor ViewAsComplex(Graphport.Tensor x) => Aten.Call(Aten.ViewAsComplex, x);

    public static Graphport.Tensor Real(Graphport.Tensor x) => x.Real;

    public static Graphport.Tensor Imag(Graphport.Tensor x) => x.Imag;

    public static Graphport.Tensor Conj(Graphport.Tensor x) => x.Conj();

    public static Graphport.Tensor Angle(Graphport.Tensor x) => x.Angle();

    public static Graphport.Tensor Sgn(Graphport.Tensor x) => x.Sgn();

    public static bool IsComplex(Graphport.Tensor x) => x.IsComplex();

    /// <summary>
    /// torch.stft: the spectra of overlapping frames of a signal [L] or batch of signals [B, L], as [(B,) freq, frames].
    /// With <paramref name="center"/> the signal is first padded by nFft/2 on each side (<paramref name="padMode"/>
    /// "reflect", "constant", "replicate" or "circular"), as torch's Python wrapper does before the op it records.
    /// hopLength defaults to nFft/4, winLength to nFft; a window shorter than nFft is centred in it. onesided (the
    /// default for real input) keeps the nFft/2+1 non-negative frequencies. returnComplex: false gives
    /// view_as_real of the result.
    /// </summary>
    public static Graphport.Tensor Stft(Graphport.Tensor input, long nFft, long? hopLength = null, long? winLength = null, Graphport.Tensor? window = null,
        bool center = true, string padMode = "reflect", bool normalized = false, bool? onesided = null, bool returnComplex = true)
    {
        if (center)
        {
            if (input.Ndim is not (1 or 2))
                throw new ArgumentException($"stft: expected a 1D or 2D tensor (a signal, or a batch of signals), but got a {input.Ndim}D tensor of shape [{string.Join(", ", input.Shape.AsArray())}].");
            // As torch's wrapper: view the signal as [1, B, L] so the padding applies to the last dim only.
            var shape = input.Shape.AsArray();
            var batched = Aten.Call(Aten.View, input, (SymInt[])[1, .. shape[..^1], shape[^1]]);
            long half = nFft / 2;
            var padded = Aten.Call(Aten.PadComposite, batched, new SymInt[] { half, half }, padMode, null);
            var paddedShape = padded.Shape.AsArray();
            input = Aten.Call(Aten.View, padded, paddedShape[1..]);
        }
        return Aten.Call(Aten.Stft, input, nFft, hopLength, winLength, window, normalized, onesided, returnComplex, null);
    }

    /// <summary>
    /// torch.istft: the signal whose <see cref="Stft"/> is <paramref name="input"/> ([(B,) freq, frames], complex): each
    /// frame inverted, windowed and overlap-added, divided by the summed squared windows (which must overlap everywhere);
    /// <paramref name="length"/> cuts or zero-pads the result. Vocoders (Vocos, iSTFTNet) end with it.
    /// </summary>
    public static Graphport.Tensor Istft(Graphport.Tensor input, long nFft, long? hopLength = null, long? winLength = null, Graphport.Tensor? window = null,
        bool center = true, bool normalized = false, bool? onesided = null, long? length = null, bool returnComplex = false) =>
        Aten.Call(Aten.Istft, input, nFft, hopLength, winLength, window, center, normalized, onesided, length, returnComplex);

    /// <summary>torch.hann_window: 0.5 − 0.5·cos(2πn/N), periodic (N = length) unless <paramref name="periodic"/> is false (N = length − 1).</summary>
    public static Graphport.Tensor HannWindow(long length, bool periodic = true, DType? dtype = null) => Aten.CallKw(Aten.HannWindowPeriodic, [length, periodic], ("dtype", dtype));

    /// <summary>torch.hamming_window: α − β·cos(2πn/N), α = 0.54 and β = 0.46 unless given.</summary>
    public static Graphport.Tensor HammingWindow(long length, bool periodic = true, double alpha = 0.54, double beta = 0.46, DType? dtype = null) =>
        Aten.CallKw(Aten.HammingWindowAlphaBeta, [length, periodic, alpha, beta], ("dtype", dtype));

    /// <summary>torch.blackman_window: 0.42 − 0.5·cos(2πn/N) + 0.08·cos(4πn/N).</summary>
    public static Graphport.Tensor BlackmanWindow(long length, bool periodic = true, DType? dtype = null) => Aten.CallKw(Aten.BlackmanWindowPeriodic, [length, periodic], ("dtype", dtype));
}

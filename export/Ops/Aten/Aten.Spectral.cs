using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The short-time Fourier transform and the window functions that go with it (torch.stft, torch.hann_window, ...),
/// as composites: stft frames the signal with unfold, applies the window and transforms each frame with _fft_r2c
/// (or _fft_c2c), which is how torch decomposes it; the windows are cosine sums over arange.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Stft = Composite("stft(Tensor self, int n_fft, int? hop_length=None, int? win_length=None, Tensor? window=None, bool normalized=False, bool? onesided=None, bool? return_complex=None, bool? align_to_window=None) -> Tensor", StftBody);

    /// <summary>stft's and istft's framing arguments (hop n_fft/4 and window length n_fft by default), checked as torch checks them.</summary>
    private readonly record struct Framing(long NFft, long Hop, long WinLength, Tensor? Window)
    {
        public static Framing Read(string op, object?[] a)
        {
            long nFft = L(a[1]);
            long hop = a[2] is null ? nFft / 4 : L(a[2]);
            long winLength = a[3] is null ? nFft : L(a[3]);
            var window = a[4] as Tensor;
            if (nFft <= 0) throw new ArgumentException($"{op}: expected n_fft > 0, but got n_fft={nFft}");
            if (hop <= 0) throw new ArgumentException($"{op}: expected hop_length > 0, but got hop_length={hop}");
            if (winLength <= 0 || winLength > nFft) throw new ArgumentException($"{op}: expected 0 < win_length <= n_fft, but got win_length={winLength}");
            if (window is { } w && (w.Ndim != 1 || w.Shape[0].AsConstant != winLength))
                throw new ArgumentException($"{op}: expected a 1D window tensor of size equal to win_length={winLength}, but got window with size [{string.Join(", ", w.Shape.AsArray())}]");
            return new Framing(nFft, hop, winLength, window);
        }

        /// <summary>The window centred in n_fft points of zeros, as torch pads a shorter one (null stays null: no window).</summary>
        public Tensor? Centred()
        {
            if (Window is null || WinLength == NFft) return Window;
            long left = (NFft - WinLength) / 2;
            return Call(ConstantPadNd, Window, new SymInt[] { left, NFft - WinLength - left }, 0L);
        }
    }

    private static object? StftBody(object?[] a)
    {
        var x = T0(a);
        var framing = Framing.Read("stft", a);
        var (nFft, hop, _, window) = framing;
        bool normalized = B(a[5]);
        if (a[7] is null && !x.DType.IsComplex())
            throw new ArgumentException("stft requires the return_complex parameter be given for real inputs: pass returnComplex: true (returnComplex: false gives view_as_real of the result).");
        bool returnComplex = a[7] is null || B(a[7]);
        if (x.Ndim is not (1 or 2))
            throw new ArgumentException($"stft: expected a 1D or 2D tensor (a signal, or a batch of signals), but got a {x.Ndim}D tensor of shape [{string.Join(", ", x.Shape.AsArray())}].");
        // A symbolic length stays symbolic: the comparison is a guard, not a specialization.
        var length = x.Shape[^1];
        if (length < nFft)
            throw new ArgumentException($"stft: expected 0 < n_fft <= {length}, but got n_fft={nFft}. Pad the signal (center=true pads n_fft/2 on each side) or use a smaller n_fft.");
        bool onesided = a[6] is null ? !x.DType.IsComplex() && (window is null || !window.DType.IsComplex()) : B(a[6]);
        if (onesided && (x.DType.IsComplex() || window?.DType.IsComplex() == true))
            throw new ArgumentException("Cannot have onesided output if window or input is complex: pass onesided: false.");

        var batch = x.Ndim == 1 ? Call(Unsqueeze, x, 0L) : x;
        var frames = Call(Unfold, batch, -1L, nFft, hop);
        if (framing.Centred() is { } centred) frames = Call(Mul, frames, centred);
        var spectrum = Call(Permute, FftTransform(frames, [2], normalized ? 1 : 0, forward: true, onesided), new long[] { 0, 2, 1 });
        if (x.Ndim == 1) spectrum = Call(SqueezeDim, spectrum, 0L);
        return returnComplex ? spectrum : Call(ViewAsReal, spectrum);
    }

    public static readonly OpOverload Istft = Composite("istft(Tensor self, int n_fft, int? hop_length=None, int? win_length=None, Tensor? window=None, bool center=True, bool normalized=False, bool? onesided=None, int? length=None, bool return_complex=False) -> Tensor", IstftBody);

    /// <summary>
    /// The inverse of stft: each frame's spectrum inverted (_fft_c2r for a one-sided spectrum), windowed, added where
    /// the frames overlap (index_put with accumulation, as torch decomposes it) and divided by the overlapping squared
    /// windows; center drops the n_fft/2 padding stft added, and length cuts or zero-pads the result.
    /// </summary>
    private static object? IstftBody(object?[] a)
    {
        var x = T0(a);
        var framing = Framing.Read("istft", a);
        var (nFft, hop, winLength, _) = framing;
        bool center = B(a[5]), normalized = B(a[6]), returnComplex = B(a[9]);
        if (!x.DType.IsComplex())
            throw new ArgumentException($"istft requires a complex-valued input tensor, got {x.DType.TorchName()}. Pass stft's complex result (or Torch.ViewAsComplex of its real pairs).");
        if (x.Ndim is not (2 or 3))
            throw new ArgumentException($"istft: expected a tensor with 2 or 3 dimensions of complex values ([(batch,) freq, frames]), but got {x.Ndim}.");
        var frequencies = x.Shape[^2];
        var frameCount = x.Shape[^1];
        bool onesided = a[7] is null ? !(frequencies == nFft) : B(a[7]);
        if (onesided && !(frequencies == nFft / 2 + 1))
            throw new ArgumentException($"istft: expected the frequency dimension (3rd to the last) of the input tensor to match n_fft / 2 + 1 when onesided=True, but got {frequencies}.");
        if (!onesided && !(frequencies == nFft))
            throw new ArgumentException($"istft: expected the frequency dimension (3rd to the last) of the input tensor to match n_fft when onesided=False, but got {frequencies}.");
        if (hop > winLength) throw new ArgumentException($"istft: expected 0 < hop_length <= win_length, but got hop_length={hop}");
        if (onesided && returnComplex)
            throw new ArgumentException("istft: cannot have onesided output if the output is complex: pass onesided: false with returnComplex: true.");

        var batch = x.Ndim == 2 ? Call(Unsqueeze, x, 0L) : x;
        var frames = Call(Permute, batch, new long[] { 0, 2, 1 });
        long norm = normalized ? 1 : 2;
        Tensor signal;
        if (onesided)
        {
            signal = Call(FftC2r, frames, new long[] { 2 }, norm, nFft);
        }
        else
        {
            signal = Call(FftC2c, frames, new SymInt[] { 2 }, norm, false);
            if (!returnComplex) signal = Call(Select, Call(ViewAsReal, signal), -1L, 0L);
        }
        var realType = x.DType.ToReal();
        // No window is a rectangular one of win_length points.
        var window = (framing with { Window = framing.Window ?? CallKw(Ones, [new SymInt[] { winLength }], ("dtype", realType)) }).Centred()!;
        var windowed = Call(Mul, signal, window);

        // Overlap-add: frame t's sample k lands at t·hop + k.
        var expectedLength = nFft + hop * (frameCount - 1);
        var positions = Call(Reshape, Call(Unfold, CallKw(ArangeStartStep, [0L, expectedLength, 1L], ("dtype", DType.Int64)), 0L, nFft, hop), new SymInt[] { -1 });
        var rows = batch.Shape[0];
        var summed = CallKw(Zeros, [new SymInt[] { rows, expectedLength }], ("dtype", windowed.DType));
        summed = Call(IndexPut, summed, new Tensor?[] { null, positions }, Call(Reshape, windowed, new SymInt[] { rows, -1 }), true);
        var squares = Call(Reshape, Call(Expand, Call(Mul, window, window), new SymInt[] { frameCount, nFft }), new SymInt[] { -1 });
        var envelope = Call(IndexPut, CallKw(Zeros, [new SymInt[] { expectedLength }], ("dtype", realType)), new Tensor?[] { positions }, squares, true);

        SymInt start = center ? nFft / 2 : 0;
        SymInt end = a[8] is null ? (center ? expectedLength - nFft / 2 : expectedLength) : SymInt.Min(start + L(a[8]), expectedLength);
        var y = Call(Slice, summed, 1L, start, end, 1L);
        envelope = Call(Slice, envelope, 0L, start, end, 1L);
        if (!envelope.IsFake)
        {
            double lowest = Call(Amin, Call(Abs, envelope), Array.Empty<long>(), false).Item();
            if (lowest < 1e-11)
                throw new ArgumentException($"istft: window overlap add min: {lowest} (the squared windows must add up to more than zero at every sample, the NOLA condition): use a window and hop_length whose frames overlap everywhere.");
        }
        y = Call(Div, y, envelope);
        if (a[8] is not null && !(y.Shape[1] == L(a[8])))
            y = Call(ConstantPadNd, y, new SymInt[] { 0, L(a[8]) - y.Shape[1] }, 0L);
        return x.Ndim == 2 ? Call(SqueezeDim, y, 0L) : y;
    }

    /// <summary>
    /// A generalized cosine window Σ (−1)^k·c_k·cos(2πkn/(N−1)), N the length (one more for a periodic window, whose
    /// last point is dropped), as torch builds hann, hamming and blackman; a length of 1 is [1] and of 0 empty.
    /// </summary>
    private static Tensor CosineWindow(long length, bool periodic, double[] coefficients, object? dtype)
    {
        var type = (DType?)dtype ?? DTypeInfo.DefaultFloat;
        if (length < 0) throw new ArgumentException($"window length must be non-negative, got {length}");
        if (!type.IsFloatingPoint()) throw new ArgumentException($"window functions expect a floating point dtype, got {type.TorchName()}");
        if (length <= 1) return CallKw(Ones, [new SymInt[] { length }], ("dtype", type));
        long n = periodic ? length + 1 : length;
        var phase = Call(Mul, CallKw(ArangeStartStep, [0L, length, 1L], ("dtype", type)), 2 * Math.PI / (n - 1));
        Tensor result = CallKw(FullLike, [phase, coefficients[0]], ("dtype", type));
        for (int k = 1; k < coefficients.Length; k++)
        {
            var term = Call(Mul, Call(Cos, k == 1 ? phase : Call(Mul, phase, (double)k)), coefficients[k]);
            result = k % 2 == 1 ? Call(Sub, result, term) : Call(Add, result, term);
        }
        return result;
    }

    public static readonly OpOverload HannWindow = Composite($"hann_window(int window_length, *, {FactoryOptions}) -> Tensor", HannWindowBody);
    private static object? HannWindowBody(object?[] a) => CosineWindow(L(a[0]), true, [0.5, 0.5], a[1]);

    public static readonly OpOverload HannWindowPeriodic = Composite($"hann_window.periodic(int window_length, bool periodic, *, {FactoryOptions}) -> Tensor", HannWindowPeriodicBody);
    private static object? HannWindowPeriodicBody(object?[] a) => CosineWindow(L(a[0]), B(a[1]), [0.5, 0.5], a[2]);

    public static readonly OpOverload HammingWindow = Composite($"hamming_window(int window_length, *, {FactoryOptions}) -> Tensor", HammingWindowBody);
    private static object? HammingWindowBody(object?[] a) => CosineWindow(L(a[0]), true, [0.54, 0.46], a[1]);

    public static readonly OpOverload HammingWindowPeriodic = Composite($"hamming_window.periodic(int window_length, bool periodic, *, {FactoryOptions}) -> Tensor", HammingWindowPeriodicBody);
    private static object? HammingWindowPeriodicBody(object?[] a) => CosineWindow(L(a[0]), B(a[1]), [0.54, 0.46], a[2]);

    public static readonly OpOverload HammingWindowAlphaBeta = Composite($"hamming_window.periodic_alpha_beta(int window_length, bool periodic, float alpha, float beta, *, {FactoryOptions}) -> Tensor", HammingWindowAlphaBetaBody);
    private static object? HammingWindowAlphaBetaBody(object?[] a) => CosineWindow(L(a[0]), B(a[1]), [D(a[2]), D(a[3])], a[4]);

    public static readonly OpOverload BlackmanWindow = Composite($"blackman_window(int window_length, *, {FactoryOptions}) -> Tensor", BlackmanWindowBody);
    private static object? BlackmanWindowBody(object?[] a) => CosineWindow(L(a[0]), true, [0.42, 0.5, 0.08], a[1]);

    public static readonly OpOverload BlackmanWindowPeriodic = Composite($"blackman_window.periodic(int window_length, bool periodic, *, {FactoryOptions}) -> Tensor", BlackmanWindowPeriodicBody);
    private static object? BlackmanWindowPeriodicBody(object?[] a) => CosineWindow(L(a[0]), B(a[1]), [0.42, 0.5, 0.08], a[2]);
}

namespace Graphport;

/// <summary>
/// torch.fft: discrete Fourier transforms. <c>n</c> / <c>s</c> cut or zero-pad the input to that many points per
/// transformed dim; <c>norm</c> is "backward" (the default: the inverse scales by 1/n), "forward" or "ortho"
/// (1/√n both ways). Real input to the complex transforms is promoted, integers become float32. Each records what
/// torch decomposes it to: _fft_r2c, _fft_c2r (Core ATen) and _fft_c2c.
/// </summary>
public static class TorchFft
{
    public static Tensor Fft(Tensor input, long? n = null, long dim = -1, string? norm = null) => Aten.Call(Aten.FftFft, input, n, dim, norm);

    public static Tensor Ifft(Tensor input, long? n = null, long dim = -1, string? norm = null) => Aten.Call(Aten.FftIfft, input, n, dim, norm);

    /// <summary>The transform of a real signal, its n/2+1 non-negative frequencies.</summary>
    public static Tensor Rfft(Tensor input, long? n = null, long dim = -1, string? norm = null) => Aten.Call(Aten.FftRfft, input, n, dim, norm);

    /// <summary>The real signal of n points (default 2·(m−1)) whose one-sided spectrum is the input.</summary>
    public static Tensor Irfft(Tensor input, long? n = null, long dim = -1, string? norm = null) => Aten.Call(Aten.FftIrfft, input, n, dim, norm);

    /// <summary>The (real) transform of a Hermitian-symmetric signal given by its first half.</summary>
    public static Tensor Hfft(Tensor input, long? n = null, long dim = -1, string? norm = null) => Aten.Call(Aten.FftHfft, input, n, dim, norm);

    /// <summary>The inverse of <see cref="Hfft"/>: the one-sided inverse transform of a real signal.</summary>
    public static Tensor Ihfft(Tensor input, long? n = null, long dim = -1, string? norm = null) => Aten.Call(Aten.FftIhfft, input, n, dim, norm);

    public static Tensor Fft2(Tensor input, long[]? s = null, long[]? dim = null, string? norm = null) => Aten.Call(Aten.FftFft2, input, s, dim ?? [-2, -1], norm);

    public static Tensor Ifft2(Tensor input, long[]? s = null, long[]? dim = null, string? norm = null) => Aten.Call(Aten.FftIfft2, input, s, dim ?? [-2, -1], norm);

    public static Tensor Rfft2(Tensor input, long[]? s = null, long[]? dim = null, string? norm = null) => Aten.Call(Aten.FftRfft2, input, s, dim ?? [-2, -1], norm);

    public static Tensor Irfft2(Tensor input, long[]? s = null, long[]? dim = null, string? norm = null) => Aten.Call(Aten.FftIrfft2, input, s, dim ?? [-2, -1], norm);

    /// <summary>Over <paramref name="dim"/>, or the last len(s) dims, or every dim.</summary>
    public static Tensor Fftn(Tensor input, long[]? s = null, long[]? dim = null, string? norm = null) => Aten.Call(Aten.FftFftn, input, s, dim, norm);

    public static Tensor Ifftn(Tensor input, long[]? s = null, long[]? dim = null, string? norm = null) => Aten.Call(Aten.FftIfftn, input, s, dim, norm);

    public static Tensor Rfftn(Tensor input, long[]? s = null, long[]? dim = null, string? norm = null) => Aten.Call(Aten.FftRfftn, input, s, dim, norm);

    public static Tensor Irfftn(Tensor input, long[]? s = null, long[]? dim = null, string? norm = null) => Aten.Call(Aten.FftIrfftn, input, s, dim, norm);

    /// <summary>The frequencies of an n-point transform with sample spacing d (cycles per unit).</summary>
    public static Tensor Fftfreq(long n, double d = 1.0, DType? dtype = null) => Aten.CallKw(Aten.FftFftfreq, [n, d], ("dtype", dtype));

    public static Tensor Rfftfreq(long n, double d = 1.0, DType? dtype = null) => Aten.CallKw(Aten.FftRfftfreq, [n, d], ("dtype", dtype));

    /// <summary>Moves the zero frequency to the centre of each dim (all dims unless given).</summary>
    public static Tensor Fftshift(Tensor input, long[]? dim = null) => Aten.Call(Aten.FftFftshift, input, dim);

    public static Tensor Ifftshift(Tensor input, long[]? dim = null) => Aten.Call(Aten.FftIfftshift, input, dim);
}

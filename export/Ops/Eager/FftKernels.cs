using System.Numerics;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// Eager kernels of torch's three FFT primitives (_fft_r2c, _fft_c2c, _fft_c2r): the data are widened to double
/// precision complex numbers, transformed along the given dims (<see cref="Fourier"/>), scaled as the normalization
/// code says (0 none, 1 by 1/√n, 2 by 1/n, n the product of the signal sizes) and rounded to the result dtype.
/// </summary>
internal static class FftKernels
{
    public static Tensor RealToComplex(Tensor x, int[] dims, long normalization, bool onesided)
    {
        var shape = x.Sizes;
        var values = ComplexPointwise.Read(x, shape);
        Fourier.Transform(values, shape, dims, inverse: false);
        Scale(values, normalization, dims.Select(d => shape[d]));
        var result = AsTensor(values, shape, x.DType.ToComplex());
        if (!onesided) return result;
        int last = dims[^1];
        return Eager.Contiguous(Aten.Call(Aten.Slice, result, (long)last, 0L, shape[last] / 2 + 1, 1L));
    }

    public static Tensor ComplexToComplex(Tensor x, int[] dims, long normalization, bool forward)
    {
        var shape = x.Sizes;
        var values = ComplexPointwise.Read(x, shape);
        Fourier.Transform(values, shape, dims, inverse: !forward);
        Scale(values, normalization, dims.Select(d => shape[d]));
        return AsTensor(values, shape, x.DType);
    }

    /// <summary>
    /// The real signal whose one-sided spectrum along the last of <paramref name="dims"/> is x: the other dims are
    /// inverted as complex, then each last-dim line is completed by Hermitian symmetry (X[n−k] = conj X[k]) to
    /// <paramref name="lastDimSize"/> points and inverted; the imaginary parts of X[0] (and X[n/2]) drop out, as in pocketfft.
    /// </summary>
    public static Tensor ComplexToReal(Tensor x, int[] dims, long normalization, long lastDimSize)
    {
        var inShape = x.Sizes;
        var values = ComplexPointwise.Read(x, inShape);
        Fourier.Transform(values, inShape, dims[..^1], inverse: true);
        int last = dims[^1];
        long available = inShape[last], n = lastDimSize;
        var outShape = (long[])inShape.Clone();
        outShape[last] = n;
        long stride = 1;
        for (int d = last + 1; d < inShape.Length; d++) stride *= inShape[d];
        long outer = ShapeMath.Numel(inShape[..last]);
        var output = new Complex[ShapeMath.Numel(outShape)];
        CpuParallel.For(outer * stride, n * 16L, (l0, l1) =>
        {
            var line = new Complex[n];
            for (long l = l0; l < l1; l++)
            {
                long o = l / stride, inner = l % stride;
                long inStart = o * available * stride + inner, outStart = o * n * stride + inner;
                for (long k = 0; k < n; k++)
                {
                    long mirrored = n - k;
                    line[k] = k <= n / 2 ? Read(k) : Complex.Conjugate(Read(mirrored));
                }
                Fourier.Transform(line, inverse: true);
                for (long k = 0; k < n; k++) output[outStart + k * stride] = line[k].Real;

                Complex Read(long k) => k < available ? values[inStart + k * stride] : Complex.Zero;
            }
        });
        Scale(output, normalization, dims.Select(d => outShape[d]));
        return ComplexPointwise.Write(output.LongLength, i => output[i], outShape, x.DType.ToReal());
    }

    private static void Scale(Complex[] values, long normalization, IEnumerable<long> signalSizes)
    {
        if (normalization == 0) return;
        double n = signalSizes.Aggregate(1.0, (p, s) => p * s);
        double factor = normalization == 1 ? 1 / Math.Sqrt(n) : 1 / n;
        for (long i = 0; i < values.LongLength; i++) values[i] *= factor;
    }

    private static Tensor AsTensor(Complex[] values, long[] shape, DType dtype) =>
        ComplexPointwise.Write(values.LongLength, i => values[i], shape, dtype);
}

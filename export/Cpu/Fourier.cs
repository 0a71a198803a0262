using System.Collections.Concurrent;
using System.Numerics;

namespace Graphport.Cpu;

/// <summary>
/// Discrete Fourier transforms of complex data in double precision, along any dims of a row-major array. Lengths
/// that are powers of two take an iterative radix-2 FFT; any other length is turned into a power-of-two circular
/// convolution (Bluestein's chirp-z), so every length costs O(n log n), as pocketfft does for torch.
/// </summary>
public static class Fourier
{
    // Plans by length. A server transforming signals of many lengths would otherwise keep one per length forever (a
    // Bluestein plan for a long signal holds megabytes), so past a few dozen the caches start over.
    private const int MaxCachedPlans = 32;
    private static readonly ConcurrentDictionary<(int N, bool Inverse), Complex[]> Twiddles = new();
    private static readonly ConcurrentDictionary<(int N, bool Inverse), BluesteinPlan> BluesteinPlans = new();

    private static TPlan Cached<TPlan>(ConcurrentDictionary<(int N, bool Inverse), TPlan> cache, (int N, bool Inverse) key, Func<(int N, bool Inverse), TPlan> make)
    {
        if (cache.TryGetValue(key, out var plan)) return plan;
        if (cache.Count >= MaxCachedPlans) cache.Clear();
        return cache.GetOrAdd(key, make);
    }

    /// <summary>
    /// Transforms <paramref name="data"/> (row-major, of <paramref name="shape"/>) in place along each of
    /// <paramref name="dims"/>: X[k] = Σ x[j]·e^(∓2πi·jk/n), the minus sign forward. No scaling.
    /// </summary>
    public static void Transform(Complex[] data, long[] shape, IEnumerable<int> dims, bool inverse)
    {
        foreach (int dim in dims)
        {
            int n = checked((int)shape[dim]);
            if (n <= 1) continue;
            long stride = 1;
            for (int d = dim + 1; d < shape.Length; d++) stride *= shape[d];
            long outer = data.LongLength / (n * stride);
            long lines = outer * stride;
            CpuParallel.For(lines, n * 16L, (l0, l1) =>
            {
                var line = new Complex[n];
                for (long l = l0; l < l1; l++)
                {
                    long o = l / stride, inner = l % stride;
                    long start = o * n * stride + inner;
                    for (int k = 0; k < n; k++) line[k] = data[start + k * stride];
                    Transform(line, inverse);
                    for (int k = 0; k < n; k++) data[start + k * stride] = line[k];
                }
            });
        }
    }

    /// <summary>The unscaled DFT of one line, in place.</summary>
    public static void Transform(Complex[] line, bool inverse)
    {
        int n = line.Length;
        if (n <= 1) return;
        if (BitOperations.IsPow2(n)) Radix2(line, inverse);
        else Cached(BluesteinPlans, (n, inverse), key => new BluesteinPlan(key.N, key.Inverse)).Run(line);
    }

    private static void Radix2(Complex[] a, bool inverse)
    {
        int n = a.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) (a[i], a[j]) = (a[j], a[i]);
        }
        // w[k] = e^(∓2πik/n) for k < n/2, computed directly (not by repeated multiplication) to keep full precision.
        var w = Cached(Twiddles, (n, inverse), key =>
        {
            var t = new Complex[key.N / 2];
            double sign = key.Inverse ? 1 : -1;
            for (int k = 0; k < t.Length; k++) t[k] = Complex.FromPolarCoordinates(1, sign * 2 * Math.PI * k / key.N);
            return t;
        });
        for (int length = 2; length <= n; length <<= 1)
        {
            int half = length >> 1, step = n / length;
            for (int start = 0; start < n; start += length)
            {
                for (int k = 0; k < half; k++)
                {
                    var u = a[start + k];
                    var v = a[start + k + half] * w[k * step];
                    a[start + k] = u + v;
                    a[start + k + half] = u - v;
                }
            }
        }
    }

    /// <summary>
    /// Bluestein: with jk = (j² + k² − (k−j)²)/2, the DFT is a convolution of x·chirp with the conjugate chirp, done
    /// as power-of-two FFTs of length m ≥ 2n − 1. The chirp's angle uses j² mod 2n so large j keep full precision.
    /// </summary>
    private sealed class BluesteinPlan
    {
        private readonly int n;
        private readonly int m;
        private readonly Complex[] chirp;
        private readonly Complex[] kernelSpectrum;

        public BluesteinPlan(int n, bool inverse)
        {
            this.n = n;
            m = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * n - 1));
            chirp = new Complex[n];
            double sign = inverse ? 1 : -1;
            for (int j = 0; j < n; j++)
            {
                long square = (long)j * j % (2L * n);
                chirp[j] = Complex.FromPolarCoordinates(1, sign * Math.PI * square / n);
            }
            kernelSpectrum = new Complex[m];
            kernelSpectrum[0] = Complex.Conjugate(chirp[0]);
            for (int j = 1; j < n; j++) kernelSpectrum[j] = kernelSpectrum[m - j] = Complex.Conjugate(chirp[j]);
            Radix2(kernelSpectrum, inverse: false);
        }

        public void Run(Complex[] line)
        {
            var work = new Complex[m];
            for (int j = 0; j < n; j++) work[j] = line[j] * chirp[j];
            Radix2(work, inverse: false);
            for (int k = 0; k < m; k++) work[k] *= kernelSpectrum[k];
            Radix2(work, inverse: true);
            for (int k = 0; k < n; k++) line[k] = work[k] / m * chirp[k];
        }
    }
}

using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

/// <summary>How a test lays a logical array out in memory, to exercise every stride pattern the kernels accept.</summary>
public enum LayoutKind
{
    Contiguous,
    // Row-major without gaps, starting past other values (a slice of leading rows, as torch's narrow gives).
    ContiguousWithOffset,
    PaddedWithOffset,
    ColumnMajor,
    Broadcast,
    Flipped,
}

/// <summary>A logical array (row-major values) together with one concrete strided storage of it.</summary>
public sealed record Strided<T>(T[] Data, StridedLayout Layout, T[] Logical) where T : unmanaged;

/// <summary>Seeded random inputs and layout builders shared by the CPU kernel tests.</summary>
public static class CpuTestData
{
    public static readonly LayoutKind[] AllKinds = Enum.GetValues<LayoutKind>();

    /// <summary>
    /// Absolute and relative tolerance of a float32 sum of <paramref name="terms"/> products of numbers in [-1, 1]
    /// against a double reference. Rounding grows with the number of terms: a flat 1e-5 held for a hundred, but a
    /// convolution summing 288 came within three quarters of it over 150 seeds, and one split otherwise crossed it, while a wrong
    /// index or a dropped tap is off by about 0.1 or more.
    /// </summary>
    public static double FloatSumTolerance(int terms) => Math.Max(1e-5, 1e-7 * terms);

    public static double[] Doubles(Random rng, long n, double lo = -3, double hi = 3)
    {
        var r = new double[n];
        for (long i = 0; i < n; i++) r[i] = lo + (hi - lo) * rng.NextDouble();
        return r;
    }

    public static float[] Floats(Random rng, long n, double lo = -3, double hi = 3) => Doubles(rng, n, lo, hi).Select(v => (float)v).ToArray();

    /// <summary>Row-major multi-indices of <paramref name="shape"/>.</summary>
    public static IEnumerable<long[]> Indices(long[] shape)
    {
        long n = ShapeMath.Numel(shape);
        for (long flat = 0; flat < n; flat++)
        {
            var idx = new long[shape.Length];
            long rem = flat;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                idx[d] = rem % shape[d];
                rem /= shape[d];
            }
            yield return idx;
        }
    }

    public static long Flat(long[] shape, long[] idx)
    {
        long f = 0;
        for (int d = 0; d < shape.Length; d++) f = f * shape[d] + idx[d];
        return f;
    }

    /// <summary>Stores the logical values produced by <paramref name="make"/> with the requested layout kind.</summary>
    public static Strided<T> Make<T>(long[] shape, LayoutKind kind, Func<long, T[]> make) where T : unmanaged
    {
        int rank = shape.Length;
        long n = ShapeMath.Numel(shape);
        switch (kind)
        {
            case LayoutKind.PaddedWithOffset:
            {
                var padded = shape.Select(s => s + 1).ToArray();
                var strides = ShapeMath.ContiguousStrides(padded);
                long offset = 3;
                var data = new T[offset + ShapeMath.Numel(padded) + 1];
                var logical = make(n);
                foreach (var idx in Indices(shape))
                    data[offset + Enumerable.Range(0, rank).Sum(d => idx[d] * strides[d])] = logical[Flat(shape, idx)];
                return new Strided<T>(data, new StridedLayout((long[])shape.Clone(), strides, offset), logical);
            }
            case LayoutKind.ContiguousWithOffset:
            {
                const int before = 5, after = 2;
                var logical = make(n);
                // The values around the tensor's are other values of the same kind, which no kernel may read or write.
                var data = make(before + n + after);
                Array.Copy(logical, 0, data, before, n);
                return new Strided<T>(data, new StridedLayout((long[])shape.Clone(), ShapeMath.ContiguousStrides(shape), before), logical);
            }
            case LayoutKind.ColumnMajor:
            {
                var strides = new long[rank];
                long acc = 1;
                for (int d = 0; d < rank; d++)
                {
                    strides[d] = acc;
                    acc *= Math.Max(shape[d], 1);
                }
                var data = new T[Math.Max(n, 1)];
                var logical = make(n);
                foreach (var idx in Indices(shape))
                    data[Enumerable.Range(0, rank).Sum(d => idx[d] * strides[d])] = logical[Flat(shape, idx)];
                return new Strided<T>(data, new StridedLayout((long[])shape.Clone(), strides, 0), logical);
            }
            case LayoutKind.Broadcast:
            {
                // Dim 0 (or the first dim with size > 1) is broadcast from a single stored slice.
                int bd = Array.FindIndex(shape, s => s > 1);
                if (bd < 0) return Make(shape, LayoutKind.Contiguous, make);
                var baseShape = (long[])shape.Clone();
                baseShape[bd] = 1;
                var stored = make(ShapeMath.Numel(baseShape));
                var layout = StridedLayout.Contiguous(baseShape).BroadcastTo(shape);
                var logical = new T[n];
                foreach (var idx in Indices(shape))
                {
                    var b = (long[])idx.Clone();
                    b[bd] = 0;
                    logical[Flat(shape, idx)] = stored[Flat(baseShape, b)];
                }
                return new Strided<T>(stored, layout, logical);
            }
            case LayoutKind.Flipped:
            {
                var logical = make(n);
                var layout = StridedLayout.Contiguous(shape);
                var data = new T[Math.Max(n, 1)];
                for (int d = 0; d < rank; d++) layout = layout.Flip(d);
                foreach (var idx in Indices(shape))
                    data[layout.Offset + Enumerable.Range(0, rank).Sum(d => idx[d] * layout.Strides[d])] = logical[Flat(shape, idx)];
                return new Strided<T>(data, layout, logical);
            }
            default:
            {
                var logical = make(n);
                return new Strided<T>((T[])logical.Clone(), StridedLayout.Contiguous(shape), logical);
            }
        }
    }

    public static Strided<float> MakeFloat(Random rng, long[] shape, LayoutKind kind, double lo = -3, double hi = 3)
        => Make(shape, kind, n => Floats(rng, n, lo, hi));

    public static Strided<double> MakeDouble(Random rng, long[] shape, LayoutKind kind, double lo = -3, double hi = 3)
        => Make(shape, kind, n => Doubles(rng, n, lo, hi));

    /// <summary>Shapes every elementwise test runs on: scalars, size-0 and size-1 dims, odd sizes past vector widths.</summary>
    public static readonly long[][] Shapes =
    [
        [],
        [0],
        [1],
        [7],
        [33],
        [3, 0, 2],
        [1, 5],
        [4, 1, 3],
        [3, 17],
        [2, 3, 4, 5],
        [64, 130],
    ];

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double rtol, double atol, string what)
    {
        Assert.True(expected.Length <= actual.Length, $"{what}: output has {actual.Length} elements, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++) AssertClose(expected[i], actual[i], rtol, atol, what, i);
    }

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double rtol, double atol, string what)
    {
        Assert.True(expected.Length <= actual.Length, $"{what}: output has {actual.Length} elements, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++) AssertClose(expected[i], actual[i], rtol, atol, what, i);
    }

    public static void AssertClose(double e, double a, double rtol, double atol, string what, long i)
    {
        if (double.IsNaN(e))
        {
            Assert.True(double.IsNaN(a), $"{what}[{i}]: expected NaN, got {a}");
            return;
        }
        if (double.IsInfinity(e))
        {
            Assert.True(e == a, $"{what}[{i}]: expected {e}, got {a}");
            return;
        }
        Assert.True(Math.Abs(e - a) <= atol + rtol * Math.Abs(e), $"{what}[{i}]: expected {e:R}, got {a:R} (|diff| {Math.Abs(e - a):E2})");
    }
}

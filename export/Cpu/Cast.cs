using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

/// <summary>Element type conversion with torch semantics (float→int truncates, x→bool is x != 0, bool→number is 0/1).</summary>
public static partial class Cast
{
    private const int Chunk = 4096;

    /// <summary>The element types Convert accepts, keyed by DType.</summary>
    public static Type ElementType(DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Float16 => typeof(Half),
        DType.BFloat16 => typeof(BFloat16),
        DType.Int64 => typeof(long),
        DType.Int32 => typeof(int),
        DType.Int8 => typeof(sbyte),
        DType.UInt8 => typeof(byte),
        DType.Bool => typeof(bool),
        DType.Complex64 => typeof(ComplexFloat),
        DType.Complex128 => typeof(Complex),
        _ => throw new ArgumentException($"Cast: dtype {dtype} is not supported; expected one of {string.Join(", ", Enum.GetNames<DType>())}", nameof(dtype)),
    };

    public static Array Allocate(DType dtype, long numel) => Array.CreateInstance(ElementType(dtype), numel);

    /// <summary>dst[i] = convert(src[layout element i]) for a row-major dst of at least numel elements.</summary>
    public static void Convert(Array src, StridedLayout layout, Array dst)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(dst);
        CheckSupported(src, nameof(src));
        CheckSupported(dst, nameof(dst));
        layout.Validate(src.LongLength, "Cast.Convert", nameof(src));
        long n = layout.Numel;
        ShapeMath.CheckLength(dst.LongLength, n, "Cast.Convert", nameof(dst));
        if (n == 0) return;
        Array contiguous = MakeContiguous(src, layout, out int start);
        CpuParallel.For((n + Chunk - 1) / Chunk, Chunk, (c0, c1) =>
        {
            for (long c = c0; c < c1; c++)
            {
                int s = (int)(c * Chunk), len = (int)Math.Min(Chunk, n - s);
                ConvertChunk(contiguous, start + s, dst, s, len);
            }
        });
    }

    /// <summary>Converts a whole contiguous array into a new array of <paramref name="dtype"/>.</summary>
    public static Array Convert(Array src, DType dtype)
    {
        ArgumentNullException.ThrowIfNull(src);
        var dst = Allocate(dtype, src.LongLength);
        Convert(src, StridedLayout.Contiguous(src.LongLength), dst);
        return dst;
    }

    private static void CheckSupported(Array a, string argument)
    {
        var t = a.GetType().GetElementType();
        if (a.Rank != 1 || !(t == typeof(float) || t == typeof(double) || t == typeof(Half) || t == typeof(BFloat16) || t == typeof(long)
            || t == typeof(int) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(bool) || t == typeof(ComplexFloat) || t == typeof(Complex)))
            throw new ArgumentException($"Cast.Convert: {argument} is a {a.GetType().Name}; expected a one-dimensional array of float, double, Half, BFloat16, long, int, sbyte, byte, bool, ComplexFloat or Complex", argument);
    }

    private static Array MakeContiguous(Array src, StridedLayout layout, out int start)
    {
        if (layout.IsContiguous)
        {
            start = (int)layout.Offset;
            return src;
        }
        start = 0;
        return src switch
        {
            float[] a => StridedCopy.ToContiguous(a, layout),
            double[] a => StridedCopy.ToContiguous(a, layout),
            Half[] a => StridedCopy.ToContiguous(a, layout),
            BFloat16[] a => StridedCopy.ToContiguous(a, layout),
            long[] a => StridedCopy.ToContiguous(a, layout),
            int[] a => StridedCopy.ToContiguous(a, layout),
            sbyte[] a when a.GetType() == typeof(sbyte[]) => StridedCopy.ToContiguous(a, layout),
            byte[] a => StridedCopy.ToContiguous(a, layout),
            bool[] a => StridedCopy.ToContiguous(a, layout),
            ComplexFloat[] a => StridedCopy.ToContiguous(a, layout),
            Complex[] a => StridedCopy.ToContiguous(a, layout),
            _ => throw new InvalidOperationException(),
        };
    }

    private static void ConvertChunk(Array src, int s, Array dst, int d, int n)
    {
        switch (src)
        {
            case ComplexFloat[] a: FromComplex(a.AsSpan(s, n), dst, d); break;
            case Complex[] a: FromComplex(a.AsSpan(s, n), dst, d); break;
            case float[] a: From<float>(a.AsSpan(s, n), dst, d); break;
            case double[] a: From<double>(a.AsSpan(s, n), dst, d); break;
            case Half[] a: From<Half>(a.AsSpan(s, n), dst, d); break;
            case long[] a: From<long>(a.AsSpan(s, n), dst, d); break;
            case int[] a: From<int>(a.AsSpan(s, n), dst, d); break;
            // A byte[] also matches sbyte[] at run time; only a real sbyte[] takes the signed path.
            case sbyte[] a when a.GetType() == typeof(sbyte[]): From<sbyte>(a.AsSpan(s, n), dst, d); break;
            case byte[] a: From<byte>(a.AsSpan(s, n), dst, d); break;
            case bool[] a:
                if (dst is bool[] db) a.AsSpan(s, n).CopyTo(db.AsSpan(d, n));
                else From<byte>(MemoryMarshal.Cast<bool, byte>(a.AsSpan(s, n)), dst, d);
                break;
            case BFloat16[] a:
                if (dst is BFloat16[] dbf) { a.AsSpan(s, n).CopyTo(dbf.AsSpan(d, n)); break; }
                var tmp = ArrayPool<float>.Shared.Rent(n);
                try
                {
                    BFloat16ToSingle(a.AsSpan(s, n), tmp.AsSpan(0, n));
                    From<float>(tmp.AsSpan(0, n), dst, d);
                }
                finally { ArrayPool<float>.Shared.Return(tmp); }
                break;
        }
    }

    /// <summary>
    /// Complex to anything, as torch casts: into complex, both parts; into bool, whether either part is nonzero; into a
    /// real dtype, the real part (torch warns that the imaginary part is discarded, and so does <c>_to_copy</c>'s caller).
    /// </summary>
    private static void FromComplex<TFrom>(ReadOnlySpan<TFrom> s, Array dst, int d) where TFrom : unmanaged
    {
        int n = s.Length;
        switch (dst)
        {
            case ComplexFloat[] o:
                for (int i = 0; i < n; i++) o[d + i] = (ComplexFloat)AsComplex(s[i]);
                return;
            case Complex[] o:
                for (int i = 0; i < n; i++) o[d + i] = AsComplex(s[i]);
                return;
            case bool[] o:
                for (int i = 0; i < n; i++) o[d + i] = AsComplex(s[i]) != Complex.Zero;
                return;
        }
        var real = ArrayPool<double>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++) real[i] = AsComplex(s[i]).Real;
            From<double>(real.AsSpan(0, n), dst, d);
        }
        finally { ArrayPool<double>.Shared.Return(real); }
    }

    private static Complex AsComplex<T>(T value) => value switch
    {
        ComplexFloat c => c,
        Complex c => c,
        _ => throw new InvalidOperationException(),
    };

    private static void From<TFrom>(ReadOnlySpan<TFrom> s, Array dst, int d) where TFrom : unmanaged, INumberBase<TFrom>
    {
        int n = s.Length;
        switch (dst)
        {
            case ComplexFloat[] o:
                for (int i = 0; i < n; i++) o[d + i] = new ComplexFloat(float.CreateTruncating(s[i]), 0);
                break;
            case Complex[] o:
                for (int i = 0; i < n; i++) o[d + i] = new Complex(double.CreateTruncating(s[i]), 0);
                break;
            case float[] o: Numeric(s, o.AsSpan(d, n)); break;
            case double[] o: Numeric(s, o.AsSpan(d, n)); break;
            case Half[] o: Numeric(s, o.AsSpan(d, n)); break;
            case long[] o: Numeric(s, o.AsSpan(d, n)); break;
            case int[] o: Numeric(s, o.AsSpan(d, n)); break;
            case sbyte[] o when o.GetType() == typeof(sbyte[]): Numeric(s, o.AsSpan(d, n)); break;
            case byte[] o: Numeric(s, o.AsSpan(d, n)); break;
            case bool[] o:
                var bytes = MemoryMarshal.Cast<bool, byte>(o.AsSpan(d, n));
                TensorPrimitives.IsZero(s, o.AsSpan(d, n));
                TensorPrimitives.Xor(bytes, (byte)1, bytes);
                break;
            case BFloat16[] o:
                if (typeof(TFrom) == typeof(float))
                {
                    SingleToBFloat16(MemoryMarshal.Cast<TFrom, float>(s), o.AsSpan(d, n));
                    break;
                }
                var tmp = ArrayPool<float>.Shared.Rent(n);
                try
                {
                    Numeric(s, tmp.AsSpan(0, n));
                    SingleToBFloat16(tmp.AsSpan(0, n), o.AsSpan(d, n));
                }
                finally { ArrayPool<float>.Shared.Return(tmp); }
                break;
        }
    }

    private static bool IsFloating<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half);

    private static void Numeric<TFrom, TTo>(ReadOnlySpan<TFrom> s, Span<TTo> d)
        where TFrom : unmanaged, INumberBase<TFrom> where TTo : unmanaged, INumberBase<TTo>
    {
        if (typeof(TFrom) == typeof(TTo))
        {
            MemoryMarshal.Cast<TFrom, TTo>(s).CopyTo(d);
            return;
        }
        if (TryLanes(s, d)) return;
        // torch casts floating values to narrow integers through int64, so -1.0 → uint8 wraps to 255 rather than saturating.
        if (IsFloating<TFrom>() && !IsFloating<TTo>() && typeof(TTo) != typeof(long))
        {
            var tmp = ArrayPool<long>.Shared.Rent(s.Length);
            try
            {
                TensorPrimitives.ConvertTruncating(s, tmp.AsSpan(0, s.Length));
                TensorPrimitives.ConvertTruncating<long, TTo>(tmp.AsSpan(0, s.Length), d);
            }
            finally { ArrayPool<long>.Shared.Return(tmp); }
            return;
        }
        TensorPrimitives.ConvertTruncating(s, d);
    }

    /// <summary>BFloat16 is the top half of a float32, so widening is a 16-bit shift.</summary>
    public static void BFloat16ToSingle(ReadOnlySpan<BFloat16> src, Span<float> dst)
    {
        var bits = MemoryMarshal.Cast<BFloat16, ushort>(src);
        var wide = MemoryMarshal.Cast<float, uint>(dst);
        TensorPrimitives.ConvertTruncating(bits, wide[..bits.Length]);
        TensorPrimitives.ShiftLeft(wide[..bits.Length], 16, wide[..bits.Length]);
    }

    /// <summary>Round-to-nearest-even narrowing that keeps NaN a (quiet) NaN, vectorized with Vector&lt;uint&gt;.</summary>
    public static void SingleToBFloat16(ReadOnlySpan<float> src, Span<BFloat16> dst)
    {
        if (dst.Length < src.Length)
            throw new ArgumentException($"SingleToBFloat16: dst has {dst.Length} elements; expected at least {src.Length}", nameof(dst));
        var outBits = MemoryMarshal.Cast<BFloat16, ushort>(dst);
        int i = 0;
        int w = Vector<uint>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            var inBits = MemoryMarshal.Cast<float, uint>(src);
            var bias = new Vector<uint>(0x7FFF);
            var one = Vector<uint>.One;
            var quiet = new Vector<uint>(0x0040);
            for (; i + 2 * w <= src.Length; i += 2 * w)
            {
                var lo = Round(new Vector<uint>(inBits.Slice(i, w)), new Vector<float>(src.Slice(i, w)), bias, one, quiet);
                var hi = Round(new Vector<uint>(inBits.Slice(i + w, w)), new Vector<float>(src.Slice(i + w, w)), bias, one, quiet);
                Vector.Narrow(lo, hi).CopyTo(outBits.Slice(i, 2 * w));
            }
        }
        for (; i < src.Length; i++) dst[i] = (BFloat16)src[i];

        static Vector<uint> Round(Vector<uint> bits, Vector<float> v, Vector<uint> bias, Vector<uint> one, Vector<uint> quiet)
        {
            var rounded = (bits + bias + ((bits >> 16) & one)) >> 16;
            var nan = Vector.AsVectorUInt32(~Vector.Equals(v, v));
            return Vector.ConditionalSelect(nan, (bits >> 16) | quiet, rounded);
        }
    }
}

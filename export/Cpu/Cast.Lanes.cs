using System.Numerics;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

public static partial class Cast
{
    /// <summary>
    /// The conversions between float32, int32, int64 and the 8-bit integers that quantized programs run on every
    /// call, as one vector loop each: TensorPrimitives has no vector path for several of them (int32 → uint8 ran one
    /// element at a time through a generic operator), and float32 → 8 bits took three passes. False when the pair is
    /// not one of these, or when a float32 lies outside int32's range (the caller converts the chunk through int64,
    /// as torch does; .NET saturates such values to int.MinValue or int.MaxValue, which no float32 in the range gives
    /// but -2^31, which merely takes the slow path). The numbers are those of the scalar casts.
    /// </summary>
    private static bool TryLanes<TFrom, TTo>(ReadOnlySpan<TFrom> s, Span<TTo> d) where TFrom : unmanaged where TTo : unmanaged
    {
        if (typeof(TFrom) == typeof(float))
        {
            var floats = MemoryMarshal.Cast<TFrom, float>(s);
            if (typeof(TTo) == typeof(int)) return FloatsToInts(floats, MemoryMarshal.Cast<TTo, int>(d));
            if (typeof(TTo) == typeof(byte) || typeof(TTo) == typeof(sbyte)) return FloatsToBytes(floats, MemoryMarshal.Cast<TTo, byte>(d));
            return false;
        }
        if (typeof(TFrom) == typeof(int))
        {
            var ints = MemoryMarshal.Cast<TFrom, int>(s);
            if (typeof(TTo) == typeof(float)) IntsToFloats(ints, MemoryMarshal.Cast<TTo, float>(d));
            else if (typeof(TTo) == typeof(byte) || typeof(TTo) == typeof(sbyte)) IntsToBytes(ints, MemoryMarshal.Cast<TTo, byte>(d));
            else return false;
            return true;
        }
        if (typeof(TFrom) == typeof(byte) || typeof(TFrom) == typeof(sbyte))
        {
            var bytes = MemoryMarshal.Cast<TFrom, byte>(s);
            bool signed = typeof(TFrom) == typeof(sbyte);
            if (typeof(TTo) == typeof(int)) BytesToInts(bytes, signed, MemoryMarshal.Cast<TTo, int>(d));
            else if (typeof(TTo) == typeof(float)) BytesToFloats(bytes, signed, MemoryMarshal.Cast<TTo, float>(d));
            else if (typeof(TTo) == typeof(byte) || typeof(TTo) == typeof(sbyte)) bytes.CopyTo(MemoryMarshal.Cast<TTo, byte>(d));
            else return false;
            return true;
        }
        if (typeof(TFrom) == typeof(long) && typeof(TTo) == typeof(int))
        {
            LongsToInts(MemoryMarshal.Cast<TFrom, long>(s), MemoryMarshal.Cast<TTo, int>(d));
            return true;
        }
        return false;
    }

    private static bool FloatsToInts(ReadOnlySpan<float> s, Span<int> d)
    {
        int i = 0, w = Vector<float>.Count;
        var outside = Vector<int>.Zero;
        for (; i + w <= s.Length; i += w)
        {
            var v = Vector.ConvertToInt32(new Vector<float>(s[i..]));
            outside |= Saturated(v);
            v.CopyTo(d[i..]);
        }
        for (; i < s.Length; i++)
        {
            int v = (int)s[i];
            if (v is int.MinValue or int.MaxValue) return false;
            d[i] = v;
        }
        return outside == Vector<int>.Zero;
    }

    // Through int32 and its low byte: what torch's int64 route gives for every value inside int32's range.
    private static bool FloatsToBytes(ReadOnlySpan<float> s, Span<byte> d)
    {
        int i = 0, w = Vector<float>.Count;
        var outside = Vector<int>.Zero;
        for (; i + 4 * w <= s.Length; i += 4 * w)
        {
            var a = Vector.ConvertToInt32(new Vector<float>(s[i..]));
            var b = Vector.ConvertToInt32(new Vector<float>(s[(i + w)..]));
            var c = Vector.ConvertToInt32(new Vector<float>(s[(i + 2 * w)..]));
            var e = Vector.ConvertToInt32(new Vector<float>(s[(i + 3 * w)..]));
            outside |= Saturated(a) | Saturated(b) | Saturated(c) | Saturated(e);
            NarrowToBytes(a, b, c, e).CopyTo(d[i..]);
        }
        for (; i < s.Length; i++)
        {
            int v = (int)s[i];
            if (v is int.MinValue or int.MaxValue) return false;
            d[i] = (byte)v;
        }
        return outside == Vector<int>.Zero;
    }

    private static Vector<int> Saturated(Vector<int> v) =>
        Vector.Equals(v, new Vector<int>(int.MinValue)) | Vector.Equals(v, new Vector<int>(int.MaxValue));

    // Vector.Narrow keeps the low half of each lane, so two narrowings keep each int32's low byte.
    private static Vector<byte> NarrowToBytes(Vector<int> a, Vector<int> b, Vector<int> c, Vector<int> e) =>
        Vector.AsVectorByte(Vector.Narrow(Vector.Narrow(Vector.AsVectorUInt32(a), Vector.AsVectorUInt32(b)), Vector.Narrow(Vector.AsVectorUInt32(c), Vector.AsVectorUInt32(e))));

    private static void IntsToFloats(ReadOnlySpan<int> s, Span<float> d)
    {
        int i = 0, w = Vector<int>.Count;
        for (; i + w <= s.Length; i += w) Vector.ConvertToSingle(new Vector<int>(s[i..])).CopyTo(d[i..]);
        for (; i < s.Length; i++) d[i] = s[i];
    }

    private static void IntsToBytes(ReadOnlySpan<int> s, Span<byte> d)
    {
        int i = 0, w = Vector<int>.Count;
        for (; i + 4 * w <= s.Length; i += 4 * w)
            NarrowToBytes(new Vector<int>(s[i..]), new Vector<int>(s[(i + w)..]), new Vector<int>(s[(i + 2 * w)..]), new Vector<int>(s[(i + 3 * w)..])).CopyTo(d[i..]);
        for (; i < s.Length; i++) d[i] = (byte)s[i];
    }

    private static void LongsToInts(ReadOnlySpan<long> s, Span<int> d)
    {
        int i = 0, w = Vector<long>.Count;
        for (; i + 2 * w <= s.Length; i += 2 * w)
            Vector.AsVectorInt32(Vector.Narrow(Vector.AsVectorUInt64(new Vector<long>(s[i..])), Vector.AsVectorUInt64(new Vector<long>(s[(i + w)..])))).CopyTo(d[i..]);
        for (; i < s.Length; i++) d[i] = (int)s[i];
    }

    private static void BytesToInts(ReadOnlySpan<byte> s, bool signed, Span<int> d)
    {
        int i = 0, w = Vector<byte>.Count, q = Vector<int>.Count;
        for (; i + w <= s.Length; i += w)
        {
            var (a, b, c, e) = Widen(new Vector<byte>(s[i..]), signed);
            a.CopyTo(d[i..]);
            b.CopyTo(d[(i + q)..]);
            c.CopyTo(d[(i + 2 * q)..]);
            e.CopyTo(d[(i + 3 * q)..]);
        }
        for (; i < s.Length; i++) d[i] = signed ? (sbyte)s[i] : s[i];
    }

    private static void BytesToFloats(ReadOnlySpan<byte> s, bool signed, Span<float> d)
    {
        int i = 0, w = Vector<byte>.Count, q = Vector<int>.Count;
        for (; i + w <= s.Length; i += w)
        {
            var (a, b, c, e) = Widen(new Vector<byte>(s[i..]), signed);
            Vector.ConvertToSingle(a).CopyTo(d[i..]);
            Vector.ConvertToSingle(b).CopyTo(d[(i + q)..]);
            Vector.ConvertToSingle(c).CopyTo(d[(i + 2 * q)..]);
            Vector.ConvertToSingle(e).CopyTo(d[(i + 3 * q)..]);
        }
        for (; i < s.Length; i++) d[i] = signed ? (sbyte)s[i] : s[i];
    }

    // Each byte to an int32, zero- or sign-extended, the four quarters in order.
    private static (Vector<int>, Vector<int>, Vector<int>, Vector<int>) Widen(Vector<byte> bytes, bool signed)
    {
        if (signed)
        {
            Vector.Widen(Vector.AsVectorSByte(bytes), out Vector<short> lo, out Vector<short> hi);
            Vector.Widen(lo, out Vector<int> a, out Vector<int> b);
            Vector.Widen(hi, out Vector<int> c, out Vector<int> e);
            return (a, b, c, e);
        }
        Vector.Widen(bytes, out Vector<ushort> ulo, out Vector<ushort> uhi);
        Vector.Widen(ulo, out Vector<uint> ua, out Vector<uint> ub);
        Vector.Widen(uhi, out Vector<uint> uc, out Vector<uint> ue);
        return (Vector.AsVectorInt32(ua), Vector.AsVectorInt32(ub), Vector.AsVectorInt32(uc), Vector.AsVectorInt32(ue));
    }
}

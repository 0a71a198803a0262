using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graphport.Cpu;

public static partial class Pointwise
{
    /// <summary>Byte pattern of eight bools for each 8-bit comparison mask: lets a vector compare store 8 results with one write.</summary>
    private static readonly ulong[] MaskToBools = BuildMaskTable();

    /// <summary>output[i] = a[i] op b[i] for float, double, long or int (NaN: only Ne is true).</summary>
    public static void Compare<T>(CompareOp op, T[] a, StridedLayout la, T[] b, StridedLayout lb, bool[] output) where T : unmanaged, INumber<T>
    {
        string kernel = $"Pointwise.Compare({op})";
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double) && typeof(T) != typeof(long) && typeof(T) != typeof(int))
            throw new ArgumentException($"{kernel}: element type {typeof(T).Name} is not supported; expected float, double, long or int", nameof(a));
        BinaryRow<T, bool> row = op switch
        {
            CompareOp.Eq => CompareRow<T, EqOp>,
            CompareOp.Ne => CompareRow<T, NeOp>,
            CompareOp.Lt => CompareRow<T, LtOp>,
            CompareOp.Le => CompareRow<T, LeOp>,
            CompareOp.Gt => CompareRow<T, GtOp>,
            CompareOp.Ge => CompareRow<T, GeOp>,
            _ => throw new ArgumentException($"{kernel}: op {op} is not a known CompareOp; expected Eq, Ne, Lt, Le, Gt or Ge", nameof(op)),
        };
        ElementwiseDriver.Binary(kernel, a, la, b, lb, output, row);
    }

    private interface ICompareOp
    {
        static abstract Vector256<T> Vector<T>(Vector256<T> a, Vector256<T> b);
        static abstract bool Scalar<T>(T a, T b) where T : INumber<T>;
    }

    private struct EqOp : ICompareOp
    {
        public static Vector256<T> Vector<T>(Vector256<T> a, Vector256<T> b) => Vector256.Equals(a, b);
        public static bool Scalar<T>(T a, T b) where T : INumber<T> => a == b;
    }

    private struct NeOp : ICompareOp
    {
        public static Vector256<T> Vector<T>(Vector256<T> a, Vector256<T> b) => ~Vector256.Equals(a, b);
        public static bool Scalar<T>(T a, T b) where T : INumber<T> => a != b;
    }

    private struct LtOp : ICompareOp
    {
        public static Vector256<T> Vector<T>(Vector256<T> a, Vector256<T> b) => Vector256.LessThan(a, b);
        public static bool Scalar<T>(T a, T b) where T : INumber<T> => a < b;
    }

    private struct LeOp : ICompareOp
    {
        public static Vector256<T> Vector<T>(Vector256<T> a, Vector256<T> b) => Vector256.LessThanOrEqual(a, b);
        public static bool Scalar<T>(T a, T b) where T : INumber<T> => a <= b;
    }

    private struct GtOp : ICompareOp
    {
        public static Vector256<T> Vector<T>(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThan(a, b);
        public static bool Scalar<T>(T a, T b) where T : INumber<T> => a > b;
    }

    private struct GeOp : ICompareOp
    {
        public static Vector256<T> Vector<T>(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThanOrEqual(a, b);
        public static bool Scalar<T>(T a, T b) where T : INumber<T> => a >= b;
    }

    private static void CompareRow<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> d) where T : unmanaged, INumber<T> where TOp : struct, ICompareOp
    {
        int n = d.Length, i = 0;
        bool sa = a.Length != n, sb = b.Length != n;
        int lanes = Vector256<T>.Count;
        if (Vector256.IsHardwareAccelerated && (lanes == 8 || lanes == 4))
        {
            ref T ra = ref MemoryMarshal.GetReference(a);
            ref T rb = ref MemoryMarshal.GetReference(b);
            var va = Vector256.Create(a[0]);
            var vb = Vector256.Create(b[0]);
            ref byte dst = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetReference(d));
            for (; i + 8 <= n; i += 8)
            {
                var x = sa ? va : Vector256.LoadUnsafe(ref ra, (nuint)i);
                var y = sb ? vb : Vector256.LoadUnsafe(ref rb, (nuint)i);
                uint bits = TOp.Vector(x, y).ExtractMostSignificantBits();
                if (lanes == 4)
                {
                    x = sa ? va : Vector256.LoadUnsafe(ref ra, (nuint)(i + 4));
                    y = sb ? vb : Vector256.LoadUnsafe(ref rb, (nuint)(i + 4));
                    bits |= TOp.Vector(x, y).ExtractMostSignificantBits() << 4;
                }
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), MaskToBools[bits & 0xFF]);
            }
        }
        for (; i < n; i++) d[i] = TOp.Scalar(sa ? a[0] : a[i], sb ? b[0] : b[i]);
    }

    private static ulong[] BuildMaskTable()
    {
        var table = new ulong[256];
        for (int m = 0; m < 256; m++)
            for (int bit = 0; bit < 8; bit++)
                if ((m & (1 << bit)) != 0) table[m] |= 1UL << (8 * bit);
        return table;
    }
}

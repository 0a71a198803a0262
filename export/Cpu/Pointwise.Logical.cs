using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graphport.Cpu;

public static partial class Pointwise
{
    /// <summary>output[i] = a[i] op b[i] on bools (stored as bytes 0/1, so the byte-wise bit ops are exact).</summary>
    public static void Logical(LogicalOp op, bool[] a, StridedLayout la, bool[] b, StridedLayout lb, bool[] output)
    {
        ElementwiseDriver.Binary<bool, bool>($"Pointwise.Logical({op})", a, la, b, lb, output, (x, y, d) =>
        {
            using var sx = new Scratch<bool>(x.Length == d.Length ? 0 : d.Length);
            using var sy = new Scratch<bool>(y.Length == d.Length ? 0 : d.Length);
            var bx = MemoryMarshal.Cast<bool, byte>(ElementwiseDriver.Expand(x, d.Length, sx.Span));
            var by = MemoryMarshal.Cast<bool, byte>(ElementwiseDriver.Expand(y, d.Length, sy.Span));
            var bd = MemoryMarshal.Cast<bool, byte>(d);
            switch (op)
            {
                case LogicalOp.And: TensorPrimitives.BitwiseAnd(bx, by, bd); break;
                case LogicalOp.Or: TensorPrimitives.BitwiseOr(bx, by, bd); break;
                case LogicalOp.Xor: TensorPrimitives.Xor(bx, by, bd); break;
                default: throw new ArgumentException($"Pointwise.Logical: op {op} is not a known LogicalOp; expected And, Or or Xor", nameof(op));
            }
        });
    }

    /// <summary>output[i] = !x[i].</summary>
    public static void LogicalNot(bool[] x, StridedLayout layout, bool[] output)
        => ElementwiseDriver.Unary<bool, bool>("Pointwise.LogicalNot", x, layout, output, (s, d) =>
            TensorPrimitives.Xor(MemoryMarshal.Cast<bool, byte>(s), (byte)1, MemoryMarshal.Cast<bool, byte>(d)));

    /// <summary>output[i] = condition[i] ? a[i] : b[i] for any element type; all layouts already have the output shape.</summary>
    public static void Where<T>(bool[] condition, StridedLayout lc, T[] a, StridedLayout la, T[] b, StridedLayout lb, T[] output) where T : unmanaged
        => ElementwiseDriver.Ternary("Pointwise.Where", condition, lc, a, la, b, lb, output, WhereRow);

    /// <summary>output = x with value wherever mask is true (masked_fill); mask is laid out with x's shape.</summary>
    public static void MaskedFill<T>(T[] x, StridedLayout lx, bool[] mask, StridedLayout lm, T value, T[] output) where T : unmanaged
        => ElementwiseDriver.Ternary("Pointwise.MaskedFill", mask, lm, [value], new StridedLayout(lx.Shape, new long[lx.Rank], 0), x, lx, output, WhereRow);

    private static void WhereRow<T>(ReadOnlySpan<bool> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged
    {
        int n = d.Length, i = 0;
        bool sc = c.Length != n, sa = a.Length != n, sb = b.Length != n;
        if (sc)
        {
            if (c[0]) { if (sa) d.Fill(a[0]); else a.CopyTo(d); }
            else { if (sb) d.Fill(b[0]); else b.CopyTo(d); }
            return;
        }
        ref byte rc = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetReference(c));
        if (Avx2.IsSupported && (Unsafe.SizeOf<T>() == 4 || Unsafe.SizeOf<T>() == 8))
        {
            // Widen 8 (or 4) condition bytes to lane masks and blend, so masking in attention stays vectorized.
            ref byte ra = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(a));
            ref byte rb = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(b));
            ref byte rd = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(d));
            var va = sa ? Broadcast(a[0]) : default;
            var vb = sb ? Broadcast(b[0]) : default;
            int size = Unsafe.SizeOf<T>(), lanes = 32 / size;
            for (; i + lanes <= n; i += lanes)
            {
                var bytes = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref rc, i))).AsByte();
                Vector256<byte> mask = size == 4
                    ? Vector256.GreaterThan(Avx2.ConvertToVector256Int32(bytes), Vector256<int>.Zero).AsByte()
                    : Vector256.GreaterThan(Avx2.ConvertToVector256Int64(bytes), Vector256<long>.Zero).AsByte();
                var x = sa ? va : Vector256.LoadUnsafe(ref Unsafe.Add(ref ra, i * size));
                var y = sb ? vb : Vector256.LoadUnsafe(ref Unsafe.Add(ref rb, i * size));
                Vector256.ConditionalSelect(mask, x, y).StoreUnsafe(ref Unsafe.Add(ref rd, i * size));
            }
        }
        for (; i < n; i++) d[i] = c[i] ? (sa ? a[0] : a[i]) : (sb ? b[0] : b[i]);

        static Vector256<byte> Broadcast(T v)
        {
            Span<T> tmp = stackalloc T[32 / Unsafe.SizeOf<T>()];
            tmp.Fill(v);
            return Vector256.Create<byte>(MemoryMarshal.AsBytes(tmp));
        }
    }
}

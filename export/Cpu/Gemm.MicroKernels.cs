using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graphport.Cpu;

public static partial class Gemm
{
    /// <summary>Where the micro-kernels find the next row of a B panel, one per k step; a struct, so each kind
    /// compiles into the kernel (a cursor rather than an index: the kernel's loop then carries one pointer).</summary>
    private interface IPanelRows<T> where T : unmanaged
    {
        unsafe T* Next();
    }

    /// <summary>
    /// How a micro-kernel puts its tile into C: added to what C holds, or written over it (C's first k block when
    /// beta is 0: C is then never cleared beforehand nor read), plus, when overwriting, a per-row constant (a
    /// convolution's bias for each output channel) so no pass fills C with it first.
    /// </summary>
    private readonly unsafe struct Epilogue<T>(bool overwrite, T* rowBias) where T : unmanaged
    {
        public bool Overwrite => overwrite;

        /// <summary>The bias of the tile's first row, or null.</summary>
        public T* RowBias => rowBias;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store512<T>(T* row, Vector512<T> left, Vector512<T> right, Epilogue<T> e, int i) where T : unmanaged
    {
        int w = Vector512<T>.Count;
        if (!e.Overwrite)
        {
            (Vector512.Load(row) + left).Store(row);
            (Vector512.Load(row + w) + right).Store(row + w);
            return;
        }
        if (e.RowBias != null)
        {
            var bias = Vector512.Create(e.RowBias[i]);
            (left, right) = (left + bias, right + bias);
        }
        left.Store(row);
        right.Store(row + w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store256<T>(T* row, Vector256<T> left, Vector256<T> right, Epilogue<T> e, int i) where T : unmanaged
    {
        int w = Vector256<T>.Count;
        if (!e.Overwrite)
        {
            (Vector256.Load(row) + left).Store(row);
            (Vector256.Load(row + w) + right).Store(row + w);
            return;
        }
        if (e.RowBias != null)
        {
            var bias = Vector256.Create(e.RowBias[i]);
            (left, right) = (left + bias, right + bias);
        }
        left.Store(row);
        right.Store(row + w);
    }

    /// <summary>
    /// Cache lines of the next packed B panel a micro-kernel call prefetches into L2, one a k step (the rest, past kc,
    /// after its loop): a frozen module's weights come from memory once a call, and issuing a panel's 512 prefetches in
    /// one burst before the call stalled on them, slower than none (16 products of 16×512×512 from memory: 1.47 ms
    /// as bursts, 0.94 without, 0.51 one a step, in C).
    /// </summary>
    private readonly unsafe struct PanelPrefetch(byte* start, int lines)
    {
        /// <summary>The line for k step <paramref name="step"/>, if there is one.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step(int step)
        {
            if (step < lines) Sse.Prefetch1(start + (nint)step * 64);
        }

        /// <summary>The lines left after <paramref name="steps"/> k steps took one each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Rest(int steps)
        {
            for (int line = steps; line < lines; line++) Sse.Prefetch1(start + (nint)line * 64);
        }
    }

    /// <summary>A packed panel: its rows one after another, <paramref name="width"/> elements each.</summary>
    private unsafe struct PackedPanel<T>(T* first, nint width) : IPanelRows<T> where T : unmanaged
    {
        private T* next = first;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T* Next()
        {
            T* row = next;
            next += width;
            return row;
        }
    }

    /// <summary>B read where it lies: row p at <c>rows[p] + column</c> (rows of one matrix, or a convolution's input
    /// planes at each kernel tap's shift, <see cref="Convolution"/>).</summary>
    private unsafe struct RowTable<T>(T** rows, nint column) : IPanelRows<T> where T : unmanaged
    {
        private T** next = rows;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T* Next() => *next++ + column;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma512<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma256<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) where T : unmanaged
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float)) return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return a * b + c;
    }

    /// <summary>How many rows of A a micro-kernel call computes, as a type: each count compiles its own kernel, with the
    /// rows past it left out (no accumulators, loads or stores), so a ragged last panel of A (a 7×7 map's 49 positions:
    /// 6 panels of 8 and 1 row) costs its rows, not a whole panel's.</summary>
    private interface IRowCount
    {
        static abstract int Rows { get; }
    }

    private struct Rows1 : IRowCount { public static int Rows => 1; }
    private struct Rows2 : IRowCount { public static int Rows => 2; }
    private struct Rows3 : IRowCount { public static int Rows => 3; }
    private struct Rows4 : IRowCount { public static int Rows => 4; }
    private struct Rows5 : IRowCount { public static int Rows => 5; }
    private struct Rows6 : IRowCount { public static int Rows => 6; }
    private struct Rows7 : IRowCount { public static int Rows => 7; }
    private struct Rows8 : IRowCount { public static int Rows => 8; }

    /// <summary>
    /// C[R×2V] += A·B for R ≤ 8 rows of A (<typeparamref name="TCount"/>) and one 2-vector-wide B panel, accumulators in
    /// registers. A's element (i, p) is a[i·rowStride + p·kStride]: a packed panel is (1, 8); A read in place is
    /// (lda, 1). B's row p is <c>b.Next()</c>: in a packed panel, or read in place through a table of row addresses.
    /// <paramref name="e"/> says whether the tile is added to C or written over it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel512<T, TRows, TCount>(int kc, T* a, nint rowStride, nint kStride, TRows b, T* c, nint ldc, Epilogue<T> e, PanelPrefetch prefetch)
        where T : unmanaged where TRows : struct, IPanelRows<T> where TCount : struct, IRowCount
    {
        int w = Vector512<T>.Count, rows = TCount.Rows;
        // Rows 0-3 from one pointer and 4-7 from another, at 0, 1, 2 and 3 row strides: four registers for A, not
        // eight (with eight, the JIT spilled row pointers to the stack and reloaded them every k step).
        T* lo = a, hi = a + 4 * rowStride;
        nint s1 = rowStride, s2 = 2 * rowStride, s3 = 3 * rowStride;
        Vector512<T> c00 = default, c01 = default;
        Vector512<T> c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default;
        Vector512<T> c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default;
        Vector512<T> c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            prefetch.Step(p);
            T* row = b.Next();
            var b0 = Vector512.Load(row);
            var b1 = Vector512.Load(row + w);
            var a0 = Vector512.Create(lo[0]);
            c00 = Fma512(a0, b0, c00);
            c01 = Fma512(a0, b1, c01);
            if (rows > 1)
            {
                var a1 = Vector512.Create(lo[s1]);
                c10 = Fma512(a1, b0, c10);
                c11 = Fma512(a1, b1, c11);
            }
            if (rows > 2)
            {
                var a2 = Vector512.Create(lo[s2]);
                c20 = Fma512(a2, b0, c20);
                c21 = Fma512(a2, b1, c21);
            }
            if (rows > 3)
            {
                var a3 = Vector512.Create(lo[s3]);
                c30 = Fma512(a3, b0, c30);
                c31 = Fma512(a3, b1, c31);
            }
            if (rows > 4)
            {
                var a4 = Vector512.Create(hi[0]);
                c40 = Fma512(a4, b0, c40);
                c41 = Fma512(a4, b1, c41);
            }
            if (rows > 5)
            {
                var a5 = Vector512.Create(hi[s1]);
                c50 = Fma512(a5, b0, c50);
                c51 = Fma512(a5, b1, c51);
            }
            if (rows > 6)
            {
                var a6 = Vector512.Create(hi[s2]);
                c60 = Fma512(a6, b0, c60);
                c61 = Fma512(a6, b1, c61);
            }
            if (rows > 7)
            {
                var a7 = Vector512.Create(hi[s3]);
                c70 = Fma512(a7, b0, c70);
                c71 = Fma512(a7, b1, c71);
            }
            lo += kStride;
            hi += kStride;
        }
        prefetch.Rest(kc);
        Store512(c + 0 * ldc, c00, c01, e, 0);
        if (rows > 1) Store512(c + 1 * ldc, c10, c11, e, 1);
        if (rows > 2) Store512(c + 2 * ldc, c20, c21, e, 2);
        if (rows > 3) Store512(c + 3 * ldc, c30, c31, e, 3);
        if (rows > 4) Store512(c + 4 * ldc, c40, c41, e, 4);
        if (rows > 5) Store512(c + 5 * ldc, c50, c51, e, 5);
        if (rows > 6) Store512(c + 6 * ldc, c60, c61, e, 6);
        if (rows > 7) Store512(c + 7 * ldc, c70, c71, e, 7);
    }

    /// <summary>
    /// C[R×2V] += A·B for R ≤ 6 rows of A (<typeparamref name="TCount"/>) and one 2-vector-wide B panel, as
    /// <see cref="Kernel512{T, TRows, TCount}"/> does in 256-bit registers: a packed panel of A is (1, 6).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel256<T, TRows, TCount>(int kc, T* a, nint rowStride, nint kStride, TRows b, T* c, nint ldc, Epilogue<T> e, PanelPrefetch prefetch)
        where T : unmanaged where TRows : struct, IPanelRows<T> where TCount : struct, IRowCount
    {
        int w = Vector256<T>.Count, rows = TCount.Rows;
        // Rows 0-2 from one pointer and 3-5 from another, at 0, 1 and 2 row strides (see Kernel512).
        T* lo = a, hi = a + 3 * rowStride;
        nint s1 = rowStride, s2 = 2 * rowStride;
        Vector256<T> c00 = default, c01 = default;
        Vector256<T> c10 = default, c11 = default;
        Vector256<T> c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default;
        Vector256<T> c40 = default, c41 = default;
        Vector256<T> c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            prefetch.Step(p);
            T* row = b.Next();
            var b0 = Vector256.Load(row);
            var b1 = Vector256.Load(row + w);
            var a0 = Vector256.Create(lo[0]);
            c00 = Fma256(a0, b0, c00);
            c01 = Fma256(a0, b1, c01);
            if (rows > 1)
            {
                var a1 = Vector256.Create(lo[s1]);
                c10 = Fma256(a1, b0, c10);
                c11 = Fma256(a1, b1, c11);
            }
            if (rows > 2)
            {
                var a2 = Vector256.Create(lo[s2]);
                c20 = Fma256(a2, b0, c20);
                c21 = Fma256(a2, b1, c21);
            }
            if (rows > 3)
            {
                var a3 = Vector256.Create(hi[0]);
                c30 = Fma256(a3, b0, c30);
                c31 = Fma256(a3, b1, c31);
            }
            if (rows > 4)
            {
                var a4 = Vector256.Create(hi[s1]);
                c40 = Fma256(a4, b0, c40);
                c41 = Fma256(a4, b1, c41);
            }
            if (rows > 5)
            {
                var a5 = Vector256.Create(hi[s2]);
                c50 = Fma256(a5, b0, c50);
                c51 = Fma256(a5, b1, c51);
            }
            lo += kStride;
            hi += kStride;
        }
        prefetch.Rest(kc);
        Store256(c + 0 * ldc, c00, c01, e, 0);
        if (rows > 1) Store256(c + 1 * ldc, c10, c11, e, 1);
        if (rows > 2) Store256(c + 2 * ldc, c20, c21, e, 2);
        if (rows > 3) Store256(c + 3 * ldc, c30, c31, e, 3);
        if (rows > 4) Store256(c + 4 * ldc, c40, c41, e, 4);
        if (rows > 5) Store256(c + 5 * ldc, c50, c51, e, 5);
    }
}

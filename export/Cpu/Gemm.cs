using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graphport.Cpu;

/// <summary>
/// Row-major GEMM: C = alpha·op(A)·op(B) + beta·C with C m×n, op(A) m×k, op(B) k×n.
/// A is read as a[i*lda + p] (or a[p*lda + i] when transA), B as b[p*ldb + j] (or b[j*ldb + p] when transB), C as c[i*ldc + j].
/// BLIS-style: B is packed into k×NR panels, A into MR×k panels (alpha folded in), and a register-blocked FMA micro-kernel
/// (8×2 zmm on AVX-512, 6×2 ymm on AVX2) does the work; beta = 0 overwrites C without reading it, as BLAS does.
/// </summary>
public static partial class Gemm
{
    private static readonly bool Use512 = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;
    private static readonly bool Use256 = Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Problems with fewer multiply-adds than this skip packing.</summary>
    private const long SmallProblem = 16 * 16 * 16;

    private const int KC = 256;
    private const int NC = 4096;

    /// <summary>
    /// Products with at most this many rows read a plain B's full panels in place instead of packing them: a packed
    /// panel is reused once per MR rows of A, and a convolution with few output channels (PP-OCR's 96→24 3×3 at
    /// 160×160: M = 24) spent more time packing its blocks than multiplying them. Beyond it, packing pays (512³: 255
    /// GF/s packed, 225 in place).
    /// </summary>
    private const int InPlaceBMaxRows = 96;

    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Compute(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, "Gemm.Sgemm");

    public static void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
        => Compute(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, "Gemm.Dgemm");

    /// <summary>Generic entry for float or double.</summary>
    public static void Compute<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, string kernel = "Gemm.Compute") where T : unmanaged, IFloatingPointIeee754<T>
    {
        Pointwise.RequireFloating<T>(kernel);
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc, kernel);
        unsafe
        {
            fixed (T* pa = a)
            fixed (T* pb = b)
            fixed (T* pc = c)
                Core(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, allowParallel: true);
        }
    }

    internal static void Validate(bool transA, bool transB, int m, int n, int k, long aLen, int lda, long bLen, int ldb, long cLen, int ldc, string kernel)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"{kernel}: sizes m={m}, n={n}, k={k} include a negative value; expected m, n, k >= 0", m < 0 ? "m" : n < 0 ? "n" : "k");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        CheckMatrix(kernel, "a", "lda", aRows, aCols, lda, aLen, transA);
        CheckMatrix(kernel, "b", "ldb", bRows, bCols, ldb, bLen, transB);
        CheckMatrix(kernel, "c", "ldc", m, n, ldc, cLen, false);
    }

    private static void CheckMatrix(string kernel, string name, string ldName, int rows, int cols, int ld, long length, bool trans)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentException($"{kernel}: {ldName} = {ld} is smaller than the {cols} columns of the stored {name} ({rows}×{cols}{(trans ? ", transposed" : "")}); expected {ldName} >= {Math.Max(1, cols)}", ldName);
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"{kernel}: {name} has {length} elements but a {rows}×{cols} matrix with {ldName} = {ld} needs {needed}; expected a longer {name}", name);
    }

    internal static unsafe void Core<T>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T beta, T* c, int ldc, bool allowParallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        var route = RouteOf(transA, m, n, k, alpha);
        ScaleUnlessOverwritten(route, m, n, beta, c, ldc);
        switch (route)
        {
            case Route.Skinny: Skinny(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc, allowParallel); break;
            case Route.Naive: Naive(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc); break;
            case Route.Blocked: Blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc, allowParallel, overwriteC: beta == T.Zero); break;
        }
    }

    /// <summary>How a product is computed: nothing to add, GEMV-shaped (<see cref="Skinny{T}"/>), the naive loops
    /// (tiny problems, machines without AVX2), or the blocked kernels.</summary>
    private enum Route
    {
        Nothing,
        Skinny,
        Naive,
        Blocked,
    }

    private static Route RouteOf<T>(bool transA, int m, int n, int k, T alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        k == 0 || alpha == T.Zero ? Route.Nothing
        : m <= SkinnyLimit || (n <= SkinnyLimit && !transA) ? Route.Skinny
        : (long)m * n * k <= SmallProblem || !(Use512 || Use256) ? Route.Naive
        : Route.Blocked;

    // The blocked kernels write C over in their first k block when beta is 0 (C is then neither cleared first nor
    // read); every other way scales C by beta first and adds to it.
    private static unsafe void ScaleUnlessOverwritten<T>(Route route, int m, int n, T beta, T* c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (route != Route.Blocked || beta != T.Zero) ScaleC(m, n, beta, c, ldc);
    }

    /// <summary>
    /// C = A·B + beta·C with A read in place (m×k, row stride lda) and B given by the addresses of its rows: row p is
    /// the n elements from rows[p] + column. B is never gathered into a matrix first: a convolution's rows are its
    /// input planes at each kernel tap's shift (<see cref="Convolution"/>), read where they lie or packed straight
    /// from there. With <paramref name="rowBias"/>, C = A·B plus rowBias[i] on each row i (beta must be 0): a
    /// convolution's bias, added as C is written instead of in a pass before.
    /// </summary>
    /// <param name="inPlace">Read B where it lies whatever the number of rows (else only up to InPlaceBMaxRows).</param>
    internal static unsafe void CoreRows<T>(int m, int n, int k, T* a, int lda, T** rows, nint column, T beta, T* c, int ldc, bool allowParallel, T* rowBias = null,
        bool inPlace = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rowBias != null && beta != T.Zero)
            throw new ArgumentException($"Gemm.CoreRows: a row bias replaces C's old values, so beta must be 0 (got {beta})", nameof(beta));
        if (m == 0 || n == 0) return;
        // The blocked kernels take any shape here: B has no other form for the skinny and small paths to read.
        var route = k == 0 ? Route.Nothing : Use512 || Use256 ? Route.Blocked : Route.Naive;
        ScaleUnlessOverwritten(route, m, n, beta, c, ldc);
        if (route == Route.Blocked)
        {
            Blocked(false, false, m, n, k, T.One, a, lda, null, 0, c, ldc, allowParallel, bTable: rows, bColumn: column, overwriteC: beta == T.Zero, rowBias: rowBias, tableInPlace: inPlace);
            return;
        }
        // The naive loops (and k = 0, where C is the bias alone).
        for (int i = 0; i < m; i++)
        {
            var crow = new Span<T>(c + (long)i * ldc, n);
            if (rowBias != null) crow.Fill(rowBias[i]);
            for (int p = 0; p < k; p++) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(rows[p] + column, n), a[(long)i * lda + p], crow, crow);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ScaleC<T>(int m, int n, T beta, T* c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (beta == T.One) return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + (long)i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>Row-axpy GEMM for tiny problems and machines without AVX2: C[i,:] += alpha·A[i,p]·B[p,:].</summary>
    private static unsafe void Naive<T>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T* c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var crow = new Span<T>(c + (long)i * ldc, n);
            for (int p = 0; p < k; p++)
            {
                T av = alpha * (transA ? a[(long)p * lda + i] : a[(long)i * lda + p]);
                if (!transB) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(b + (long)p * ldb, n), av, crow, crow);
                else
                    for (int j = 0; j < n; j++) crow[j] += av * b[(long)j * ldb + p];
            }
        }
    }

    private static int MR => Use512 ? 8 : 6;

    private static int NR<T>() where T : unmanaged => Use512 ? 2 * Vector512<T>.Count : 2 * Vector256<T>.Count;

    /// <param name="packed">B packed beforehand (<see cref="Pack{T}"/>): its blocks are used as they are, nothing is packed here.</param>
    /// <param name="bTable">B given as a table of its k row addresses instead of b and ldb: row p is bTable[p] + bColumn
    /// (not transposed).</param>
    private static unsafe void Blocked<T>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T* c, int ldc, bool allowParallel,
        PackedB<T>? packed = null, T** bTable = null, nint bColumn = 0, bool overwriteC = false, T* rowBias = null, bool tableInPlace = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = MR, nr = NR<T>();
        int mc = mr * (Unsafe.SizeOf<T>() == 4 ? 16 : 12);
        var (kcMax, ncMax) = BlockSizes<T>(k, n);
        // B packed beforehand or read in place leaves nothing for the tasks to share: they go through every k block.
        bool bInPlace = packed is null && !transB && (m <= InPlaceBMaxRows || tableInPlace);
        if (packed is not null || bInPlace)
        {
            BlockedByTasks(transA, m, n, k, alpha, a, lda, b, ldb, c, ldc, allowParallel, packed, bTable, bColumn, overwriteC, rowBias);
            return;
        }
        // B is packed here, one block at a time, for all tasks to share.
        using var bBuffer = PackBuffer.Take(forA: false, (nuint)((long)kcMax * RoundUp(ncMax, nr) * sizeof(T)));
        T* bp = (T*)bBuffer.Pointer;
        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            var grid = new TaskGrid(m, mc, (nc + nr - 1) / nr, allowParallel);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                PackB(transB, kc, nc, b, ldb, bTable, bColumn, pc, jc, bp, nr);
                double flopsPerTask = 2.0 * mc * kc * nc / grid.Splits;
                nint aAddr = (nint)a, cAddr = (nint)c, bpAddr = (nint)bp, biasAddr = (nint)rowBias;
                bool overwrite = overwriteC && pc == 0;
                int pcL = pc, jcL = jc, kcL = kc, ncL = nc;
                Action<long, long> body = [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t0, t1) =>
                {
                    using var aBuffer = PackBuffer.Take(forA: true, (nuint)((long)kcL * RoundUp(mc, mr) * sizeof(T)));
                    for (long t = t0; t < t1; t++)
                    {
                        var (ic, mcur, p0, p1) = grid.Task(t);
                        MultiplyBlock(transA, alpha, (T*)aAddr, lda, ic, mcur, pcL, kcL, (T*)aBuffer.Pointer, (T*)bpAddr, null, 0,
                            (T*)cAddr + jcL, ldc, ncL, p0, p1, overwrite, (T*)biasAddr);
                    }
                };
                if (allowParallel && flopsPerTask * grid.Count > 4e6) CpuParallel.ForFlops(grid.Count, flopsPerTask, body);
                else body(0, grid.Count);
            }
        }
    }

    /// <summary>
    /// <see cref="Blocked{T}"/> where B is packed beforehand or read in place, so no packed block of B is shared by all
    /// tasks: each task takes its rows of C and its panels of B through every k block, and the product forks and joins
    /// once per column block rather than once per k block (MiniLM's 1536-deep products joined six times a call, each a
    /// thread-pool hand-off). A task whose panels include a ragged last one packs that panel itself.
    /// </summary>
    private static unsafe void BlockedByTasks<T>(bool transA, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T* c, int ldc, bool allowParallel,
        PackedB<T>? packed, T** bTable, nint bColumn, bool overwriteC, T* rowBias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = MR, nr = NR<T>();
        int mc = mr * (Unsafe.SizeOf<T>() == 4 ? 16 : 12);
        var (kcMax, ncMax) = packed?.BlockSizes ?? BlockSizes<T>(k, n);
        // A plain B read in place goes through a table of its rows too (row p at b + p·ldb), so the kernels have one way
        // to read B where it lies.
        var ownRows = packed is null && bTable == null ? System.Buffers.ArrayPool<nint>.Shared.Rent(k) : null;
        try
        {
            fixed (nint* own = ownRows)
            {
                if (own != null)
                    for (int p = 0; p < k; p++) own[p] = (nint)(b + (long)p * ldb);
                nint table = bTable != null ? (nint)bTable : (nint)own;
                for (int jc = 0; jc < n; jc += ncMax)
                {
                    int nc = Math.Min(ncMax, n - jc), full = nc / nr * nr;
                    var grid = new TaskGrid(m, mc, (nc + nr - 1) / nr, allowParallel);
                    double flopsPerTask = 2.0 * mc * k * nc / grid.Splits;
                    nint aAddr = (nint)a, bAddr = (nint)b, cAddr = (nint)c, biasAddr = (nint)rowBias;
                    nint rowsColumn = (bTable != null ? bColumn : 0) + jc;
                    int jcL = jc;
                    Action<long, long> body = [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t0, t1) =>
                    {
                        using var aBuffer = PackBuffer.Take(forA: true, (nuint)((long)kcMax * RoundUp(mc, mr) * sizeof(T)));
                        // Read in place, B needs a buffer only for its ragged last panel (zero-padded to the kernel's width).
                        using var bBuffer = PackBuffer.Take(forA: false, packed is null && full < nc ? (nuint)((long)kcMax * nr * sizeof(T)) : 0);
                        for (long t = t0; t < t1; t++)
                        {
                            var (ic, mcur, p0, p1) = grid.Task(t);
                            for (int pc = 0; pc < k; pc += kcMax)
                            {
                                int kc = Math.Min(kcMax, k - pc);
                                T* bp = (T*)bBuffer.Pointer;
                                T** rows = null;
                                if (packed is not null) bp = packed.Block(jcL, pc);
                                else
                                {
                                    rows = (T**)table + pc;
                                    if (full < nc && p1 == grid.Panels) PackB(false, kc, nc - full, (T*)bAddr, ldb, bTable, bColumn, pc, jcL + full, bp, nr);
                                }
                                // Packed, the task's panels of the next k block come after its last panel here: prefetched as it runs.
                                T* after = packed is not null && pc + kcMax < k ? packed.Block(jcL, pc + kcMax) + (long)p0 * nr * Math.Min(kcMax, k - pc - kcMax) : null;
                                MultiplyBlock(transA, alpha, (T*)aAddr, lda, ic, mcur, pc, kc, (T*)aBuffer.Pointer, bp, rows, rowsColumn,
                                    (T*)cAddr + jcL, ldc, nc, p0, p1, overwriteC && pc == 0, (T*)biasAddr, after);
                            }
                        }
                    };
                    if (allowParallel && flopsPerTask * grid.Count > 4e6) CpuParallel.ForFlops(grid.Count, flopsPerTask, body);
                    else body(0, grid.Count);
                }
            }
        }
        finally
        {
            if (ownRows != null) System.Buffers.ArrayPool<nint>.Shared.Return(ownRows);
        }
    }

    /// <summary>
    /// The tasks one column block of a blocked product is split into: each a block of up to mc rows of C against a
    /// range of its column panels. With few row blocks the panels are split too, so every core has work.
    /// </summary>
    private readonly struct TaskGrid(int m, int mc, int panels, bool allowParallel)
    {
        private readonly int rowBlocks = (m + mc - 1) / mc;

        public int Panels => panels;

        public int Splits { get; } = Math.Clamp((allowParallel ? Environment.ProcessorCount : 1) * 2 / Math.Max((m + mc - 1) / mc, 1), 1, panels);

        public long Count => (long)rowBlocks * Splits;

        /// <summary>Task t's first row and row count, and its panels [P0, P1).</summary>
        public (int Row, int Rows, int P0, int P1) Task(long t)
        {
            int block = (int)(t / Splits), split = (int)(t % Splits);
            return (block * mc, Math.Min(mc, m - block * mc), panels * split / Splits, panels * (split + 1) / Splits);
        }
    }

    /// <summary>
    /// One task's rows [ic, ic + mcur) of A against its panels [p0, p1) of one k block of B (packed at bp, or read in
    /// place through bRows), into C (c points at the block's first column). A plain (untransposed, unscaled) A is
    /// already k-contiguous per row, so its MR-row panels (and a ragged last one, which the kernels read only as far as
    /// its rows go) are read in place; a transposed or scaled A is packed into ap. Packing it all would cost as much as
    /// the arithmetic when n is small (a conv's late layers, 7×7 outputs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void MultiplyBlock<T>(bool transA, T alpha, T* a, int lda, int ic, int mcur, int pc, int kc, T* ap, T* bp, T** bRows, nint bColumn,
        T* c, int ldc, int nc, int p0, int p1, bool overwrite, T* rowBias, T* after = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = MR;
        bool packA = transA || alpha != T.One;
        if (packA) PackA(transA, mcur, kc, a, lda, ic, pc, alpha, ap, mr);
        T* aBlock = packA ? null : a + (long)ic * lda + pc;
        Macro(mcur, nc, kc, aBlock, lda, packA ? 0 : mcur, ap, bp, bRows, bColumn, c + (long)ic * ldc, ldc, mr, NR<T>(), p0, p1, overwrite,
            overwrite && rowBias != null ? rowBias + ic : null, after);
    }

    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;

    /// <summary>The k and n extents of the blocks B is packed in (<see cref="Blocked{T}"/> and <see cref="Pack{T}"/> agree on them).</summary>
    private static (int Kc, int Nc) BlockSizes<T>(int k, int n) where T : unmanaged => (Math.Min(KC, k), Math.Min(NC, RoundUp(n, NR<T>())));

    /// <summary>
    /// Runs the micro-kernel over B panels [p0, p1) and every MR-row panel of the A block: rows below
    /// <paramref name="direct"/> read in place from <paramref name="a"/> (row stride lda), the rest from the packed block ap.
    /// B's panels come packed from <paramref name="bp"/>, or, when <paramref name="bRows"/> is given, its full panels
    /// are read in place (row p of the block at bRows[p] + bColumn) and only a ragged last panel is packed, at bp.
    /// Each packed panel's successor is prefetched while it runs; <paramref name="after"/> is the last one's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Macro<T>(int mcur, int nc, int kc, T* a, int lda, int direct, T* ap, T* bp, T** bRows, nint bColumn, T* c, int ldc, int mr, int nr, int p0, int p1,
        bool overwrite, T* rowBias, T* after)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* tile = stackalloc T[8 * 32];
        for (int jp = p0; jp < p1; jp++)
        {
            int jr = jp * nr, ncur = Math.Min(nr, nc - jr);
            if (bRows != null && ncur == nr)
                Panel(mcur, kc, a, lda, direct, ap, new RowTable<T>(bRows, bColumn + jr), c + jr, ldc, mr, nr, ncur, tile, overwrite, rowBias);
            else
                Panel(mcur, kc, a, lda, direct, ap, new PackedPanel<T>(bRows != null ? bp : bp + (long)jp * nr * kc, nr), c + jr, ldc, mr, nr, ncur, tile, overwrite, rowBias,
                    bRows != null ? null : jp + 1 < p1 ? bp + (long)(jp + 1) * nr * kc : after);
        }
    }

    /// <summary>
    /// One B panel (<paramref name="ncur"/> of its columns are C's) against every MR-row panel of the A block. With
    /// <paramref name="next"/>, the next packed panel is prefetched into L2 as each kernel call runs: a frozen
    /// module's weights are read once a call, from memory (MiniLM's 2.4 MB products ran at 210 GF/s with them cold and
    /// 258 warm; 240 prefetched).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Panel<T, TRows>(int mcur, int kc, T* a, int lda, int direct, T* ap, TRows b, T* c, int ldc, int mr, int nr, int ncur, T* tile,
        bool overwrite, T* rowBias, T* next = null)
        where T : unmanaged, IFloatingPointIeee754<T> where TRows : struct, IPanelRows<T>
    {
        int calls = (mcur + mr - 1) / mr;
        int lines = next == null || !Sse.IsSupported ? 0 : kc * nr * sizeof(T) / 64, perCall = (lines + calls - 1) / Math.Max(calls, 1), line = 0;
        for (int ir = 0; ir < mcur; ir += mr)
        {
            // This call's share of the next panel's lines, prefetched as its k steps go.
            int share = Math.Min(perCall, lines - line);
            var prefetch = new PanelPrefetch((byte*)next + (nint)line * 64, share);
            line += share;
            int mcurr = Math.Min(mr, mcur - ir);
            bool inPlace = ir < direct;
            T* apanel = inPlace ? a + (long)ir * lda : ap + (long)((ir - direct) / mr) * mr * kc;
            T* cblock = c + (long)ir * ldc;
            T* bias = rowBias == null ? null : rowBias + ir;
            if (ncur == nr)
            {
                MicroKernel(mcurr, kc, inPlace, apanel, lda, b, cblock, ldc, new Epilogue<T>(overwrite, bias), prefetch);
                continue;
            }
            // A ragged last panel of columns: the kernel writes a scratch tile, and only its valid part goes into C.
            MicroKernel(mcurr, kc, inPlace, apanel, lda, b, tile, nr, new Epilogue<T>(true, null), prefetch);
            for (int i = 0; i < mcurr; i++)
            {
                T* crow = cblock + (long)i * ldc;
                T* trow = tile + i * nr;
                if (!overwrite)
                    for (int j = 0; j < ncur; j++) crow[j] += trow[j];
                else
                {
                    T shift = bias == null ? T.Zero : bias[i];
                    for (int j = 0; j < ncur; j++) crow[j] = trow[j] + shift;
                }
            }
        }
    }

    /// <summary>The micro-kernel for <paramref name="rows"/> (1 to MR) rows of A against one B panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void MicroKernel<T, TRows>(int rows, int kc, bool inPlace, T* a, int lda, TRows b, T* c, int ldc, Epilogue<T> e, PanelPrefetch prefetch)
        where T : unmanaged where TRows : struct, IPanelRows<T>
    {
        // A read in place walks rows at lda and k contiguously; a packed panel holds the MR rows of each k together.
        nint rowStride = inPlace ? lda : 1, kStride = inPlace ? 1 : MR;
        switch (rows)
        {
            case 8: MicroKernel<T, TRows, Rows8>(kc, a, rowStride, kStride, b, c, ldc, e, prefetch); break;
            case 7: MicroKernel<T, TRows, Rows7>(kc, a, rowStride, kStride, b, c, ldc, e, prefetch); break;
            case 6: MicroKernel<T, TRows, Rows6>(kc, a, rowStride, kStride, b, c, ldc, e, prefetch); break;
            case 5: MicroKernel<T, TRows, Rows5>(kc, a, rowStride, kStride, b, c, ldc, e, prefetch); break;
            case 4: MicroKernel<T, TRows, Rows4>(kc, a, rowStride, kStride, b, c, ldc, e, prefetch); break;
            case 3: MicroKernel<T, TRows, Rows3>(kc, a, rowStride, kStride, b, c, ldc, e, prefetch); break;
            case 2: MicroKernel<T, TRows, Rows2>(kc, a, rowStride, kStride, b, c, ldc, e, prefetch); break;
            default: MicroKernel<T, TRows, Rows1>(kc, a, rowStride, kStride, b, c, ldc, e, prefetch); break;
        }
    }

    // AVX-512's kernel, or AVX2's (whose panels have at most 6 rows, so it never gets 7 or 8).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void MicroKernel<T, TRows, TCount>(int kc, T* a, nint rowStride, nint kStride, TRows b, T* c, nint ldc, Epilogue<T> e, PanelPrefetch prefetch)
        where T : unmanaged where TRows : struct, IPanelRows<T> where TCount : struct, IRowCount
    {
        if (Use512) Kernel512<T, TRows, TCount>(kc, a, rowStride, kStride, b, c, ldc, e, prefetch);
        else Kernel256<T, TRows, TCount>(kc, a, rowStride, kStride, b, c, ldc, e, prefetch);
    }

    /// <summary>Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-wide panels, k-major, zero-padding the last panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackB<T>(bool transB, int kc, int nc, T* b, int ldb, T** table, nint column, int pc, int jc, T* bp, int nr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int w = Math.Min(nr, nc - j0);
            T* dst = bp + (long)(j0 / nr) * nr * kc;
            if (!transB)
            {
                for (int p = 0; p < kc; p++)
                {
                    T* src = table != null ? table[pc + p] + column + jc + j0 : b + (long)(pc + p) * ldb + jc + j0;
                    T* d = dst + (long)p * nr;
                    if (w == nr) new ReadOnlySpan<T>(src, nr).CopyTo(new Span<T>(d, nr));
                    else
                    {
                        int j = 0;
                        for (; j < w; j++) d[j] = src[j];
                        for (; j < nr; j++) d[j] = T.Zero;
                    }
                }
            }
            else
            {
                for (int j = 0; j < nr; j++)
                {
                    if (j >= w)
                    {
                        for (int p = 0; p < kc; p++) dst[(long)p * nr + j] = T.Zero;
                        continue;
                    }
                    T* src = b + (long)(jc + j0 + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) dst[(long)p * nr + j] = src[p];
                }
            }
        }
    }

    /// <summary>Packs alpha·op(A)[ic:ic+mc, pc:pc+kc] into MR-tall panels, k-major, zero-padding the last panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackA<T>(bool transA, int mc, int kc, T* a, int lda, int ic, int pc, T alpha, T* ap, int mr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool scale = alpha != T.One;
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int h = Math.Min(mr, mc - i0);
            T* dst = ap + (long)(i0 / mr) * mr * kc;
            if (!transA)
            {
                for (int r = 0; r < mr; r++)
                {
                    if (r >= h)
                    {
                        for (int p = 0; p < kc; p++) dst[(long)p * mr + r] = T.Zero;
                        continue;
                    }
                    T* src = a + (long)(ic + i0 + r) * lda + pc;
                    if (scale) for (int p = 0; p < kc; p++) dst[(long)p * mr + r] = alpha * src[p];
                    else for (int p = 0; p < kc; p++) dst[(long)p * mr + r] = src[p];
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    T* src = a + (long)(pc + p) * lda + ic + i0;
                    T* d = dst + (long)p * mr;
                    int r = 0;
                    if (scale) for (; r < h; r++) d[r] = alpha * src[r];
                    else for (; r < h; r++) d[r] = src[r];
                    for (; r < mr; r++) d[r] = T.Zero;
                }
            }
        }
    }
}

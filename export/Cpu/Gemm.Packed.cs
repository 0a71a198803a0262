using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

public static partial class Gemm
{
    /// <summary>
    /// Packs op(B) (k×n) once, in the blocks and panels the blocked GEMM packs it into on every call, for products that
    /// use the same B many times: a frozen module's constant weights. A call then reads the packed panels instead of
    /// reading B and writing its panels again (a weight matrix that no longer fits in cache costs that twice).
    /// </summary>
    /// <param name="depth">The depth of its k blocks (the blocked GEMM's own by default): a product with few rows of A
    /// can keep A's block and a B panel in L1 together with shallower blocks.</param>
    public static PackedB<T> Pack<T>(bool transB, int k, int n, T[] b, int offset, int ldb, int? depth = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(b);
        Pointwise.RequireFloating<T>("Gemm.Pack");
        Validate(false, transB, 0, n, k, 0, Math.Max(k, 1), b.Length - (long)offset, ldb, 0, Math.Max(n, 1), "Gemm.Pack");
        if (depth is <= 0)
            throw new ArgumentException($"Gemm.Pack: depth = {depth}; expected a positive number of rows per k block", nameof(depth));
        int nr = NR<T>();
        var (kcMax, ncMax) = BlockSizes<T>(k, n);
        if (depth is int d) kcMax = Math.Min(d, Math.Max(k, 1));
        var offsets = new List<long>();
        long length = 0;
        for (int jc = 0; jc < n; jc += ncMax)
            for (int pc = 0; pc < k; pc += kcMax)
            {
                offsets.Add(length);
                length += (long)Math.Min(kcMax, k - pc) * RoundUp(Math.Min(ncMax, n - jc), nr);
            }
        // Pinned, so a call reads the panels through a pointer without fixing the array each time.
        var data = GC.AllocateUninitializedArray<T>(checked((int)Math.Max(length, 1)), pinned: true);
        var packed = new PackedB<T>(k, n, kcMax, ncMax, data, [.. offsets], b, offset, ldb, transB);
        unsafe
        {
            fixed (T* pb = b)
            {
                for (int jc = 0; jc < n; jc += ncMax)
                    for (int pc = 0; pc < k; pc += kcMax)
                        PackB(transB, Math.Min(kcMax, k - pc), Math.Min(ncMax, n - jc), pb + offset, ldb, null, 0, pc, jc, packed.Block(jc, pc), nr);
            }
        }
        return packed;
    }

    /// <summary>
    /// C = alpha·op(A)·B + beta·C with B packed by <see cref="Pack{T}"/>: the same numbers as <see cref="Compute{T}"/>
    /// on the unpacked B (the same kernels in the same order; small and skinny problems read the original B).
    /// </summary>
    public static void ComputePacked<T>(bool transA, int m, T alpha, ReadOnlySpan<T> a, int lda, PackedB<T> b, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(b);
        int n = b.N, k = b.K;
        Validate(transA, false, m, n, k, a.Length, lda, (long)k * Math.Max(n, 1), Math.Max(n, 1), c.Length, ldc, "Gemm.ComputePacked");
        if (m == 0 || n == 0) return;
        unsafe
        {
            fixed (T* pa = a)
            fixed (T* pb = b.Source)
            fixed (T* pc = c)
            {
                T* source = pb + b.SourceOffset;
                var route = RouteOf(transA, m, n, k, alpha);
                ScaleUnlessOverwritten(route, m, n, beta, pc, ldc);
                if (route == Route.Skinny) Skinny(transA, b.SourceTransposed, m, n, k, alpha, pa, lda, source, b.SourceLd, pc, ldc, allowParallel: true);
                else if (route == Route.Naive) Naive(transA, b.SourceTransposed, m, n, k, alpha, pa, lda, source, b.SourceLd, pc, ldc);
                else if (route == Route.Blocked)
                    Blocked(transA, b.SourceTransposed, m, n, k, alpha, pa, lda, source, b.SourceLd, pc, ldc, allowParallel: true, packed: b, overwriteC: beta == T.Zero);
            }
        }
    }
}

/// <summary>op(B) packed by <see cref="Gemm.Pack{T}"/>, with the original kept for the problems that do not take the blocked path.</summary>
public sealed class PackedB<T> where T : unmanaged
{
    private readonly T[] data;
    private readonly long[] blockOffsets;
    private readonly int kcMax, ncMax, kBlocks;

    internal PackedB(int k, int n, int kcMax, int ncMax, T[] data, long[] blockOffsets, T[] source, int sourceOffset, int sourceLd, bool sourceTransposed)
    {
        (K, N, this.kcMax, this.ncMax, this.data, this.blockOffsets) = (k, n, kcMax, ncMax, data, blockOffsets);
        kBlocks = kcMax == 0 ? 0 : (k + kcMax - 1) / kcMax;
        (Source, SourceOffset, SourceLd, SourceTransposed) = (source, sourceOffset, sourceLd, sourceTransposed);
    }

    /// <summary>The depth of its k blocks and the width of its column blocks: a product reads it in these.</summary>
    internal (int Kc, int Nc) BlockSizes => (kcMax, ncMax);

    /// <summary>Rows of op(B): the products' inner dimension.</summary>
    public int K { get; }

    /// <summary>Columns of op(B): the products' output columns.</summary>
    public int N { get; }

    internal T[] Source { get; }

    internal int SourceOffset { get; }

    internal int SourceLd { get; }

    internal bool SourceTransposed { get; }

    /// <summary>The panels of the block that starts at column <paramref name="jc"/> and row <paramref name="pc"/> of op(B).</summary>
    internal unsafe T* Block(int jc, int pc) =>
        (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(data)) + blockOffsets[jc / ncMax * kBlocks + pc / kcMax];
}

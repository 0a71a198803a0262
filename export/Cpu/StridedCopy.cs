using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

/// <summary>Copies between arbitrary strided layouts of the same shape.</summary>
public static class StridedCopy
{
    private const int TransposeTile = 32;

    /// <summary>dst[dstLayout] = src[srcLayout] element by element; src may broadcast (stride 0), dst must not alias src.</summary>
    public static void Copy<T>(T[] src, StridedLayout srcLayout, T[] dst, StridedLayout dstLayout) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(dst);
        srcLayout.Validate(src.Length, "StridedCopy.Copy", "src");
        dstLayout.Validate(dst.Length, "StridedCopy.Copy", "dst");
        ShapeMath.CheckSameShape(dstLayout.Shape, srcLayout.Shape, "StridedCopy.Copy", "srcLayout");
        CopyUnchecked(src, srcLayout, dst, dstLayout);
    }

    /// <summary>A fresh row-major array holding the elements of <paramref name="layout"/>.</summary>
    public static T[] ToContiguous<T>(T[] src, StridedLayout layout) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(src);
        layout.Validate(src.Length, "StridedCopy.ToContiguous", "src");
        var result = RunBuffers.Allocate<T>(layout.Numel, clear: false);
        if (layout.IsContiguous)
        {
            Array.Copy(src, layout.Offset, result, 0, result.Length);
            return result;
        }
        CopyUnchecked(src, layout, result, StridedLayout.Contiguous(layout.Shape));
        return result;
    }

    /// <summary>The source itself when it is already row-major from offset 0 with exactly numel elements, else a contiguous copy.</summary>
    internal static T[] AsContiguous<T>(T[] src, StridedLayout layout) where T : unmanaged
        => layout.IsContiguous && layout.Offset == 0 && src.Length == layout.Numel ? src : ToContiguous(src, layout);

    internal static void CopyUnchecked<T>(T[] src, StridedLayout srcLayout, T[] dst, StridedLayout dstLayout) where T : unmanaged
    {
        long numel = dstLayout.Numel;
        if (numel == 0) return;
        var plan = new RowPlan(dstLayout.Shape, dstLayout, srcLayout);
        long inner = plan.InnerSize;
        long ds = plan.InnerStrides[0], ss = plan.InnerStrides[1];
        if (plan.RowCount == 1 && ds == 1 && ss == 1)
        {
            ParallelBlockCopy(src, srcLayout.Offset, dst, dstLayout.Offset, inner);
            return;
        }
        if (ds == 1 && ss != 1 && TryTransposeCopy(src, srcLayout, dst, dstLayout)) return;
        CpuParallel.For(plan.RowCount, inner, (r0, r1) =>
        {
            var cur = plan.At(r0);
            for (long r = r0; r < r1; r++, cur.Next())
                CopyRow(src, cur.Offsets[1], ss, dst, cur.Offsets[0], ds, inner);
        });
    }

    private static void ParallelBlockCopy<T>(T[] src, long srcOffset, T[] dst, long dstOffset, long count) where T : unmanaged
    {
        const long block = 1 << 18;
        long blocks = (count + block - 1) / block;
        CpuParallel.For(blocks, block / 8.0, (b0, b1) =>
        {
            long start = b0 * block, end = Math.Min(count, b1 * block);
            Array.Copy(src, srcOffset + start, dst, dstOffset + start, end - start);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CopyRow<T>(T[] src, long so, long ss, T[] dst, long doff, long ds, long n) where T : unmanaged
    {
        if (ss == 1 && ds == 1)
        {
            src.AsSpan((int)so, (int)n).CopyTo(dst.AsSpan((int)doff, (int)n));
            return;
        }
        if (ss == 0 && ds == 1)
        {
            dst.AsSpan((int)doff, (int)n).Fill(src[so]);
            return;
        }
        ref T s = ref MemoryMarshal.GetArrayDataReference(src);
        ref T d = ref MemoryMarshal.GetArrayDataReference(dst);
        for (long i = 0; i < n; i++)
            Unsafe.Add(ref d, (nint)(doff + i * ds)) = Unsafe.Add(ref s, (nint)(so + i * ss));
    }

    /// <summary>Cache-blocked copy for the transposed case: dst rows are contiguous while src is contiguous along the row dim.</summary>
    private static bool TryTransposeCopy<T>(T[] src, StridedLayout srcLayout, T[] dst, StridedLayout dstLayout) where T : unmanaged
    {
        int rank = dstLayout.Rank;
        if (rank < 2) return false;
        long rows = dstLayout.Shape[rank - 2], cols = dstLayout.Shape[rank - 1];
        if (rows < 8 || cols < 8) return false;
        if (srcLayout.Strides[rank - 2] != 1 || dstLayout.Strides[rank - 1] != 1) return false;
        long srs = srcLayout.Strides[rank - 1], drs = dstLayout.Strides[rank - 2];
        var outerShape = dstLayout.Shape[..(rank - 2)];
        var outerPlan = new RowPlan(outerShape,
            new StridedLayout(outerShape, dstLayout.Strides[..(rank - 2)], dstLayout.Offset),
            new StridedLayout(outerShape, srcLayout.Strides[..(rank - 2)], srcLayout.Offset));
        long outerCount = ShapeMath.Numel(outerShape);
        long tilesR = (rows + TransposeTile - 1) / TransposeTile;
        long tasks = outerCount * tilesR;
        CpuParallel.For(tasks, TransposeTile * cols, (t0, t1) =>
        {
            ref T s = ref MemoryMarshal.GetArrayDataReference(src);
            ref T d = ref MemoryMarshal.GetArrayDataReference(dst);
            for (long t = t0; t < t1; t++)
            {
                long outer = t / tilesR, tileR = t % tilesR;
                long dBase, sBase;
                if (outerPlan.RowCount == 0) continue;
                {
                    var cur = outerPlan.At(outer / Math.Max(outerPlan.InnerSize, 1));
                    long innerIdx = outer % Math.Max(outerPlan.InnerSize, 1);
                    dBase = cur.Offsets[0] + innerIdx * outerPlan.InnerStrides[0];
                    sBase = cur.Offsets[1] + innerIdx * outerPlan.InnerStrides[1];
                }
                long r0 = tileR * TransposeTile, r1 = Math.Min(rows, r0 + TransposeTile);
                if (typeof(T) == typeof(float))
                {
                    // Source column c of the tile (its rows r0..r1 contiguous) is destination row r's element c.
                    unsafe
                    {
                        fixed (T* from = src)
                        fixed (T* to = dst)
                            BlockTranspose.Float((float*)from + sBase + r0, srs, (float*)to + dBase + r0 * drs, drs, (int)cols, (int)(r1 - r0));
                    }
                    continue;
                }
                for (long c0 = 0; c0 < cols; c0 += TransposeTile)
                {
                    long c1 = Math.Min(cols, c0 + TransposeTile);
                    for (long r = r0; r < r1; r++)
                    {
                        long drow = dBase + r * drs;
                        long srow = sBase + r;
                        for (long c = c0; c < c1; c++)
                            Unsafe.Add(ref d, (nint)(drow + c)) = Unsafe.Add(ref s, (nint)(srow + c * srs));
                    }
                }
            }
        });
        return true;
    }
}

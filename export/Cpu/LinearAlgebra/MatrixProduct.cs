using System.Numerics;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

/// <summary>
/// Dense row-major matrix products for the linear-algebra routines (matrix_exp's powers and squarings). Tiles of
/// 4 rows × 2 vectors of C stay in registers across a panel of B's rows, so each B load feeds four multiply-adds;
/// panels of B are sized to stay in cache while the rows of A stream past.
/// </summary>
internal static class MatrixProduct
{
    // A 256×128 panel of B is 256 KiB: it fits a typical L2 while every row of A streams past it.
    private const int DepthBlock = 256;
    private const int WidthBlock = 128;
    private const int TileRows = 4;

    /// <summary>c = a·b with a m×k, b k×n, c m×n; c must not overlap a or b.</summary>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        c[..(m * n)].Clear();
        int tileCols = 2 * Vector<double>.Count;
        for (int k0 = 0; k0 < k; k0 += DepthBlock)
        {
            int k1 = Math.Min(k, k0 + DepthBlock);
            for (int j0 = 0; j0 < n; j0 += WidthBlock)
            {
                int j1 = Math.Min(n, j0 + WidthBlock);
                int i = 0;
                for (; i + TileRows <= m; i += TileRows)
                {
                    int j = j0;
                    if (Vector.IsHardwareAccelerated)
                    {
                        for (; j + tileCols <= j1; j += tileCols) AccumulateTile(a, b, c, i, j, k0, k1, k, n);
                    }
                    if (j < j1)
                    {
                        for (int r = i; r < i + TileRows; r++) AccumulateRow(a, b, c, r, j, j1, k0, k1, k, n);
                    }
                }
                for (; i < m; i++) AccumulateRow(a, b, c, i, j0, j1, k0, k1, k, n);
            }
        }
    }

    // c[i..i+4, j..j+2w] += a[i..i+4, k0..k1]·b[k0..k1, j..j+2w], the tile held in eight vector registers.
    private static void AccumulateTile(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int i, int j, int k0, int k1, int k, int n)
    {
        int width = Vector<double>.Count;
        ref double br = ref MemoryMarshal.GetReference(b);
        ref double cr = ref MemoryMarshal.GetReference(c);
        nuint row0 = (nuint)(i * n + j), row1 = row0 + (nuint)n, row2 = row1 + (nuint)n, row3 = row2 + (nuint)n;
        nuint half = (nuint)width;
        var c00 = Vector.LoadUnsafe(ref cr, row0);
        var c01 = Vector.LoadUnsafe(ref cr, row0 + half);
        var c10 = Vector.LoadUnsafe(ref cr, row1);
        var c11 = Vector.LoadUnsafe(ref cr, row1 + half);
        var c20 = Vector.LoadUnsafe(ref cr, row2);
        var c21 = Vector.LoadUnsafe(ref cr, row2 + half);
        var c30 = Vector.LoadUnsafe(ref cr, row3);
        var c31 = Vector.LoadUnsafe(ref cr, row3 + half);
        for (int t = k0; t < k1; t++)
        {
            nuint bOffset = (nuint)(t * n + j);
            var b0 = Vector.LoadUnsafe(ref br, bOffset);
            var b1 = Vector.LoadUnsafe(ref br, bOffset + half);
            var a0 = new Vector<double>(a[i * k + t]);
            var a1 = new Vector<double>(a[(i + 1) * k + t]);
            var a2 = new Vector<double>(a[(i + 2) * k + t]);
            var a3 = new Vector<double>(a[(i + 3) * k + t]);
            c00 += a0 * b0;
            c01 += a0 * b1;
            c10 += a1 * b0;
            c11 += a1 * b1;
            c20 += a2 * b0;
            c21 += a2 * b1;
            c30 += a3 * b0;
            c31 += a3 * b1;
        }
        c00.StoreUnsafe(ref cr, row0);
        c01.StoreUnsafe(ref cr, row0 + half);
        c10.StoreUnsafe(ref cr, row1);
        c11.StoreUnsafe(ref cr, row1 + half);
        c20.StoreUnsafe(ref cr, row2);
        c21.StoreUnsafe(ref cr, row2 + half);
        c30.StoreUnsafe(ref cr, row3);
        c31.StoreUnsafe(ref cr, row3 + half);
    }

    private static void AccumulateRow(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int i, int j0, int j1, int k0, int k1, int k, int n)
    {
        var row = c.Slice(i * n + j0, j1 - j0);
        for (int t = k0; t < k1; t++) VectorKernels.Axpy(a[i * k + t], b.Slice(t * n + j0, j1 - j0), row);
    }
}

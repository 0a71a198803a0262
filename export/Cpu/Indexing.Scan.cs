using System.Numerics;
using System.Numerics.Tensors;

namespace Graphport.Cpu;

public static partial class Indexing
{
    /// <summary>cumsum along <paramref name="dim"/>; float and double accumulate in double (torch's CPU accumulate type), integers in their own type.</summary>
    public static Dense<T> Cumsum<T>(T[] x, StridedLayout layout, int dim) where T : unmanaged, INumber<T>
    {
        var (src, output, outer, size, inner) = ScanOperands(x, layout, dim, "Indexing.Cumsum");
        if (output.Length == 0) return new Dense<T>(output, (long[])layout.Shape.Clone());
        bool floating = typeof(T) == typeof(float) || typeof(T) == typeof(double);
        int D = (int)size, I = (int)inner;
        CpuParallel.For(outer, (double)D * I, (o0, o1) =>
        {
            for (long o = o0; o < o1; o++)
            {
                var block = src.AsSpan((int)(o * D * I), D * I);
                var y = output.AsSpan((int)(o * D * I), D * I);
                if (I == 1)
                {
                    if (floating)
                    {
                        double acc = 0;
                        for (int i = 0; i < D; i++) y[i] = T.CreateTruncating(acc += double.CreateTruncating(block[i]));
                    }
                    else
                    {
                        T acc = T.Zero;
                        for (int i = 0; i < D; i++) y[i] = acc += block[i];
                    }
                    continue;
                }
                if (floating)
                {
                    using var acc = new Scratch<double>(I);
                    acc.Span.Clear();
                    for (int r = 0; r < D; r++)
                    {
                        WideSum.AccumulateRow(block.Slice(r * I, I), acc.Span);
                        if (typeof(T) == typeof(double)) acc.Span.CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(y.Slice(r * I, I)));
                        else TensorPrimitives.ConvertTruncating(acc.Span, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(y.Slice(r * I, I)));
                    }
                }
                else
                {
                    block[..I].CopyTo(y);
                    for (int r = 1; r < D; r++) TensorPrimitives.Add(y.Slice((r - 1) * I, I), block.Slice(r * I, I), y.Slice(r * I, I));
                }
            }
        });
        return new Dense<T>(output, (long[])layout.Shape.Clone());
    }

    /// <summary>A scan's contiguous input and new output, and its geometry: outer blocks of size elements along dim, inner apart.</summary>
    private static (T[] Source, T[] Output, long Outer, long Size, long Inner) ScanOperands<T>(T[] x, StridedLayout layout, int dim, string k) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(x);
        layout.Validate(x.Length, k, "input");
        var src = StridedCopy.AsContiguous(x, layout);
        var output = new T[layout.Numel];
        if (output.Length == 0) return (src, output, 0, 0, 0);
        int d = ShapeMath.NormalizeDim(dim, layout.Rank, nameof(dim));
        long size = layout.Rank == 0 ? 1 : layout.Shape[d];
        long inner = 1;
        for (int i = d + 1; i < layout.Rank; i++) inner *= layout.Shape[i];
        return (src, output, output.Length / (size * inner), size, inner);
    }
}

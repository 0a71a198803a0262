using System.Numerics;

namespace Graphport.Cpu;

public static partial class Indexing
{
    /// <summary>cumprod along <paramref name="dim"/>; float and double multiply in double (torch's CPU accumulate type) and round each output, integers multiply in their own type (wrapping).</summary>
    public static Dense<T> Cumprod<T>(T[] x, StridedLayout layout, int dim) where T : unmanaged, INumber<T>
    {
        var (src, output, outer, size, inner) = ScanOperands(x, layout, dim, "Indexing.Cumprod");
        if (output.Length == 0) return new Dense<T>(output, (long[])layout.Shape.Clone());
        bool floating = typeof(T) == typeof(float) || typeof(T) == typeof(double);
        int D = (int)size, I = (int)inner;
        CpuParallel.For(outer * I, D, (l0, l1) =>
        {
            for (long line = l0; line < l1; line++)
            {
                // One line along dim: element r sits at (o·D + r)·I + i.
                long o = line / I, i = line % I, first = o * D * I + i;
                if (floating)
                {
                    double product = 1;
                    for (int r = 0; r < D; r++) output[first + (long)r * I] = T.CreateTruncating(product *= double.CreateTruncating(src[first + (long)r * I]));
                }
                else
                {
                    T product = T.One;
                    for (int r = 0; r < D; r++) output[first + (long)r * I] = product = unchecked(product * src[first + (long)r * I]);
                }
            }
        });
        return new Dense<T>(output, (long[])layout.Shape.Clone());
    }
}

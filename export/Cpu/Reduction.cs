using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

/// <summary>
/// Reductions over an arbitrary set of dims (empty dims = all dims) with torch's keepdim semantics; results are contiguous.
/// Float32 sums, means, products and variances accumulate in float64.
/// </summary>
public static class Reduction
{
    /// <summary>The shape left after reducing <paramref name="dims"/> (empty = all); reduced dims become 1 when keepdim.</summary>
    public static long[] OutputShape(long[] shape, ReadOnlySpan<int> dims, bool keepdim)
    {
        var mask = ShapeMath.DimMask(dims, shape.Length, "Reduction.OutputShape");
        var result = new List<long>();
        for (int d = 0; d < shape.Length; d++)
        {
            if (!mask[d]) result.Add(shape[d]);
            else if (keepdim) result.Add(1);
        }
        return result.ToArray();
    }

    public static Dense<T> Sum<T>(T[] x, StridedLayout layout, ReadOnlySpan<int> dims, bool keepdim) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(long) || typeof(T) == typeof(int))
            return ReductionEngine.Run<T, T>("Reduction.Sum", x, layout, dims, keepdim, static row => TensorPrimitives.Sum(row), null, true);
        Pointwise.RequireFloating<T>("Reduction.Sum");
        return ReductionEngine.Run<T, T>("Reduction.Sum", x, layout, dims, keepdim, static row => T.CreateTruncating(WideSum.Sum(row)), SumColumns<T>(1.0), true);
    }

    /// <summary>Mean; an empty reduction gives NaN as in torch.</summary>
    public static Dense<T> Mean<T>(T[] x, StridedLayout layout, ReadOnlySpan<int> dims, bool keepdim) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Pointwise.RequireFloating<T>("Reduction.Mean");
        long count = ReducedCount(layout, dims, "Reduction.Mean");
        double inv = 1.0 / count;
        return ReductionEngine.Run<T, T>("Reduction.Mean", x, layout, dims, keepdim, row => T.CreateTruncating(WideSum.Sum(row) * inv), SumColumns<T>(inv), true);
    }

    public static Dense<T> Prod<T>(T[] x, StridedLayout layout, ReadOnlySpan<int> dims, bool keepdim) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Pointwise.RequireFloating<T>("Reduction.Prod");
        return ReductionEngine.Run<T, T>("Reduction.Prod", x, layout, dims, keepdim, static row =>
        {
            // The empty product is 1.
            if (row.IsEmpty) return T.One;
            using var wide = new Scratch<double>(row.Length);
            Widen(row, wide.Span);
            return T.CreateTruncating(TensorPrimitives.Product<double>(wide.Span));
        }, null, true);
    }

    /// <summary>Maximum (NaN propagates); reducing an empty set throws.</summary>
    public static Dense<T> Amax<T>(T[] x, StridedLayout layout, ReadOnlySpan<int> dims, bool keepdim) where T : unmanaged, INumber<T>
        => ReductionEngine.Run<T, T>("Reduction.Amax", x, layout, dims, keepdim, static row => TensorPrimitives.Max(row),
            static (block, rows, cols, i0, i1, o) =>
            {
                block.Slice(i0, i1 - i0).CopyTo(o);
                for (int r = 1; r < rows; r++) TensorPrimitives.Max(o, block.Slice(r * cols + i0, i1 - i0), o);
            }, false);

    /// <summary>Minimum (NaN propagates); reducing an empty set throws.</summary>
    public static Dense<T> Amin<T>(T[] x, StridedLayout layout, ReadOnlySpan<int> dims, bool keepdim) where T : unmanaged, INumber<T>
        => ReductionEngine.Run<T, T>("Reduction.Amin", x, layout, dims, keepdim, static row => TensorPrimitives.Min(row),
            static (block, rows, cols, i0, i1, o) =>
            {
                block.Slice(i0, i1 - i0).CopyTo(o);
                for (int r = 1; r < rows; r++) TensorPrimitives.Min(o, block.Slice(r * cols + i0, i1 - i0), o);
            }, false);

    /// <summary>Index of the first maximum along <paramref name="dim"/>, or of the flattened input when dim is null (NaN counts as the maximum).</summary>
    public static Dense<long> ArgMax<T>(T[] x, StridedLayout layout, int? dim, bool keepdim) where T : unmanaged, INumber<T>
        => ArgReduce(x, layout, dim, keepdim, "Reduction.ArgMax", static row => TensorPrimitives.IndexOfMax(row));

    /// <summary>Index of the first minimum along <paramref name="dim"/>, or of the flattened input when dim is null (NaN counts as the minimum).</summary>
    public static Dense<long> ArgMin<T>(T[] x, StridedLayout layout, int? dim, bool keepdim) where T : unmanaged, INumber<T>
        => ArgReduce(x, layout, dim, keepdim, "Reduction.ArgMin", static row => TensorPrimitives.IndexOfMin(row));

    private static Dense<long> ArgReduce<T>(T[] x, StridedLayout layout, int? dim, bool keepdim, string kernel, Func<ReadOnlySpan<T>, int> index) where T : unmanaged
    {
        RowReduce<T, long> row = r => FirstNaN(r) is int nan and >= 0 ? nan : index(r);
        if (dim is int d)
        {
            if (layout.Rank == 0) return ReductionEngine.Run(kernel, x, layout, [], keepdim, row, null, false);
            return ReductionEngine.Run(kernel, x, layout, [d], keepdim, row, null, false);
        }
        var flat = StridedCopy.AsContiguous(x, layout);
        var result = ReductionEngine.Run(kernel, flat, StridedLayout.Contiguous(layout.Numel), [], false, row, null, false);
        return keepdim ? new Dense<long>(result.Data, Enumerable.Repeat(1L, layout.Rank).ToArray()) : result;
    }

    private static int FirstNaN<T>(ReadOnlySpan<T> row) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var f = MemoryMarshal.Cast<T, float>(row);
            if (!TensorPrimitives.IsNaNAny(f)) return -1;
            for (int i = 0; i < f.Length; i++) if (float.IsNaN(f[i])) return i;
        }
        else if (typeof(T) == typeof(double))
        {
            var f = MemoryMarshal.Cast<T, double>(row);
            if (!TensorPrimitives.IsNaNAny(f)) return -1;
            for (int i = 0; i < f.Length; i++) if (double.IsNaN(f[i])) return i;
        }
        return -1;
    }

    /// <summary>Variance with Bessel-style <paramref name="correction"/> (torch: divide by N − correction, clamped at 0 → inf/NaN).</summary>
    public static Dense<T> Var<T>(T[] x, StridedLayout layout, ReadOnlySpan<int> dims, double correction, bool keepdim) where T : unmanaged, IFloatingPointIeee754<T>
        => VarCore(x, layout, dims, correction, keepdim, "Reduction.Var", sqrt: false);

    public static Dense<T> Std<T>(T[] x, StridedLayout layout, ReadOnlySpan<int> dims, double correction, bool keepdim) where T : unmanaged, IFloatingPointIeee754<T>
        => VarCore(x, layout, dims, correction, keepdim, "Reduction.Std", sqrt: true);

    private static Dense<T> VarCore<T>(T[] x, StridedLayout layout, ReadOnlySpan<int> dims, double correction, bool keepdim, string kernel, bool sqrt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Pointwise.RequireFloating<T>(kernel);
        long n = ReducedCount(layout, dims, kernel);
        double divisor = Math.Max(0, n - correction);
        return ReductionEngine.Run<T, T>(kernel, x, layout, dims, keepdim, row =>
        {
            double mean = WideSum.Sum(row) / row.Length;
            double v = WideSum.SumSquaredDeviation(row, mean) / divisor;
            return T.CreateTruncating(sqrt ? Math.Sqrt(v) : v);
        }, null, true);
    }

    /// <summary>log Σ exp(x), shifted by the max for stability (an infinite max is not subtracted, as in torch).</summary>
    public static Dense<T> LogSumExp<T>(T[] x, StridedLayout layout, ReadOnlySpan<int> dims, bool keepdim) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Pointwise.RequireFloating<T>("Reduction.LogSumExp");
        return ReductionEngine.Run<T, T>("Reduction.LogSumExp", x, layout, dims, keepdim, static row =>
        {
            if (row.Length == 0) return T.NegativeInfinity;
            T max = TensorPrimitives.Max(row);
            if (T.IsNaN(max)) return max;
            if (T.IsInfinity(max)) max = T.Zero;
            using var tmp = new Scratch<T>(row.Length);
            TensorPrimitives.Subtract(row, max, tmp.Span);
            VectorMath.Exp<T>(tmp.Span, tmp.Span);
            return T.CreateTruncating(Math.Log(WideSum.Sum<T>(tmp.Span)) + double.CreateTruncating(max));
        }, null, true);
    }

    /// <summary>True if any element is true (false for an empty set).</summary>
    public static Dense<bool> Any(bool[] x, StridedLayout layout, ReadOnlySpan<int> dims, bool keepdim)
        => ReductionEngine.Run<bool, bool>("Reduction.Any", x, layout, dims, keepdim, static row => MemoryMarshal.Cast<bool, byte>(row).ContainsAnyExcept((byte)0), null, true);

    /// <summary>True if every element is true (true for an empty set).</summary>
    public static Dense<bool> All(bool[] x, StridedLayout layout, ReadOnlySpan<int> dims, bool keepdim)
        => ReductionEngine.Run<bool, bool>("Reduction.All", x, layout, dims, keepdim, static row => !MemoryMarshal.Cast<bool, byte>(row).Contains((byte)0), null, true);

    private static long ReducedCount(StridedLayout layout, ReadOnlySpan<int> dims, string kernel)
    {
        var mask = ShapeMath.DimMask(dims, layout.Rank, kernel);
        long n = 1;
        for (int d = 0; d < mask.Length; d++) if (mask[d]) n *= layout.Shape[d];
        return n;
    }

    private static void Widen<T>(ReadOnlySpan<T> row, Span<double> wide) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) MemoryMarshal.Cast<T, double>(row).CopyTo(wide);
        else TensorPrimitives.ConvertTruncating(MemoryMarshal.Cast<T, float>(row), wide);
    }

    /// <summary>Column sums over R rows into a double accumulator, scaled by <paramref name="scale"/> (1/R for mean).</summary>
    private static ColumnReduce<T, T> SumColumns<T>(double scale) where T : unmanaged, INumber<T> => (block, rows, cols, i0, i1, o) =>
    {
        using var acc = new Scratch<double>(i1 - i0);
        acc.Span.Clear();
        for (int r = 0; r < rows; r++) WideSum.AccumulateRow(block.Slice(r * cols + i0, i1 - i0), acc.Span);
        if (scale != 1.0) TensorPrimitives.Multiply(acc.Span, scale, acc.Span);
        if (typeof(T) == typeof(double)) acc.Span.CopyTo(MemoryMarshal.Cast<T, double>(o));
        else TensorPrimitives.ConvertTruncating(acc.Span, MemoryMarshal.Cast<T, float>(o));
    };
}

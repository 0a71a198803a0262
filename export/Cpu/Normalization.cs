using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

/// <summary>Softmax family and the normalization layers; statistics accumulate in float64 and results are contiguous.</summary>
public static partial class Normalization
{
    /// <summary>softmax along <paramref name="dim"/>, shifted by the row max so large inputs do not overflow.</summary>
    public static void Softmax<T>(T[] x, StridedLayout layout, int dim, T[] output) where T : unmanaged, IFloatingPointIeee754<T>
        => SoftmaxCore(x, layout, dim, output, log: false, "Softmax");

    /// <summary>log_softmax along <paramref name="dim"/>: x − max − log Σ exp(x − max).</summary>
    public static void LogSoftmax<T>(T[] x, StridedLayout layout, int dim, T[] output) where T : unmanaged, IFloatingPointIeee754<T>
        => SoftmaxCore(x, layout, dim, output, log: true, "LogSoftmax");

    private static void SoftmaxCore<T>(T[] x, StridedLayout layout, int dim, T[] output, bool log, string k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Pointwise.RequireFloating<T>(k);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(output);
        layout.Validate(x.Length, k, "input");
        int d = ShapeMath.NormalizeDim(dim, layout.Rank, nameof(dim));
        long n = layout.Numel;
        ShapeMath.CheckLength(output.Length, n, k, nameof(output));
        if (n == 0) return;
        var src = StridedCopy.AsContiguous(x, layout);
        long size = layout.Rank == 0 ? 1 : layout.Shape[d];
        long inner = 1;
        for (int i = d + 1; i < layout.Rank; i++) inner *= layout.Shape[i];
        long outer = n / (size * inner);
        int D = (int)size, I = (int)inner;
        if (I == 1)
        {
            CpuParallel.For(outer, D * 8.0, (o0, o1) =>
            {
                for (long o = o0; o < o1; o++) SoftmaxRow<T>(src.AsSpan((int)(o * D), D), output.AsSpan((int)(o * D), D), log);
            });
            return;
        }
        // Reducing over a middle dim: sweep whole inner rows so every step is a contiguous vector op.
        CpuParallel.For(outer, (double)D * I * 8, (o0, o1) =>
        {
            using var maxS = new Scratch<T>(I);
            using var sumS = new Scratch<T>(I);
            var max = maxS.Span;
            var sum = sumS.Span;
            for (long o = o0; o < o1; o++)
            {
                var block = src.AsSpan((int)(o * D * I), D * I);
                var y = output.AsSpan((int)(o * D * I), D * I);
                block[..I].CopyTo(max);
                for (int r = 1; r < D; r++) TensorPrimitives.Max(max, block.Slice(r * I, I), max);
                for (int i = 0; i < I; i++) if (T.IsInfinity(max[i]) && T.IsNegative(max[i])) max[i] = T.Zero;
                sum.Clear();
                for (int r = 0; r < D; r++)
                {
                    var yr = y.Slice(r * I, I);
                    TensorPrimitives.Subtract(block.Slice(r * I, I), max, yr);
                    if (log)
                    {
                        using var e = new Scratch<T>(I);
                        VectorMath.Exp<T>(yr, e.Span);
                        TensorPrimitives.Add(sum, e.Span, sum);
                    }
                    else
                    {
                        VectorMath.Exp<T>(yr, yr);
                        TensorPrimitives.Add(sum, yr, sum);
                    }
                }
                if (log) TensorPrimitives.Log<T>(sum, sum);
                else TensorPrimitives.Reciprocal<T>(sum, sum);
                for (int r = 0; r < D; r++)
                {
                    var yr = y.Slice(r * I, I);
                    if (log) TensorPrimitives.Subtract(yr, sum, yr);
                    else TensorPrimitives.Multiply(yr, sum, yr);
                }
            }
        });
    }

    /// <summary>softmax (or log_softmax) of one contiguous row into <paramref name="y"/>, which may be the row itself.</summary>
    private static void SoftmaxRow<T>(ReadOnlySpan<T> row, Span<T> y, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(row);
        if (T.IsInfinity(max)) max = T.IsNegative(max) ? T.Zero : max;
        if (log)
        {
            TensorPrimitives.Subtract(row, max, y);
            using var tmp = new Scratch<T>(y.Length);
            VectorMath.Exp<T>(y, tmp.Span);
            T lse = T.CreateTruncating(Math.Log(WideSum.Sum<T>(tmp.Span)));
            TensorPrimitives.Subtract(y, lse, y);
        }
        else if (typeof(T) == typeof(float) && VectorMath.TryExpShiftedSum(MemoryMarshal.Cast<T, float>(row), float.CreateTruncating(max), MemoryMarshal.Cast<T, float>(y), out double sum))
        {
            // One pass for the shifted exponentials and their sum, instead of a subtract, an exp and a sum.
            TensorPrimitives.Multiply(y, T.CreateTruncating(1.0 / sum), y);
        }
        else
        {
            TensorPrimitives.Subtract(row, max, y);
            VectorMath.Exp<T>(y, y);
            TensorPrimitives.Multiply(y, T.CreateTruncating(1.0 / WideSum.Sum<T>(y)), y);
        }
    }

    /// <summary>
    /// layer_norm over the trailing <paramref name="normalizedShape"/> dims; returns the output and, per leading index,
    /// the mean and 1/sqrt(biased var + eps) shaped like torch's native_layer_norm (leading dims, then 1s).
    /// </summary>
    public static (Dense<T> Output, Dense<T> Mean, Dense<T> Rstd) LayerNorm<T>(T[] x, StridedLayout layout, long[] normalizedShape, T[]? weight, T[]? bias, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "LayerNorm";
        Pointwise.RequireFloating<T>(k);
        ArgumentNullException.ThrowIfNull(x);
        layout.Validate(x.Length, k, "input");
        int axis = layout.Rank - normalizedShape.Length;
        if (normalizedShape.Length == 0 || axis < 0 || !layout.Shape.AsSpan(axis).SequenceEqual(normalizedShape))
            throw new ArgumentException($"{k}: normalizedShape {ShapeMath.Format(normalizedShape)} does not match the trailing dims of input shape {ShapeMath.Format(layout.Shape)}; expected a non-empty suffix of the input shape", nameof(normalizedShape));
        long D = ShapeMath.Numel(normalizedShape);
        if (weight != null && weight.Length != D)
            throw new ArgumentException($"{k}: weight has {weight.Length} elements; expected {D} (normalizedShape {ShapeMath.Format(normalizedShape)})", nameof(weight));
        if (bias != null && bias.Length != D)
            throw new ArgumentException($"{k}: bias has {bias.Length} elements; expected {D} (normalizedShape {ShapeMath.Format(normalizedShape)})", nameof(bias));
        long rows = D == 0 ? ShapeMath.Numel(layout.Shape.AsSpan(0, axis)) : layout.Numel / D;
        var src = StridedCopy.AsContiguous(x, layout);
        var output = RunBuffers.Allocate<T>(layout.Numel, clear: false);
        var mean = new T[rows];
        var rstd = new T[rows];
        int d = (int)D;
        CpuParallel.For(rows, D * 6.0, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                var (m, rs) = LayerNormRow(src.AsSpan((int)(r * d), d), output.AsSpan((int)(r * d), d), weight, bias, eps);
                mean[r] = T.CreateTruncating(m);
                rstd[r] = T.CreateTruncating(rs);
            }
        });
        var statShape = layout.Shape[..axis].Concat(Enumerable.Repeat(1L, normalizedShape.Length)).ToArray();
        return (new Dense<T>(output, (long[])layout.Shape.Clone()), new Dense<T>(mean, statShape), new Dense<T>(rstd, (long[])statShape.Clone()));
    }

    /// <summary>
    /// <see cref="LayerNorm{T}"/>'s output alone, over the <paramref name="length"/> elements of x from
    /// <paramref name="offset"/> in rows of <paramref name="d"/> (with weight and bias of that length, or none): what a frozen module's layer norm reads, without the statistics'
    /// arrays and shapes, which cost a small model's norm more than its arithmetic. The same numbers.
    /// </summary>
    public static T[] LayerNormOutput<T>(T[] x, int offset, int length, int d, T[]? weight, T[]? bias, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "LayerNormOutput";
        Pointwise.RequireFloating<T>(k);
        ArgumentNullException.ThrowIfNull(x);
        if (offset < 0 || length < 0 || (long)offset + length > x.Length)
            throw new ArgumentException($"{k}: {length} elements from {offset} run past the input's {x.Length}; expected them within it", nameof(length));
        if (d <= 0 || length % d != 0)
            throw new ArgumentException($"{k}: {length} elements are not whole rows of {d}; expected a multiple of a positive row length", nameof(d));
        if ((weight != null && weight.Length != d) || (bias != null && bias.Length != d))
            throw new ArgumentException($"{k}: weight or bias has {(weight ?? bias)!.Length} elements; expected {d}", weight != null && weight.Length != d ? nameof(weight) : nameof(bias));
        var output = RunBuffers.Allocate<T>(length, clear: false);
        CpuParallel.For(length / d, d * 6.0, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
                LayerNormRow(x.AsSpan(offset + (int)(r * d), d), output.AsSpan((int)(r * d), d), weight, bias, eps);
        });
        return output;
    }

    // One row: y = (x − mean)·rstd, then ·weight and +bias; returns the row's mean and rstd (NaN for an empty row).
    private static (double Mean, double Rstd) LayerNormRow<T>(ReadOnlySpan<T> row, Span<T> y, T[]? weight, T[]? bias, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = row.Length;
        double m = d == 0 ? double.NaN : WideSum.Sum<T>(row) / d;
        double v = d == 0 ? double.NaN : WideSum.SumSquaredDeviation(row, m) / d;
        double rs = 1.0 / Math.Sqrt(v + eps);
        if (d == 0) return (m, rs);
        NormalizeRow(row, y, T.CreateTruncating(m), T.CreateTruncating(rs), weight, bias);
        return (m, rs);
    }

    // y = (x − mean)·rstd·weight + bias in one pass, each step rounded on its own as the four span ops it replaces
    // rounded it (a transformer's row of 384 spent more in those calls' checks than in their arithmetic).
    private static void NormalizeRow<T>(ReadOnlySpan<T> row, Span<T> y, T mean, T rstd, T[]? weight, T[]? bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = row.Length, i = 0, w = Vector<T>.Count;
        if (y.Length < d) throw new ArgumentException($"Normalization: the output row holds {y.Length} elements; expected {d}", nameof(y));
        if (Vector.IsHardwareAccelerated)
        {
            var shift = new Vector<T>(mean);
            var scale = new Vector<T>(rstd);
            ref T x = ref MemoryMarshal.GetReference(row);
            ref T target = ref MemoryMarshal.GetReference(y);
            for (; i + w <= d; i += w)
            {
                var v = (Vector.LoadUnsafe(ref x, (nuint)i) - shift) * scale;
                if (weight != null) v *= new Vector<T>(weight.AsSpan(i, w));
                if (bias != null) v += new Vector<T>(bias.AsSpan(i, w));
                v.StoreUnsafe(ref target, (nuint)i);
            }
        }
        for (; i < d; i++)
        {
            T v = (row[i] - mean) * rstd;
            if (weight != null) v *= weight[i];
            if (bias != null) v += bias[i];
            y[i] = v;
        }
    }

    /// <summary>Inference batch_norm on [N, C, *]: y = (x − running_mean[c]) / sqrt(running_var[c] + eps) · weight[c] + bias[c].</summary>
    public static Dense<T> BatchNormInference<T>(T[] x, StridedLayout layout, T[] runningMean, T[] runningVar, T[]? weight, T[]? bias, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "BatchNormInference";
        Pointwise.RequireFloating<T>(k);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        layout.Validate(x.Length, k, "input");
        if (layout.Rank < 2)
            throw new ArgumentException($"{k}: input has shape {ShapeMath.Format(layout.Shape)}; expected at least 2 dims [N, C, ...]", nameof(layout));
        long c = layout.Shape[1];
        CheckPerChannel(k, runningMean, c, nameof(runningMean));
        CheckPerChannel(k, runningVar, c, nameof(runningVar));
        if (weight != null) CheckPerChannel(k, weight, c, nameof(weight));
        if (bias != null) CheckPerChannel(k, bias, c, nameof(bias));
        var src = StridedCopy.AsContiguous(x, layout);
        var output = RunBuffers.Allocate<T>(layout.Numel, clear: false);
        long plane = c == 0 ? 0 : layout.Numel / (layout.Shape[0] * c);
        var scale = new T[c];
        var shift = new T[c];
        for (int i = 0; i < c; i++)
        {
            double s = (weight != null ? double.CreateTruncating(weight[i]) : 1.0) / Math.Sqrt(double.CreateTruncating(runningVar[i]) + eps);
            scale[i] = T.CreateTruncating(s);
            shift[i] = T.CreateTruncating((bias != null ? double.CreateTruncating(bias[i]) : 0.0) - double.CreateTruncating(runningMean[i]) * s);
        }
        CpuParallel.For(layout.Shape[0] * c, plane * 2.0, (u0, u1) =>
        {
            for (long u = u0; u < u1; u++)
            {
                int ch = (int)(u % c);
                var y = output.AsSpan((int)(u * plane), (int)plane);
                Affine<T>(src.AsSpan((int)(u * plane), (int)plane), scale[ch], shift[ch], y);
            }
        });
        return new Dense<T>(output, (long[])layout.Shape.Clone());
    }

    /// <summary>group_norm on [N, C, *] with C split into <paramref name="groups"/>; returns output and per-(n, group) mean and rstd of shape [N, groups].</summary>
    public static (Dense<T> Output, Dense<T> Mean, Dense<T> Rstd) GroupNorm<T>(T[] x, StridedLayout layout, int groups, T[]? weight, T[]? bias, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "GroupNorm";
        Pointwise.RequireFloating<T>(k);
        ArgumentNullException.ThrowIfNull(x);
        layout.Validate(x.Length, k, "input");
        if (layout.Rank < 2)
            throw new ArgumentException($"{k}: input has shape {ShapeMath.Format(layout.Shape)}; expected at least 2 dims [N, C, ...]", nameof(layout));
        long n = layout.Shape[0], c = layout.Shape[1];
        if (groups <= 0 || c % groups != 0)
            throw new ArgumentException($"{k}: groups={groups} does not divide the {c} channels; expected a positive divisor of C", nameof(groups));
        if (weight != null) CheckPerChannel(k, weight, c, nameof(weight));
        if (bias != null) CheckPerChannel(k, bias, c, nameof(bias));
        var src = StridedCopy.AsContiguous(x, layout);
        var output = RunBuffers.Allocate<T>(layout.Numel, clear: false);
        long plane = n * c == 0 ? 0 : layout.Numel / (n * c);
        int cg = (int)(c / groups);
        int block = (int)(cg * plane);
        var mean = new T[n * groups];
        var rstd = new T[n * groups];
        CpuParallel.For(n * groups, block * 4.0, (u0, u1) =>
        {
            for (long u = u0; u < u1; u++)
            {
                var xs = src.AsSpan((int)(u * block), block);
                double m = block == 0 ? double.NaN : WideSum.Sum<T>(xs) / block;
                double v = block == 0 ? double.NaN : WideSum.SumSquaredDeviation(xs, m) / block;
                double rs = 1.0 / Math.Sqrt(v + eps);
                mean[u] = T.CreateTruncating(m);
                rstd[u] = T.CreateTruncating(rs);
                long g = u % groups;
                for (int j = 0; j < cg; j++)
                {
                    long ch = g * cg + j;
                    double s = rs * (weight != null ? double.CreateTruncating(weight[ch]) : 1.0);
                    double sh = (bias != null ? double.CreateTruncating(bias[ch]) : 0.0) - m * s;
                    var seg = xs.Slice((int)(j * plane), (int)plane);
                    Affine<T>(seg, T.CreateTruncating(s), T.CreateTruncating(sh), output.AsSpan((int)(u * block + j * plane), (int)plane));
                }
            }
        });
        return (new Dense<T>(output, (long[])layout.Shape.Clone()), new Dense<T>(mean, [n, groups]), new Dense<T>(rstd, [n, groups]));
    }

    /// <summary>y = x·scale + shift in one vectorized pass.</summary>
    private static void Affine<T>(ReadOnlySpan<T> x, T scale, T shift, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var vs = new Vector<T>(scale);
        var vb = new Vector<T>(shift);
        int i = 0, w = Vector<T>.Count;
        for (; i + w <= x.Length; i += w) (new Vector<T>(x.Slice(i, w)) * vs + vb).CopyTo(y.Slice(i, w));
        for (; i < x.Length; i++) y[i] = x[i] * scale + shift;
    }

    private static void CheckPerChannel<T>(string k, T[] values, long channels, string argument)
    {
        if (values.Length != channels)
            throw new ArgumentException($"{k}: {argument} has {values.Length} elements; expected one per channel ({channels})", argument);
    }
}

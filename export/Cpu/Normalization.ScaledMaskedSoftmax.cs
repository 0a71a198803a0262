using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

public static partial class Normalization
{
    /// <summary>
    /// softmax over the last dim of x·s (or x/s) + mask, row by row: what a transformer's attention computes from its
    /// scores (BERT and MiniLM as ONNX exporters write them: a div by √d, an add of the padding mask, a softmax), in
    /// one pass over the scores instead of three (float32 rows with a contiguous or broadcast mask row in one vector
    /// kernel, <see cref="VectorMath.TryScaledMaskedSoftmax"/>). Each element is scaled and added in the tensor's dtype, as the
    /// div and add kernels round them, so the result is the three ops' to the bit.
    /// </summary>
    /// <param name="x">The scores, contiguous, of shape <paramref name="shape"/>.</param>
    /// <param name="scale">A multiply or divide by a number, or null.</param>
    /// <param name="mask">The mask, or null; read through <paramref name="maskLayout"/>, a layout of
    /// <paramref name="shape"/> itself (broadcast dims with stride 0).</param>
    public static void ScaledMaskedSoftmax<T>(T[] x, long[] shape, PointwiseStep? scale, T[]? mask, StridedLayout maskLayout, T[] output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string k = "ScaledMaskedSoftmax";
        Pointwise.RequireFloating<T>(k);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(output);
        if (shape.Length == 0)
            throw new ArgumentException($"{k}: the scores are a 0-dim tensor; expected at least one dim, the last one the softmax's", nameof(shape));
        long n = ShapeMath.Numel(shape);
        ShapeMath.CheckLength(x.Length, n, k, nameof(x));
        ShapeMath.CheckLength(output.Length, n, k, nameof(output));
        if (scale is { Kind: not (PointwiseStep.Kinds.Multiply or PointwiseStep.Kinds.Divide) })
            throw new ArgumentException($"{k}: the scale is {scale}; expected a multiply or a divide by a number", nameof(scale));
        if (mask != null)
        {
            if (!maskLayout.Shape.AsSpan().SequenceEqual(shape))
                throw new ArgumentException($"{k}: the mask's layout has shape {ShapeMath.Format(maskLayout.Shape)}; expected the scores' shape {ShapeMath.Format(shape)} (broadcast dims with stride 0)", nameof(maskLayout));
            maskLayout.Validate(mask.Length, k, "mask");
        }
        if (n == 0) return;
        int d = (int)shape[^1];
        long rows = n / d;
        T factor = T.CreateTruncating(scale?.Value ?? 1);
        bool divide = scale?.Kind == PointwiseStep.Kinds.Divide;
        long maskStep = mask == null ? 0 : maskLayout.Strides[^1];
        bool fused = typeof(T) == typeof(float) && VectorMath.IsAccelerated && maskStep is 0 or 1;
        // Where each row of the scores (the index over all dims but the last) finds its mask row, row after row: a walk
        // over the leading dims that adds strides, instead of dividing each row's number by every leading dim (three
        // 64-bit divisions for a row of 128 attention scores). Its rows are runs of InnerSize mask rows, InnerStrides apart.
        var maskRows = mask == null ? null : new RowPlan(shape.AsSpan(0, shape.Length - 1),
            new StridedLayout(shape[..^1], maskLayout.Strides[..^1], maskLayout.Offset));
        CpuParallel.For(rows, d * 10.0, (r0, r1) =>
        {
            var walk = maskRows?.At(r0 / maskRows.InnerSize);
            long inRun = maskRows == null ? 0 : r0 % maskRows.InnerSize;
            for (long r = r0; r < r1; r++)
            {
                var row = x.AsSpan((int)(r * d), d);
                var y = output.AsSpan((int)(r * d), d);
                long at = 0;
                if (maskRows != null)
                {
                    at = walk!.Offsets[0] + inRun * maskRows.InnerStrides[0];
                    if (++inRun == maskRows.InnerSize)
                    {
                        inRun = 0;
                        walk.Next();
                    }
                }
                if (fused && VectorMath.TryScaledMaskedSoftmax(MemoryMarshal.Cast<T, float>(row), float.CreateTruncating(factor), divide,
                        mask == null ? default : MemoryMarshal.Cast<T, float>(mask.AsSpan((int)at, maskStep == 0 ? 1 : d)), MemoryMarshal.Cast<T, float>(y)))
                    continue;
                if (scale is null) row.CopyTo(y);
                else if (divide) TensorPrimitives.Divide(row, factor, y);
                else TensorPrimitives.Multiply(row, factor, y);
                if (mask != null)
                {
                    if (maskStep == 0) TensorPrimitives.Add(y, mask[at], y);
                    else if (maskStep == 1) TensorPrimitives.Add(y, mask.AsSpan((int)at, d), y);
                    else
                        for (int i = 0; i < d; i++) y[i] += mask[at + i * maskStep];
                }
                SoftmaxRow<T>(y, y, log: false);
            }
        });
    }
}

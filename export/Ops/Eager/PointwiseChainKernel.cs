using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// A chain of elementwise functions of one float32 or float64 tensor in one pass (<see cref="Pointwise.Chain{T}"/>);
/// frozen modules run what the graph wrote as several ops this way. Other dtypes are refused: half precisions
/// round between ops, which a fused chain would not.
/// </summary>
internal static class PointwiseChainKernel
{
    /// <param name="overwrite">The caller owns x and nothing else reads it (a frozen module's convolution output): a
    /// contiguous x of its own array is written over instead of a new tensor allocated.</param>
    public static Tensor Run(Tensor x, IReadOnlyList<PointwiseStep> steps, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        var shape = x.Sizes;
        if (overwrite && x.DType is DType.Float32 or DType.Float64 && x.IsContiguous() && x.offset == 0 && x.Storage.Data.LongLength == x.NumelLong)
        {
            if (x.Storage.Data is float[] floats) Pointwise.Chain(steps, floats, StridedLayout.Contiguous(shape), floats);
            else Pointwise.Chain(steps, (double[])x.Storage.Data, StridedLayout.Contiguous(shape), (double[])x.Storage.Data);
            return x;
        }
        switch (x.DType)
        {
            case DType.Float32:
            {
                var (data, layout) = Eager.As<float>(x);
                var output = RunBuffers.Allocate<float>(layout.Numel, clear: false);
                Pointwise.Chain(steps, data, layout, output);
                return Eager.Wrap(output, shape, DType.Float32);
            }
            case DType.Float64:
            {
                var (data, layout) = Eager.As<double>(x);
                var output = RunBuffers.Allocate<double>(layout.Numel, clear: false);
                Pointwise.Chain(steps, data, layout, output);
                return Eager.Wrap(output, shape, DType.Float64);
            }
            default:
                throw new ArgumentException($"A fused elementwise chain runs on float32 or float64 tensors, got {x.DType.TorchName()}; run its ops one by one.", nameof(x));
        }
    }
}

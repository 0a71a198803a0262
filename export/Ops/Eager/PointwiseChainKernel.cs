using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// A chain of elementwise functions of one float32 or float64 tensor in one pass (<see cref="Pointwise.Chain{T}"/>);
/// frozen modules run what the graph wrote as several ops this way. Other dtypes are refused: half precisions
/// round between ops, which a fused chain would not.
/// </summary>
internal static class PointwiseChainKernel
{
    public static Tensor Run(Tensor x, IReadOnlyList<PointwiseStep> steps)
    {
        ArgumentNullException.ThrowIfNull(x);
        var shape = x.Sizes;
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

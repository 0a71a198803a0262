using System.Numerics;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>Eager kernels of the N-d pooling ops over Cpu.PoolingNd: leading dims fold into planes, half precision computes in float32.</summary>
internal static class PoolingKernels
{
    internal static void RequireFloat(string op, Tensor t)
    {
        if (!t.DType.IsFloatingPoint())
            throw new NotSupportedException($"\"{op}\" not implemented for '{DTypeNames.Capitalized(t.DType)}': convert the input with .Float().");
    }

    /// <summary>The number of planes (product of the dims before the last <paramref name="rank"/>) and the spatial sizes.</summary>
    internal static (long Planes, long[] Spatial) Split(long[] sizes, int rank) =>
        (sizes.Take(sizes.Length - rank).Aggregate(1L, (a, b) => a * b), sizes[^rank..]);

    private static long[] WithSpatial(long[] sizes, long[] spatial) => [.. sizes[..^spatial.Length], .. spatial];

    public static Tensor[] MaxPool(Tensor input, PoolingNd.Window w)
    {
        RequireFloat($"max_pool{w.Rank}d", input);
        return input.DType == DType.Float64 ? Typed<double>() : Typed<float>();

        Tensor[] Typed<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (planes, spatial) = Split(input.Sizes, w.Rank);
            var (o, i) = PoolingNd.MaxPool(Eager.Dense<T>(input), planes, spatial, w);
            var shape = WithSpatial(input.Sizes, w.OutputSizes(spatial));
            return [Eager.Wrap(o, shape, input.DType), Eager.Wrap(i, shape, DType.Int64)];
        }
    }

    public static Tensor AvgPool(Tensor input, PoolingNd.Window w, bool countIncludePad, long? divisor)
    {
        RequireFloat($"avg_pool{w.Rank}d", input);
        return input.DType == DType.Float64 ? Typed<double>() : Typed<float>();

        Tensor Typed<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (planes, spatial) = Split(input.Sizes, w.Rank);
            var o = PoolingNd.AvgPool(Eager.Dense<T>(input), planes, spatial, w, countIncludePad, divisor);
            return Eager.Wrap(o, WithSpatial(input.Sizes, w.OutputSizes(spatial)), input.DType);
        }
    }

    public static Tensor AvgPoolBackward(Tensor grad, Tensor input, PoolingNd.Window w, bool countIncludePad, long? divisor)
    {
        RequireFloat($"avg_pool{w.Rank}d_backward", grad);
        return grad.DType == DType.Float64 ? Typed<double>() : Typed<float>();

        Tensor Typed<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (planes, spatial) = Split(input.Sizes, w.Rank);
            var g = PoolingNd.AvgPoolBackward(Eager.Dense<T>(grad), planes, spatial, w, countIncludePad, divisor);
            return Eager.Wrap(g, input.Sizes, grad.DType);
        }
    }

    public static Tensor MaxPoolBackward(Tensor grad, Tensor input, Tensor indices, int rank)
    {
        RequireFloat($"max_pool{rank}d_with_indices_backward", grad);
        return grad.DType == DType.Float64 ? Typed<double>() : Typed<float>();

        Tensor Typed<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (planes, spatial) = Split(input.Sizes, rank);
            long outPlane = grad.Sizes[^rank..].Aggregate(1L, (a, b) => a * b);
            var g = PoolingNd.MaxPoolBackward(Eager.Dense<T>(grad), Eager.Dense<long>(indices), planes, spatial.Aggregate(1L, (a, b) => a * b), outPlane);
            return Eager.Wrap(g, input.Sizes, grad.DType);
        }
    }

    public static Tensor AdaptiveAvgPool(Tensor input, long[] outputSize)
    {
        RequireFloat($"adaptive_avg_pool{outputSize.Length}d", input);
        return input.DType == DType.Float64 ? Typed<double>() : Typed<float>();

        Tensor Typed<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (planes, spatial) = Split(input.Sizes, outputSize.Length);
            var o = PoolingNd.AdaptiveAvgPool(Eager.Dense<T>(input), planes, spatial, outputSize);
            return Eager.Wrap(o, WithSpatial(input.Sizes, outputSize), input.DType);
        }
    }

    public static Tensor AdaptiveAvgPoolBackward(Tensor grad, Tensor input, int rank)
    {
        RequireFloat($"adaptive_avg_pool{rank}d_backward", grad);
        return grad.DType == DType.Float64 ? Typed<double>() : Typed<float>();

        Tensor Typed<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (planes, spatial) = Split(input.Sizes, rank);
            var g = PoolingNd.AdaptiveAvgPoolBackward(Eager.Dense<T>(grad), planes, spatial, grad.Sizes[^rank..]);
            return Eager.Wrap(g, input.Sizes, grad.DType);
        }
    }
}
